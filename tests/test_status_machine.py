"""The status machine of docs/PRODUCT.md, every (status, action) pair, through the
case log service with a fixed clock: what each action leads to, what it is
refused with, and that a refusal changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caselog_tui.core.errors import ActionRefused, ValidationError
from caselog_tui.core.machine import (
    Action,
    describe_left,
    describe_span,
    next_status,
    reopen_window_text,
)
from caselog_tui.core.records import CaseDetail
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from tests.conftest import FakeClock

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases

SELLER = "seller@example.com"
ACTIVE = [Status.OPEN, Status.PENDING, Status.NEEDS_ATTENTION, Status.TRANSFERRED]
SUPPORT = {
    Action.SUPPORT_WORKING: Status.PENDING,
    Action.SUPPORT_ASKS: Status.NEEDS_ATTENTION,
    Action.SUPPORT_ANSWERS: Status.ANSWERED,
    Action.SUPPORT_TRANSFERS: Status.TRANSFERRED,
}
REACHED_BY = {
    Status.PENDING: Action.SUPPORT_WORKING,
    Status.NEEDS_ATTENTION: Action.SUPPORT_ASKS,
    Status.ANSWERED: Action.SUPPORT_ANSWERS,
    Status.TRANSFERRED: Action.SUPPORT_TRANSFERS,
}


def case_in(log: CaseLog, status: Status) -> CaseDetail:
    """A case brought into `status` the way it happens for real."""
    case = log.submit_case(
        primary_email=SELLER, short_description="Lost units at LTN4", message="Please check."
    )
    if status is Status.OPEN:
        return case
    return support_reply(log, case.case_id, REACHED_BY[status], "From support.")


def support_reply(log: CaseLog, case_id: int, action: Action, text: str) -> CaseDetail:
    """Support's reply; a transfer names its team, as it must."""
    team = "Seller Fees" if action is Action.SUPPORT_TRANSFERS else None
    return log.record_support_reply(case_id, action, text, team=team)


def act(log: CaseLog, case_id: int, action: Action) -> CaseDetail:
    if action is Action.REPLY:
        return log.reply(case_id, "More details.")
    if action is Action.REOPEN:
        return log.reopen(case_id, "It happened again.")
    if action is Action.RESOLVE:
        return log.resolve(case_id)
    if action is Action.EDIT:
        return log.edit_short_description(case_id, "Lost units at LTN4 (updated)")
    return support_reply(log, case_id, action, "Support says.")


def expected(status: Status, action: Action) -> Status | None:
    """The product's table, written out independently of machine.py. None
    means the action is refused."""
    if action in SUPPORT:
        return SUPPORT[action]
    if action is Action.EDIT:
        return status
    if action is Action.REPLY:
        return None if status is Status.ANSWERED else Status.PENDING
    if action is Action.REOPEN:
        return Status.PENDING if status is Status.ANSWERED else None
    assert action is Action.RESOLVE
    return None if status is Status.ANSWERED else Status.ANSWERED


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_every_status_and_action_within_the_reopen_window(
    case_log: CaseLog, clock: FakeClock, status: Status, action: Action
) -> None:
    case = case_in(case_log, status)
    clock.advance(hours=1)
    outcome = expected(status, action)
    if outcome is None:
        with pytest.raises(ActionRefused) as refused:
            act(case_log, case.case_id, action)
        assert str(case.case_id) in refused.value.message
        assert refused.value.message.endswith(".")
        assert case_log.case(case.case_id) == case  # nothing changed
        return
    after = act(case_log, case.case_id, action)
    assert after.status is outcome
    changed_at = clock.now.replace(microsecond=0)
    assert after.summary.reopened_count == (1 if action is Action.REOPEN else 0)
    if action is Action.EDIT:
        assert after.summary.short_description == "Lost units at LTN4 (updated)"
        assert len(after.messages) == len(case.messages)
        assert after.summary.last_activity_at == case.summary.last_activity_at
    else:
        assert len(after.messages) == len(case.messages) + 1
        assert after.messages[-1].sent_at == changed_at
        assert after.summary.last_activity_at == changed_at
    if outcome is Status.ANSWERED and action is not Action.EDIT:
        assert after.answered_at == changed_at


