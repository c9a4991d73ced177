"""What the case log screen shows and asks the store for, apart from the
drawing: the view asked for and the page on screen, which request is the
newest, the totals already counted, and where each paging and sorting key
leads.

Plain Python on purpose (no Textual, no Rich): tests/test_case_log_view.py
drives it without a Pilot. The screen sends the keys here, reads the
`PageRequest` it gets back in a thread worker, and hands the answers back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caselog_tui.core.paging import clamp_page, first_index, last_page, page_holding
from caselog_tui.core.view import DEFAULT_PAGE_SIZE, PAGE_SIZES, CaseQuery, SortColumn

# `s` walks the columns left to right, then the re-opened count (drawn as
# the ↻N mark in the Status column); each starts in the direction a seller
# most often wants (dates newest first, the most re-opened first, the rest
# A to Z).
SORT_CYCLE = (
    SortColumn.CREATED,
    SortColumn.CASE_ID,
    SortColumn.STATUS,
    SortColumn.EMAIL,
    SortColumn.DESCRIPTION,
    SortColumn.LAST_ACTIVITY,
    SortColumn.REOPENED,
)
# Larger than the page count of any case log (a billion cases at 25 a page).
_PAST_ANY_END = 40_000_000
NEWEST_FIRST = frozenset({SortColumn.CREATED, SortColumn.LAST_ACTIVITY})
STARTS_DESCENDING = NEWEST_FIRST | {SortColumn.REOPENED}


def view_of(query: CaseQuery) -> CaseQuery:
    """The part of a query that decides which cases (not their order or
    page): the key a view's total is kept under."""
    return replace(
        query, sort=SortColumn.CREATED, descending=True, page=0, page_size=DEFAULT_PAGE_SIZE
    )


@dataclass(frozen=True)
class PageRequest:
    """One read for the store: the page of `query`, whose answer shows only
    while `number` is the newest request. `total` is the view's count when
    it is known (the store then reads a late page from the end); `count` is
    the view still to be counted, tagged with `store_version` so a count of
    a store that changed since is dropped."""

    number: int
    query: CaseQuery
    total: int | None
    count: CaseQuery | None
    store_version: int


