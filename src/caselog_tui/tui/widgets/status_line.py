"""The status line under the table: which view, which cases of it, which
page, the sort and how many per page ("Open and recently answered · 51–100
of 1,234 cases · page 2 of 25 · Case Creation, newest first · 50 per page")."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from caselog_tui.core.paging import first_index, page_count
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.tui.safe import safe_line

_SEPARATOR = " · "

# How each sort direction reads, per column: (descending, ascending).
_DIRECTIONS = {
    SortColumn.CREATED: ("newest first", "oldest first"),
    SortColumn.LAST_ACTIVITY: ("newest first", "oldest first"),
    SortColumn.CASE_ID: ("highest first", "lowest first"),
    SortColumn.REOPENED: ("most first", "fewest first"),
}


def sort_text(query: CaseQuery) -> str:
    """ "Case Creation, newest first" """
    descending, ascending = _DIRECTIONS.get(query.sort, ("Z to A", "A to Z"))
    return f"{query.sort.label}, {descending if query.descending else ascending}"


def position_text(query: CaseQuery, cases: int, total: int | None) -> str:
    """ "51–100 of 1,234 cases · page 2 of 25", or "… of …" while counting."""
    first = first_index(query.page, query.page_size) + 1
    span = f"{first:,}–{first + cases - 1:,}" if cases else "0"
    if total is None:
        return f"{span} of … cases · page {query.page + 1:,}"
    pages = page_count(total, query.page_size)
    noun = "case" if total == 1 else "cases"
    return f"{span} of {total:,} {noun} · page {query.page + 1:,} of {pages:,}"


class StatusLine(Static):
    """Where the seller is in the view."""

    def show(self, query: CaseQuery, cases: int, total: int | None) -> None:
        parts = [
            position_text(query, cases, total),
            sort_text(query),
            f"{query.page_size} per page",
        ]
        # The view's name may quote the seller's search term: never markup.
        self.update(
            Content.assemble(
                safe_line(query.view_name).stylize("bold"), _SEPARATOR, _SEPARATOR.join(parts)
            )
        )

    def show_waiting(self, query: CaseQuery) -> None:
        """The store is slow to answer: say the page is on its way."""
        self.update(
            Content.assemble(safe_line(query.view_name).stylize("bold"), _SEPARATOR, "loading…")
        )
