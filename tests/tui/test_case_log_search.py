"""Search: `/`, a case ID or words from the short description, `enter`
applies, `escape` clears. %, _, [ and ' are plain characters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.widgets.case_table import CaseTable
from caselog_tui.tui.widgets.search_bar import SearchBar
from tests.tui.case_log_helpers import case_query, shown_ids, status_line

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]


def add_case(log: CaseLog, description: str) -> int:
    return log.submit_case(
        primary_email="seller@northwind-goods.co.uk",
        short_description=description,
        message="Body text that search never looks at: needle.",
    ).case_id


async def search(pilot: Pilot[None], term: str) -> None:
    await pilot.press("slash", *term, "enter")


async def test_a_case_id_shows_that_one_case_even_when_expired(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    oldest = next(iter(case_log_demo.iter_cases(CaseQuery(include_expired=True, descending=False))))
    assert oldest.case_id not in {c.case_id for c in case_log_demo.iter_cases(CaseQuery())}
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await search(pilot, str(oldest.case_id))
        await case_log_settle(pilot)
        assert shown_ids(app) == [oldest.case_id]
        assert status_line(app).startswith(f"Search: {oldest.case_id} · 1–1 of 1 case")
        assert isinstance(app.focused, CaseTable)


async def test_words_match_the_short_description_only(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    wanted = add_case(case_log_demo, "Haystack refund for order 42")
    add_case(case_log_demo, "Unrelated subject")  # its message says "needle"
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await search(pilot, "REFUND haystack")
        await case_log_settle(pilot)
        assert shown_ids(app) == [wanted]
        await pilot.press("slash", "ctrl+u", *"needle", "enter")
        await case_log_settle(pilot)
        assert shown_ids(app) == []
        assert case_query(app).search == "needle"


@pytest.mark.parametrize("term", ["50%", "a_b", "[x", "o'brien"])
async def test_special_characters_are_plain_characters(
    term: str, case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    wanted = add_case(case_log_demo, f"Contains {term} literally")
    # Would match if % or _ were wildcards, or [ a character class.
    add_case(case_log_demo, "Contains 50 percent, aXb, x, obrien")
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await search(pilot, term)
        await case_log_settle(pilot)
        assert shown_ids(app) == [wanted]
        assert status_line(app).startswith(f"Search: {term} · 1–1 of 1 case")
        page = case_log_demo.page(case_query(app))
        assert [c.case_id for c in page.cases] == shown_ids(app)


async def test_escape_clears_the_search_and_returns_to_the_table(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        everything = shown_ids(app)
        await search(pilot, "reimbursement")
        await case_log_settle(pilot)
        bar = app.screen.query_one(SearchBar)
        assert bar.display  # the term in force stays in view
        assert shown_ids(app) != everything
        await pilot.press("slash", "escape")
        await case_log_settle(pilot)
        assert case_query(app) == CaseQuery()
        assert shown_ids(app) == everything
        assert not bar.display
        assert bar.query_one(Input).value == ""
        assert isinstance(app.focused, CaseTable)


async def test_an_empty_search_is_no_search(case_log_app: Build, case_log_settle: Settle) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await search(pilot, "   ")
        await case_log_settle(pilot)
        assert case_query(app) == CaseQuery()
        assert status_line(app).startswith("Open and recently answered")
