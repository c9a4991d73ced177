"""The tables. Times are whole seconds since the epoch, UTC: they sort, compare
and bulk-load cheaply on every backend, and the domain turns them into
timezone-aware datetimes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Computed, Index, Integer, String, Table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 4
ACTIVE_FOREVER = 2**63 - 1

# Whole numbers: SQLite's INTEGER holds 64 bits (and `INTEGER PRIMARY KEY`
# is the row's own ID, which the search index relies on); PostgreSQL's
# INTEGER holds 32, too few for an 11-digit case ID, so there it is BIGINT.
WHOLE = BigInteger().with_variant(Integer(), "sqlite")
# Text compared and sorted by code point on both engines: SQLite's BINARY
# order is that; PostgreSQL would otherwise sort by the server's locale
# ("a" beside "A", punctuation skipped), and a view would page in another
# order than on SQLite.
TEXT = String().with_variant(String(collation="C"), "postgresql")


@compiles(Computed, "postgresql")
def _stored_on_postgresql(element: Computed, compiler: DDLCompiler, **kw: Any) -> str:
    """PostgreSQL before 18 computes a generated column only when a row is
    written (STORED); SQLite computes it when read (VIRTUAL, no room taken).
    The same rule either way."""
    expression = compiler.sql_compiler.process(
        element.sqltext, include_table=False, literal_binds=True
    )
    return f"GENERATED ALWAYS AS ({expression}) STORED"


# The moment the default view's 30-day rule counts from: an answered case is
# recent for 30 days after it was created or answered, whichever is later;
# an active case is always shown (ACTIVE_FOREVER). One indexed column turns
# "active, or created or answered in the past 30 days" into one range.
RECENT_AT_SQL = (
    "CASE WHEN status = 'answered' THEN "
    "CASE WHEN answered_at > created_at THEN answered_at ELSE created_at END "
    f"ELSE {ACTIVE_FOREVER} END"
)

# The columns a view filters on. Every sort index carries them, so a page of
# any view in any order is found by walking one index, reading the table only
# for the rows shown.
_FILTERED = ("recent_at", "status", "reopened_count")
SORTABLE = (
    "created_at",
    "id",
    "status",
    "primary_email",
    "description_key",
    "last_activity_at",
    "reopened_count",
)


def _sort_index(column: str) -> Index:
    tail = [c for c in ("id", *_FILTERED) if c != column]
    return Index(f"ix_cases_by_{column}", column, *tail)


class CaseRow(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__: Any = (
        *(_sort_index(column) for column in SORTABLE),
        Index("ix_cases_recent_at", "recent_at"),
        Index("ix_cases_changed_seq", "changed_seq"),
    )

    id: int = Field(primary_key=True, sa_type=WHOLE, sa_column_kwargs={"autoincrement": False})
    created_at: int = Field(sa_type=WHOLE)
    status: str = Field(sa_type=TEXT)
    # Stored trimmed and lower-case (validation.normalise_email), so the
    # e-mail filter is an exact, indexed comparison.
    primary_email: str = Field(sa_type=TEXT)
    short_description: str = Field(sa_type=TEXT)
    # Case-folded copy used for case-insensitive search and sorting, so the
    # same rule holds on SQLite and PostgreSQL.
    description_key: str = Field(sa_type=TEXT)
    cc: str = Field(default="", sa_type=TEXT)
    last_activity_at: int = Field(sa_type=WHOLE)
    answered_at: int | None = Field(default=None, sa_type=WHOLE)
    reopened_count: int = Field(default=0, sa_type=WHOLE)
    # One more on every write to the case (an action, an import that replaces
    # it), so a form can tell that the case changed since it read it.
    # Schema 3.
    version: int = Field(default=0, sa_type=WHOLE, sa_column_kwargs={"server_default": text("0")})
    # The number of the last write transaction that changed the case (meta
    # "change_seq" counts them), so live refresh asks for the cases changed
    # since the last one it saw instead of reading its page again. Schema 4.
    changed_seq: int = Field(
        default=0, sa_type=WHOLE, sa_column_kwargs={"server_default": text("0")}
    )
    # Computed by the database from the columns above; never written.
    recent_at: int | None = Field(
        default=None,
        sa_column=Column("recent_at", WHOLE, Computed(RECENT_AT_SQL, persisted=False)),
    )


class MessageRow(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__: Any = (
        # The Message-ID of an imported e-mail, so importing it twice adds it
        # once. Partial: most messages have none.
        Index(
            "ux_messages_mail_id",
            "mail_id",
            unique=True,
            sqlite_where=text("mail_id IS NOT NULL"),
            postgresql_where=text("mail_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=WHOLE)
    case_id: int = Field(foreign_key="cases.id", index=True, sa_type=WHOLE)
    sent_at: int = Field(sa_type=WHOLE)
    side: str = Field(sa_type=TEXT)
    author: str = Field(sa_type=TEXT)
    body: str = Field(sa_type=TEXT)
    mail_id: str | None = Field(default=None, sa_type=TEXT)


class CaseEventRow(SQLModel, table=True):
    """Audit trail of status changes and edits (who, when, from what to what)."""

    __tablename__ = "case_events"

    id: int | None = Field(default=None, primary_key=True, sa_type=WHOLE)
    case_id: int = Field(foreign_key="cases.id", index=True, sa_type=WHOLE)
    at: int = Field(sa_type=WHOLE)
    kind: str = Field(sa_type=TEXT)  # "status" or "short_description"
    old: str = Field(sa_type=TEXT)
    new: str = Field(sa_type=TEXT)


class MetaRow(SQLModel, table=True):
    """Key/value facts about the store: schema version, next case ID."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True, sa_type=TEXT)
    value: str = Field(sa_type=TEXT)


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


# Core views of the tables, typed, for column selects (pages, export, bulk
# work): about five times cheaper per row than ORM objects.
CASES = _table(CaseRow)
MESSAGES = _table(MessageRow)
CASE_EVENTS = _table(CaseEventRow)
META = _table(MetaRow)

# The columns a case row is written with, in the table's order (id,
# created_at, status, primary_email, short_description, description_key, cc,
# last_activity_at, answered_at, reopened_count): bulk loads build their row
# tuples in it. The computed ones, the version and the change number are the
# store's own.
CASE_COLUMNS = tuple(
    column.name
    for column in CASES.columns
    if column.computed is None and column.name not in ("version", "changed_seq")
)
