"""The short description is readable at the sizes sellers use (issue 13):
whole at 120x40 with the sidebar shown, at least 35 cells at 80x24, and what
is cut ends in "…" with the whole text one key (enter) away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from textual.pilot import Pilot

from caselog_tui.core.records import CaseSummary
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.widgets.case_table import CaseTable, status_text
from caselog_tui.tui.widgets.filter_sidebar import FilterSidebar

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]

SIXTY = "Damaged inventory at MAN1 — reimbursement for B0YESS6FV5 ok?"
LONG = SIXTY + " and the second shipment is short too"


def first_row_text(app: CaseLogApp) -> str:
    table = app.screen.query_one(CaseTable)
    return table.render_line(1).text  # line 0 is the header


async def test_a_60_character_description_is_whole_at_120x40_with_the_sidebar(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    assert len(SIXTY) == 60
    case_log_demo.submit_case(
        primary_email="seller@northwind-goods.co.uk", short_description=SIXTY, message="Hi."
    )
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert app.screen.query_one(FilterSidebar).display
        row = first_row_text(app)
        assert SIXTY in row
        assert "Open" in row


async def test_at_80x24_the_description_keeps_35_cells_and_ends_in_an_ellipsis(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    case = case_log_demo.submit_case(
        primary_email="seller@northwind-goods.co.uk", short_description=LONG, message="Hi."
    )
    app = case_log_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await case_log_settle(pilot)
        row = first_row_text(app)
        assert LONG[:35] in row
        assert "…" in row and LONG not in row
        await pilot.press("enter")  # the whole text is one key away
        await pilot.pause()
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_id == case.case_id


def test_short_status_words_keep_the_marker() -> None:
    now = datetime(2026, 11, 26, tzinfo=UTC)
    case = CaseSummary(12005000001, now, Status.PENDING, "a@b.co", "x", now, 2)
    assert status_text(case) == "Pending Amazon Action ↻2"
    assert status_text(case, short=True) == "Pending Amazon ↻2"
