"""A form whose case another process changed while the seller wrote: the
refusal reads whole at 80x24 and 120x40, the form's header shows the new
status beside the old one, and the case details and the case log show the
new state at once (no ctrl+r). The change is made through the plain
service API, as `caselog respond` in another terminal would."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from caselog_tui.core.machine import Action
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.screens.forms.case_form import CaseForm
from caselog_tui.tui.screens.forms.refused import RefusedModal
from caselog_tui.tui.screens.forms.reopen_form import ReopenForm
from caselog_tui.tui.widgets.case_table import CaseTable
from tests.tui.case_log_helpers import shown_ids
from tests.tui.detail_helpers import (
    Clock,
    answered_case,
    make_case,
    new_app,
    open_case,
    press,
    screen_lines,
    settle,
    shown,
    type_text,
    words,
)

SIZES = [(80, 24), (120, 40)]
SUBJECT = "Lost units in the Leipzig warehouse after inbound shipment FBA15XYZ"


def status_beneath(pilot: Pilot[None], case_id: int) -> tuple[Status | None, Status | None]:
    """The case's status on the case details and in the case log's table
    under the form, as they would show once the form closes."""
    app = pilot.app
    detail = next(s for s in app.screen_stack if isinstance(s, CaseDetailScreen))
    table = next(s for s in app.screen_stack if isinstance(s, CaseLogScreen)).query_one(CaseTable)
    listed = next((c.status for c in table.cases if c.case_id == case_id), None)
    return (detail.detail.status if detail.detail else None), listed


def on_screen(pilot: Pilot[None]) -> str:
    """The words on screen inside the form's frame (or the whole line on a
    screen without one), so a sentence wrapped over lines reads as one."""
    inside = []
    for line in screen_lines(pilot):
        left, right = line.find("│"), line.rfind("│")
        inside.append(line[left + 1 : right] if 0 <= left < right else line)
    return words(" ".join(inside))


async def send_after_the_change(pilot: Pilot[None]) -> None:
    await type_text(pilot, "Here is the invoice.")
    await press(pilot, "ctrl+s")
    assert isinstance(pilot.app.screen, CaseForm), "the draft must stay open"


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_a_reply_to_a_case_answered_meanwhile(
    case_log: CaseLog, size: tuple[int, int]
) -> None:
    case = make_case(case_log, subject=SUBJECT)
    async with new_app(case_log).run_test(size=size) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        assert "Status: Open" in on_screen(pilot)
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
        await send_after_the_change(pilot)
        sentence = (
            f"Case {case.case_id} was answered, so it cannot take a reply. "
            "Re-open it instead (possible for 5 days) or submit a new case."
        )
        assert shown(pilot, "#form-problem") == f"✗ {sentence}"
        assert sentence in on_screen(pilot), "the refusal must be on screen, whole"
        assert "Status: Answered (was Open)" in on_screen(pilot)
        assert pilot.app.screen.query_one("#message").text == "Here is the invoice."  # type: ignore[attr-defined]
        # Under the form, the case details and the case log already know.
        assert status_beneath(pilot, case.case_id) == (Status.ANSWERED, Status.ANSWERED)
        await press(pilot, "escape", "y")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
        assert "Status: Answered" in on_screen(pilot)
        await press(pilot, "escape")
        assert case.case_id in shown_ids(pilot.app)  # type: ignore[arg-type]
        assert "Answered" in on_screen(pilot)
    assert case_log.case(case.case_id).status is Status.ANSWERED


async def test_a_reply_refused_as_answered_meanwhile_can_become_a_reopen(
    case_log: CaseLog,
) -> None:
    """The refusal says "Re-open it instead": the form offers it, with the
    message already written, and the re-open sends it."""
    case = make_case(case_log, subject=SUBJECT)
    async with new_app(case_log).run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        assert not pilot.app.screen.query("#reopen-instead")  # nothing to offer yet
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
        await send_after_the_change(pilot)
        for _ in range(8):  # reached with tab, as a keyboard user would
            if pilot.app.focused and pilot.app.focused.id == "reopen-instead":
                break
            await press(pilot, "tab")
        await press(pilot, "enter")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ReopenForm)
        assert form.query_one("#message", TextArea).text == "Here is the invoice."
        assert "Re-open the case" in on_screen(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
    reopened = case_log.case(case.case_id)
    assert reopened.status is Status.PENDING
    assert reopened.messages[-1].body == "Here is the invoice."


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_a_reopen_of_a_case_reopened_meanwhile(
    case_log: CaseLog, clock: Clock, size: tuple[int, int]
) -> None:
    case = answered_case(case_log, clock, days_ago=1)
    async with new_app(case_log).run_test(size=size) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "o")
        case_log.reopen(case.case_id, "Still missing (a teammate).")
        await send_after_the_change(pilot)
        sentence = (
            f"Case {case.case_id} is Pending Amazon Action, not answered; reply to it instead."
        )
        assert sentence in on_screen(pilot)
        assert "Status: Pending Amazon Action (was Answered)" in on_screen(pilot)
        await press(pilot, "escape", "y")
        assert "Re-opened: once" in on_screen(pilot)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_resolving_a_case_answered_meanwhile(
    case_log: CaseLog, size: tuple[int, int]
) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=size) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "R")
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
        await send_after_the_change(pilot)
        assert (
            f"Case {case.case_id} is already answered; there is nothing to resolve."
            in on_screen(pilot)
        )
        assert "Status: Answered (was Open)" in on_screen(pilot)
        assert "The case will be Answered" not in on_screen(pilot)  # it is already


async def test_a_reply_refused_before_the_form_opens_updates_the_list(case_log: CaseLog) -> None:
    """The list said Open; support answered from another process; `r` on
    the list is refused, and the list and the case now say Answered."""
    case = make_case(case_log, subject=SUBJECT)
    async with new_app(case_log).run_test(size=(80, 24)) as pilot:
        await press(pilot)
        table = pilot.app.screen.query_one(CaseTable)
        assert [c.status for c in table.cases] == [Status.OPEN]
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
        await press(pilot, "r")
        assert isinstance(pilot.app.screen, RefusedModal)
        assert (
            f"Case {case.case_id} was answered, so it cannot take a reply. "
            "Re-open it instead (possible for 5 days) or submit a new case."
        ) in on_screen(pilot)
        await press(pilot, "escape")
        assert [c.status for c in table.cases] == [Status.ANSWERED]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_a_reply_while_seller_support_wrote_is_refused_and_kept(
    case_log: CaseLog, size: tuple[int, int]
) -> None:
    """Seller Support wrote but the case still takes a reply: the reply was
    written against the case as it was, so it is refused whole, says what
    arrived, keeps the draft, and goes through when sent again."""
    case = make_case(case_log, subject=SUBJECT)
    async with new_app(case_log).run_test(size=size) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        case_log.record_support_reply(
            case.case_id, Action.SUPPORT_WORKING, "We are checking the inbound shipment now."
        )
        await send_after_the_change(pilot)
        sentence = (
            "While you were writing, Seller Support answered this case: "
            "“We are checking the inbound shipment now.” and it is now Pending Amazon "
            "Action. Your reply is kept — review it and send again."
        )
        assert shown(pilot, "#form-problem") == f"✗ {sentence}"
        assert sentence in on_screen(pilot), "the refusal must be on screen, whole"
        assert pilot.app.screen.query_one("#message").text == "Here is the invoice."  # type: ignore[attr-defined]
        assert [m.body for m in case_log.case(case.case_id).messages][-1] == (
            "We are checking the inbound shipment now."
        ), "nothing of the refused reply may be stored"
        # Read again, the case details under the form show the new message.
        detail = next(s for s in pilot.app.screen_stack if isinstance(s, CaseDetailScreen))
        assert detail.detail is not None and len(detail.detail.messages) == 2
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseDetailScreen)
    bodies = [m.body for m in case_log.case(case.case_id).messages]
    assert bodies[1:] == ["We are checking the inbound shipment now.", "Here is the invoice."]


async def test_an_edit_while_a_teammate_replied_is_refused_and_kept(case_log: CaseLog) -> None:
    case = make_case(case_log, subject=SUBJECT)
    async with new_app(case_log).run_test(size=(120, 40)) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "e")
        await press(pilot, "end")
        await type_text(pilot, " (2 units)")
        case_log.reply(case.case_id, "Adding the invoice.", author="ana@northwind.example")
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, CaseForm), "the edit must stay open"
        assert (
            "While you were writing, ana@northwind.example wrote on this case: “Adding the "
            "invoice.” and it is now Pending Amazon Action. Your new description is kept — "
            "review it and send again."
        ) in on_screen(pilot)
        assert case_log.case(case.case_id).summary.short_description == SUBJECT
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseDetailScreen)
    assert case_log.case(case.case_id).summary.short_description == f"{SUBJECT} (2 units)"
