"""Live refresh on one box: a colleague's change (another caselog, or
`caselog respond` in another terminal) shows without a key press, with
the cursor, the scroll and the search left where the seller had them.

The colleague is a second store object on the same case log, as another
process would be: the database cannot tell the two apart. The tests of
what arrives (a colleague's reply on the list and on an open case, two
running apps) run on a SQLite file and on PostgreSQL when the suite has a
server; the rest are the screen's own behaviour, the same on either, and
run on SQLite. Every wait is on what the seller would see, bounded
(tests/tui/waiting.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from caselog_tui.config import Config
from caselog_tui.core.machine import Action
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store
from caselog_tui.tui.app import CaseLogApp, make_app
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.screens.forms.reply_form import ReplyForm
from caselog_tui.tui.widgets.case_table import CaseTable
from caselog_tui.tui.widgets.search_bar import SearchBar
from tests.conftest import FakeClock
from tests.tui.case_log_helpers import shown_ids, status_line
from tests.tui.conftest import Settle
from tests.tui.detail_helpers import history, notifications, open_case

FAST = 0.05  # seconds between polls in these tests
SHOWS_WITHIN, STEP = 5.0, 0.05
# The fake clock stands at 12:00 UTC.
ONE_CHANGED = "1 case changed on this page · 12:00"


@pytest.fixture
def colleague(case_log_demo: CaseLog, clock: FakeClock) -> Iterator[CaseLog]:
    other = open_store(case_log_demo.store.location, create=False)
    yield CaseLog(other, clock=clock, tz=UTC)
    other.close()


@pytest.fixture
def live_app(case_log_demo: CaseLog) -> Callable[..., CaseLogApp]:
    def build(refresh_seconds: float = FAST, **config: object) -> CaseLogApp:
        settings = Config(refresh_seconds=refresh_seconds, **config)  # type: ignore[arg-type]
        return make_app(case_log_demo, settings)

    return build


def table(pilot: Pilot[None]) -> CaseTable:
    return pilot.app.screen.query_one(CaseTable)


def needs_you(status_cell: str) -> bool:
    """The cell says Needs Your Attention, in its long or short words."""
    return "needs you" in status_cell.lower()


async def within(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Lets the app run until `condition()` holds, at most SHOWS_WITHIN
    seconds: what live refresh promises (about a second), with room for a
    busy machine."""
    for _ in range(int(SHOWS_WITHIN / STEP)):
        await pilot.pause(STEP)
        if condition():
            return
    raise AssertionError(f"not within {SHOWS_WITHIN} s: {what}")


def waiting_on_support(log: CaseLog, case_ids: list[int], but: int | None = None) -> int:
    """A case of `case_ids` whose move is Seller Support's (so an answer
    or a question changes what its row says)."""
    waiting = {Status.OPEN, Status.PENDING, Status.TRANSFERRED}
    return next(i for i in case_ids if i != but and log.case(i).status in waiting)


def screen_line_of_cursor(pilot: Pilot[None]) -> int:
    """Which line of the table's window the highlighted row is drawn on."""
    return table(pilot).cursor_row - round(table(pilot).scroll_y)


def row_status(pilot: Pilot[None], case_id: int) -> str:
    """The Status cell of the case's row, as drawn."""
    return str(table(pilot).get_cell(str(case_id), SortColumn.STATUS.value))


