"""Fixtures for the case log screen's tests (named case_log_*: other screens'
tests share this folder)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from caselog_tui.config import Config
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.store.database import Store
from caselog_tui.tui.app import CaseLogApp, make_app

CASE_LOG_DEMO_CASES = 300
CASE_LOG_DEMO_SEED = 7

Settle = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture
def case_log_demo(case_log: CaseLog, store: Store) -> CaseLog:
    """The shared case log, filled with the same 300 demo cases every run."""
    fill_demo(store, CASE_LOG_DEMO_CASES, CASE_LOG_DEMO_SEED, case_log.clock())
    return case_log


@pytest.fixture
def case_log_app(case_log_demo: CaseLog) -> Callable[..., CaseLogApp]:
    """Builds the app on the demo case log; keyword arguments go to Config."""

    def build(**config: object) -> CaseLogApp:
        return make_app(case_log_demo, Config(**config))  # type: ignore[arg-type]

    return build


@pytest.fixture
def case_log_settle() -> Settle:
    """Waits until every store read has answered and the screen shows it.

    An answer can start another read (a count that moves the page back), so
    it waits until no worker is left."""

    async def settle(pilot: Pilot[None]) -> None:
        for _ in range(10):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if not any(worker.is_running for worker in pilot.app.workers):
                return
        raise AssertionError("the case log kept reading the store")

    return settle


@pytest.fixture(autouse=True)
def _notifications_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual drops a notification after 5 s unless told otherwise; on a
    busy machine that can come before a test reads it or takes a picture."""
    monkeypatch.setattr(CaseLogApp, "NOTIFICATION_TIMEOUT", 3600)
