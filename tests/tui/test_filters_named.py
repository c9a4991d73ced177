"""Active filters are named, not just "Filtered" (issue 13, item 5): in the
status line and in the export dialog, at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from textual.pilot import Pilot

from caselog_tui.core.status import StatusGroup
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.widgets.filter_sidebar import Filters, FilterSidebar
from tests.tui.case_log_helpers import case_query, status_line

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]

FILTERS = Filters(
    frozenset({StatusGroup.ANSWERED}),
    "accounts@northwind-goods.co.uk",
    date(2026, 1, 1),
    date(2026, 6, 30),
)


async def apply_filters(pilot: Pilot[None], settle: Settle) -> None:
    sidebar = pilot.app.screen.query_one(FilterSidebar)
    sidebar.post_message(FilterSidebar.Changed(FILTERS))
    await settle(pilot)
    assert isinstance(pilot.app, CaseLogApp)
    assert case_query(pilot.app).statuses == FILTERS.statuses


async def test_the_status_line_names_each_filter(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await apply_filters(pilot, case_log_settle)
        # Beside the sidebar the address shortens; without it, it is whole.
        assert status_line(app).startswith("Filtered: answered, accounts@")
        await pilot.press("b")
        await case_log_settle(pilot)
        assert status_line(app).startswith(
            "Filtered: answered, accounts@northwind-goods.co.uk, 2026-01-01→2026-06-30 · "
        )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_export_dialog_names_each_filter(
    size: tuple[int, int], case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=size) as pilot:
        await case_log_settle(pilot)
        await apply_filters(pilot, case_log_settle)
        await pilot.press("x")
        await pilot.pause()
        view = str(app.screen.query_one("#export-view").render()).replace("\n", " ")
        assert "Filtered: answered, accounts@northwind-goods.co.uk," in view
        assert "2026-01-01→2026-06-30" in view
