"""One immutable description of a case log view: which cases, in what order,
which page. Pure data: `store.queries` turns it into SQL.

The TUI's table, the export report and `caselog export` all describe what
they show with a `CaseQuery`; nothing else decides which cases a view holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from caselog_tui.core.errors import ValidationError
from caselog_tui.core.parsing import parse_case_id
from caselog_tui.core.records import CaseSummary
from caselog_tui.core.status import StatusGroup
from caselog_tui.core.validation import SHORT_DESCRIPTION_MAX

PAGE_SIZES: tuple[int, ...] = (25, 50, 100, 250)
DEFAULT_PAGE_SIZE = 50
RECENT_WINDOW = timedelta(days=30)
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


SORT_NAMES: tuple[str, ...] = tuple(column.value for column in SortColumn)


def parse_sort(text: str) -> tuple[SortColumn, bool] | None:
    """`column` or `column:asc|desc` (any case) as (column, descending), or
    None. A bare column sorts ascending."""
    column, _, direction = text.strip().lower().partition(":")
    if column not in SORT_NAMES or direction not in ("", "asc", "desc"):
        return None
    return SortColumn(column), direction == "desc"


_SORT_LABELS = {
    SortColumn.CREATED: "Case Creation",
    SortColumn.CASE_ID: "Case ID",
    SortColumn.STATUS: "Status",
    SortColumn.EMAIL: "Primary E-mail",
    SortColumn.DESCRIPTION: "Short Description",
    SortColumn.LAST_ACTIVITY: "Last Activity",
    SortColumn.REOPENED: "Re-opened",
}


def fold(text: str) -> str:
    """The case-insensitive form used for search and sorting descriptions."""
    return text.casefold()


def sort_value(case: CaseSummary, column: SortColumn) -> Any:
    """What the store orders a case by in `column` (ties break on the
    case ID, in the same direction)."""
    values: dict[SortColumn, Any] = {
        SortColumn.CREATED: case.created_at,
        SortColumn.CASE_ID: case.case_id,
        SortColumn.STATUS: case.status.value,
        SortColumn.EMAIL: case.primary_email,
        SortColumn.DESCRIPTION: fold(case.short_description),
        SortColumn.LAST_ACTIVITY: case.last_activity_at,
        SortColumn.REOPENED: case.reopened_count,
    }
    return values[column]


def in_order(cases: list[CaseSummary], column: SortColumn, descending: bool) -> bool:
    """Whether `cases` stand in the order the store gives them."""
    keys = [(sort_value(case, column), case.case_id) for case in cases]
    return keys == sorted(keys, reverse=descending)


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
        return parse_case_id(self.search_text)

    @property
    def keywords(self) -> list[str]:
        """The different words searched for, case-folded (ValidationError
        past MAX_SEARCH_WORDS)."""
        if self.search_case_id is not None:
            return []
        words = list(dict.fromkeys(fold(word) for word in self.search_text.split()))
        longest = max(words, key=len, default="")
        if len(longest) > SHORT_DESCRIPTION_MAX:
            # It could match no short description, and SQLite refuses a
            # pattern past 50,000 bytes ("LIKE pattern too complex").
            raise ValidationError(
                {
                    "search": f"Search for words of at most {SHORT_DESCRIPTION_MAX} characters, "
                    f"the longest a short description can be; one word here has "
                    f"{len(longest):,}."
                }
            )
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
        ("Needing attention, Filtered: answered, Search: refund")."""
        return self.describe()

    def describe(self, *, short_email: bool = False) -> str:
        """The view's name; `short_email` keeps only the e-mail filter's
        name part ("accounts@…"), for a narrow window."""
        parts = []
        if self.attention_only:
            parts.append("Needing attention")
        if self.has_filters:
            parts.append("Filtered: " + ", ".join(self.filter_words(short_email=short_email)))
        if self.search_text:
            parts.append(f"Search: {self.search_text}")
        if parts:
            return ", ".join(parts)
        if self.include_expired:
            return "All cases"
        return "Open and recently answered"

    def filter_words(self, *, short_email: bool = False) -> list[str]:
        """Each active filter in words: "answered", "accounts@northwind.com",
        "2026-01-01→2026-06-30" (or "from …" / "until …" alone)."""
        words = [group.label.lower() for group in StatusGroup if group in self.statuses]
        email = self.email_filter
        if email:
            name, at, _ = email.partition("@")
            words.append(f"{name}@…" if short_email and at else email)
        start, end = self.created_from, self.created_to
        if start is not None and end is not None:
            words.append(f"{start.isoformat()}→{end.isoformat()}")
        elif start is not None:
            words.append(f"from {start.isoformat()}")
        elif end is not None:
            words.append(f"until {end.isoformat()}")
        return words

    def changed(self, **changes: Any) -> CaseQuery:
        """A copy with `changes`; any change but the page goes back to page one."""
        if "page" not in changes:
            changes["page"] = 0
        return replace(self, **changes)

    def cleared(self) -> CaseQuery:
        """The default view, keeping sort and page size."""
        return CaseQuery(sort=self.sort, descending=self.descending, page_size=self.page_size)