@pytest.mark.both_databases
async def test_a_colleagues_reply_shows_without_a_key_and_the_cursor_stays(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("j", "j", "j")
        chosen = table(pilot).highlighted_case_id
        assert chosen is not None and "Updated" not in status_line(app)
        rows_before = shown_ids(app)
        other = waiting_on_support(colleague, rows_before, but=chosen)

        colleague.record_support_reply(other, Action.SUPPORT_ASKS, "Send the invoice.")

        await within(pilot, lambda: needs_you(row_status(pilot, other)), "shown")
        assert table(pilot).highlighted_case_id == chosen
        assert shown_ids(app) == rows_before  # patched in place: same rows, same order
        await within(pilot, lambda: ONE_CHANGED in status_line(app), "the status line tells")


@pytest.mark.both_databases
async def test_a_change_to_a_row_on_the_page_reads_that_row_alone(
    live_app: Callable[..., CaseLogApp],
    colleague: CaseLog,
    case_log_demo: CaseLog,
    case_log_settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store says which cases changed since the last change seen; a
    row of the page that changed and did not move is read alone and
    patched: neither the page nor its count is read again."""
    app = live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        reads: list[str] = []
        for name in ("page", "rows", "count"):
            real = getattr(case_log_demo, name)

            def counted(
                query: CaseQuery,
                *args: object,
                _real: Callable[..., object] = real,
                _name: str = name,
                **keywords: object,
            ) -> object:
                if not query.attention_only:  # the title's count is read again, cheaply
                    reads.append(f"{_name} {query.describe()}")
                return _real(query, *args, **keywords)

            monkeypatch.setattr(case_log_demo, name, counted)
        other = waiting_on_support(colleague, shown_ids(app))

        colleague.record_support_reply(other, Action.SUPPORT_ASKS, "Send the invoice.")

        await within(pilot, lambda: needs_you(row_status(pilot, other)), "shown")
        await within(pilot, lambda: ONE_CHANGED in status_line(app), "the status line tells")
        assert reads == []


async def test_a_changed_row_that_moves_in_the_order_is_read_with_its_page(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    """Sorted by last activity, a colleague's reply moves its case to the
    top: the page is read again in its new order, the cursor on its case."""
    app = live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        for _ in range(5):  # created → case ID → status → e-mail → description → activity
            await pilot.press("s")
        await case_log_settle(pilot)
        assert app.screen.case_query.sort is SortColumn.LAST_ACTIVITY  # type: ignore[attr-defined]
        await pilot.press("j")
        chosen = table(pilot).highlighted_case_id
        below = shown_ids(app)[3:]
        other = waiting_on_support(colleague, below, but=chosen)

        colleague.record_support_reply(other, Action.SUPPORT_ASKS, "Send the invoice.")

        await within(pilot, lambda: shown_ids(app)[0] == other, "it moved to the top")
        assert table(pilot).highlighted_case_id == chosen


@pytest.mark.both_databases
async def test_two_apps_on_one_case_log_see_each_others_reply(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    """Two people, two running caselogs on one store: Ben replies in his
    app; Ana's shows it without a key, her cursor where it was."""
    ana_app = live_app()
    ben_app = make_app(colleague, Config(refresh_seconds=FAST))
    async with ana_app.run_test(size=(120, 40)) as ana, ben_app.run_test(size=(120, 40)) as ben:
        await case_log_settle(ana)
        await case_log_settle(ben)
        await ana.press("j", "j")
        chosen = table(ana).highlighted_case_id
        needing = [i for i in shown_ids(ben_app) if needs_you(row_status(ben, i))]
        case_id = next(i for i in needing if i != chosen)
        await open_case(ben, case_id)
        await ben.press("r")  # Ben replies from his app, as a seller would
        await within(ben, lambda: isinstance(ben_app.screen, ReplyForm), "the reply form")
        ben_app.screen.query_one(TextArea).load_text("The invoice is attached.")
        await ben.press("ctrl+s")

        await within(ana, lambda: not needs_you(row_status(ana, case_id)), "Ana sees it")
        assert table(ana).highlighted_case_id == chosen


async def test_a_new_case_from_a_colleague_arrives_and_the_cursor_stays(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("j", "j")
        chosen = table(pilot).highlighted_case_id
        new = colleague.submit_case(
            primary_email="colleague@shop.example",
            short_description="Inbound shipment stuck at receiving",
            message="Checked in two days ago.",
        ).case_id

        await within(pilot, lambda: new in shown_ids(app), "the new case is listed")
        assert shown_ids(app)[0] == new  # newest first
        assert table(pilot).highlighted_case_id == chosen
        await within(pilot, lambda: ONE_CHANGED in status_line(app), "the status line tells")


async def test_the_seller_keeps_their_place_and_their_search_text(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app(page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await case_log_settle(pilot)
        await pilot.press(*["j"] * 40)
        await case_log_settle(pilot)
        chosen, line = table(pilot).highlighted_case_id, screen_line_of_cursor(pilot)
        assert table(pilot).scroll_y > 0
        await pilot.press("slash", *"lost")  # typing, not applied yet
        await pilot.pause()
        new = colleague.submit_case(
            primary_email="colleague@shop.example",
            short_description="A case that moves every row down one",
            message="Hi.",
        ).case_id

        await within(pilot, lambda: new in shown_ids(app), "the new case is listed")
        assert app.screen.query_one(SearchBar).query_one("Input").value == "lost"  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert table(pilot).highlighted_case_id == chosen
        # The new case pushed every row down one; the seller's place did not move.
        assert screen_line_of_cursor(pilot) == line


async def test_our_own_write_reloads_quietly(
    live_app: Callable[..., CaseLogApp], case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        case_id = waiting_on_support(case_log_demo, shown_ids(app))
        # The app's own service object, as a form of this app would write.
        case_log_demo.record_support_reply(case_id, Action.SUPPORT_ASKS, "Invoice?")

        await within(pilot, lambda: needs_you(row_status(pilot, case_id)), "shown")
        assert "Updated" not in status_line(app)


@pytest.mark.both_databases
async def test_an_open_case_shows_a_new_support_reply_live(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        case_id = waiting_on_support(colleague, shown_ids(app))
        await open_case(pilot, case_id)
        before = history(pilot).message_count

        colleague.record_support_reply(case_id, Action.SUPPORT_ANSWERS, "We found the units.")

        await within(pilot, lambda: history(pilot).message_count == before + 1, "shown")
        await within(
            pilot,
            lambda: "New message from Seller Support" in notifications(pilot),
            "the seller is told",
        )


async def test_refresh_seconds_zero_switches_it_off(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app(refresh_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        case_id = waiting_on_support(colleague, shown_ids(app))
        colleague.record_support_reply(case_id, Action.SUPPORT_ASKS, "Invoice?")
        # Many poll intervals of the other tests: nothing may come on its own.
        await pilot.pause(20 * FAST)
        await case_log_settle(pilot)
        assert not needs_you(row_status(pilot, case_id))

        await pilot.press("ctrl+r")  # the manual refresh still works
        await within(pilot, lambda: needs_you(row_status(pilot, case_id)), "refreshed")


async def test_an_open_form_keeps_its_draft_while_the_list_beneath_changes(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        ids = shown_ids(app)
        mine = waiting_on_support(colleague, ids)
        theirs = waiting_on_support(colleague, ids, but=mine)
        await pilot.press(*["j"] * ids.index(mine), "r")
        await within(pilot, lambda: isinstance(app.screen, ReplyForm), "the reply form opens")
        form = app.screen
        draft = "Here is the invoice you asked for."
        form.query_one(TextArea).insert(draft)
        log_screen = next(s for s in app.screen_stack if isinstance(s, CaseLogScreen))
        beneath = log_screen.query_one(CaseTable)

        colleague.record_support_reply(theirs, Action.SUPPORT_ASKS, "Send the invoice.")

        def status_beneath() -> str:
            return str(beneath.get_cell(str(theirs), SortColumn.STATUS.value))

        await within(pilot, lambda: needs_you(status_beneath()), "the list beneath changes")
        assert app.screen is form
        assert form.query_one(TextArea).text == draft


async def test_a_change_that_crosses_a_page_flip_is_not_counted_as_the_whole_page(
    live_app: Callable[..., CaseLogApp], clock: FakeClock, case_log_settle: Settle
) -> None:
    app = live_app(page_size=25, refresh_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        first_page = shown_ids(app)
        screen = app.screen
        assert isinstance(screen, CaseLogScreen)
        # The seller's ] and live refresh's news cross, in this order, before
        # either page arrives: the second page must read as a new page, not
        # as 25 cases changed.
        screen.action_next_page()
        app.cases_changed(live=True, news_at=clock())
        await within(pilot, lambda: "12:00" in status_line(app), "the news is told")
        assert not set(shown_ids(app)) & set(first_page)
        assert "Updated · 12:00" in status_line(app)
        assert "changed" not in status_line(app)


async def test_our_own_reply_on_an_open_case_is_not_announced(
    live_app: Callable[..., CaseLogApp], colleague: CaseLog, case_log_settle: Settle
) -> None:
    app = live_app(account_email="seller@shop.example")
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        case_id = waiting_on_support(colleague, shown_ids(app))
        await open_case(pilot, case_id)
        before = history(pilot).message_count
        await pilot.press("r")
        await within(pilot, lambda: isinstance(app.screen, ReplyForm), "the reply form opens")
        app.screen.query_one(TextArea).insert("The invoice is attached.")
        await pilot.press("ctrl+s")
        await within(pilot, lambda: history(pilot).message_count == before + 1, "sent")
        # Then a colleague's answer: by the time it is told, live refresh has
        # long looked at our own reply too.
        colleague.record_support_reply(case_id, Action.SUPPORT_ANSWERS, "Reimbursed.")
        told = "New message from Seller Support"
        await within(pilot, lambda: told in notifications(pilot), "the answer is told")
        assert [n for n in notifications(pilot) if n.startswith("New message")] == [told]
