"""Jumps people expect on the case log: first and last page (`g` / `G`,
`home` / `end`), sorting by the re-opened count, and what `+` / `-` say at
the ends of the page sizes. Each page is checked against the store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from caselog_tui.core.paging import page_count
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.widgets.case_table import CaseTable
from tests.tui.case_log_helpers import case_query, shown_ids, status_line

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def store_ids(log: CaseLog, query: CaseQuery) -> list[int]:
    return [case.case_id for case in log.page(query).cases]


def headers(app: CaseLogApp) -> list[str]:
    return [column.label.plain for column in app.screen.query_one(CaseTable).ordered_columns]


def notes(app: CaseLogApp) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("last", "first"), [("G", "g"), ("end", "home")])
async def test_jump_to_the_last_page_and_back_to_the_first(
    size: tuple[int, int],
    last: str,
    first: str,
    case_log_app: Build,
    case_log_demo: CaseLog,
    case_log_settle: Settle,
) -> None:
    app = case_log_app(page_size=25)
    async with app.run_test(size=size) as pilot:
        await case_log_settle(pilot)
        total = case_log_demo.count(CaseQuery())
        pages = page_count(total, 25)
        await pilot.press(last)
        await case_log_settle(pilot)
        query = CaseQuery(page_size=25, page=pages - 1)
        assert case_query(app) == query
        assert shown_ids(app) == store_ids(case_log_demo, query)
        assert f"of {total}" in status_line(app)
        await pilot.press(first)
        await case_log_settle(pilot)
        assert case_query(app) == CaseQuery(page_size=25)
        assert shown_ids(app) == store_ids(case_log_demo, CaseQuery(page_size=25))
        assert status_line(app).startswith("Open and recently answered · 1–25 of ")


async def test_the_last_page_pressed_before_the_count_still_arrives(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app(page_size=25)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G")  # the view may still be counting
        await case_log_settle(pilot)
        total = case_log_demo.count(CaseQuery())
        query = CaseQuery(page_size=25, page=page_count(total, 25) - 1)
        assert case_query(app) == query
        assert shown_ids(app) == store_ids(case_log_demo, query)


@pytest.mark.parametrize("size", SIZES)
async def test_s_sorts_by_the_re_opened_count_and_says_so(
    size: tuple[int, int],
    case_log_app: Build,
    case_log_demo: CaseLog,
    case_log_settle: Settle,
) -> None:
    app = case_log_app()
    async with app.run_test(size=size) as pilot:
        await case_log_settle(pilot)
        # Case ID, Status, E-mail, Description, Last Activity, Re-opened.
        for _ in range(6):
            await pilot.press("s")
            await case_log_settle(pilot)
        query = case_query(app)
        assert (query.sort, query.descending) == (SortColumn.REOPENED, True)
        assert shown_ids(app) == store_ids(case_log_demo, query)
        # No Re-opened column: the Status column carries the ↻N marks.
        assert "Status ↻▼" in headers(app)
        assert "Re-opened, most first" in status_line(app)
        assert "(hidden)" not in status_line(app)
        first = case_log_demo.page(query).cases[0]
        assert first.reopened_count > 0
        await pilot.press("S")
        await case_log_settle(pilot)
        assert "Status ↻▲" in headers(app)
        assert "Re-opened, fewest first" in status_line(app)


@pytest.mark.parametrize(
    ("key", "page_size", "sentence"),
    [
        ("plus", 250, "250 cases per page is the most; - shows fewer."),
        ("minus", 25, "25 cases per page is the fewest; + shows more."),
    ],
)
async def test_plus_and_minus_at_their_ends_say_why_nothing_changed(
    key: str, page_size: int, sentence: str, case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app(page_size=page_size)
    async with app.run_test(size=(80, 24)) as pilot:
        await case_log_settle(pilot)
        await pilot.press(key, key, key)  # held down
        await case_log_settle(pilot)
        assert case_query(app).page_size == page_size
        assert notes(app).count(sentence) == 1


async def test_a_paging_key_with_nowhere_to_go_says_why_once(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app(page_size=25)
    async with app.run_test(size=(80, 24)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket", "g")
        await case_log_settle(pilot)
        first = "This is the first page of the view; ] goes on, G to the last."
        assert notes(app) == [first]  # a held key says it once
        await pilot.press("G")
        await case_log_settle(pilot)
        await pilot.press("right_square_bracket", "end")
        await case_log_settle(pilot)
        last = "This is the last page of the view; [ goes back, g to the first."
        assert notes(app) == [first, last]
        assert case_query(app).page > 0  # still on the last page
