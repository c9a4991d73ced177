"""Cases Needing Attention: `a` toggles the view; its count is always in the
header, whatever the view."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Header

from caselog_tui.core.machine import Action
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.widgets.status_line import StatusLine
from tests.tui.case_log_helpers import case_query, shown_ids

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]


def header(app: CaseLogApp) -> str:
    header = app.screen.query_one(Header)
    return " ".join(str(child.render()) for child in header.children)


async def test_a_toggles_the_view_and_the_count_stays_in_view(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    count = case_log_demo.attention_count()
    assert count > 1
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert f"{count} cases need your attention" in header(app)
        await pilot.press("a")
        await case_log_settle(pilot)
        assert case_query(app) == CaseQuery(attention_only=True)
        page = case_log_demo.page(case_query(app))
        assert shown_ids(app) == [c.case_id for c in page.cases]
        assert {c.status for c in page.cases} == {Status.NEEDS_ATTENTION}
        line = str(app.screen.query_one(StatusLine).render())
        assert line.startswith(f"Needing attention · 1–{count} of {count} cases")
        await pilot.press("slash", *"zzz", "enter")  # another view: the count stays
        await case_log_settle(pilot)
        assert f"{count} cases need your attention" in header(app)
        await pilot.press("F", "a", "a")
        await case_log_settle(pilot)
        assert case_query(app) == CaseQuery()


async def test_the_count_follows_changes_in_the_store(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    count = case_log_demo.attention_count()
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("a")
        await case_log_settle(pilot)
        first = shown_ids(app)[0]
        case_log_demo.reply(first, "Here is the invoice you asked for.")
        app.cases_changed(first)
        await case_log_settle(pilot)
        assert f"{count - 1} cases need your attention" in header(app)
        assert first not in shown_ids(app)


async def test_the_count_reads_well_for_one_and_none(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    cases = list(case_log_demo.iter_cases(CaseQuery(attention_only=True)))
    for case in cases[1:]:
        case_log_demo.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert "1 case needs your attention" in header(app)
        case_log_demo.reply(cases[0].case_id, "Answered your question.")
        await pilot.press("ctrl+r")
        await case_log_settle(pilot)
        assert "No case needs your attention" in header(app)
