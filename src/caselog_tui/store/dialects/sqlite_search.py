"""The search index of a SQLite case log: an FTS5 table of the trigrams of
every case's short description, kept in step with the cases table by
triggers.

A keyword search is a case-insensitive substring match on the folded short
description (`cases.description_key`). Without an index it reads every
case (about 0.1–0.2 s at a million cases for any word); the trigram index
finds the cases holding a word of three characters or more in a few
milliseconds. Words of one or two characters have no trigram, so they stay
a `LIKE` on the cases the other words found (or on all of them).

The index is an external-content table (`content='cases'`): it stores the
trigrams, not a second copy of the descriptions. It exists whole or not at
all: a load drops it and builds it again in one transaction at its end, so
a reader that finds the table finds it complete, and a reader that does not
(an old file, a load under way) searches without it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Column, ColumnElement, Connection, Integer, text
from sqlalchemy.exc import OperationalError

from caselog_tui.store.models import CASES

Progress = Callable[[int, int], None]

SEARCH_TABLE = "cases_search"
_TRIGGERS = ("cases_search_insert", "cases_search_delete", "cases_search_update")
# Trigrams of the folded text, compared as they are: `description_key` is
# already case-folded by the store, the same rule on every backend.
_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
    "description_key, content='cases', content_rowid='id', "
    "tokenize='trigram case_sensitive 1')"
)
_CREATE_TRIGGERS = (
    f"CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN "
    f"INSERT INTO {SEARCH_TABLE}(rowid, description_key) VALUES (new.id, new.description_key); "
    "END",
    f"CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN "
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, description_key) "
    "VALUES ('delete', old.id, old.description_key); END",
    f"CREATE TRIGGER cases_search_update AFTER UPDATE OF description_key ON cases BEGIN "
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, description_key) "
    "VALUES ('delete', old.id, old.description_key); "
    f"INSERT INTO {SEARCH_TABLE}(rowid, description_key) VALUES (new.id, new.description_key); "
    "END",
)
# The fewest characters a trigram index can find.
INDEXED_WORD_LENGTH = 3


def search_index_ready(conn: Connection) -> bool:
    """Whether the file has the search index and the triggers that keep it
    true (a file of an older caselog has neither; a load drops both)."""
    names = (SEARCH_TABLE, *_TRIGGERS)
    placeholders = ", ".join("?" for _ in names)
    found = conn.exec_driver_sql(
        f"SELECT count(*) FROM sqlite_master WHERE name IN ({placeholders})", names
    ).scalar_one()
    return int(found) == len(names)


# Cases indexed between two progress reports.
_BUILD_BATCH = 50_000


def build_search_index(conn: Connection, progress: Progress | None = None) -> None:
    """Creates the search index from the cases there are, with its
    triggers, inside the caller's transaction (20-45 s at a million
    cases), telling `progress` (done, total) after each batch. Whatever
    part of it was left is replaced."""
    drop_search_index(conn)
    conn.exec_driver_sql(_CREATE_TABLE)
    total = int(conn.exec_driver_sql("SELECT count(*) FROM cases").scalar_one())
    done, last = 0, None
    while done < total:
        # Batches in case ID order, so each is one range of the table (as
        # fast as FTS5's own 'rebuild', which gives no progress).
        after = "" if last is None else f"WHERE id > {int(last)}"
        upper = conn.exec_driver_sql(
            f"SELECT max(id), count(*) FROM "
            f"(SELECT id FROM cases {after} ORDER BY id LIMIT {_BUILD_BATCH})"
        ).one()
        if not upper[1]:
            break
        lower = "" if last is None else f"id > {int(last)} AND"
        conn.exec_driver_sql(
            f"INSERT INTO {SEARCH_TABLE}(rowid, description_key) "
            f"SELECT id, description_key FROM cases WHERE {lower} id <= ?",
            (upper[0],),
        )
        done, last = done + int(upper[1]), upper[0]
        if progress:
            progress(min(done, total), total)
    # One b-tree per trigram instead of the many segments the batches left: a long,
    # common word is counted in half the time (111,083 cases hold
    # "reimbursement" at a million: 88 ms before, 48 ms after; 5 s more).
    conn.exec_driver_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
    for trigger in _CREATE_TRIGGERS:
        conn.exec_driver_sql(trigger)


def drop_search_index(conn: Connection) -> None:
    """Removes the search index and its triggers (before a load: inserting
    a million rows one trigger at a time is slower than one rebuild)."""
    for trigger in _TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


def indexed_words(words: Sequence[str]) -> list[str]:
    """The words of a search that the trigram index can find."""
    return [w for w in words if len(w) >= INDEXED_WORD_LENGTH and "\0" not in w]


def _all_of(words: Sequence[str]) -> str:
    """The FTS5 query for descriptions holding every one of `words`: each
    word an FTS5 string, so no character of it is query syntax (quotes are
    doubled; `%`, `_`, `*`, brackets and the rest are plain characters)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def cases_with_words(words: Sequence[str]) -> ColumnElement[bool]:
    """`cases.id` is a case whose folded description holds every one of
    `words` (each from `indexed_words`)."""
    found = text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :words")
    rowids = found.bindparams(words=_all_of(words)).columns(Column("rowid", Integer))
    return CASES.c.id.in_(rowids)


def count_with_words(conn: Connection, words: Sequence[str], at_most: int | None = None) -> int:
    """How many cases hold every one of `words`, read from the index alone
    (the cases table is not visited: a few milliseconds for most words),
    counting no further than `at_most` (the index stops there: 8 ms
    instead of 48 for the 111,083 cases of a million holding
    "reimbursement", when 20,000 is enough to know)."""
    matching = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?"
    if at_most is not None:
        matching += f" LIMIT {int(at_most)}"
    found = conn.exec_driver_sql(
        f"SELECT count(*) FROM ({matching})", (_all_of(words),)
    ).scalar_one()
    return int(found)


def estimated_cases(conn: Connection) -> int | None:
    """About how many cases the file holds, from the query planner's
    statistics (free to read), or None before the first statistics."""
    try:
        rows = conn.exec_driver_sql(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'cases' LIMIT 1"
        ).fetchall()
    except OperationalError:  # no sqlite_stat1 before the first ANALYZE
        return None
    if not rows:
        return None
    first = str(rows[0][0]).split(" ", 1)[0]
    return int(first) if first.isdigit() else None
