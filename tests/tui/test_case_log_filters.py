"""The filter sidebar, driven by the keys a seller uses: `f`, tab, space,
typing, enter, escape and `F`. A filter reaches expired cases too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from caselog_tui.core.machine import Action
from caselog_tui.core.status import StatusGroup, in_group
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.widgets.case_table import CaseTable
from caselog_tui.tui.widgets.filter_sidebar import FilterSidebar
from caselog_tui.tui.widgets.search_bar import SearchBar
from tests.tui.case_log_helpers import case_query, shown_ids, status_line

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]

# Tab stops after `f` puts the cursor on the first checkbox.
TABS_TO = {
    "filter-open": 0,
    "filter-answered": 1,
    "filter-attention": 2,
    "filter-reopened": 3,
    "filter-email-choice": 4,
    "filter-email": 5,
    "filter-from": 6,
    "filter-to": 7,
}


def problem(app: CaseLogApp, name: str) -> str:
    line = app.screen.query_one(f"#filter-{name}-problem", Static)
    return str(line.render()) if line.display else ""


async def go_to(pilot: Pilot[None], field: str) -> None:
    await pilot.press("f")
    await pilot.pause()
    await pilot.press(*["tab"] * TABS_TO[field])
    await pilot.pause()
    assert pilot.app.focused is not None
    assert pilot.app.focused.id == field


async def type_in(pilot: Pilot[None], field: str, text: str, *keys: str) -> None:
    await go_to(pilot, field)
    await pilot.press(*text, *keys)


def assert_page_matches_store(app: CaseLogApp, log: CaseLog) -> None:
    query = case_query(app)
    page = log.page(query)
    assert shown_ids(app) == [c.case_id for c in page.cases]
    assert f"of {page.total:,} case" in status_line(app)


def add_reopened_case(log: CaseLog) -> int:
    case = log.submit_case(
        primary_email="seller@northwind-goods.co.uk",
        short_description="Re-opened: refund still missing",
        message="Where is the refund?",
    )
    log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Refunded.")
    log.reopen(case.case_id, "It has not arrived.")
    return case.case_id


@pytest.mark.parametrize("group", list(StatusGroup))
async def test_each_status_checkbox_filters_and_reaches_expired_cases(
    group: StatusGroup, case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    reopened = add_reopened_case(case_log_demo)
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await go_to(pilot, f"filter-{group.value}")
        await pilot.press("space")
        await case_log_settle(pilot)
        query = case_query(app)
        assert query.statuses == {group}
        assert status_line(app).startswith(f"Filtered: {group.label.lower()} · ")
        assert_page_matches_store(app, case_log_demo)
        everywhere = case_log_demo.count(query)
        in_default_view = sum(
            1
            for c in case_log_demo.iter_cases(CaseQuery())
            if in_group(group, c.status, c.reopened_count)
        )
        assert everywhere >= in_default_view
        if group is StatusGroup.ANSWERED:
            assert everywhere > in_default_view  # expired answered cases are reached
        if group is StatusGroup.REOPENED:
            assert shown_ids(app) == [reopened]


async def test_checkboxes_combine_and_unchecking_all_restores_the_default_view(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await go_to(pilot, "filter-open")
        await pilot.press("space", "tab", "space", "tab", "space")
        await case_log_settle(pilot)
        assert case_query(app).statuses == {
            StatusGroup.OPEN,
            StatusGroup.ANSWERED,
            StatusGroup.ATTENTION,
        }
        assert_page_matches_store(app, case_log_demo)
        await pilot.press("shift+tab", "space")
        await case_log_settle(pilot)
        assert case_query(app).statuses == {StatusGroup.OPEN, StatusGroup.ATTENTION}
        assert_page_matches_store(app, case_log_demo)
        await pilot.press("tab", "space", "shift+tab", "shift+tab", "space")
        await case_log_settle(pilot)
        assert case_query(app) == CaseQuery()
        assert status_line(app).startswith("Open and recently answered · ")
        assert_page_matches_store(app, case_log_demo)


async def test_choosing_a_primary_email_from_the_list(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    addresses = case_log_demo.primary_emails()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await go_to(pilot, "filter-email-choice")
        await pilot.press("enter", "down", "down", "enter")
        await case_log_settle(pilot)
        assert case_query(app).email == addresses[1]
        assert app.screen.query_one("#filter-email", Input).value == addresses[1]
        assert_page_matches_store(app, case_log_demo)
        assert {c.primary_email for c in case_log_demo.page(case_query(app)).cases} == {
            addresses[1]
        }


async def test_typing_a_primary_email(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        # The addresses of the log are offered as one types; right accepts.
        await type_in(pilot, "filter-email", "Ret", "right", "enter")
        await case_log_settle(pilot)
        assert case_query(app).email == "returns@northwind-goods.co.uk"
        choice = app.screen.query_one("#filter-email-choice", Select)
        assert choice.value == "returns@northwind-goods.co.uk"
        assert_page_matches_store(app, case_log_demo)
        await pilot.press("ctrl+u", "enter")
        await case_log_settle(pilot)
        assert case_query(app).email is None
        assert choice.value is Select.NULL


async def test_a_typed_address_that_is_not_one_is_named_and_not_applied(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await type_in(pilot, "filter-email", "returns@", "enter")
        await case_log_settle(pilot)
        assert "is not a valid e-mail address" in problem(app, "email")
        assert case_query(app) == CaseQuery()


async def test_a_creation_date_range_is_inclusive_and_reaches_old_cases(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await type_in(pilot, "filter-from", "2025-06-01")
        await pilot.press("tab", *"2025-08-31")
        await case_log_settle(pilot)
        query = case_query(app)
        assert (query.created_from, query.created_to) == (date(2025, 6, 1), date(2025, 8, 31))
        assert_page_matches_store(app, case_log_demo)
        days = [c.created_at.date() for c in case_log_demo.page(query).cases]
        assert days
        assert all(date(2025, 6, 1) <= d <= date(2025, 8, 31) for d in days)
        assert problem(app, "from") == problem(app, "to") == ""


async def test_invalid_dates_are_named_in_words_and_not_applied(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await type_in(pilot, "filter-from", "2026-02-30")
        await case_log_settle(pilot)
        assert problem(app, "from") == "2026-02-30 is not a day of the calendar."
        assert case_query(app) == CaseQuery()

        await pilot.press("ctrl+u", *"26/11/2026", "enter")
        await case_log_settle(pilot)
        assert problem(app, "from") == "Type the date as YYYY-MM-DD, for example 2026-11-26."
        assert case_query(app) == CaseQuery()

        await pilot.press("ctrl+u", *"2026-11", "tab")
        await case_log_settle(pilot)
        assert problem(app, "from").startswith("Type the date as YYYY-MM-DD")

        await pilot.press("shift+tab", "ctrl+u", *"2026-11-20", "tab", *"2026-11-01")
        await case_log_settle(pilot)
        assert problem(app, "from") == ""
        assert problem(app, "to") == "“From” (2026-11-20) is after “To” (2026-11-01)."
        assert case_query(app).created_from == date(2026, 11, 20)
        assert case_query(app).created_to is None


async def test_F_clears_every_filter_and_the_search(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("s")  # the sort is not a filter: F keeps it
        await go_to(pilot, "filter-answered")
        await pilot.press("space")
        await pilot.press("tab", "tab", "tab", "tab", *"sel", "right", "enter")
        await pilot.press("tab", *"2025-01-01", "escape")
        await pilot.press("slash", *"order", "enter")
        await case_log_settle(pilot)
        query = case_query(app)
        assert query.statuses and query.email and query.created_from and query.search
        await pilot.press("F")
        await case_log_settle(pilot)
        assert case_query(app) == CaseQuery().changed(sort=query.sort, descending=False)
        assert status_line(app).startswith("Open and recently answered · ")
        assert_page_matches_store(app, case_log_demo)
        sidebar = app.screen.query_one(FilterSidebar)
        assert not any(box.value for box in sidebar.query(Checkbox))
        assert all(field.value == "" for field in sidebar.query(Input))
        assert not app.screen.query_one(SearchBar).display


async def test_escape_leaves_the_sidebar_for_the_table(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await go_to(pilot, "filter-open")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, CaseTable)
        assert app.screen.query_one(FilterSidebar).display
