"""The case log table: one page of cases, never the whole log.

Columns narrow and drop as the table gets narrower (times first, then Last
Activity, the status words, the e-mail, then the creation date), so the case
ID, the status in words and the short description always stay readable: a
60-character description is whole down to about 95 cells (120 columns with
the sidebar shown), and it keeps at least 35 cells at 80 columns. What is
cut ends in "…"; enter opens the case with the whole text.

Bindings: `j` / `k` next / previous case (besides the arrow keys).
Messages: `CaseTable.SortClicked` when a column header is clicked,
`CaseTable.ColumnsChanged` when the window's width changed which are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from caselog_tui.core.records import CaseSummary
from caselog_tui.core.status import Status
from caselog_tui.core.view import SortColumn
from caselog_tui.tui.safe import safe_cell

# The widest status with its re-opened marker: "Pending Amazon Action ↻2",
# and in its short words: "Pending Amazon ↻2".
STATUS_WIDTH = 24
SHORT_STATUS_WIDTH = 17
CASE_ID_WIDTH = 11
SMALLEST_DESCRIPTION_WIDTH = 16
# Demo subjects average 53 characters; sellers tell cases apart by them.
READABLE_DESCRIPTION_WIDTH = 60
NARROW_DESCRIPTION_WIDTH = 35
CELL_PADDING = 2
REOPENED_MARK = "↻"
# Before a short description: someone else has the case open (core.presence).
HERE_MARK = "◆"


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One column as drawn: which field, its header and its width in cells.
    `with_time` says whether dates show the time of day too."""

    sort: SortColumn
    label: str
    width: int
    with_time: bool = False
    short_words: bool = False


_WIDE = "wide"
_NARROW = "narrow"
# (Case Creation, Status, Primary E-mail, Last Activity) forms, roomiest
# first (None drops the column), and the least room each leaves the short
# description: it carries the most meaning, so it gives way last.
_LAYOUTS: tuple[tuple[str | None, str, str | None, str | None, int], ...] = (
    (_WIDE, _WIDE, _WIDE, _WIDE, READABLE_DESCRIPTION_WIDTH),
    (_WIDE, _WIDE, _WIDE, _NARROW, READABLE_DESCRIPTION_WIDTH),
    (_NARROW, _WIDE, _WIDE, _NARROW, READABLE_DESCRIPTION_WIDTH),
    (_NARROW, _NARROW, _WIDE, _NARROW, READABLE_DESCRIPTION_WIDTH),
    (_NARROW, _NARROW, _WIDE, None, READABLE_DESCRIPTION_WIDTH),
    (_NARROW, _NARROW, _NARROW, None, READABLE_DESCRIPTION_WIDTH),
    (_NARROW, _NARROW, None, None, READABLE_DESCRIPTION_WIDTH),
    (None, _NARROW, None, None, SMALLEST_DESCRIPTION_WIDTH),
)
_DATE_COLUMNS = {
    SortColumn.CREATED: {_WIDE: ("Case Creation", 16), _NARROW: ("Created", 10)},
    SortColumn.LAST_ACTIVITY: {_WIDE: ("Last Activity", 16), _NARROW: ("Activity", 10)},
}
_EMAIL_FORMS = {_WIDE: ("Primary E-mail", 22), _NARROW: ("E-mail", 16)}
_STATUS_WIDTHS = {_WIDE: STATUS_WIDTH, _NARROW: SHORT_STATUS_WIDTH}


def column_layout(room: int) -> list[TableColumn]:
    """The columns that fit in `room` cells, the short description taking
    whatever the others leave."""
    for created, status, email, activity, smallest in _LAYOUTS:
        columns: list[TableColumn] = []
        if created:
            label, width = _DATE_COLUMNS[SortColumn.CREATED][created]
            columns.append(TableColumn(SortColumn.CREATED, label, width, created == _WIDE))
        columns.append(TableColumn(SortColumn.CASE_ID, "Case ID", CASE_ID_WIDTH))
        columns.append(
            TableColumn(
                SortColumn.STATUS, "Status", _STATUS_WIDTHS[status], short_words=status == _NARROW
            )
        )
        if email:
            label, width = _EMAIL_FORMS[email]
            columns.append(TableColumn(SortColumn.EMAIL, label, width))
        after: list[TableColumn] = []
        if activity:
            label, width = _DATE_COLUMNS[SortColumn.LAST_ACTIVITY][activity]
            after.append(TableColumn(SortColumn.LAST_ACTIVITY, label, width, activity == _WIDE))
        fixed = [*columns, *after]
        left = room - sum(c.width for c in fixed) - CELL_PADDING * (len(fixed) + 1)
        if left >= smallest or smallest == SMALLEST_DESCRIPTION_WIDTH:
            label = "Short Description" if left >= 19 else "Description"
            description = TableColumn(SortColumn.DESCRIPTION, label, max(left, smallest))
            return [*columns, description, *after]
    raise AssertionError("the last layout always fits")


