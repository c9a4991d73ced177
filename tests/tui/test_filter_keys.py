"""Keys in the filter sidebar belong to the field that has the focus: a
letter typed on the e-mail drop-down picks an address and never re-sorts
(`s`), refocuses (`f`) or opens a new case (`n`); up and down move between
the status boxes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from caselog_tui.core.view import CaseQuery
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.widgets.address_choice import AddressChoice
from tests.tui.case_log_helpers import case_query

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def focused_id(app: CaseLogApp) -> str | None:
    return app.focused.id if app.focused is not None else None


@pytest.mark.parametrize("size", SIZES)
async def test_letters_on_the_e_mail_drop_down_choose_an_address_not_a_screen_key(
    size: tuple[int, int], case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=size) as pilot:
        await case_log_settle(pilot)
        await pilot.press("f", "tab", "tab", "tab", "tab")
        assert focused_id(app) == "filter-email-choice"
        await pilot.press("s", "n", "f")
        await case_log_settle(pilot)
        assert isinstance(app.screen, CaseLogScreen)  # no new case form
        assert case_query(app) == CaseQuery()  # not re-sorted
        choice = app.screen.query_one(AddressChoice)
        assert choice.expanded  # the letters went to the list of addresses
        await pilot.press("escape")
        await pilot.press("escape")  # closes the list, then leaves the filters
        await case_log_settle(pilot)
        assert focused_id(app) == "case-log-table"
        assert case_query(app) == CaseQuery()


async def test_typing_the_start_of_an_address_and_enter_filters_by_it(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("f", "tab", "tab", "tab", "tab", *"sam", "enter")
        await case_log_settle(pilot)
        assert case_query(app).email == "sam.patel@northwind-goods.co.uk"
        assert app.screen.query_one(AddressChoice).value == "sam.patel@northwind-goods.co.uk"
        assert isinstance(app.screen.query_one("#filter-email-choice"), Select)


@pytest.mark.parametrize("size", SIZES)
async def test_up_and_down_move_between_the_status_boxes(
    size: tuple[int, int], case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=size) as pilot:
        await case_log_settle(pilot)
        await pilot.press("f")
        assert focused_id(app) == "filter-open"
        for box in ("filter-answered", "filter-attention", "filter-reopened"):
            await pilot.press("down")
            assert focused_id(app) == box
        await pilot.press("up", "up")
        assert focused_id(app) == "filter-answered"
        await pilot.press("space")
        await case_log_settle(pilot)
        assert [g.value for g in case_query(app).statuses] == ["answered"]
        await pilot.press("up", "up")  # the first box: nowhere further up
        assert focused_id(app) == "filter-open"
        await pilot.press("down", "down", "down", "down")
        assert focused_id(app) == "filter-email-choice"
