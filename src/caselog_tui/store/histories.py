"""The SQL of a full export: every column of a case with its messages and
its history of changes, for a million cases without holding them all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, tzinfo
from itertools import islice
from typing import Any

from sqlalchemy import Connection, select

from caselog_tui.core.view import CaseQuery
from caselog_tui.store import dialects
from caselog_tui.store.models import CASE_EVENTS, CASES, MESSAGES
from caselog_tui.store.queries import iter_case_rows

FULL_COLUMNS = (
    CASES.c.id,
    CASES.c.created_at,
    CASES.c.status,
    CASES.c.primary_email,
    CASES.c.short_description,
    CASES.c.cc,
    CASES.c.last_activity_at,
    CASES.c.answered_at,
    CASES.c.reopened_count,
)
_MESSAGE_COLUMNS = (
    MESSAGES.c.case_id,
    MESSAGES.c.sent_at,
    MESSAGES.c.side,
    MESSAGES.c.author,
    MESSAGES.c.body,
    MESSAGES.c.mail_id,
)
_EVENT_COLUMNS = (
    CASE_EVENTS.c.case_id,
    CASE_EVENTS.c.at,
    CASE_EVENTS.c.kind,
    CASE_EVENTS.c.old,
    CASE_EVENTS.c.new,
)
HISTORY_CHUNK = 1_000  # cases whose histories are read with one query

FullCases = tuple[list[tuple[Any, ...]], dict[int, list[Any]], dict[int, list[Any]]]
"""Some cases as rows of `FULL_COLUMNS`, with their messages and events by
case (see `case_histories`)."""


def case_histories(
    conn: Connection, case_ids: list[int]
) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """The messages (case_id, sent_at, side, author, body, mail_id) and the
    events (case_id, at, kind, old, new) of `case_ids`, oldest first, by case."""
    messages: dict[int, list[Any]] = {case_id: [] for case_id in case_ids}
    events: dict[int, list[Any]] = {case_id: [] for case_id in case_ids}
    wanted = (
        (MESSAGES, _MESSAGE_COLUMNS, MESSAGES.c.sent_at, messages),
        (CASE_EVENTS, _EVENT_COLUMNS, CASE_EVENTS.c.at, events),
    )
    for table, columns, when, by_case in wanted:
        statement = (
            select(*columns)
            .where(table.c.case_id.in_(case_ids))
            .order_by(table.c.case_id, when, table.c.id)
        )
        for row in dialects.of(conn).plain_rows(conn.execute(statement)):
            by_case[row[0]].append(row)
    return messages, events


def iter_full_cases(
    conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo
) -> Iterator[FullCases]:
    """The cases of `query` in its order, a chunk at a time, each chunk with
    the messages and events of its cases."""
    rows = iter_case_rows(conn, query, now, tz, FULL_COLUMNS)
    while chunk := list(islice(rows, HISTORY_CHUNK)):
        yield (chunk, *case_histories(conn, [row[0] for row in chunk]))
