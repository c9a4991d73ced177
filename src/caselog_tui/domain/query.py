"""One immutable description of a case log view, and how it becomes SQL.

The TUI's table, the export report and `caselog export` all describe what
they show with a `CaseQuery`; nothing else decides which cases a view holds.
Only the page asked for is ever loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, false, func, or_, select, true

from caselog_tui.domain.errors import ValidationError
from caselog_tui.domain.records import CasePage, CaseSummary, from_epoch, to_epoch
from caselog_tui.domain.status import GROUP_STATUSES, Status, StatusGroup
from caselog_tui.store import sqlite as dialect
from caselog_tui.store.models import CASES

PAGE_SIZES: tuple[int, ...] = (25, 50, 100, 250)
DEFAULT_PAGE_SIZE = 50
RECENT_WINDOW = timedelta(days=30)
_CASE_ID = re.compile(r"[0-9]{10,11}")
# SQLite parses each searched word as one more level of AND, and refuses
# past 1,000 levels; a short description holds at most 200 characters anyway.
MAX_SEARCH_WORDS = 100


class SortColumn(StrEnum):
    CREATED = "created"
    CASE_ID = "id"
    STATUS = "status"
    EMAIL = "email"
    DESCRIPTION = "description"
    LAST_ACTIVITY = "activity"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return _SORT_LABELS[self]


_SORT_LABELS = {
    SortColumn.CREATED: "Case Creation",
    SortColumn.CASE_ID: "Case ID",
    SortColumn.STATUS: "Status",
    SortColumn.EMAIL: "Primary E-mail",
    SortColumn.DESCRIPTION: "Short Description",
    SortColumn.LAST_ACTIVITY: "Last Activity",
    SortColumn.REOPENED: "Re-opened",
}

_SORT_COLUMNS: dict[SortColumn, Any] = {
    SortColumn.CREATED: CASES.c.created_at,
    SortColumn.CASE_ID: CASES.c.id,
    SortColumn.STATUS: CASES.c.status,
    SortColumn.EMAIL: CASES.c.primary_email,
    SortColumn.DESCRIPTION: CASES.c.description_key,
    SortColumn.LAST_ACTIVITY: CASES.c.last_activity_at,
    SortColumn.REOPENED: CASES.c.reopened_count,
}


def fold(text: str) -> str:
    """The case-insensitive form used for search and sorting descriptions."""
    return text.casefold()


@dataclass(frozen=True)
class CaseQuery:
    """Which cases a view shows, in what order, and which page of them.

    With no filter, no search and not `include_expired`, the view is the
    default one: every active case plus every case created or answered in the
    past 30 days. Any filter or search reaches expired cases too.
    """

    attention_only: bool = False
    statuses: frozenset[StatusGroup] = field(default_factory=frozenset)
    email: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    search: str = ""
    include_expired: bool = False
    sort: SortColumn = SortColumn.CREATED
    descending: bool = True
    page_size: int = DEFAULT_PAGE_SIZE
    page: int = 0

    @property
    def email_filter(self) -> str:
        """The primary e-mail filtered on, as stored (trimmed, lower-case);
        blank means no e-mail filter."""
        return (self.email or "").strip().lower()

    @property
    def has_filters(self) -> bool:
        return bool(
            self.statuses
            or self.email_filter
            or self.created_from is not None
            or self.created_to is not None
        )

    @property
    def search_text(self) -> str:
        return self.search.strip()

    @property
    def search_case_id(self) -> int | None:
        """The case ID searched for, when the search is a 10 or 11 digit number."""
        text = self.search_text
        return int(text) if _CASE_ID.fullmatch(text) else None

    @property
    def keywords(self) -> list[str]:
        """The different words searched for, case-folded (ValidationError
        past MAX_SEARCH_WORDS)."""
        if self.search_case_id is not None:
            return []
        words = list(dict.fromkeys(fold(word) for word in self.search_text.split()))
        if len(words) > MAX_SEARCH_WORDS:
            raise ValidationError(
                {
                    "search": f"Search for at most {MAX_SEARCH_WORDS} different words; "
                    f"this search has {len(words):,}."
                }
            )
        return words

    @property
    def recent_only(self) -> bool:
        """True for the default view, which hides expired cases."""
        return not (
            self.has_filters or self.search_text or self.include_expired or self.attention_only
        )

    @property
    def view_name(self) -> str:
        """What the view is, naming every part when they combine
        ("Needing attention, Search: refund")."""
        parts = []
        if self.attention_only:
            parts.append("Needing attention")
        if self.has_filters:
            parts.append("Filtered")
        if self.search_text:
            parts.append(f"Search: {self.search_text}")
        if parts:
            return ", ".join(parts)
        if self.include_expired:
            return "All cases"
        return "Open and recently answered"

    def changed(self, **changes: Any) -> CaseQuery:
        """A copy with `changes`; any change but the page goes back to page one."""
        if "page" not in changes:
            changes["page"] = 0
        return replace(self, **changes)

    def cleared(self) -> CaseQuery:
        """The default view, keeping sort and page size."""
        return CaseQuery(sort=self.sort, descending=self.descending, page_size=self.page_size)


def _day_start(day: date, tz: tzinfo) -> int:
    return to_epoch(datetime.combine(day, time.min, tzinfo=tz))


def where_clause(query: CaseQuery, now: datetime, tz: tzinfo) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if query.recent_only:
        # recent_at is "forever" for an active case, else the later of its
        # creation and its answer (models.RECENT_AT_SQL).
        conditions.append(CASES.c.recent_at >= to_epoch(now - RECENT_WINDOW))
    if query.attention_only:
        conditions.append(CASES.c.status == Status.NEEDS_ATTENTION.value)
    if query.statuses:
        conditions.append(or_(*(_group_condition(g) for g in sorted(query.statuses))))
    if query.email_filter:
        conditions.append(CASES.c.primary_email == query.email_filter)
    if query.created_from:
        conditions.append(CASES.c.created_at >= _day_start(query.created_from, tz))
    if query.created_to:
        conditions.append(CASES.c.created_at < _day_start(query.created_to + timedelta(days=1), tz))
    case_id = query.search_case_id
    if case_id is not None:
        conditions.append(CASES.c.id == case_id)
    for word in query.keywords:
        # autoescape makes %, _ and the escape character plain characters.
        conditions.append(CASES.c.description_key.contains(word, autoescape=True))
    return and_(true(), *conditions) if conditions else true()


def _group_condition(group: StatusGroup) -> ColumnElement[bool]:
    codes = sorted(s.value for s in GROUP_STATUSES[group])
    condition = CASES.c.status.in_(codes)
    if group is StatusGroup.REOPENED:
        return and_(condition, CASES.c.reopened_count >= 1)
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


def _ordered(query: CaseQuery, statement: Select[Any], reverse: bool = False) -> Select[Any]:
    column: ColumnElement[Any] = _SORT_COLUMNS[query.sort]
    tie: ColumnElement[Any] = CASES.c.id
    if query.keywords:
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


def count_cases(conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo) -> int:
    statement = select(func.count()).select_from(CASES).where(where_clause(query, now, tz))
    return int(conn.execute(statement).scalar_one())


def fetch_rows(
    conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo, total: int | None = None
) -> list[CaseSummary]:
    """The cases of the page `query` asks for, without counting the view.

    Counting is most of a page's cost at a million cases, so the TUI counts a
    view once and keeps the total across page flips and sorts. With the
    `total` known, a page past the middle is read from the end in the
    opposite order, so the last page costs what the first does."""
    size = query.page_size
    offset = max(query.page, 0) * size
    wanted = size if total is None else max(0, min(size, total - offset))
    if not wanted:
        return []
    reverse = total is not None and offset > total - offset - wanted
    if reverse and total is not None:
        offset = total - offset - wanted
    # Find the page's case IDs walking an index, then read only those rows.
    page_ids = (
        _ordered(query, select(CASES.c.id).where(where_clause(query, now, tz)), reverse)
        .limit(wanted)
        .offset(offset)
    )
    statement = _ordered(query, select(*_SUMMARY_COLUMNS).where(CASES.c.id.in_(page_ids)))
    return [summary_from_row(r) for r in conn.execute(statement)]


def fetch_page(conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo) -> CasePage:
    """The page `query` asks for (the last one if it asks past the end) and
    the view's total."""
    total = count_cases(conn, query, now, tz)
    size = query.page_size
    last_page = max(0, (total - 1) // size)
    page = min(max(query.page, 0), last_page)
    cases = fetch_rows(conn, replace(query, page=page), now, tz, total)
    return CasePage(cases, total, page, size)


def iter_cases(
    conn: Connection, query: CaseQuery, now: datetime, tz: tzinfo
) -> Iterator[CaseSummary]:
    """Every case of the view, all pages, in the view's order, streamed."""
    statement = _ordered(query, select(*_SUMMARY_COLUMNS).where(where_clause(query, now, tz)))
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
    statement = _ordered(query, select(*columns).where(where_clause(query, now, tz)))
    return dialect.plain_rows(conn.execute(statement))