def smallest_table_width() -> int:
    """The narrowest table whose columns still fit."""
    return SHORT_STATUS_WIDTH + CASE_ID_WIDTH + SMALLEST_DESCRIPTION_WIDTH + 3 * CELL_PADDING


def status_text(case: CaseSummary, *, short: bool = False) -> str:
    """The status in words, with the re-opened marker ("Open ↻2"); `short`:
    in its short words ("Pending Amazon ↻2"), which the help's legend lists."""
    words = case.status.short_label if short else case.status.label
    if case.reopened_count:
        return f"{words} {REOPENED_MARK}{case.reopened_count}"
    return words


class CaseTable(DataTable[Text]):
    """The cases of the page on screen, with a row cursor."""

    BINDINGS = [
        Binding("j", "cursor_down", "Next case", show=False, id="case_log.next_case"),
        Binding("k", "cursor_up", "Previous case", show=False, id="case_log.previous_case"),
    ]

    class SortClicked(Message):
        """A column header was clicked: sort by it (again: reverse it)."""

        def __init__(self, column: SortColumn) -> None:
            super().__init__()
            self.column = column

    class ColumnsChanged(Message):
        """Other columns are drawn now (the sort column may be hidden)."""

    def __init__(self, tz: tzinfo, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", id=id)
        self._tz = tz
        self._cases: list[CaseSummary] = []
        self._sort = SortColumn.CREATED
        self._descending = True
        self._layout: list[TableColumn] = []
        # The cases someone else has open, marked with HERE_MARK.
        self._here: frozenset[int] = frozenset()

    @property
    def cases(self) -> list[CaseSummary]:
        return list(self._cases)

    @property
    def layout_columns(self) -> list[TableColumn]:
        return list(self._layout)

    @property
    def highlighted_case_id(self) -> int | None:
        if not self._cases or not 0 <= self.cursor_row < len(self._cases):
            return None
        return self._cases[self.cursor_row].case_id

    def show_cases(
        self,
        cases: list[CaseSummary],
        sort: SortColumn,
        descending: bool,
        keep_case_id: int | None = None,
    ) -> None:
        """Shows `cases`; the cursor stays on `keep_case_id` if it is among
        them, else goes to the first row."""
        self._cases = list(cases)
        self._sort = sort
        self._descending = descending
        self._redraw(keep_case_id)

    def refresh_cases(
        self,
        cases: list[CaseSummary],
        sort: SortColumn,
        descending: bool,
        keep_case_id: int | None = None,
    ) -> None:
        """Shows `cases` after a colleague's change (live refresh), without
        disturbing the seller: when the page holds the same cases in the
        same order, only the cells that changed are redrawn; otherwise the
        rows are rebuilt with the scroll position kept, moving it only if
        the cursor's case would be off screen."""
        if (sort, descending) != (self._sort, self._descending):
            self.show_cases(cases, sort, descending, keep_case_id)  # a key was pressed meanwhile
            return
        if [case.case_id for case in cases] != [case.case_id for case in self._cases]:
            self._cases = list(cases)
            self._redraw(keep_case_id, keep_scroll=True)
            return
        for old, new in zip(self._cases, cases, strict=True):
            if old != new:
                for column in self._layout:
                    cell = self._cell(new, column)
                    self.update_cell(str(new.case_id), column.sort.value, cell)
        self._cases = list(cases)

    @property
    def draws(self) -> frozenset[SortColumn]:
        """The sorts whose column is drawn now; the re-opened count is drawn
        as the ↻N mark of the Status column."""
        drawn = frozenset(column.sort for column in self._layout)
        if SortColumn.STATUS in drawn:
            drawn |= {SortColumn.REOPENED}
        return drawn

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On the case log home and end are the first and last page (the
        # screen's keys), not the table's first and last column.
        return action not in ("scroll_home", "scroll_end")

    def on_resize(self, event: events.Resize) -> None:
        if column_layout(self._room()) != self._layout:
            self._redraw(self.highlighted_case_id)
            self.post_message(self.ColumnsChanged())

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.post_message(self.SortClicked(SortColumn(str(event.column_key.value))))

    def show_presence(self, case_ids: frozenset[int]) -> None:
        """Marks the rows of the cases someone else has open, in place: the
        cursor, the scroll and the other cells stay as they are."""
        changed = case_ids ^ self._here
        self._here = case_ids
        description = next((c for c in self._layout if c.sort is SortColumn.DESCRIPTION), None)
        if description is None:
            return
        for case in self._cases:
            if case.case_id in changed:
                self.update_cell(
                    str(case.case_id), description.sort.value, self._cell(case, description)
                )

    def _room(self) -> int:
        # The scrollbar's room is always kept so the columns do not jump when
        # a page is longer or shorter than the window.
        return self.size.width - self.styles.scrollbar_size_vertical

    def _redraw(self, keep_case_id: int | None, *, keep_scroll: bool = False) -> None:
        scrolled, cursor_was = self.scroll_y, self.cursor_row
        self._layout = column_layout(self._room())
        self.clear(columns=True)
        for column in self._layout:
            self.add_column(self._header(column), width=column.width, key=column.sort.value)
        for case in self._cases:
            self.add_row(*(self._cell(case, c) for c in self._layout), key=str(case.case_id))
        row = next(
            (i for i, case in enumerate(self._cases) if case.case_id == keep_case_id),
            0,
        )
        if not self._cases:
            return
        if keep_scroll:
            # The highlighted case stays on the same line of the screen: a
            # case that arrived above it shifts the rows above, not the
            # seller's place. (The table's height is still that of the rows
            # before, measured when idle: for a page as long as before, the
            # usual case, the scroll lands exactly.)
            kept = any(case.case_id == keep_case_id for case in self._cases)
            # A case that left the page leaves the cursor on the first row, in view.
            self.move_cursor(row=row, animate=False, scroll=not kept)
            if kept:
                place = max(scrolled + row - cursor_was, 0)
                self.scroll_to(y=place, animate=False, immediate=True)
                # Moving the cursor scrolls it "into view" once the rows are
                # measured, which at the window's edge shifts it by a line.
                self.call_after_refresh(self.scroll_to, y=place, animate=False, immediate=True)
        else:
            self.move_cursor(row=row, animate=False, scroll=True)

    def _header(self, column: TableColumn) -> Text:
        arrow = "▼" if self._descending else "▲"
        if column.sort is self._sort:
            return Text(f"{column.label} {arrow}", style="bold", no_wrap=True)
        if column.sort is SortColumn.STATUS and self._sort is SortColumn.REOPENED:
            # Sorted by the ↻N marks this column carries.
            return Text(f"{column.label} {REOPENED_MARK}{arrow}", style="bold", no_wrap=True)
        return Text(column.label, no_wrap=True)

    def _cell(self, case: CaseSummary, column: TableColumn) -> Text:
        match column.sort:
            case SortColumn.CREATED:
                return Text(self._when(case.created_at, column.with_time), no_wrap=True)
            case SortColumn.CASE_ID:
                return Text(str(case.case_id), no_wrap=True)
            case SortColumn.STATUS:
                style = "bold" if case.status is Status.NEEDS_ATTENTION else ""
                words = status_text(case, short=column.short_words)
                return Text(words, style=style, no_wrap=True, overflow="ellipsis")
            case SortColumn.EMAIL:
                return safe_cell(case.primary_email)
            case SortColumn.DESCRIPTION:
                if case.case_id in self._here:
                    return Text(f"{HERE_MARK} ", no_wrap=True) + safe_cell(case.short_description)
                return safe_cell(case.short_description)
            case SortColumn.LAST_ACTIVITY:
                return Text(self._when(case.last_activity_at, column.with_time), no_wrap=True)
        raise AssertionError(column.sort)

    def _when(self, moment: datetime, with_time: bool) -> str:
        local = moment.astimezone(self._tz)
        return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