@pytest.mark.parametrize("action", list(Action))
def test_an_answered_case_past_the_reopen_window(
    case_log: CaseLog, clock: FakeClock, action: Action
) -> None:
    case = case_in(case_log, Status.ANSWERED)
    clock.advance(days=6)
    if action in (Action.REPLY, Action.REOPEN, Action.RESOLVE):
        with pytest.raises(ActionRefused) as refused:
            act(case_log, case.case_id, action)
        if action is not Action.RESOLVE:
            assert "submit a new case" in refused.value.message
        assert case_log.case(case.case_id) == case
    else:
        assert act(case_log, case.case_id, action).status is expected(Status.ANSWERED, action)


def test_reply_to_answered_case_says_reopen_while_it_still_can(
    case_log: CaseLog, clock: FakeClock
) -> None:
    case = case_in(case_log, Status.ANSWERED)
    clock.advance(days=2)
    with pytest.raises(ActionRefused) as refused:
        case_log.reply(case.case_id, "Still broken.")
    assert refused.value.message == (
        f"Case {case.case_id} was answered, so it cannot take a reply. "
        "Re-open it instead (possible for 3 days) or submit a new case."
    )


def test_reopen_an_active_case_says_reply_instead(case_log: CaseLog) -> None:
    case = case_in(case_log, Status.NEEDS_ATTENTION)
    with pytest.raises(ActionRefused) as refused:
        case_log.reopen(case.case_id, "Again.")
    assert refused.value.message == (
        f"Case {case.case_id} is Needs Your Attention, not answered; reply to it instead."
    )


@pytest.mark.parametrize(
    ("after", "allowed"),
    [
        (timedelta(days=5) - timedelta(seconds=1), True),
        (timedelta(days=5), True),
        (timedelta(days=5, seconds=1), False),
    ],
)
def test_reopen_boundary_is_five_days_after_the_last_activity(
    case_log: CaseLog, clock: FakeClock, after: timedelta, allowed: bool
) -> None:
    case = case_in(case_log, Status.ANSWERED)
    clock.advance(seconds=after.total_seconds())
    if allowed:
        reopened = case_log.reopen(case.case_id, "It came back.")
        assert reopened.status is Status.PENDING
        assert reopened.summary.reopened_count == 1
    else:
        with pytest.raises(ActionRefused) as refused:
            case_log.reopen(case.case_id, "It came back.")
        assert refused.value.message == (
            f"Case {case.case_id} was answered 5 days ago and can no longer be "
            "re-opened; submit a new case instead."
        )


def test_the_window_restarts_from_the_latest_activity(case_log: CaseLog, clock: FakeClock) -> None:
    case = case_in(case_log, Status.ANSWERED)
    clock.advance(days=4)
    case_log.reopen(case.case_id, "Again.")
    clock.advance(days=1)
    case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done again.")
    clock.advance(days=5)
    twice = case_log.reopen(case.case_id, "And again.")
    assert twice.summary.reopened_count == 2
    assert len(twice.messages) == 5


def test_reopen_needs_a_message(case_log: CaseLog) -> None:
    case = case_in(case_log, Status.ANSWERED)
    with pytest.raises(ValidationError) as invalid:
        case_log.reopen(case.case_id, "  \n ")
    assert set(invalid.value.fields) == {"message"}
    assert case_log.case(case.case_id) == case


def test_resolve_records_the_note_or_a_standard_sentence(case_log: CaseLog) -> None:
    first = case_in(case_log, Status.OPEN)
    second = case_in(case_log, Status.PENDING)
    noted = case_log.resolve(first.case_id, "Reimbursed, thanks.\r\n")
    plain = case_log.resolve(second.case_id, "   ")
    assert noted.messages[-1].body == "Reimbursed, thanks."
    assert plain.messages[-1].body == "The issue is resolved; no further action is needed."
    assert {noted.messages[-1].side.label, plain.messages[-1].side.label} == {"You"}


