"""The status line under the table: which view, which cases of it, which
page, the sort and how many per page ("Open and recently answered · 51–100
of 1,234 cases · page 2 of 25 · Case Creation, newest first · 50 per page").

The position and total, the sort in words and the active filters are always
shown: in a narrow window the other parts go first, then the words shorten
("51–100 of 1,234", "accounts@…"), and if that still does not fit the view's
name takes a second line rather than push the rest off the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.widgets import Static

from caselog_tui.core.paging import first_index, page_count
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.tui.safe import safe_line

_SEPARATOR = " · "
_ELLIPSIS = "…"

# How each sort direction reads, per column: (descending, ascending).
_DIRECTIONS = {
    SortColumn.CREATED: ("newest first", "oldest first"),
    SortColumn.LAST_ACTIVITY: ("newest first", "oldest first"),
    SortColumn.CASE_ID: ("highest first", "lowest first"),
    SortColumn.REOPENED: ("most first", "fewest first"),
}


# The column names of a narrow table, for a narrow status line.
_SHORT_NAMES = {
    SortColumn.CREATED: "Created",
    SortColumn.EMAIL: "E-mail",
    SortColumn.DESCRIPTION: "Description",
    SortColumn.LAST_ACTIVITY: "Activity",
}


def sort_text(query: CaseQuery, *, hidden: bool = False, short: bool = False) -> str:
    """ "Case Creation, newest first"; `hidden`: the table does not draw that
    column (so no header shows the arrow), which the words say: "Case
    Creation, newest first (hidden)". `short`: "Created, newest first"."""
    descending, ascending = _DIRECTIONS.get(query.sort, ("Z to A", "A to Z"))
    name = _SHORT_NAMES.get(query.sort, query.sort.label) if short else query.sort.label
    text = f"{name}, {descending if query.descending else ascending}"
    if hidden:
        text += " (hidden)"
    return text


def span_text(query: CaseQuery, cases: int, total: int | None) -> str:
    """ "51–100 of 1,234", or "51–100 of …" while counting."""
    first = first_index(query.page, query.page_size) + 1
    span = f"{first:,}–{first + cases - 1:,}" if cases else "0"
    return f"{span} of {'…' if total is None else f'{total:,}'}"


def position_text(query: CaseQuery, cases: int, total: int | None) -> str:
    """ "51–100 of 1,234 cases · page 2 of 25", or "… of …" while counting."""
    span = span_text(query, cases, total)
    if total is None:
        return f"{span} cases · page {query.page + 1:,}"
    pages = page_count(total, query.page_size)
    noun = "case" if total == 1 else "cases"
    return f"{span} {noun} · page {query.page + 1:,} of {pages:,}"


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in "…" when cut, after a
    whole word when there is one."""
    if len(text) <= width:
        return text
    head = text[: max(width - 1, 0)]
    if " " in head and text[len(head)] != " ":
        head = head[: head.rindex(" ") + 1]
    return head + _ELLIPSIS


def status_lines(
    query: CaseQuery,
    cases: int,
    total: int | None,
    width: int,
    *,
    sort_hidden: bool = False,
    news: str = "",
    keep_news: bool = False,
) -> list[tuple[str, str]]:
    """The status line in `width` cells: one or two (view name, the rest)
    lines; the view name is empty on the first of two. `news` (live
    refresh's "Updated · 10:42") goes last, and is the first thing left
    out when even the shortest line has no room for it, unless
    `keep_news` (the store cannot be reached: that must be read), when
    the sort and the page go first."""
    views = [query.view_name, query.describe(short_email=True)]
    position = position_text(query, cases, total)
    span = span_text(query, cases, total)
    sort = sort_text(query, hidden=sort_hidden)
    short_sort = sort_text(query, hidden=sort_hidden, short=True)
    per_page = f"{query.page_size} per page"
    noun = "case" if total == 1 else "cases"
    rests = [
        [position, sort, per_page],
        [f"{span} {noun}", sort, per_page],
        [position, sort],
        [span, sort],
        [span, short_sort],
    ]
    if news and keep_news:
        rests = [[*rest, news] for rest in rests] + [[span, news], [news]]
    elif news:
        rests = [[*rest, news] for rest in rests] + rests
    # The e-mail shortens before the sort's words do.
    candidates = [(view, rest) for view in views for rest in rests[:-1]]
    candidates += [(view, rests[-1]) for view in views]
    for view, rest in candidates:
        line = (view, _SEPARATOR.join(rest))
        if len(line[0]) + len(_SEPARATOR) + len(line[1]) <= width:
            return [line]
    first = next(
        (_SEPARATOR.join(rest) for rest in rests if len(_SEPARATOR.join(rest)) <= width),
        _SEPARATOR.join(rests[-1]),
    )
    view = next((v for v in views if len(v) <= width), cut(views[-1], width))
    return [("", cut(first, width)), (view, "")]


@dataclass(frozen=True)
class _Shown:
    query: CaseQuery
    cases: int
    total: int | None
    sort_hidden: bool
    news: str
    keep_news: bool = False


class StatusLine(Static):
    """Where the seller is in the view."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: _Shown | None = None

    def show(
        self,
        query: CaseQuery,
        cases: int,
        total: int | None,
        *,
        sort_hidden: bool = False,
        news: str = "",
        keep_news: bool = False,
    ) -> None:
        self._shown = _Shown(query, cases, total, sort_hidden, news, keep_news)
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:
            self._draw()

    def _draw(self) -> None:
        shown = self._shown
        assert shown is not None
        # The line spans the window; its own width is unknown before the
        # first layout.
        width = self.app.size.width - self.styles.gutter.width
        lines = status_lines(
            shown.query,
            shown.cases,
            shown.total,
            width,
            sort_hidden=shown.sort_hidden,
            news=shown.news,
            keep_news=shown.keep_news,
        )
        drawn = []
        for view, rest in lines:
            # The view's name may quote the seller's search term: never markup.
            parts = [safe_line(view).stylize("bold")] if view else []
            if view and rest:
                parts.append(Content(_SEPARATOR))
            if rest:
                parts.append(Content(rest))
            drawn.append(Content.assemble(*parts))
        self.update(Content("\n").join(drawn))

    def show_waiting(self, query: CaseQuery) -> None:
        """The store is slow to answer: say the page is on its way."""
        self._shown = None
        self.update(
            Content.assemble(safe_line(query.view_name).stylize("bold"), _SEPARATOR, "loading…")
        )
