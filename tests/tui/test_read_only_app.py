"""A case log the seller cannot write: the title says so, and every write
action says why it does not open a form (instead of a form whose draft
could never be sent)."""

from __future__ import annotations

import pytest
from textual.widgets import Header

from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import make_app
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.forms.case_form import CaseForm
from caselog_tui.tui.screens.forms.refused import RefusedModal


@pytest.fixture
def read_only_log(case_log: CaseLog) -> CaseLog:
    case_log.submit_case(
        primary_email="seller@example.com", short_description="Lost units", message="Hello"
    )
    # How open_store marks a file this user cannot write (tests/test_read_only.py
    # opens real ones as another user); root could write any file here.
    case_log.store.read_only = True
    return case_log


def reason(log: CaseLog) -> str:
    return log.store.read_only_reason


async def test_the_title_says_read_only(read_only_log: CaseLog) -> None:
    app = make_app(read_only_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        header = app.screen.query_one(Header)
        assert header.screen_title == "Case Log (read-only)"
        assert [n.message for n in app._notifications] == [reason(read_only_log)]


@pytest.mark.parametrize("key", ["n", "r", "e", "o"])
async def test_write_actions_on_the_case_log_say_why_they_do_not_open(
    read_only_log: CaseLog, key: str
) -> None:
    app = make_app(read_only_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, CaseForm | RefusedModal)
        assert [n.message for n in app._notifications] == [reason(read_only_log)]


async def test_reading_a_case_still_works(read_only_log: CaseLog) -> None:
    app = make_app(read_only_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseDetailScreen)
        app.clear_notifications()
        await pilot.press("R")
        await pilot.pause()
        assert not isinstance(app.screen, CaseForm)
        assert [n.message for n in app._notifications] == [reason(read_only_log)]
    assert read_only_log.count(CaseQuery()) == 1