def test_pure_machine_agrees_with_the_table() -> None:
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    for status in Status:
        for action in Action:
            outcome = expected(status, action)
            if outcome is None:
                with pytest.raises(ActionRefused):
                    next_status(12345678901, status, now, action, now)
            else:
                assert next_status(12345678901, status, now, action, now) is outcome


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(days=1), "1 day"),
        (timedelta(days=4, hours=23), "4 days"),
        (timedelta(hours=5, minutes=59), "5 hours"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(seconds=-5), "less than a minute"),
    ],
)
def test_describe_span(span: timedelta, text: str) -> None:
    assert describe_span(span) == text


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(days=5), "5 days"),
        (timedelta(days=4, hours=23, minutes=59, seconds=59), "4 days 23 hours"),
        (timedelta(days=1, minutes=5), "1 day"),
        (timedelta(hours=2, minutes=5), "2 hours 5 minutes"),
        (timedelta(minutes=1, seconds=30), "1 minute"),
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(seconds=-5), "less than a minute"),
    ],
)
def test_describe_left_never_says_more_than_is_left(span: timedelta, text: str) -> None:
    assert describe_left(span) == text


def test_reopen_window_text() -> None:
    answered = datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert reopen_window_text(Status.OPEN, answered, answered) is None
    soon = answered + timedelta(days=2)
    assert reopen_window_text(Status.ANSWERED, answered, soon) == "Can be re-opened for 3 days"
    late = answered + timedelta(days=9)
    assert (
        reopen_window_text(Status.ANSWERED, answered, late)
        == "Answered 9 days ago: submit a new case instead"
    )


def test_the_window_reads_the_same_in_the_header_and_the_refusal() -> None:
    """A minute after the answer: 4 days 23 hours everywhere, never "4 more
    days" (the header and the re-open form share reopen_window_text)."""
    answered = datetime(2026, 11, 20, 12, tzinfo=UTC)
    now = answered + timedelta(minutes=1)
    assert reopen_window_text(Status.ANSWERED, answered, now) == (
        "Can be re-opened for 4 days 23 hours"
    )
    with pytest.raises(ActionRefused) as refused:
        next_status(12345678901, Status.ANSWERED, answered, Action.REPLY, now)
    assert "(possible for 4 days 23 hours)" in refused.value.message


def test_a_transfer_names_the_team_it_went_to(case_log: CaseLog) -> None:
    case = case_in(case_log, Status.OPEN)
    with pytest.raises(ValidationError) as refused:
        case_log.record_support_reply(case.case_id, Action.SUPPORT_TRANSFERS, "Moved.")
    assert refused.value.fields == {
        "team": "A transferred case needs the name of the team it went to."
    }
    with pytest.raises(ValidationError):
        case_log.record_support_reply(case.case_id, Action.SUPPORT_TRANSFERS, "Moved.", team="  ")
    assert case_log.case(case.case_id).status is Status.OPEN  # nothing half-written
    moved = case_log.record_support_reply(
        case.case_id, Action.SUPPORT_TRANSFERS, "We moved it.", team=" Seller  Fees "
    )
    assert moved.status is Status.TRANSFERRED
    assert moved.messages[-1].body == "Transferred to Seller Fees.\n\nWe moved it."
    named = case_log.record_support_reply(
        case.case_id, Action.SUPPORT_TRANSFERS, "The FBA team has it now.", team="FBA"
    )
    assert named.messages[-1].body == "The FBA team has it now."  # named once, not twice


def test_only_a_transfer_names_a_team(case_log: CaseLog) -> None:
    case = case_in(case_log, Status.OPEN)
    with pytest.raises(ActionRefused, match="only when the case is transferred"):
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.", team="FBA")


def test_an_empty_support_reply_is_named_as_support_s(case_log: CaseLog) -> None:
    case = case_in(case_log, Status.OPEN)
    with pytest.raises(ValidationError) as refused:
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "  \n")
    assert refused.value.fields == {"message": "The reply from Seller Support has no text."}
