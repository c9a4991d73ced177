"""PostgreSQL case logs for the tests, on the server CASELOG_TEST_POSTGRES_URL
names. `own_schema()`: a fresh schema, dropped when the test is done (for
tests of creating, upgrading or refusing a case log). `emptied_case_log()`:
the case log of this test process, made once in a schema of its own and
emptied before each test that takes it (a few DELETEs instead of making
the tables, their indexes, the search index and the trigger again); the
schema is dropped when the process ends. Commits on these connections do
not wait for the server's disk (synchronous_commit off): a test's data
need not survive a crash of the server."""

from __future__ import annotations

import atexit
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

SERVER_URL = os.environ.get("CASELOG_TEST_POSTGRES_URL", "")

_admin: Any = None


def _admin_connection() -> Any:
    """One autocommit connection per test process, for making and dropping
    schemas."""
    global _admin
    import psycopg

    if _admin is None or _admin.closed:
        _admin = psycopg.connect(SERVER_URL, autocommit=True)
        # The trigram index's operators live in the extension, which lives
        # in the public schema that every test's search_path ends with.
        _admin.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return _admin


def url_for(schema: str) -> str:
    """The server URL with `schema` first on the search path: the case log's
    tables are made there, and pg_trgm is found in public."""
    joiner = "&" if "?" in SERVER_URL else "?"
    options = f"-csearch_path%3D{schema}%2Cpublic%20-csynchronous_commit%3Doff"
    return f"{SERVER_URL}{joiner}options={options}"


@contextmanager
def own_schema() -> Iterator[str]:
    """The URL of a case log in a new, empty schema; the schema and all in
    it are dropped afterwards."""
    schema = f"caselog_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_connection()
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url_for(schema)
    finally:
        admin.execute("SET lock_timeout = '20s'")
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


_worker_schema: str | None = None
# The tables a test may fill, those that refer to a case first; the case
# log's own facts are written again. DELETE, not TRUNCATE: TRUNCATE makes
# new files for every table and index (0.5 s a test; these hold a few
# hundred rows at most).
_EMPTIED = ("messages", "case_events", "cases", "meta")


def emptied_case_log() -> str:
    """The URL of this process's case log on the server, with no case, no
    message, no one present and its first case ID to come."""
    global _worker_schema
    from caselog_tui.store.database import FIRST_CASE_ID, open_store
    from caselog_tui.store.models import SCHEMA_VERSION

    admin = _admin_connection()
    if _worker_schema is None:
        schema = f"caselog_test_{uuid.uuid4().hex[:12]}"
        admin.execute(f"CREATE SCHEMA {schema}")
        atexit.register(_drop, schema)
        open_store(url_for(schema)).close()
        _worker_schema = schema
    schema = _worker_schema
    admin.execute("SET lock_timeout = '20s'")
    with admin.transaction():
        admin.execute(f"SET LOCAL search_path = {schema}")
        admin.execute("SET LOCAL synchronous_commit = off")
        for table in _EMPTIED:
            admin.execute(f"DELETE FROM {table}")
        admin.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', %s), ('next_case_id', %s)",
            (str(SCHEMA_VERSION), str(FIRST_CASE_ID)),
        )
        if admin.execute("SELECT to_regclass('caselog_presence')").fetchone() != (None,):
            admin.execute("DELETE FROM caselog_presence")
    return url_for(schema)


def _drop(schema: str) -> None:
    # The server may have gone away first: then there is nothing to tidy.
    with suppress(Exception):
        _admin_connection().execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
