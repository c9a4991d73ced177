"""The case log at any window size, and what it says when there is nothing
to show."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Static

from caselog_tui.config import Config
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp, make_app
from caselog_tui.tui.screens.case_log import MIN_HEIGHT, MIN_WIDTH, CaseLogScreen
from caselog_tui.tui.widgets.case_table import CELL_PADDING, CaseTable, column_layout
from caselog_tui.tui.widgets.filter_sidebar import FilterSidebar

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]


def test_columns_always_fit_and_keep_id_status_and_description() -> None:
    for room in range(MIN_WIDTH - 2, 200):
        columns = column_layout(room)
        used = sum(c.width for c in columns) + CELL_PADDING * len(columns)
        assert used <= room, room
        kept = {c.sort for c in columns}
        assert {SortColumn.CASE_ID, SortColumn.STATUS, SortColumn.DESCRIPTION} <= kept
        description = next(c for c in columns if c.sort is SortColumn.DESCRIPTION)
        assert description.width >= 16


def test_columns_give_way_in_order() -> None:
    def kept(room: int) -> list[str]:
        return [c.label for c in column_layout(room)]

    assert kept(161) == [
        "Case Creation",
        "Case ID",
        "Status",
        "Primary E-mail",
        "Short Description",
        "Last Activity",
    ]
    assert kept(130) == ["Created", "Case ID", "Status", "Primary E-mail", "Short Description"]
    assert kept(118) == ["Created", "Case ID", "Status", "Short Description"]
    # 120 columns with the sidebar, and 80: the description comes first.
    assert kept(95) == ["Case ID", "Status", "Short Description"]
    assert kept(79) == ["Case ID", "Status", "Short Description"]
    assert kept(52) == ["Case ID", "Status", "Description"]


def test_the_description_gets_60_cells_at_95_and_35_at_79() -> None:
    def description(room: int) -> int:
        return next(c.width for c in column_layout(room) if c.sort is SortColumn.DESCRIPTION)

    assert description(95) >= 60
    assert description(79) >= 35
    for room in range(95, 200):
        assert description(room) >= 60, room


def empty_text(app: CaseLogApp) -> str:
    message = app.screen.query_one("#case-log-empty", Static)
    return str(message.render()) if message.display else ""


async def test_at_80x24_the_sidebar_starts_hidden_and_f_lays_it_over_the_table(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await case_log_settle(pilot)
        sidebar = app.screen.query_one(FilterSidebar)
        table = app.screen.query_one(CaseTable)
        assert not sidebar.display
        assert table.size.width == 80
        await pilot.press("f")
        await pilot.pause()
        assert sidebar.display
        assert app.focused is not None and app.focused.id == "filter-open"
        assert table.size.width == 80  # the sidebar lies over it
        await pilot.press("escape")
        await pilot.pause()
        assert not sidebar.display
        assert isinstance(app.focused, CaseTable)


async def test_b_hides_and_shows_the_sidebar_to_give_the_table_the_width(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        sidebar = app.screen.query_one(FilterSidebar)
        table = app.screen.query_one(CaseTable)
        assert sidebar.display
        narrow = table.size.width
        await pilot.press("b")
        await pilot.pause()
        assert not sidebar.display
        assert table.size.width == 120 > narrow
        assert "Created ▼" in [c.label.plain for c in table.ordered_columns]
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.display
        assert table.size.width == narrow


async def test_too_small_a_window_says_so_instead_of_drawing_the_table(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await case_log_settle(pilot)
        await pilot.resize_terminal(MIN_WIDTH - 1, 20)
        message = app.screen.query_one("#case-log-too-small", Static)
        body = app.screen.query_one("#case-log-body")
        table = app.screen.query_one(CaseTable)
        assert message.display and not body.display
        assert str(message.render()) == (
            f"This window ({MIN_WIDTH - 1}×20) is too small for the case log. "
            f"Make it at least {MIN_WIDTH}×{MIN_HEIGHT}."
        )
        await pilot.resize_terminal(80, MIN_HEIGHT - 1)
        assert message.display
        await pilot.resize_terminal(MIN_WIDTH, MIN_HEIGHT)
        assert not message.display and body.display
        await pilot.press("j")  # the keys reach the table again
        assert isinstance(app.focused, CaseTable)
        assert table.cursor_row == 1


async def test_keys_do_not_act_on_cases_a_too_small_window_hides(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(40, 10)) as pilot:
        await case_log_settle(pilot)
        table = app.screen.query_one(CaseTable)
        await pilot.press("j", "j", "enter", "s", "]", "n")
        await case_log_settle(pilot)
        assert isinstance(app.screen, CaseLogScreen)  # no case opened, no form
        assert table.cursor_row == 0
        assert app.screen.case_query == CaseQuery()  # not sorted, not paged
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("j")
        assert table.cursor_row == 1


async def test_an_empty_log_says_how_to_start(case_log: CaseLog, case_log_settle: Settle) -> None:
    app = make_app(case_log, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert empty_text(app) == "No cases yet — press n to submit one, or run caselog demo."


async def test_a_filter_without_matches_says_how_to_clear_it(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert empty_text(app) == ""
        await pilot.press("slash", *"no such words", "enter")
        await case_log_settle(pilot)
        assert empty_text(app) == "No case matches — F clears the filters."
        await pilot.press("F")
        await case_log_settle(pilot)
        assert empty_text(app) == ""


async def test_a_window_made_narrow_collapses_the_sidebar(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        sidebar = app.screen.query_one(FilterSidebar)
        await pilot.press("f")
        await pilot.resize_terminal(80, 24)
        assert not sidebar.display
        assert isinstance(app.focused, CaseTable)
        await pilot.resize_terminal(120, 40)
        assert sidebar.display
