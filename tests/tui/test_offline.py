"""Offline honesty: when the store cannot be reached (a PostgreSQL server
down, the network gone), the case log keeps the page it has and says so in
its status line, a write is refused with the store's sentence and the draft
kept, and when the store answers again the app says so and reads again by
itself.

The store is made unreachable by having its change watch fail, as the
PostgreSQL one does while the server is away (the suite cannot stop the
machine's server); writes fail as they would then, with a StoreError."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from textual.widgets import TextArea

from caselog_tui.core.errors import StoreError
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.changes import ChangeWatcher
from caselog_tui.store.database import WriteTransaction
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.screens.forms.reply_form import ReplyForm
from tests.tui.case_log_helpers import shown_ids, status_line
from tests.tui.conftest import Settle
from tests.tui.detail_helpers import history, notifications, open_case
from tests.tui.waiting import until

AWAY = (
    "Cannot reach the PostgreSQL server of postgresql://team@db/cases: it is down or the "
    "network is gone. Nothing was changed."
)
POLL = 0.05  # seconds between live refresh's polls in these tests
# The fake clock stands at 12:00 UTC.
OFFLINE = "not connected — showing what was loaded at 12:00"


class Server:
    """Whether the store can be reached; while it cannot, every poll of
    live refresh and every write fails as PostgreSQL's would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, log: CaseLog) -> None:
        self.up = True
        poll = ChangeWatcher.poll
        writing = log._writing

        def polled(watcher: ChangeWatcher) -> bool:
            if not self.up:
                raise StoreError(AWAY)
            return poll(watcher)

        def written() -> AbstractContextManager[WriteTransaction]:
            if not self.up:
                raise StoreError(AWAY)
            return writing()

        monkeypatch.setattr(ChangeWatcher, "poll", polled)
        monkeypatch.setattr(log, "_writing", written)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, case_log_demo: CaseLog) -> Server:
    return Server(monkeypatch, case_log_demo)


async def test_the_page_stays_and_the_status_line_says_not_connected(
    case_log_demo: CaseLog,
    server: Server,
    case_log_app: Callable[..., CaseLogApp],
    case_log_settle: Settle,
) -> None:
    app = case_log_app(refresh_seconds=POLL)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        rows = shown_ids(app)
        server.up = False
        await until(pilot, lambda: OFFLINE in status_line(app), "the status line says it")
        assert shown_ids(app) == rows  # the last page stays on screen
        told = [n for n in notifications(pilot) if n.startswith("Not connected")]
        assert len(told) == 1 and AWAY in told[0]

        server.up = True
        await until(pilot, lambda: OFFLINE not in status_line(app), "connected again")
        await until(
            pilot,
            lambda: "Connected again: the case log is up to date." in notifications(pilot),
            "the seller is told",
        )


async def test_offline_at_80x24_the_status_line_still_says_it(
    case_log_demo: CaseLog,
    server: Server,
    case_log_app: Callable[..., CaseLogApp],
    case_log_settle: Settle,
) -> None:
    app = case_log_app(refresh_seconds=POLL)
    async with app.run_test(size=(80, 24)) as pilot:
        await case_log_settle(pilot)
        server.up = False
        await until(pilot, lambda: OFFLINE in status_line(app), "the status line says it")


async def test_a_reply_while_offline_is_refused_and_kept_then_sent_once_back(
    case_log_demo: CaseLog,
    server: Server,
    case_log_app: Callable[..., CaseLogApp],
    case_log_settle: Settle,
) -> None:
    app = case_log_app(refresh_seconds=POLL)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        case_id = next(
            i for i in shown_ids(app) if case_log_demo.case(i).status is not Status.ANSWERED
        )
        await open_case(pilot, case_id)
        before = history(pilot).message_count
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReplyForm), "the reply form opens")
        app.screen.query_one(TextArea).insert("The invoice is attached.")
        server.up = False
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: AWAY in str(app.screen.query_one("#form-problem").render()), "told"
        )
        assert isinstance(app.screen, ReplyForm)  # the form stays, with the draft
        assert app.screen.query_one(TextArea).text == "The invoice is attached."

        server.up = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ReplyForm), "sent")
        await until(pilot, lambda: history(pilot).message_count == before + 1, "shown once")
        assert case_log_demo.case(case_id).messages[-1].body == "The invoice is attached."
