"""The case log: the seller's cases, one page at a time, with sort, filters,
search and the Cases Needing Attention view.

The screen draws; `CaseLogView` (tui/case_log_view.py) holds the state:
which view, which request is the newest (so a held `]` or a fast typist
never sees a stale page) and the totals already counted. Every read runs
in a thread worker and answers with a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TypeVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.machine import Action
from caselog_tui.core.presence import Here
from caselog_tui.core.records import CaseSummary
from caselog_tui.core.view import DEFAULT_PAGE_SIZE, PAGE_SIZES, CaseQuery, SortColumn, in_order
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.case_log_view import CaseLogView, PageRequest
from caselog_tui.tui.live_refresh import changed_on_page, news_text, offline_text
from caselog_tui.tui.messages import CasesChanged, PresenceChanged, StoreReach
from caselog_tui.tui.safe import safe_line, tell
from caselog_tui.tui.screens.case_log_keys import CASE_LOG_KEYS
from caselog_tui.tui.widgets.case_table import CaseTable, smallest_table_width
from caselog_tui.tui.widgets.filter_sidebar import FilterSidebar
from caselog_tui.tui.widgets.key_footer import KeyFooter
from caselog_tui.tui.widgets.search_bar import SearchBar
from caselog_tui.tui.widgets.status_line import StatusLine

# Below this width the sidebar starts hidden and, when shown, lies over the
# table instead of taking its room.
SIDEBAR_SIDE_BY_SIDE_WIDTH = 100
MIN_WIDTH = smallest_table_width() + 2
MIN_HEIGHT = 10
# A page that takes longer than this says so in the status line.
SLOW_ANSWER_SECONDS = 0.25

Answer = TypeVar("Answer")

# How a sort starts, for the palette's "Sort by …" (the rest: ascending).
_SORT_HELP = {
    SortColumn.CREATED: "Newest first",
    SortColumn.LAST_ACTIVITY: "Newest first",
    SortColumn.REOPENED: "Most re-opened first (the ↻N mark); S reverses",
}


def attention_text(count: int) -> str:
    if count == 0:
        return "No case needs your attention"
    if count == 1:
        return "1 case needs your attention"
    return f"{count:,} cases need your attention"


def page_size_limit_text(step: int) -> str:
    """Why `+` (step 1) or `-` (step -1) changed nothing: the size is at its end."""
    if step > 0:
        return f"{PAGE_SIZES[-1]} cases per page is the most; - shows fewer."
    return f"{PAGE_SIZES[0]} cases per page is the fewest; + shows more."


def page_end_text(forward: bool) -> str:
    """Why a paging key (`]`, `[`, home/end, g/G) changed nothing."""
    if forward:
        return "This is the last page of the view; [ goes back, g to the first."
    return "This is the first page of the view; ] goes on, G to the last."


class CaseLogScreen(Screen[None]):
    """The main screen: the case log as the seller sees it."""

    AUTO_FOCUS = "CaseTable"

    BINDINGS = CASE_LOG_KEYS

    # The store's answers, posted from the thread workers.
    @dataclass
    class PageLoaded(Message):
        request: int
        query: CaseQuery
        cases: list[CaseSummary]

    @dataclass
    class ViewCounted(Message):
        store_version: int
        view: CaseQuery
        total: int

    @dataclass
    class AttentionCounted(Message):
        count: int

    @dataclass
    class AddressesLoaded(Message):
        addresses: list[str]

    @dataclass
    class StoreFailed(Message):
        sentence: str

    def __init__(self, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        super().__init__()
        self.view = CaseLogView(page_size)
        self._addresses: list[str] | None = None
        self._sidebar_choice: bool | None = None
        self._narrow: bool | None = None
        self._slow_answer: Timer | None = None
        # The store's last refusal, said once per reload (the page, both
        # counts and the addresses usually fail together).
        self._failure: str | None = None
        # Why a key did nothing, just said, so a held key says it once.
        self._told_why_not: str | None = None
        # Live refresh: the request whose page patches the table in place,
        # when a colleague's change was seen and not yet told, and what the
        # status line says arrived last ("2 cases changed on this page · 10:42").
        self._live_request: int | None = None
        self._news_at: datetime | None = None
        self._news = ""
        # While live refresh cannot reach the store: what the status line
        # says instead of the news ("not connected — showing what…").
        self._offline = ""

    # -- building -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="case-log-body"):
            yield FilterSidebar(id="case-log-filters")
            with Vertical(id="case-log-main"):
                yield SearchBar(id="case-log-search")
                yield CaseTable(self._log.tz, id="case-log-table")
                yield Static(id="case-log-empty")
        yield StatusLine(id="case-log-status")
        yield KeyFooter(compact=True)
        yield Static(id="case-log-too-small")

    @property
    def case_query(self) -> CaseQuery:
        """The view asked for. (Not `query`: Screen.query() is Textual's DOM
        query, which it calls itself.)"""
        return self.view.query

    def on_screen_resume(self) -> None:
        self._app.seller_is_at(None)  # colleagues see no case open
        self._show_presence(self._app.others_here)

    def on_mount(self) -> None:
        self.query_one(SearchBar).display = False
        self._fit(self.app.size.width, self.app.size.height)
        self._reload()

    @property
    def _app(self) -> CaseLogApp:
        app = self.app
        assert isinstance(app, CaseLogApp)
        return app

    @property
    def _log(self) -> CaseLog:
        return self._app.case_log

    @property
    def _table(self) -> CaseTable:
        return self.query_one(CaseTable)

    @property
    def _sidebar(self) -> FilterSidebar:
        return self.query_one(FilterSidebar)

    # -- asking the store -------------------------------------------------

    def _send(self, request: PageRequest | None, *, live: bool = False) -> None:
        """Reads the page `request` asks for, and counts its view when that
        is still unknown. None: the key had nowhere to go, the bell says so.
        `live`: a live refresh, which never says "loading…"."""
        if request is None:
            self.app.bell()
            return
        log, query = self._log, request.query
        page = partial(self.PageLoaded, request.number, query)
        self._read("page", partial(log.rows, query, total=request.total), page)
        self._stop_waiting()
        self._live_request = request.number if live else None
        if not live:
            self._slow_answer = self.set_timer(SLOW_ANSWER_SECONDS, self._show_waiting)
        if request.count is not None:
            view = request.count
            # Kept even when a newer count replaced this one: a right total
            # is worth having for when the seller comes back to this view.
            answer = partial(self.ViewCounted, request.store_version, view)
            self._read("count", partial(log.count, view), answer, even_if_replaced=True)

    def _reload(self, *, live: bool = False) -> None:
        """Forgets what it knew about the store and asks again, keeping the
        cursor on the same case if it is still in the view."""
        self._failure = None
        self._send(self.view.reload(self._table.highlighted_case_id), live=live)
        self._read("attention", self._log.attention_count, self.AttentionCounted)
        self._read("addresses", self._log.primary_emails, self.AddressesLoaded)

    def _read(
        self,
        what: str,
        read: Callable[[], Answer],
        answer: Callable[[Answer], Message],
        *,
        even_if_replaced: bool = False,
    ) -> None:
        """Runs `read` in a thread worker and posts `answer(result)`, or
        StoreFailed with the store's sentence. A newer read of the same
        `what` replaces this one, whose answer is then dropped unless
        `even_if_replaced`."""

        def in_thread() -> None:
            try:
                result = read()
            except CaseLogError as error:
                self.post_message(self.StoreFailed(error.message))
                return
            if even_if_replaced or not get_current_worker().is_cancelled:
                self.post_message(answer(result))

        group = f"case_log.{what}"
        self.run_worker(in_thread, name=group, group=group, exclusive=True, thread=True)

    # -- answers from the store -------------------------------------------

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        # A live refresh of the page on screen; not one that crossed a key
        # which moved to another page or sort (that page is new, not changed).
        same_page = self.view.shown == message.query
        if not self.view.page_arrived(message.request, message.query):
            return
        self._stop_waiting()
        query = message.query
        live = message.request == self._live_request and same_page
        before = self._table.cases
        show = self._table.refresh_cases if live else self._table.show_cases
        show(message.cases, query.sort, query.descending, self.view.keep_case_id)
        if self._news_at is not None:
            changed = changed_on_page(before, message.cases) if live else None
            self._news = news_text(changed, self._news_at, self._log.tz)
            self._news_at = None
        self._show_position()

    @on(ViewCounted)
    def _view_counted(self, message: ViewCounted) -> None:
        if not self.view.total_arrived(message.store_version, message.view, message.total):
            return
        back = self.view.back_inside()
        if back is not None:
            self._send(back)
        else:
            self._show_position()

    @on(AttentionCounted)
    def _attention_counted(self, message: AttentionCounted) -> None:
        self.sub_title = attention_text(message.count)

    @on(AddressesLoaded)
    def _addresses_loaded(self, message: AddressesLoaded) -> None:
        self._addresses = message.addresses
        self._sidebar.set_addresses(message.addresses)
        self._show_position()

    @on(StoreFailed)
    def _store_failed(self, message: StoreFailed) -> None:
        self.view.failed()
        self._stop_waiting()
        self._show_position()
        if self.view.shown is None:
            # No page yet: say why where the cases would be, not only in a
            # notification that fades.
            self.query_one("#case-log-main").add_class("-empty")
            self.query_one("#case-log-empty", Static).update(safe_line(message.sentence))
        if message.sentence != self._failure:
            self._failure = message.sentence
            tell(self.app, message.sentence, severity="error", title="Case log")

    @on(StoreReach)
    def _store_reach(self, message: StoreReach) -> None:
        self._offline = "" if message.connected else offline_text(message.loaded_at, self._log.tz)
        self._show_position()

    @on(CaseTable.ColumnsChanged)
    def _columns_changed(self) -> None:
        self._show_position()

    @on(PresenceChanged)
    def _presence_changed(self, message: PresenceChanged) -> None:
        self._show_presence(message.others)

    def _show_presence(self, others: Sequence[Here]) -> None:
        open_elsewhere = frozenset(h.case_id for h in others if h.case_id is not None)
        self._table.show_presence(open_elsewhere)

    @on(CasesChanged)
    def _cases_changed(self, message: CasesChanged) -> None:
        if message.news_at is not None:
            self._news_at = message.news_at
        changed = message.case_ids
        on_page = {case.case_id for case in self._table.cases}
        if message.live and changed is not None and changed <= on_page and self.view.can_patch():
            # Only rows of this page changed: read those rows alone.
            query = self.case_query
            answer = partial(self.RowsChanged, query, changed)
            self._read("rows", partial(self._log.rows_in_view, query, changed), answer)
            return
        self._reload(live=message.live)

    @dataclass
    class RowsChanged(Message):
        query: CaseQuery
        case_ids: frozenset[int]
        found: dict[int, CaseSummary]

    @on(RowsChanged)
    def _rows_changed(self, message: RowsChanged) -> None:
        """Patches the changed rows in place, or reads the page again when
        one of them left the view or moved in its order (or a key moved the
        seller elsewhere meanwhile)."""
        query = message.query
        before = self._table.cases
        after = [message.found.get(case.case_id, case) for case in before]
        still_here = message.case_ids <= message.found.keys()
        if not (
            still_here
            and self.view.can_patch()
            and self.case_query == query
            and in_order(after, query.sort, query.descending)
        ):
            self._reload(live=True)
            return
        self.view.rows_changed()
        self._table.refresh_cases(
            after, query.sort, query.descending, self._table.highlighted_case_id
        )
        if self._news_at is not None:
            self._news = news_text(changed_on_page(before, after), self._news_at, self._log.tz)
            self._news_at = None
        self._read("attention", self._log.attention_count, self.AttentionCounted)
        self._show_position()

    def _show_waiting(self) -> None:
        self.query_one(StatusLine).show_waiting(self.case_query)

    def _stop_waiting(self) -> None:
        if self._slow_answer is not None:
            self._slow_answer.stop()
            self._slow_answer = None

    def _show_position(self) -> None:
        query = self.view.shown
        if query is None:
            return  # the first page has not come yet
        cases = len(self._table.cases)
        total = self.view.total_of(query)
        hidden = query.sort not in self._table.draws
        news = self._offline or self._news
        self.query_one(StatusLine).show(
            query, cases, total, sort_hidden=hidden, news=news, keep_news=bool(self._offline)
        )
        empty = cases == 0 and (query.page == 0 or total == 0)
        self.query_one("#case-log-main").set_class(empty, "-empty")
        if empty:
            self.query_one("#case-log-empty", Static).update(safe_line(self._empty_text(query)))

    def _empty_text(self, query: CaseQuery) -> str:
        if self._addresses == [] and query.recent_only:
            return "No cases yet — press n to submit one, or run caselog demo."
        if query.recent_only:
            return "No open or recently answered cases — f filters or / searches reach older ones."
        if query.attention_only and not (query.has_filters or query.search_text):
            return "No case needs your attention — a goes back to all cases."
        return "No case matches — F clears the filters."

    # -- fitting the window -------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(too_small, "-too-small")
        if too_small:
            self.query_one("#case-log-too-small", Static).update(
                f"This window ({width}×{height}) is too small for the case log. "
                f"Make it at least {MIN_WIDTH}×{MIN_HEIGHT}."
            )
            # Keys must not act on cases nobody can see (check_action too).
            self.set_focus(None)
        elif self.focused is None:
            # Hiding everything took the focus away; give it back once shown.
            self.call_after_refresh(self._focus_table)
        narrow = width < SIDEBAR_SIDE_BY_SIDE_WIDTH
        if self._narrow is not None and narrow != self._narrow:
            # A window that just became narrow (or wide) starts afresh:
            # the sidebar collapses, or comes back beside the table.
            self._sidebar_choice = None
        self._narrow = narrow
        sidebar = self._sidebar
        sidebar.set_class(narrow, "-overlay")
        shown = self._sidebar_choice if self._sidebar_choice is not None else not narrow
        sidebar.display = shown
        if not shown and sidebar.has_focus_within:
            self._focus_table()

    def _focus_table(self) -> None:
        # At once: keys typed right after enter or escape belong to the table.
        self.set_focus(self._table)

    def _show_sidebar(self, shown: bool) -> None:
        self._sidebar_choice = shown
        self._fit(self.app.size.width, self.app.size.height)

    # -- actions --------------------------------------------------------------
    # The case details, the forms and the export dialog are imported when
    # first used: together they would add about 25 ms to start-up.

    def _highlighted(self) -> int | None:
        case_id = self._table.highlighted_case_id
        if case_id is None:
            tell(self.app, "No case is highlighted.", severity="warning")
        return case_id

    def action_open_case(self) -> None:
        from caselog_tui.tui.screens.case_detail import CaseDetailScreen

        case_id = self._highlighted()
        if case_id is not None:
            self.app.push_screen(CaseDetailScreen(case_id))

    @on(CaseTable.RowSelected)
    def _row_chosen(self, event: CaseTable.RowSelected) -> None:
        event.stop()
        self.action_open_case()

    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    @on(SearchBar.Applied)
    def _search_applied(self, message: SearchBar.Applied) -> None:
        term = message.term.strip()
        if term != self.case_query.search_text:
            self._send(self.view.ask(self.case_query.changed(search=term)))
        self.query_one(SearchBar).show_term(term)
        self._focus_table()

    @on(SearchBar.Cleared)
    def _search_cleared(self) -> None:
        if self.case_query.search_text:
            self._send(self.view.ask(self.case_query.changed(search="")))
        self.query_one(SearchBar).show_term("")
        self._focus_table()

    def action_filters(self) -> None:
        self._show_sidebar(True)
        self._sidebar.focus_first()

    def action_toggle_sidebar(self) -> None:
        self._show_sidebar(not self._sidebar.display)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.has_class("-too-small"):
            return False  # the window shows only that it is too small
        if action == "leave_filters":
            return self._sidebar.has_focus_within
        return True

    def action_leave_filters(self) -> None:
        # A binding of the screen, not a message from the sidebar, so focus
        # is back on the table before the next key is read.
        if self._sidebar.has_class("-overlay"):
            self._show_sidebar(False)
        self._focus_table()

    @on(FilterSidebar.Changed)
    def _filters_changed(self, message: FilterSidebar.Changed) -> None:
        filters = message.filters
        query = self.case_query.changed(
            statuses=filters.statuses,
            email=filters.email,
            created_from=filters.created_from,
            created_to=filters.created_to,
        )
        self._send(self.view.ask(query))

    def action_clear_filters(self) -> None:
        query = self.case_query.cleared()
        self._sidebar.show_query(query)
        search = self.query_one(SearchBar)
        if search.has_focus_within:
            self._focus_table()
        search.show_term("")
        self._send(self.view.ask(query))

    def action_attention(self) -> None:
        self._send(self.view.toggle_attention())

    def action_sort_next(self) -> None:
        self._send(self.view.sort_next())

    def action_sort_reverse(self) -> None:
        self._send(self.view.sort_reverse())

    @on(CaseTable.SortClicked)
    def _sort_clicked(self, message: CaseTable.SortClicked) -> None:
        self._send(self.view.sort_clicked(message.column))

    def _sort_by(self, column: SortColumn) -> None:
        self._send(self.view.sort_by(column))

    def _page_size(self, size: int) -> None:
        self._send(self.view.per_page(size, self._table.highlighted_case_id))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """ "Sort by …" and "… cases per page" in the command palette."""
        for column in SortColumn:
            yield SystemCommand(
                f"Sort by {column.label}",
                _SORT_HELP.get(column, "Ascending; S reverses"),
                partial(self._sort_by, column),
            )
        for size in PAGE_SIZES:
            yield SystemCommand(
                f"Show {size} cases per page",
                "+ and - step through the sizes",
                partial(self._page_size, size),
            )

    def action_next_page(self) -> None:
        self._go(self.view.next_page(), page_end_text(forward=True))

    def action_previous_page(self) -> None:
        self._go(self.view.previous_page(), page_end_text(forward=False))

    def action_first_page(self) -> None:
        self._go(self.view.first_page(), page_end_text(forward=False))

    def action_last_page(self) -> None:
        self._go(self.view.last_page(), page_end_text(forward=True))

    def action_more_per_page(self) -> None:
        self._step_page_size(+1)

    def action_fewer_per_page(self) -> None:
        self._step_page_size(-1)

    def _step_page_size(self, step: int) -> None:
        request = self.view.step_page_size(step, self._table.highlighted_case_id)
        self._go(request, page_size_limit_text(step))

    def _go(self, request: PageRequest | None, why_not: str) -> None:
        """Sends `request`; when the key had nowhere to go, `_send` rings
        the bell, which alone does not say why: `why_not` does, once while
        a held key repeats it."""
        if request is None and why_not != self._told_why_not:
            self._told_why_not = why_not
            tell(self.app, why_not, severity="warning")
            # Said again once the first notification has gone.
            self.set_timer(self.app.NOTIFICATION_TIMEOUT, self._forget_why_not)
        self._send(request)

    def _forget_why_not(self) -> None:
        self._told_why_not = None

    def action_refresh(self) -> None:
        self._reload()

    def action_copy_case_id(self) -> None:
        case_id = self._highlighted()
        if case_id is not None:
            self.app.copy_to_clipboard(str(case_id))
            tell(self.app, f"Copied case ID {case_id}")

    def _act_on_highlighted(self, action: Action) -> None:
        from caselog_tui.tui.actions import start_action

        case_id = self._highlighted()
        if case_id is not None:
            start_action(self._app, case_id, action)

    def action_reply(self) -> None:
        self._act_on_highlighted(Action.REPLY)

    def action_reopen(self) -> None:
        self._act_on_highlighted(Action.REOPEN)

    def action_edit(self) -> None:
        self._act_on_highlighted(Action.EDIT)

    def action_resolve(self) -> None:
        self._act_on_highlighted(Action.RESOLVE)

    def action_new_case(self) -> None:
        from caselog_tui.tui.actions import start_new_case

        start_new_case(self._app)

    def action_export(self) -> None:
        from caselog_tui.tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(self.case_query))
