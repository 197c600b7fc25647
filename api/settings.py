"""Service settings, from environment variables with the PLACEMENT_ prefix."""

from pathlib import Path

from pydantic import Field, PositiveFloat, PositiveInt
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE = Path("var") / "placement.db"


class Settings(BaseSettings):
    """Everything an operator sets; each field is `PLACEMENT_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="PLACEMENT_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATABASE}",
        description="SQLAlchemy URL of the job store; postgresql+psycopg://... for PostgreSQL.",
    )
    solver_workers: PositiveInt = Field(
        default=1, description="Solver processes this service runs at once."
    )
    solver_threads: PositiveInt = Field(default=1, description="Threads each solve may use.")
    queue_depth: PositiveInt = Field(
        default=100, description="Most queued jobs per tenant before 429."
    )
    max_request_bytes: PositiveInt = Field(
        default=20_000_000, description="Largest request body accepted (413 above)."
    )
    sync_max_pairs: PositiveInt = Field(
        default=50_000,
        description="POST /v1/solve, /v1/explain and /v1/recommend take problems up to this "
        "many candidates x roles.",
    )
    sync_time_limit_s: PositiveFloat = Field(
        default=10.0,
        description="Longest time limit POST /v1/solve allows, and all the re-solves of "
        "/v1/explain and /v1/recommend.",
    )
    job_time_limit_s: PositiveFloat = Field(
        default=600.0, description="Longest time limit a job may ask for."
    )
    lease_s: PositiveFloat = Field(
        default=30.0,
        description="A running job nobody renews for this long is re-queued.",
    )
    poll_interval_s: PositiveFloat = Field(
        default=0.5, description="How often idle workers look for queued jobs."
    )
    service_name: str | None = Field(
        default=None,
        description="A stable name for this service's job claims, unique among services: a "
        "restart then re-runs its interrupted jobs at once (default: a name per process life; "
        "its jobs wait for their lease to run out).",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; none by default."
    )
