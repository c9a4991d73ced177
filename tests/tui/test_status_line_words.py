"""The status line at 80x24 and 120x40 (issue 13): the position and total,
the sort in words (saying when its column is not drawn) and the active
filters by name are always there; the other parts give way first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from textual.pilot import Pilot

from caselog_tui.core.status import StatusGroup
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.widgets.filter_sidebar import Filters, FilterSidebar
from caselog_tui.tui.widgets.status_line import status_lines
from tests.tui.case_log_helpers import case_query, status_line

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]

FILTERS = Filters(
    frozenset({StatusGroup.ANSWERED}),
    "accounts@northwind-goods.co.uk",
    date(2026, 1, 1),
    date(2026, 6, 30),
)
FILTER_WORDS = "answered, accounts@…, 2026-01-01→2026-06-30"


def joined(lines: list[tuple[str, str]]) -> str:
    return "\n".join(" · ".join(p for p in line if p) for line in lines)


@pytest.mark.parametrize("width", [78, 118])
def test_position_sort_and_filters_fit_in_the_width(width: int) -> None:
    query = CaseQuery(
        statuses=FILTERS.statuses,
        email=FILTERS.email,
        created_from=FILTERS.created_from,
        created_to=FILTERS.created_to,
        search="damaged",
        sort=SortColumn.EMAIL,
        descending=False,
        page=1,
    )
    lines = status_lines(query, 50, 1234, width, sort_hidden=True)
    text = joined(lines)
    assert all(len(line) <= width for line in text.splitlines())
    assert "51–100 of 1,234" in text
    assert "E-mail, A to Z (hidden)" in text
    assert FILTER_WORDS in text or "accounts@northwind-goods.co.uk" in text
    assert "Search: damaged" in text


def test_a_long_search_is_cut_after_a_whole_word() -> None:
    query = CaseQuery(search="damaged inventory at the warehouse in Manchester, again and again")
    lines = status_lines(query, 50, 1234, 60, sort_hidden=True)
    assert lines[-1][0] == "Search: damaged inventory at the warehouse in Manchester, …"


def test_the_default_view_at_80_columns_keeps_one_line() -> None:
    lines = status_lines(CaseQuery(), 50, 797, 78, sort_hidden=True)
    assert len(lines) == 1


async def show_filters(pilot: Pilot[None], settle: Settle) -> None:
    sidebar = pilot.app.screen.query_one(FilterSidebar)
    sidebar.post_message(FilterSidebar.Changed(FILTERS))
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_filters_and_the_sort_are_named_in_the_status_line(
    size: tuple[int, int], case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=size) as pilot:
        await case_log_settle(pilot)
        line = status_line(app)
        assert "1–50 of " in line
        assert "Case Creation, newest first" in line or "Created, newest first" in line
        await show_filters(pilot, case_log_settle)
        assert case_query(app).statuses == FILTERS.statuses
        line = status_line(app)
        assert "Filtered: answered, accounts@" in line
        assert "2026-01-01→2026-06-30" in line
        assert " of " in line and "newest first (" in line
        for row in line.splitlines():
            assert len(row) <= size[0] - 2


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_sort_by_a_column_not_drawn_says_so(
    size: tuple[int, int], case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=size) as pilot:
        await case_log_settle(pilot)
        await pilot.press("s", "s", "s")  # Case ID, Status, Primary E-mail
        await case_log_settle(pilot)
        assert case_query(app).sort is SortColumn.EMAIL
        line = status_line(app)
        assert "E-mail, A to Z (hidden)" in line
        await pilot.press("s")  # Short Description: drawn
        await case_log_settle(pilot)
        line = status_line(app)
        assert "Short Description, A to Z" in line
        assert "hidden" not in line
