"""The case log table: first page, sort, pages, cursor and the keys that act
on the highlighted case. Every check compares the page on screen with what
the store's own query returns for the same view."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from caselog_tui.core.records import CaseSummary
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.case_log_view import SORT_CYCLE
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.widgets.case_table import CaseTable
from tests.tui.case_log_helpers import shown_ids, status_line
from tests.tui.waiting import until, workers_done

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]


def on_screen(app: CaseLogApp) -> CaseLogScreen:
    screen = app.screen
    assert isinstance(screen, CaseLogScreen)
    return screen


def store_ids(log: CaseLog, query: CaseQuery) -> list[int]:
    return [case.case_id for case in log.page(query).cases]


def headers(app: CaseLogApp) -> list[str]:
    table = app.screen.query_one(CaseTable)
    return [column.label.plain for column in table.ordered_columns]


async def test_first_page_is_the_default_view_newest_first(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        expected = case_log_demo.page(CaseQuery())
        assert shown_ids(app) == [c.case_id for c in expected.cases]
        assert len(expected.cases) == 50
        assert on_screen(app).case_query == CaseQuery()
        line = status_line(app)
        assert line.startswith("Open and recently answered · 1–50 of ")
        assert f"of {expected.total} cases · page 1 of 3" in line
        assert "Case Creation, newest first" in line
        await pilot.press("b")  # without the sidebar the date column fits
        await case_log_settle(pilot)
        assert "Created ▼" in headers(app)


async def test_s_walks_every_column_and_S_reverses(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(170, 40)) as pilot:
        await pilot.press("b")  # hide the sidebar: every column fits
        await case_log_settle(pilot)
        for column in [*SORT_CYCLE[1:], SORT_CYCLE[0]]:
            await pilot.press("s")
            await case_log_settle(pilot)
            query = on_screen(app).case_query
            assert query.sort is column
            assert shown_ids(app) == store_ids(case_log_demo, query)
            arrow = "▼" if query.descending else "▲"
            assert [h for h in headers(app) if h.endswith(arrow)], headers(app)
            assert column.label in status_line(app)

            await pilot.press("S")
            await case_log_settle(pilot)
            reversed_query = on_screen(app).case_query
            assert reversed_query.sort is column
            assert reversed_query.descending is not query.descending
            assert shown_ids(app) == store_ids(case_log_demo, reversed_query)
            await pilot.press("S")
            await case_log_settle(pilot)


async def test_the_header_shows_the_active_column_and_its_direction(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(170, 40)) as pilot:
        await pilot.press("b")  # hide the sidebar: every column fits
        await case_log_settle(pilot)
        assert headers(app)[0] == "Case Creation ▼"
        await pilot.press("s")
        await case_log_settle(pilot)
        assert headers(app)[:2] == ["Case Creation", "Case ID ▲"]
        await pilot.press("S")
        await case_log_settle(pilot)
        assert headers(app)[1] == "Case ID ▼"


async def test_clicking_a_header_sorts_by_it_and_again_reverses(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(170, 40)) as pilot:
        await pilot.press("b")  # hide the sidebar: every column fits
        await case_log_settle(pilot)
        table = app.screen.query_one(CaseTable)
        x = sum(c.get_render_width(table) for c in table.ordered_columns[:2]) + 2
        await pilot.click(CaseTable, offset=(x, 0))
        await case_log_settle(pilot)
        query = on_screen(app).case_query
        assert (query.sort, query.descending) == (SortColumn.STATUS, False)
        assert "Status ▲" in headers(app)
        assert shown_ids(app) == store_ids(case_log_demo, query)
        await pilot.click(CaseTable, offset=(x, 0))
        await case_log_settle(pilot)
        assert on_screen(app).case_query.descending
        assert "Status ▼" in headers(app)


async def test_pages_forward_and_back_and_stop_at_the_ends(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        total = case_log_demo.count(CaseQuery())
        await pilot.press("right_square_bracket")
        await case_log_settle(pilot)
        assert on_screen(app).case_query.page == 1
        assert shown_ids(app) == store_ids(case_log_demo, CaseQuery(page=1))
        assert f"51–100 of {total} cases · page 2 of 3" in status_line(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await case_log_settle(pilot)
        last = CaseQuery(page=2)
        assert on_screen(app).case_query == last
        assert shown_ids(app) == store_ids(case_log_demo, last)
        assert f"101–{total} of {total} cases · page 3 of 3" in status_line(app)
        await pilot.press("left_square_bracket")
        await case_log_settle(pilot)
        assert shown_ids(app) == store_ids(case_log_demo, CaseQuery(page=1))
        await pilot.press("left_square_bracket", "left_square_bracket")
        await case_log_settle(pilot)
        assert on_screen(app).case_query.page == 0
        assert shown_ids(app) == store_ids(case_log_demo, CaseQuery())


async def test_the_last_page_is_read_with_the_total_the_screen_knows(
    case_log_app: Build,
    case_log_demo: CaseLog,
    case_log_settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With the total the store can read a late page from its end, which
    # costs what the first page does at a million cases.
    totals: list[int | None] = []
    rows = case_log_demo.rows

    def remember(query: CaseQuery, total: int | None = None) -> list[CaseSummary]:
        totals.append(total)
        return rows(query, total)

    monkeypatch.setattr(case_log_demo, "rows", remember)
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        total = case_log_demo.count(CaseQuery())
        await pilot.press("right_square_bracket")
        await case_log_settle(pilot)
        await pilot.press("right_square_bracket")
        await case_log_settle(pilot)
        assert totals == [None, total, total]  # the first page comes before its count
        assert shown_ids(app) == store_ids(case_log_demo, CaseQuery(page=2))


async def test_a_burst_of_page_keys_ends_on_the_newest_page(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app(page_size=25)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        # Pressed without waiting: each press asks for a page while the one
        # before may still be loading; only the last answer may show.
        await pilot.press(*["right_square_bracket"] * 4, "left_square_bracket")
        await case_log_settle(pilot)
        query = CaseQuery(page_size=25, page=3)
        assert on_screen(app).case_query == query
        assert shown_ids(app) == store_ids(case_log_demo, query)


async def test_plus_and_minus_step_through_the_page_sizes(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app(page_size=25)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert len(shown_ids(app)) == 25
        assert "25 per page" in status_line(app)
        for size in (50, 100, 250, 250):
            await pilot.press("plus")
            await case_log_settle(pilot)
            query = on_screen(app).case_query
            assert query.page_size == size
            assert shown_ids(app) == store_ids(case_log_demo, query)
            assert f"{size} per page" in status_line(app)
        for size in (100, 50, 25, 25):
            await pilot.press("minus")
            await case_log_settle(pilot)
            assert on_screen(app).case_query.page_size == size
            assert len(shown_ids(app)) == size


async def test_a_new_page_size_keeps_the_first_case_on_screen(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app(page_size=25)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await case_log_settle(pilot)
        first = shown_ids(app)[0]
        await pilot.press("plus")
        await case_log_settle(pilot)
        assert on_screen(app).case_query == CaseQuery(page_size=50, page=1)
        assert first in shown_ids(app)
        assert "51–100 of" in status_line(app)


async def test_j_k_move_the_cursor_and_enter_opens_the_case(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        ids = shown_ids(app)
        await pilot.press("j", "j", "k")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_id == ids[1]


async def test_y_copies_the_highlighted_case_id(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign, assignment]
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("down", "y")
        await pilot.pause()
        case_id = shown_ids(app)[1]
        assert copied == [str(case_id)]
        assert [n.message for n in app._notifications] == [f"Copied case ID {case_id}"]


async def test_a_change_in_the_store_keeps_the_cursor_on_its_case(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("j", "j", "j")
        table = app.screen.query_one(CaseTable)
        highlighted = table.highlighted_case_id
        total = case_log_demo.count(CaseQuery())
        new = case_log_demo.submit_case(
            primary_email="seller@northwind-goods.co.uk",
            short_description="Newest case",
            message="A case added while the log is on screen.",
        )
        app.cases_changed(new.case_id)
        await case_log_settle(pilot)
        assert shown_ids(app)[0] == new.case_id
        assert table.highlighted_case_id == highlighted
        assert f"of {total + 1} cases" in status_line(app)


async def test_ctrl_r_reads_the_store_again(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        new = case_log_demo.submit_case(
            primary_email="seller@northwind-goods.co.uk",
            short_description="Written by another process",
            message="The TUI did not hear of this one.",
        )
        assert new.case_id not in shown_ids(app)
        await pilot.press("ctrl+r")
        await case_log_settle(pilot)
        assert shown_ids(app)[0] == new.case_id


async def test_a_late_answer_for_an_older_page_never_shows(
    case_log_app: Build,
    case_log_demo: CaseLog,
    case_log_settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = threading.Event()
    rows = case_log_demo.rows

    def slow_page_two(query: CaseQuery, total: int | None = None) -> list[CaseSummary]:
        if query.page == 1:
            gate.wait(60)
        return rows(query, total)

    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        monkeypatch.setattr(case_log_demo, "rows", slow_page_two)
        await pilot.press("right_square_bracket", "right_square_bracket")
        page_two = store_ids(case_log_demo, CaseQuery(page=2))
        await until(pilot, lambda: shown_ids(app) == page_two, "page 2 shown")
        gate.set()  # page two's answer arrives last
        await case_log_settle(pilot)
        assert on_screen(app).case_query.page == 2
        assert shown_ids(app) == store_ids(case_log_demo, CaseQuery(page=2))


async def test_a_slow_store_does_not_block_the_keys_and_says_it_is_loading(
    case_log_app: Build,
    case_log_demo: CaseLog,
    case_log_settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = threading.Event()
    rows, count = case_log_demo.rows, case_log_demo.count

    def slow_search(query: CaseQuery, total: int | None = None) -> list[CaseSummary]:
        if query.search_text:
            gate.wait(60)
        return rows(query, total)

    def slow_count(query: CaseQuery) -> int:
        # Slow too: a count answering while the page is still on its way
        # would put the last page's position back over "loading…".
        if query.search_text:
            gate.wait(60)
        return count(query)

    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        monkeypatch.setattr(case_log_demo, "rows", slow_search)
        monkeypatch.setattr(case_log_demo, "count", slow_count)
        await pilot.press("slash", *"order", "enter")
        loading = "Search: order · loading…"
        await until(pilot, lambda: status_line(app) == loading, "the loading notice")
        await pilot.press("j", "j")  # the table still answers while the store works
        assert app.screen.query_one(CaseTable).cursor_row == 2
        gate.set()
        await case_log_settle(pilot)
        assert status_line(app).startswith("Search: order · 1–")
        query = on_screen(app).case_query
        assert shown_ids(app) == store_ids(case_log_demo, query)


async def test_the_command_palette_offers_the_case_log_actions(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"attention")
        await workers_done(pilot)
        await pilot.press("enter")
        await case_log_settle(pilot)
        assert on_screen(app).case_query == CaseQuery(attention_only=True)