class CaseLogView:
    """The case log's state. Each key's method returns the request to send,
    or None when the key has nowhere to go (the screen rings the bell)."""

    def __init__(self, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        # The view asked for: the page on screen until the answer comes.
        self.query = CaseQuery(
            page_size=page_size if page_size in PAGE_SIZES else DEFAULT_PAGE_SIZE
        )
        # The query of the page on screen; None before the first answer.
        self.shown: CaseQuery | None = None
        # The case the cursor stays on when the newest page arrives.
        self.keep_case_id: int | None = None
        self._newest = 0
        self._store_version = 0
        # Counting is most of a page's cost at a million cases: each view is
        # counted once and its total kept across page flips and sorts.
        self._totals: dict[CaseQuery, int] = {}
        self._counting: CaseQuery | None = None

    # -- asking and answers ---------------------------------------------------

    def total_of(self, query: CaseQuery) -> int | None:
        return self._totals.get(view_of(query))

    def ask(self, query: CaseQuery, keep_case_id: int | None = None) -> PageRequest:
        """Makes `query` the view (on a page inside it, when its total is
        known) and says what to read; the newest request wins."""
        total = self.total_of(query)
        if total is not None:
            query = query.changed(page=clamp_page(query.page, total, query.page_size))
        self.query = query
        self._newest += 1
        self.keep_case_id = keep_case_id
        count = None
        view = view_of(query)
        if total is None and view != self._counting:
            self._counting = count = view
        return PageRequest(self._newest, query, total, count, self._store_version)

    def reload(self, keep_case_id: int | None) -> PageRequest:
        """The store changed: forgets every total and asks for the view again."""
        self._store_version += 1
        self._totals.clear()
        self._counting = None
        return self.ask(self.query, keep_case_id)

    def can_patch(self) -> bool:
        """Whether the rows on screen may be patched in place after a
        change (the page shown is the one asked for, and no count is on
        its way that the change could make wrong)."""
        return self.shown is not None and self.shown == self.query and self._counting is None

    def rows_changed(self) -> None:
        """Cases of the page on screen changed, none left it or moved: its
        view's total stands; any other view's may not."""
        self._store_version += 1
        view = view_of(self.query)
        self._totals = {v: t for v, t in self._totals.items() if v == view}

    def page_arrived(self, number: int, query: CaseQuery) -> bool:
        """True when this answers the newest request: it is now on screen."""
        if number != self._newest:
            return False
        self.query = self.shown = query
        return True

    def total_arrived(self, store_version: int, view: CaseQuery, total: int) -> bool:
        """Keeps a total of the store as it is now, for when the seller comes
        back to its view. True when it is the total of the view asked for."""
        if store_version != self._store_version:
            return False
        self._totals[view] = total
        if view == self._counting:
            self._counting = None
        return view == view_of(self.query)

    def back_inside(self) -> PageRequest | None:
        """The last page, when the page asked for lies past the end of the
        view (the total came after it was asked for); None when it does not."""
        total = self.total_of(self.query)
        if total is None or self.query.page <= last_page(total, self.query.page_size):
            return None
        return self.ask(self.query)

    def failed(self) -> None:
        """The store refused: the count under way will never answer."""
        self._counting = None

    # -- keys ---------------------------------------------------------------------

    def next_page(self) -> PageRequest | None:
        query = self.query
        total = self.total_of(query)
        if total is not None and query.page >= last_page(total, query.page_size):
            return None
        return self.ask(query.changed(page=query.page + 1))

    def previous_page(self) -> PageRequest | None:
        if self.query.page == 0:
            return None
        return self.ask(self.query.changed(page=self.query.page - 1))

    def first_page(self) -> PageRequest | None:
        if self.query.page == 0:
            return None
        return self.ask(self.query.changed(page=0))

    def last_page(self) -> PageRequest | None:
        """The last page; while the view is still being counted, a page past
        any end, which the count then brings back inside (`back_inside`)."""
        query = self.query
        total = self.total_of(query)
        if total is None:
            return self.ask(query.changed(page=_PAST_ANY_END))
        last = last_page(total, query.page_size)
        if query.page >= last:
            return None
        return self.ask(query.changed(page=last))

    def toggle_attention(self) -> PageRequest:
        return self.ask(self.query.changed(attention_only=not self.query.attention_only))

    def sort_by(self, column: SortColumn) -> PageRequest:
        return self.ask(self.query.changed(sort=column, descending=column in STARTS_DESCENDING))

    def sort_next(self) -> PageRequest:
        current = self.query.sort
        index = SORT_CYCLE.index(current) + 1 if current in SORT_CYCLE else 0
        return self.sort_by(SORT_CYCLE[index % len(SORT_CYCLE)])

    def sort_reverse(self) -> PageRequest:
        return self.ask(self.query.changed(descending=not self.query.descending))

    def sort_clicked(self, column: SortColumn) -> PageRequest:
        """A click on a column's header: sort by it, or reverse it if it
        already sorts the view."""
        if column is self.query.sort:
            return self.sort_reverse()
        return self.sort_by(column)

    def per_page(self, size: int, keep_case_id: int | None) -> PageRequest:
        """`size` cases per page, on the page that holds the first case on
        screen now, so the seller keeps their place."""
        query = self.query
        first = first_index(query.page, query.page_size)
        return self.ask(query.changed(page_size=size, page=page_holding(first, size)), keep_case_id)

    def step_page_size(self, step: int, keep_case_id: int | None) -> PageRequest | None:
        """`+` (step 1) and `-` (step -1) through PAGE_SIZES; None past either end."""
        query = self.query
        if query.page_size in PAGE_SIZES:
            index = PAGE_SIZES.index(query.page_size)
        else:
            index = PAGE_SIZES.index(DEFAULT_PAGE_SIZE)
        size = PAGE_SIZES[min(max(index + step, 0), len(PAGE_SIZES) - 1)]
        if size == query.page_size:
            return None
        return self.per_page(size, keep_case_id)
