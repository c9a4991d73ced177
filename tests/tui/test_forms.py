"""The seller's actions through their keys: reply, re-open, edit, resolve and
new case, legal and refused, with the draft kept whenever something is
refused."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from caselog_tui.core import validation as rules
from caselog_tui.core.errors import StoreError
from caselog_tui.core.machine import Action
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.actions import start_new_case
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.forms.case_form import CaseForm
from caselog_tui.tui.screens.forms.confirm import ConfirmModal
from caselog_tui.tui.screens.forms.refused import RefusedModal
from caselog_tui.tui.widgets.form_field import FormField
from tests.tui.detail_helpers import (
    Clock,
    answered_case,
    make_case,
    new_app,
    notifications,
    open_case,
    press,
    screen_text,
    shown,
    type_text,
)

SIZE = (120, 40)


def form(pilot: Pilot[None]) -> CaseForm:
    screen = pilot.app.screen
    assert isinstance(screen, CaseForm), f"expected a form, got {screen!r}"
    return screen


def problem(pilot: Pilot[None], name: str) -> str | None:
    return form(pilot).query_one(f"#field-{name}", FormField).problem


def cc_of_length(length: int) -> str:
    """Valid addresses joined by ", ", exactly `length` characters."""
    domain = "@shop.example"
    addresses: list[str] = []
    while len(", ".join([*addresses, f"person00{domain}"])) + 2 + 1 + len(domain) <= length:
        addresses.append(f"person{len(addresses):02d}{domain}")
    head = ", ".join(addresses)
    result = f"{head}, {'x' * (length - len(head) - 2 - len(domain))}{domain}"
    assert len(result) == length
    return result


# -- reply ----------------------------------------------------------------------


async def test_reply_with_cc_makes_the_case_pending(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Here is the invoice.\nThanks.")
        await press(pilot, "tab")
        await type_text(pilot, "ops@shop.example")
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
        assert "Status: Pending Amazon Action" in screen_text(pilot)
        assert "Cc: ops@shop.example" in screen_text(pilot)
        assert "Here is the invoice." in screen_text(pilot)
        assert f"Reply sent — case {case.case_id} is now Pending Amazon Action" in notifications(
            pilot
        )
    stored = case_log.case(case.case_id)
    assert stored.status is Status.PENDING
    assert stored.messages[-1].body == "Here is the invoice.\nThanks."


async def test_reply_can_change_the_short_description(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Also the second shipment.")
        form(pilot).query_one("#short_description", Input).value = "Two shipments short"
        await press(pilot, "ctrl+s")
        assert "Two shipments short" in screen_text(pilot)
    assert case_log.case(case.case_id).summary.short_description == "Two shipments short"


async def test_reply_refuses_an_emptied_short_description(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "My reply")
        form(pilot).query_one("#short_description", Input).value = "  "
        await press(pilot, "ctrl+s")
        assert problem(pilot, "short_description") == (
            "The short description is empty; write a few words about the issue."
        )
        assert form(pilot).query_one("#message", TextArea).text == "My reply"
    assert case_log.case(case.case_id).status is Status.OPEN


async def test_empty_reply_names_the_message(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r", "ctrl+s")
        assert problem(pilot, "message") == (
            "The message is empty; write what you need from Seller Support."
        )
        assert "✗ The message is empty" in screen_text(pilot)
        await type_text(pilot, "x")
        assert problem(pilot, "message") is None  # typing clears the stale sentence


async def test_cc_of_300_characters_is_accepted(case_log: CaseLog) -> None:
    case = make_case(case_log)
    cc = cc_of_length(300)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Copying the team.")
        await press(pilot, "tab")
        await type_text(pilot, cc)
        assert "300 of 300 characters" in screen_text(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
    assert len(", ".join(case_log.case(case.case_id).cc)) == 300


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_reply_cc_count_includes_the_list_the_case_has(
    size: tuple[int, int], case_log: CaseLog
) -> None:
    """Issue 13: the count said "300 of 300" for the added text alone while
    the case already had 54 characters of Cc, and sending then failed."""
    existing = cc_of_length(54)
    case = make_case(case_log, cc=existing)
    added = cc_of_length(300).replace("person", "helper")
    # Counted the way the store joins them (without spaces past 300).
    sent = len(rules.join_cc(rules.split_cc(f"{existing},{added}")))
    assert sent > 300
    async with new_app(case_log).run_test(size=size) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        hint = form(pilot).query_one("#field-cc", FormField)
        assert "54 of 300 characters" in str(hint.query_one(".field-hint").render())
        await type_text(pilot, "Copying the team.")
        await press(pilot, "tab")
        await type_text(pilot, added)
        assert f"{sent} of 300 characters" in str(hint.query_one(".field-hint").render())
        await press(pilot, "ctrl+s")
        assert f"would be {sent} characters" in (problem(pilot, "cc") or "")


async def test_cc_of_301_characters_is_refused_and_the_draft_kept(case_log: CaseLog) -> None:
    case = make_case(case_log)
    cc = cc_of_length(301)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Copying the team.")
        await press(pilot, "tab")
        await type_text(pilot, cc)
        await press(pilot, "ctrl+s")
        assert problem(pilot, "cc") == (
            "The Cc list is 301 characters; the limit is 300 including commas and spaces."
        )
        assert "The Cc list is 301 characters" in screen_text(pilot)
        assert form(pilot).query_one("#message", TextArea).text == "Copying the team."
        assert form(pilot).query_one("#cc", Input).value == cc
    assert case_log.case(case.case_id).status is Status.OPEN


async def test_reply_to_an_answered_case_is_refused_with_reopen_advice(
    case_log: CaseLog, clock: Clock
) -> None:
    case = answered_case(case_log, clock, days_ago=1)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        assert isinstance(pilot.app.screen, RefusedModal)
        text = shown(pilot, "#refused-sentence")
        assert f"Case {case.case_id} was answered, so it cannot take a reply." in text
        assert "Re-open it instead (possible for 4 days) or submit a new case." in text
        await press(pilot, "o")  # take the offer
        assert type(pilot.app.screen).__name__ == "ReopenForm"


async def test_a_case_answered_while_replying_gives_reopen_advice_first(
    case_log: CaseLog,
) -> None:
    """Support answered while the seller was typing; the emptied description
    and the empty message do not matter any more: re-opening does."""
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        form(pilot).query_one("#short_description", Input).value = ""
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
        await press(pilot, "ctrl+s")
        assert "was answered, so it cannot take a reply. Re-open it instead" in shown(
            pilot, "#form-problem"
        )
        assert problem(pilot, "short_description") is None
        assert problem(pilot, "message") is None


# -- re-open ----------------------------------------------------------------------


async def test_reopen_at_exactly_five_days(case_log: CaseLog, clock: Clock) -> None:
    case = answered_case(case_log, clock, days_ago=5)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "o")
        assert "Can be re-opened for less than a minute" in screen_text(pilot)
        await type_text(pilot, "The units are still missing.")
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
        assert "Status: Pending Amazon Action" in screen_text(pilot)
        assert "Re-opened: once" in screen_text(pilot)
        assert f"Case {case.case_id} re-opened — it is now Pending Amazon Action" in (
            notifications(pilot)
        )
    assert case_log.case(case.case_id).summary.reopened_count == 1


async def test_reopen_at_five_days_and_a_second_is_refused(case_log: CaseLog, clock: Clock) -> None:
    case = answered_case(case_log, clock, days_ago=5)
    clock.advance(seconds=1)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "o")
        assert isinstance(pilot.app.screen, RefusedModal)
        assert (
            f"Case {case.case_id} was answered 5 days ago and can no longer be re-opened; "
            "submit a new case instead." == shown(pilot, "#refused-sentence")
        )
        assert "Re-open (o)" not in screen_text(pilot)
        assert "New case (n)" in screen_text(pilot)
        await press(pilot, "n")
        assert type(pilot.app.screen).__name__ == "NewCaseForm"


async def test_window_closing_while_typing_keeps_the_draft(case_log: CaseLog, clock: Clock) -> None:
    case = answered_case(case_log, clock, days_ago=5)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "o")
        await type_text(pilot, "Still missing.")
        clock.advance(seconds=1)
        await press(pilot, "ctrl+s")
        assert "can no longer be re-opened; submit a new case instead." in shown(
            pilot, "#form-problem"
        )
        assert form(pilot).query_one("#message", TextArea).text == "Still missing."
    assert case_log.case(case.case_id).status is Status.ANSWERED


async def test_reopen_an_active_case_says_to_reply(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "o")
        assert f"Case {case.case_id} is Open, not answered; reply to it instead." == shown(
            pilot, "#refused-sentence"
        )
        await press(pilot, "r")
        assert type(pilot.app.screen).__name__ == "ReplyForm"


async def test_reopen_needs_a_message(case_log: CaseLog, clock: Clock) -> None:
    case = answered_case(case_log, clock, days_ago=1)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "o", "ctrl+s")
        assert problem(pilot, "message") == (
            "The message is empty; write what you need from Seller Support."
        )
    assert case_log.case(case.case_id).status is Status.ANSWERED


# -- edit ---------------------------------------------------------------------------


async def test_edit_the_short_description(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "e", "ctrl+u")
        await type_text(pilot, "Lost units at LTN4")
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
        assert "Lost units at LTN4" in screen_text(pilot)
        assert f"Short description of case {case.case_id} changed" in notifications(pilot)


async def test_the_first_key_in_a_form_adds_to_the_subject(case_log: CaseLog) -> None:
    """No field starts with its text selected: the first key typed amends
    the subject, it does not replace it."""
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "e", "space", "2")
        assert form(pilot).query_one("#short_description", Input).value == (
            "Reimbursement for lost units 2"
        )
        await press(pilot, "escape", "y", "r", "tab", "tab", "space", "3")
        assert form(pilot).query_one("#short_description", Input).value == (
            "Reimbursement for lost units 3"
        )


@pytest.mark.parametrize(("key", "offers_editor"), [("e", False), ("r", True), ("R", True)])
async def test_the_key_hint_offers_the_editor_only_where_there_is_a_message(
    case_log: CaseLog, key: str, offers_editor: bool
) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, key)
        hint = shown(pilot, ".form-keys")
        assert hint.startswith("ctrl+s send · esc cancel")
        assert ("ctrl+e" in hint) is offers_editor


async def test_empty_short_description_is_refused(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "e", "ctrl+u", "ctrl+s")
        assert problem(pilot, "short_description") == (
            "The short description is empty; write a few words about the issue."
        )
    assert case_log.case(case.case_id).summary.short_description == "Reimbursement for lost units"


async def test_long_short_description_is_refused_with_its_length(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "e", "ctrl+u")
        await type_text(pilot, "x" * 201)
        await press(pilot, "ctrl+s")
        assert problem(pilot, "short_description") == (
            "The short description is 201 characters; the limit is 200."
        )


# -- resolve --------------------------------------------------------------------------


async def test_resolve_with_a_note(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "R")
        assert "Tell Seller Support the issue is resolved?" in screen_text(pilot)
        await type_text(pilot, "The units turned up.")
        await press(pilot, "ctrl+s")
        assert "Status: Answered" in screen_text(pilot)
        assert "The units turned up." in screen_text(pilot)
        assert f"Case {case.case_id} marked resolved — it is now Answered" in notifications(pilot)


async def test_resolve_without_a_note(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "R", "ctrl+s")
        assert "The issue is resolved; no further action is needed." in screen_text(pilot)
    assert case_log.case(case.case_id).status is Status.ANSWERED


async def test_resolve_an_answered_case_is_refused(case_log: CaseLog, clock: Clock) -> None:
    case = answered_case(case_log, clock, days_ago=1)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "R")
        assert f"Case {case.case_id} is already answered; there is nothing to resolve." == shown(
            pilot, "#refused-sentence"
        )
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, CaseDetailScreen)


# -- new case -----------------------------------------------------------------------------


async def test_new_case_defaults_to_the_account_email(case_log: CaseLog) -> None:
    async with new_app(case_log, account_email="me@shop.example").run_test(size=SIZE) as pilot:
        await press(pilot, "escape")  # nothing typed: no question
        start_new_case(pilot.app)  # type: ignore[arg-type]
        await press(pilot)
        assert form(pilot).query_one("#primary_email", Input).value == "me@shop.example"
        await press(pilot, "tab", "tab")
        await type_text(pilot, "Payment held")
        await press(pilot, "tab")
        await type_text(pilot, "Please release our disbursement.")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, CaseForm)
        sent = [n for n in notifications(pilot) if n.endswith("submitted — it is Open")]
    assert len(sent) == 1
    case_id = int(sent[0].split()[1])
    stored = case_log.case(case_id)
    assert stored.summary.primary_email == "me@shop.example"
    assert stored.summary.short_description == "Payment held"


async def test_new_case_remembers_the_account_email(case_log: CaseLog, tmp_path: Path) -> None:
    app = new_app(case_log, account_email=None)
    async with app.run_test(size=SIZE) as pilot:
        start_new_case(app)
        await press(pilot)
        await type_text(pilot, "Owner@Shop.example")
        await press(pilot, "tab", "tab")
        await type_text(pilot, "Listing suppressed")
        await press(pilot, "tab")
        await type_text(pilot, "Please reinstate it.")
        await press(pilot, "ctrl+s")
        assert app.config.account_email == "owner@shop.example"
        start_new_case(app)
        await press(pilot)
        assert form(pilot).query_one("#primary_email", Input).value == "owner@shop.example"
    saved = tomllib.loads(Path(tmp_path / "home/config/caselog.toml").read_text())
    assert saved["account_email"] == "owner@shop.example"


async def test_a_broken_config_file_never_hides_that_the_case_was_submitted(
    case_log: CaseLog, tmp_path: Path
) -> None:
    """The case is stored even when the address cannot be remembered: the
    form closes and says both, so the seller does not send it twice."""
    config = tmp_path / "home/config/caselog.toml"
    config.parent.mkdir(parents=True)
    config.write_text('theme = "nord\n', encoding="utf-8")
    app = new_app(case_log, account_email=None)
    async with app.run_test(size=SIZE) as pilot:
        start_new_case(app)
        await press(pilot)
        await type_text(pilot, "owner@shop.example")
        await press(pilot, "tab", "tab")
        await type_text(pilot, "Listing suppressed")
        await press(pilot, "tab")
        await type_text(pilot, "Please reinstate it.")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, CaseForm)
        said = notifications(pilot)
        assert any(n.endswith("submitted — it is Open") for n in said), said
        assert any(
            "The case was submitted, but the account e-mail was not remembered" in n
            and "not valid TOML" in n
            for n in said
        ), said
    assert case_log.count(CaseQuery()) == 1
    assert config.read_text(encoding="utf-8") == 'theme = "nord\n'


async def test_new_case_names_every_invalid_field(case_log: CaseLog) -> None:
    app = new_app(case_log, account_email=None)
    async with app.run_test(size=SIZE) as pilot:
        start_new_case(app)
        await press(pilot)
        await type_text(pilot, "not-an-address")
        await press(pilot, "ctrl+s")
        assert problem(pilot, "primary_email") == (
            "“not-an-address” is not a valid e-mail address (expected name@example.com)."
        )
        assert problem(pilot, "short_description") == (
            "The short description is empty; write a few words about the issue."
        )
        assert problem(pilot, "message") == (
            "The message is empty; write what you need from Seller Support."
        )
        assert problem(pilot, "cc") is None
        assert form(pilot).query_one("#primary_email", Input).value == "not-an-address"
        assert pilot.app.focused is form(pilot).query_one("#primary_email", Input)


# -- cancelling and a busy store ---------------------------------------------------------------


async def test_cancel_without_a_draft_closes_at_once(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r", "escape")
        assert isinstance(pilot.app.screen, CaseDetailScreen)


async def test_cancel_with_a_draft_asks_first(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "half a thought")
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, ConfirmModal)
        assert "Discard this draft?" in screen_text(pilot)
        await press(pilot, "n")  # keep editing
        assert form(pilot).query_one("#message", TextArea).text == "half a thought"
        await press(pilot, "escape")
        await press(pilot, "enter")  # the focused answer is the safe one
        assert form(pilot).query_one("#message", TextArea).text == "half a thought"
        await press(pilot, "escape", "y")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
    assert len(case_log.case(case.case_id).messages) == 1


async def test_a_busy_store_keeps_the_draft(
    case_log: CaseLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(case_log)

    def busy(*args: object, **kwargs: object) -> None:
        raise StoreError("The case log is busy (another program is writing); try again.")

    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "An important reply")
        monkeypatch.setattr(case_log, "reply", busy)
        await press(pilot, "ctrl+s")
        assert (
            shown(pilot, "#form-problem")
            == "✗ The case log is busy (another program is writing); try again."
        )
        assert form(pilot).query_one("#message", TextArea).text == "An important reply"
        monkeypatch.undo()
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, CaseDetailScreen)
    assert case_log.case(case.case_id).messages[-1].body == "An important reply"


async def test_quit_with_a_draft_asks_first(case_log: CaseLog) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "not sent yet")
        await press(pilot, "ctrl+q")
        assert isinstance(pilot.app.screen, ConfirmModal)
        assert "Quit and lose your draft?" in screen_text(pilot)
        await press(pilot, "n")
        assert form(pilot).query_one("#message", TextArea).text == "not sent yet"
        await press(pilot, "ctrl+q", "y")
    assert app.return_code == 0
    assert not app.is_running
