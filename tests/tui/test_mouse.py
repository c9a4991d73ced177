"""The mouse is optional but works: rows, headers, checkboxes and See more
respond to clicks (headers and See more have their own tests); `caselog
--no-mouse` leaves the mouse to the terminal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from caselog_tui import cli
from caselog_tui.core.status import StatusGroup
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.widgets.case_table import CaseTable

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]


async def test_clicking_a_row_highlights_it_and_a_second_click_opens_it(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        table = app.screen.query_one(CaseTable)
        wanted = table.cases[2].case_id
        await pilot.click(CaseTable, offset=(2, 3))
        await pilot.pause()
        assert table.highlighted_case_id == wanted
        assert isinstance(app.screen, CaseLogScreen)
        await pilot.click(CaseTable, offset=(2, 3))
        await case_log_settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_id == wanted


async def test_clicking_a_status_checkbox_filters(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.click("#filter-answered")
        await case_log_settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseLogScreen)
        assert screen.case_query.statuses == frozenset({StatusGroup.ANSWERED})
        assert {case.status.label for case in screen.query_one(CaseTable).cases} == {"Answered"}


def test_no_mouse_flag_leaves_the_mouse_to_the_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    seen: dict[str, bool] = {}

    def fake_run(log: object, *, mouse: bool = True, new_log: bool = False) -> int:
        seen["mouse"] = mouse
        return 0

    monkeypatch.setattr("caselog_tui.tui.app.run_app", fake_run)
    assert cli.main(["--no-mouse", "--db", f"{tmp_path}/cases.db"]) == 0
    assert seen == {"mouse": False}
    assert cli.main(["--db", f"{tmp_path}/cases.db"]) == 0
    assert seen == {"mouse": True}
