"""How a view (`core.view.CaseQuery`) becomes SQL: its conditions, its
order, one page of it, its count, or all of it streamed. Only the page asked
for is ever loaded."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, tzinfo
from math import isqrt
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, false, func, or_, select, true

from caselog_tui.core.paging import cases_on_page, clamp_page, first_index
from caselog_tui.core.records import CasePage, CaseSummary, from_epoch, to_epoch
from caselog_tui.core.status import GROUP_STATUSES, Status, StatusGroup
from caselog_tui.core.view import RECENT_WINDOW, CaseQuery, SortColumn
from caselog_tui.store import dialects
from caselog_tui.store.dialects import Dialect
from caselog_tui.store.models import CASES

_SORT_COLUMNS: dict[SortColumn, Any] = {
    SortColumn.CREATED: CASES.c.created_at,
    SortColumn.CASE_ID: CASES.c.id,
    SortColumn.STATUS: CASES.c.status,
    SortColumn.EMAIL: CASES.c.primary_email,
    SortColumn.DESCRIPTION: CASES.c.description_key,
    SortColumn.LAST_ACTIVITY: CASES.c.last_activity_at,
    SortColumn.REOPENED: CASES.c.reopened_count,
}


def _day_start(day: date, tz: tzinfo) -> int:
    return to_epoch(datetime.combine(day, time.min, tzinfo=tz))


def where_clause(
    query: CaseQuery,
    now: datetime,
    tz: tzinfo,
    index: Dialect | None = None,
    scan: Dialect | None = None,
) -> ColumnElement[bool]:
    """The view's conditions. With `index` (see `_search_index`), its words
    of three characters or more are found through the dialect's search
    index; the others, and all of them without it, by a `LIKE`. With
    `scan`, the status conditions are written so the planner does not
    walk the status index (see `count_cases`)."""
    conditions: list[ColumnElement[bool]] = []
    status: ColumnElement[Any] = CASES.c.status
    reopened: ColumnElement[Any] = CASES.c.reopened_count
    if scan:
        status, reopened = scan.without_index(status), scan.without_index(reopened)
    if query.recent_only:
        # recent_at is "forever" for an active case, else the later of its
        # creation and its answer (models.RECENT_AT_SQL).
        conditions.append(CASES.c.recent_at >= to_epoch(now - RECENT_WINDOW))
    if query.attention_only:
        conditions.append(status == Status.NEEDS_ATTENTION.value)
    if query.statuses:
        groups = sorted(query.statuses)
        conditions.append(or_(*(_group_condition(g, status, reopened) for g in groups)))
    if query.email_filter:
        conditions.append(CASES.c.primary_email == query.email_filter)
    if query.created_from:
        conditions.append(CASES.c.created_at >= _day_start(query.created_from, tz))
    if query.created_to:
        conditions.append(CASES.c.created_at < _day_start(query.created_to + timedelta(days=1), tz))
    case_id = query.search_case_id
    if case_id is not None:
        conditions.append(CASES.c.id == case_id)
    conditions += _holding(query.keywords, index)
    return and_(true(), *conditions) if conditions else true()


def _holding(words: list[str], index: Dialect | None) -> list[ColumnElement[bool]]:
    """The conditions for descriptions holding every one of `words`: the
    search index's for the words it can find, a `LIKE` for the others."""
    found_by_index = index.indexed_words(words) if index else []
    conditions = [index.cases_with_words(found_by_index)] if index and found_by_index else []
    for word in words:
        if word not in found_by_index:
            # autoescape makes %, _ and the escape character plain characters.
            conditions.append(CASES.c.description_key.contains(word, autoescape=True))
    return conditions


def _search_index(conn: Connection, query: CaseQuery) -> Dialect | None:
    """The connection's dialect when the view searches a word its search
    index can find and the file has the index (an older file, or one a
    load is filling, has not: its search reads every case instead)."""
    if not query.keywords:
        return None
    dialect = dialects.of(conn)
    if not dialect.indexed_words(query.keywords) or not dialect.search_index_ready(conn):
        return None
    return dialect


