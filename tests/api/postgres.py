"""A fresh PostgreSQL database per test, so runs on one server never see each other's jobs.

The server is the one `tools/postgres-for-tests.sh` sets up (CI runs it); another can be named
by PLACEMENT_TEST_DATABASE_URL. Without a reachable server the PostgreSQL tests skip and say so.
"""

import os
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

DEFAULT_URL = "postgresql+psycopg://placement:placement@127.0.0.1:5432/placement_test"
ADMIN_URL = os.environ.get("PLACEMENT_TEST_DATABASE_URL", DEFAULT_URL)
CONNECT_TIMEOUT_S = 5


def _admin_engine() -> Engine:
    """CREATE and DROP DATABASE cannot run inside a transaction."""
    return create_engine(
        ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
    )


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create `placement_t_<random>`, yield its URL, drop it (closing what is still connected).

    Skips the test when the server cannot be reached.
    """
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        pytest.skip(
            f"PostgreSQL at {make_url(ADMIN_URL).render_as_string(hide_password=True)} is not "
            f"reachable ({type(exc).__name__}); run tools/postgres-for-tests.sh (as root) or set "
            "PLACEMENT_TEST_DATABASE_URL"
        )
    name = f"placement_t_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    """Drop the test database; one a server process still holds is left with a warning
    rather than failing the test that used it."""
    for statement in (
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'DROP DATABASE IF EXISTS "{name}"',
    ):
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
            return
        except DBAPIError:
            time.sleep(1)
    warnings.warn(f"could not drop test database {name}", stacklevel=2)
