"""A submitted new case never seems lost: it opens on its case details, and
when the case log's search or filter would hide it the seller is told. A
new case offered for a case that cannot go on (too old to re-open,
answered) follows it up: it starts with the old case's subject and
description and says which case it follows."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from caselog_tui.core.follow_up import follow_up_subject
from caselog_tui.core.validation import SHORT_DESCRIPTION_MAX
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.forms.new_case_form import NewCaseForm
from caselog_tui.tui.screens.forms.refused import RefusedModal
from tests.tui.detail_helpers import (
    Clock,
    answered_case,
    new_app,
    notifications,
    open_case,
    press,
    screen_text,
    type_text,
    words,
)

SIZE = (120, 40)


async def submit_new_case(pilot: Pilot[None], subject: str) -> int:
    await press(pilot, "n")
    assert isinstance(pilot.app.screen, NewCaseForm)
    await press(pilot, "tab", "tab")
    await type_text(pilot, subject)
    await press(pilot, "tab")
    await type_text(pilot, "Please release our disbursement.")
    await press(pilot, "ctrl+s")
    screen = pilot.app.screen
    assert isinstance(screen, CaseDetailScreen), "the new case opens on its details"
    return screen.case_id


def hidden_notice(pilot: Pilot[None]) -> list[str]:
    return [n for n in notifications(pilot) if "does not show it" in n]


async def test_a_new_case_opens_on_its_details(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await press(pilot)
        case_id = await submit_new_case(pilot, "Payment held")
        assert f"Case {case_id}" in screen_text(pilot)
        assert "Payment held" in screen_text(pilot)
        assert hidden_notice(pilot) == []  # the default view shows an open case


async def test_a_search_that_hides_the_new_case_says_so(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await press(pilot, "slash", *"refund", "enter")
        case_id = await submit_new_case(pilot, "Payment held")
        assert hidden_notice(pilot) == [
            f"Case {case_id} is opened here, but the case log's view (Search: refund) "
            "does not show it; press F on the case log to clear the filters and the search."
        ]


async def test_a_search_that_finds_the_new_case_says_nothing(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await press(pilot, "slash", *"payment", "enter")
        await submit_new_case(pilot, "Payment held")
        assert hidden_notice(pilot) == []


async def test_needing_attention_hides_an_open_case_and_says_so(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        case_id = await submit_new_case(pilot, "Payment held")
        assert len(hidden_notice(pilot)) == 1
        assert f"Case {case_id} is opened here" in hidden_notice(pilot)[0]


async def test_new_case_from_a_refused_reopen_follows_the_old_case_up(
    case_log: CaseLog, clock: Clock
) -> None:
    old = answered_case(case_log, clock, days_ago=9)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, old.case_id)
        await press(pilot, "o")
        assert isinstance(pilot.app.screen, RefusedModal)
        await press(pilot, "n")
        form = pilot.app.screen
        assert isinstance(form, NewCaseForm)
        subject = f"Follow-up to case {old.case_id}: Reimbursement for lost units"
        assert form.query_one("#short_description", Input).value == subject
        message = form.query_one("#message", TextArea).text
        assert message.startswith(
            f"This follows up case {old.case_id} (Reimbursement for lost units)."
        )
        assert "Where is my reimbursement?" in message  # the old case's description
        assert (
            f"This new case follows up case {old.case_id}: Reimbursement for lost units"
            in words(screen_text(pilot))
        )
        assert not form.has_draft  # nothing typed yet: escape asks nothing
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
        new_id = pilot.app.screen.case_id
    assert new_id != old.case_id
    assert case_log.case(new_id).summary.short_description == subject


async def test_new_case_from_a_refused_reply_follows_the_old_case_up(
    case_log: CaseLog, clock: Clock
) -> None:
    old = answered_case(case_log, clock, days_ago=1)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, old.case_id)
        await press(pilot, "r", "n")
        form = pilot.app.screen
        assert isinstance(form, NewCaseForm)
        assert form.query_one("#short_description", Input).value.startswith(
            f"Follow-up to case {old.case_id}: "
        )


def test_the_view_says_whether_it_holds_a_case(case_log: CaseLog) -> None:
    case = case_log.submit_case(
        primary_email="seller@shop.example", short_description="Payment held", message="Hi."
    )
    assert case_log.shows(CaseQuery(), case.case_id)
    assert case_log.shows(CaseQuery(search="held"), case.case_id)
    assert not case_log.shows(CaseQuery(search="refund"), case.case_id)
    assert not case_log.shows(CaseQuery(attention_only=True), case.case_id)
    assert not case_log.shows(CaseQuery(email="other@shop.example"), case.case_id)


def test_a_follow_up_subject_fits_a_short_description(case_log: CaseLog) -> None:
    old = case_log.submit_case(
        primary_email="seller@shop.example", short_description="x" * 200, message="Hi."
    )
    subject = follow_up_subject(old)
    assert len(subject) == SHORT_DESCRIPTION_MAX
    assert subject.startswith(f"Follow-up to case {old.case_id}: xxx")
    assert subject.endswith("x…")