def _group_condition(
    group: StatusGroup, status: ColumnElement[Any], reopened: ColumnElement[Any]
) -> ColumnElement[bool]:
    codes = sorted(s.value for s in GROUP_STATUSES[group])
    condition = status.in_(codes)
    if group is StatusGroup.REOPENED:
        return and_(condition, reopened >= 1)
    return condition if codes else false()


_SUMMARY_COLUMNS = (
    CASES.c.id,
    CASES.c.created_at,
    CASES.c.status,
    CASES.c.primary_email,
    CASES.c.short_description,
    CASES.c.last_activity_at,
    CASES.c.reopened_count,
)


def _ordered(
    dialect: Dialect,
    query: CaseQuery,
    statement: Select[Any],
    reverse: bool = False,
    walk_index: bool = False,
) -> Select[Any]:
    """`statement` in the view's order. A search sorts the cases it found
    instead of walking the sort index, unless `walk_index` says its words
    are common enough for the walk to fill the page sooner."""
    column: ColumnElement[Any] = _SORT_COLUMNS[query.sort]
    tie: ColumnElement[Any] = CASES.c.id
    if query.keywords and not walk_index:
        column, tie = dialect.without_index(column), dialect.without_index(tie)
    # Ties break on the case ID in the same direction, so the order is total
    # and a page never shows a case twice or skips one.
    if query.descending != reverse:
        return statement.order_by(column.desc(), tie.desc())
    return statement.order_by(column.asc(), tie.asc())


def summary_from_row(row: Any) -> CaseSummary:
    return CaseSummary(
        case_id=row[0],
        created_at=from_epoch(row[1]),
        status=Status(row[2]),
        primary_email=row[3],
        short_description=row[4],
        last_activity_at=from_epoch(row[5]),
        reopened_count=row[6],
    )


# Past this many cases holding the words, a search with filters beside it
# is counted by testing every case's description in the description index,
# which carries the status columns too (~160 ms at a million cases), rather
# than by looking up each case the search index found (~2 µs each), or
# walking the status index and looking up each case of the status (480 ms
# for the answered cases holding "order").
_LOOKUPS_LIMIT = 60_000


def count_cases(conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo) -> int:
    index = _search_index(conn, query)
    words = query.keywords
    if index:
        found = index.indexed_words(words)
        matches = index.count_with_words(conn, found)
        if matches == 0:
            return 0
        if found == words and not (query.has_filters or query.attention_only):
            return matches  # a search and nothing else: the index alone counts it
        if matches > _LOOKUPS_LIMIT:
            index = None
    scan = None
    if words and not index and not (query.email_filter or query.created_from or query.created_to):
        scan = dialects.of(conn)
    statement = select(func.count()).select_from(CASES)
    return int(
        conn.execute(statement.where(where_clause(query, now, tz, index, scan))).scalar_one()
    )


# Where a search's page is read by walking the sort index and testing each
# case (`LIKE`) rather than sorting every case the search index found: when
# the cases walked to fill the page, about (offset + page) × cases ÷
# matches if the matches were spread evenly, are well under the matches.
# They are not spread evenly along the description order, hence the margin.
# At a million cases: "order" (166,845 matches) 1.8 ms walking, 250 ms
# sorting; "ltn4" (15,522) 10 ms and 36, but 87 ms and 36 by description.
_WALK_MARGIN = 8


def _walk_is_cheaper(
    conn: Connection, query: CaseQuery, index: Dialect | None, total: int | None, reach: int
) -> bool:
    """Whether to walk the sort index for a search's page reaching `reach`
    cases deep. Without the view's `total` yet (it is being counted), the
    search index says whether that many cases hold the words, counting no
    further than needed to know."""
    words = query.keywords
    if not words:
        return False  # no search: every page walks the sort index already
    cases = dialects.of(conn).estimated_cases(conn)
    if cases is None:
        return False
    enough = isqrt(reach * cases * _WALK_MARGIN) + 1  # matches that make the walk cheaper
    if total is not None:
        return total >= enough
    if index:  # `_search_index`: it can find at least one of the words
        found = index.count_with_words(conn, index.indexed_words(words), at_most=enough)
    else:
        # Words too short for the index: look for that many cases holding
        # them, stopping there. A common one ("on", a third of the cases)
        # stops within a few thousand: 15 ms instead of sorting 330,000
        # matches (250 ms); a rare one reads every description (~100 ms).
        cases_holding = select(CASES.c.id).where(*_holding(words, None)).limit(enough)
        found = conn.execute(
            select(func.count()).select_from(cases_holding.subquery())
        ).scalar_one()
    return found >= enough


