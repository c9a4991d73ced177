"""The SQL of loading cases from a file (`caselog import`): the connection
a load writes with, what the case log already holds of the cases in a
batch, and the rows a batch writes. What to write is the import's
decision (services.importer); this module only reads and writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, bindparam, select

from caselog_tui.store import dialects
from caselog_tui.store.cases import anything_may_have_changed, meta_value, set_meta
from caselog_tui.store.database import Store, bulk_load
from caselog_tui.store.histories import FULL_COLUMNS
from caselog_tui.store.models import CASE_COLUMNS, CASE_EVENTS, CASES, MESSAGES

# The column orders of a case's message and event rows, its case ID first
# (a case's own row is in models.CASE_COLUMNS order).
MESSAGE_COLUMNS = ("case_id", "sent_at", "side", "author", "body", "mail_id")
EVENT_COLUMNS = ("case_id", "at", "kind", "old", "new")

Row = tuple[Any, ...]

_TABLES = (CASES, MESSAGES, CASE_EVENTS)
_UPDATE_CASE = (
    CASES.update()
    .where(CASES.c.id == bindparam("case_id"))
    .values({name: bindparam(name) for name in CASE_COLUMNS if name != "id"})
    .values(version=CASES.c.version + 1)  # a form open on it must not write over it
)


@contextmanager
def loading_into(store: Store) -> Iterator[Connection]:
    """A connection to load cases with, each `with conn.begin():` one
    transaction; the store's errors become sentences. Indexes an earlier
    load left out (it was killed) are built first. Into an empty case log
    (a backup being restored) the indexes are built once at the end instead
    of kept up to date case by case, and the disk is not waited for; into a
    case log with cases, a large page cache keeps the indexes in memory."""
    dialect = store.dialect
    with store.errors(), dialect.writer(store.engine).connect() as conn:
        dialect.ensure_indexes(conn, _TABLES)
        with conn.begin():
            empty = conn.execute(select(CASES.c.id).limit(1)).first() is None
        if empty:
            with dialect.without_waiting_for_disk(conn), bulk_load(conn, _TABLES):
                yield conn
        else:
            with dialect.large_cache(conn):
                yield conn


def stored_cases(conn: Connection, case_ids: list[int]) -> dict[int, Row]:
    """The cases among `case_ids` the case log holds, by case ID, each in
    the columns of a full export (histories.FULL_COLUMNS)."""
    among = dialects.of(conn).among
    found = conn.execute(select(*FULL_COLUMNS).where(among(CASES.c.id, case_ids)))
    return {row[0]: tuple(row) for row in found}


def mail_owners(conn: Connection, mail_ids: list[str]) -> dict[str, int]:
    """The case that holds each of `mail_ids` (e-mail Message-IDs) the case
    log has recorded."""
    found = select(MESSAGES.c.mail_id, MESSAGES.c.case_id).where(
        dialects.of(conn).among(MESSAGES.c.mail_id, mail_ids)
    )
    return {mail_id: case_id for mail_id, case_id in conn.execute(found)}


def write_rows(
    conn: Connection,
    new_cases: list[Row],
    updates: list[dict[str, Any]],
    messages: list[Row],
    events: list[Row],
) -> None:
    """Inserts `new_cases` (models.CASE_COLUMNS), updates cases (each a
    dict of "case_id" and the other columns), then inserts `messages` and
    `events` (MESSAGE_COLUMNS, EVENT_COLUMNS), all in the caller's
    transaction. New cases get IDs above every case loaded, so none is ever
    reused."""
    dialect = dialects.of(conn)
    if new_cases or updates:
        anything_may_have_changed(conn)
    if new_cases:
        dialect.bulk_insert(conn, "cases", CASE_COLUMNS, new_cases)
        _keep_ids_unused(conn, max(case[0] for case in new_cases))
    if updates:
        conn.execute(_UPDATE_CASE, updates)
    for table, columns, rows in (
        ("messages", MESSAGE_COLUMNS, messages),
        ("case_events", EVENT_COLUMNS, events),
    ):
        if rows:
            dialect.bulk_insert(conn, table, columns, rows)


def _keep_ids_unused(conn: Connection, highest: int) -> None:
    current = meta_value(conn, "next_case_id")
    if current is None or int(current) <= highest:
        set_meta(conn, "next_case_id", str(highest + 1))
