"""A PostgreSQL case log of its own for a test: a fresh schema on the server
CASELOG_TEST_POSTGRES_URL names, dropped when the test is done."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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
    return f"{SERVER_URL}{joiner}options=-csearch_path%3D{schema}%2Cpublic"


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