def view_holds(conn: Connection, query: CaseQuery, case_id: int, now: datetime, tz: tzinfo) -> bool:
    """Whether the view `query` describes holds the case (on any page): the
    view's own conditions, asked of that one case."""
    statement = select(CASES.c.id).where(where_clause(query, now, tz), CASES.c.id == case_id)
    return conn.execute(statement.limit(1)).first() is not None


def fetch_rows(
    conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo, total: int | None = None
) -> list[CaseSummary]:
    """The cases of the page `query` asks for, without counting the view.

    Counting is most of a page's cost at a million cases, so the TUI counts a
    view once and keeps the total across page flips and sorts. With the
    `total` known, a page past the middle is read from the end in the
    opposite order, so the last page costs what the first does."""
    size = query.page_size
    page = max(query.page, 0)
    offset = first_index(page, size)
    wanted = size if total is None else cases_on_page(page, size, total)
    if not wanted:
        return []
    reverse = total is not None and offset > total - offset - wanted
    if reverse and total is not None:
        offset = total - offset - wanted
    dialect = dialects.of(conn)
    index = _search_index(conn, query)
    walk = _walk_is_cheaper(conn, query, index, total, offset + wanted)
    # Find the page's case IDs walking an index, then read only those rows.
    found = where_clause(query, now, tz, None if walk else index)
    page_ids = (
        _ordered(dialect, query, select(CASES.c.id).where(found), reverse, walk_index=walk)
        .limit(wanted)
        .offset(offset)
    )
    statement = _ordered(dialect, query, select(*_SUMMARY_COLUMNS).where(CASES.c.id.in_(page_ids)))
    return [summary_from_row(r) for r in conn.execute(statement)]


def fetch_page(conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo) -> CasePage:
    """The page `query` asks for (the last one if it asks past the end) and
    the view's total."""
    total = count_cases(conn, query, now, tz)
    size = query.page_size
    page = clamp_page(query.page, total, size)
    cases = fetch_rows(conn, replace(query, page=page), now, tz, total)
    return CasePage(cases, total, page, size)


def iter_cases(
    conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo
) -> Iterator[CaseSummary]:
    """Every case of the view, all pages, in the view's order, streamed."""
    index = _search_index(conn, query)
    statement = _ordered(
        dialects.of(conn),
        query,
        select(*_SUMMARY_COLUMNS).where(where_clause(query, now, tz, index)),
    )
    for row in conn.execute(statement):
        yield summary_from_row(row)


def iter_case_rows(
    conn: Connection,
    query: CaseQuery,
    now: datetime,
    tz: tzinfo,
    columns: Sequence[Any] = _SUMMARY_COLUMNS,
) -> Iterator[tuple[Any, ...]]:
    """The lean form of `iter_cases` for exports of a million cases: the
    same view and order, as plain column tuples (no records built),
    streamed so memory stays flat."""
    index = _search_index(conn, query)
    statement = _ordered(
        dialects.of(conn), query, select(*columns).where(where_clause(query, now, tz, index))
    )
    return dialects.of(conn).plain_rows(conn.execute(statement))


def rows_in_view(
    conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo, case_ids: Sequence[int]
) -> dict[int, CaseSummary]:
    """Those of `case_ids` the view holds, as they are now: live refresh
    patching rows of the page on screen."""
    among = dialects.of(conn).among
    statement = select(*_SUMMARY_COLUMNS).where(
        where_clause(query, now, tz), among(CASES.c.id, list(case_ids))
    )
    return {row[0]: summary_from_row(row) for row in conn.execute(statement)}
