"""`placement serve` and `placement keys`: run the service, manage its API keys."""

import os
import socket
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from api.db import make_engine
from api.keys import create_key, list_keys, parse_scopes, revoke_key
from api.migrate import upgrade
from api.settings import Settings
from api.store import JobStore

out = Console(emoji=False)
err = Console(stderr=True, emoji=False)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)


def _store() -> JobStore:
    engine = make_engine(Settings().database_url)
    upgrade(engine)
    return JobStore(engine)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Service processes.")] = 1,
) -> None:
    """Start the HTTP service (settings from PLACEMENT_* environment variables)."""
    import uvicorn

    settings = Settings()
    if settings.service_name is None and workers == 1:
        # One process on this port: a stable name lets a restart re-run its jobs at once.
        os.environ["PLACEMENT_SERVICE_NAME"] = f"{socket.gethostname()}:{port}"
    uvicorn.run(
        "api.app:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
    )


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who the key is for.")],
    tenant: Annotated[str, typer.Option(help="Tenant (e.g. a region); sees only its jobs.")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: submit, read, admin, audit.")],
) -> None:
    """Create a key and print it once: only its hash is stored."""
    try:
        chosen = parse_scopes(scopes)
    except ValueError as exc:
        err.print(f"[red]invalid input[/red] --scopes: {escape(str(exc))}")
        raise typer.Exit(2) from None
    key = create_key(_store(), name, tenant, chosen)
    out.print(Text(key))
    err.print("store it now: it cannot be shown again")


@keys_app.command("revoke")
def keys_revoke(
    name_or_prefix: Annotated[str, typer.Argument(help="The key's name or its first characters.")],
) -> None:
    """Revoke keys by name or by the key's prefix."""
    revoked = revoke_key(_store(), name_or_prefix)
    if not revoked:
        err.print(Text(f"no active key named or starting '{name_or_prefix}'"))
        raise typer.Exit(1)
    out.print(f"revoked {revoked} key(s)")


@keys_app.command("list")
def keys_list() -> None:
    """Every key: name, tenant, scopes, prefix, created, revoked."""
    table = Table("id", "name", "tenant", "scopes", "prefix", "created", "revoked")
    for key in list_keys(_store()):
        table.add_row(
            *(
                Text(str(v))
                for v in (
                    key.id,
                    key.name,
                    key.tenant,
                    key.scopes,
                    key.prefix,
                    key.created_at,
                    key.revoked_at or "-",
                )
            )
        )
    out.print(table)
