"""Create and migrate the store's schema to the newest revision, at service start."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from api.db import is_postgresql

MIGRATIONS = Path(__file__).parent / "migrations"
#: Arbitrary key of the PostgreSQL advisory lock that serialises concurrent migrations.
MIGRATION_LOCK = 73_215_904


def upgrade(engine: Engine) -> None:
    """Bring the schema to head; several services starting at once migrate one at a time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if is_postgresql(engine):
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
