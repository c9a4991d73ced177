"""The status machine of docs/PRODUCT.md: which action is allowed in which status,
what status it leads to, and the sentence a seller reads when it is refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from caselog_tui.core.errors import ActionRefused, ValidationError
from caselog_tui.core.status import Status

# An answered case can be re-opened for this long after its last activity.
REOPEN_WINDOW = timedelta(days=5)


class Action(StrEnum):
    REPLY = "reply"
    REOPEN = "reopen"
    RESOLVE = "resolve"
    EDIT = "edit"
    # Seller Support's actions, recorded with `caselog respond` or mail import.
    SUPPORT_WORKING = "pending"
    SUPPORT_ASKS = "needs-attention"
    SUPPORT_ANSWERS = "answered"
    SUPPORT_TRANSFERS = "transferred"


SUPPORT_RESULTS: dict[Action, Status] = {
    Action.SUPPORT_WORKING: Status.PENDING,
    Action.SUPPORT_ASKS: Status.NEEDS_ATTENTION,
    Action.SUPPORT_ANSWERS: Status.ANSWERED,
    Action.SUPPORT_TRANSFERS: Status.TRANSFERRED,
}


# A team's name, as support writes it ("Seller Fees", "FBA Inventory").
TEAM_MAX = 80


def transfer_team(team: str | None) -> str:
    """The team a case is transferred to, trimmed: a transfer without one
    would leave the seller not knowing who has the case now (PRODUCT.md:
    Transferred comes "with the team's name")."""
    name = " ".join((team or "").split())
    if not name:
        raise ValidationError({"team": "A transferred case needs the name of the team it went to."})
    if len(name) > TEAM_MAX:
        raise ValidationError(
            {"team": f"The team name is {len(name)} characters; the limit is {TEAM_MAX}."}
        )
    return name


def with_team(message: str, team: str) -> str:
    """The transfer's message, naming the team first unless it already does."""
    if team.casefold() in message.casefold():
        return message
    return f"Transferred to {team}.\n\n{message}"


_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))


def _count(count: int, unit: str) -> str:
    return f"{count} {unit}{'s' if count != 1 else ''}"


def describe_span(span: timedelta) -> str:
    """ "9 days", "1 day", "5 hours", "12 minutes" — the largest whole unit."""
    seconds = max(0, int(span.total_seconds()))
    for unit, size in _UNITS:
        if seconds >= size:
            return _count(seconds // size, unit)
    return "less than a minute"


def describe_left(span: timedelta) -> str:
    """Time still left, in the two largest whole units and never more than
    is left: "5 days", "4 days 23 hours", "2 hours 5 minutes". (One unit
    rounded down said "4 more days" right after a case was answered, where
    the rule says 5.)"""
    seconds = max(0, int(span.total_seconds()))
    for index, (unit, size) in enumerate(_UNITS):
        if seconds >= size:
            text = _count(seconds // size, unit)
            if index + 1 < len(_UNITS):
                smaller, smaller_size = _UNITS[index + 1]
                rest = seconds % size // smaller_size
                if rest:
                    text += " " + _count(rest, smaller)
            return text
    return "less than a minute"


def reopen_deadline(status: Status, last_activity_at: datetime) -> datetime | None:
    return last_activity_at + REOPEN_WINDOW if status is Status.ANSWERED else None


def can_reopen(status: Status, last_activity_at: datetime, now: datetime) -> bool:
    deadline = reopen_deadline(status, last_activity_at)
    return deadline is not None and now <= deadline


def reopen_window_text(status: Status, last_activity_at: datetime, now: datetime) -> str | None:
    """What the case details say about re-opening; None while the case is active."""
    deadline = reopen_deadline(status, last_activity_at)
    if deadline is None:
        return None
    if now <= deadline:
        return f"Can be re-opened for {describe_left(deadline - now)}"
    return f"Answered {describe_span(now - last_activity_at)} ago: submit a new case instead"


def next_status(
    case_id: int, status: Status, last_activity_at: datetime, action: Action, now: datetime
) -> Status:
    """The status `action` leads to, or ActionRefused saying why not."""
    if action is Action.EDIT:
        return status
    if action in SUPPORT_RESULTS:
        return SUPPORT_RESULTS[action]
    if action is Action.REPLY:
        if status is Status.ANSWERED:
            if can_reopen(status, last_activity_at, now):
                left = describe_left(last_activity_at + REOPEN_WINDOW - now)
                raise ActionRefused(
                    f"Case {case_id} was answered, so it cannot take a reply. "
                    f"Re-open it instead (possible for {left}) or submit a new case."
                )
            raise ActionRefused(_too_old(case_id, last_activity_at, now))
        return Status.PENDING
    if action is Action.REOPEN:
        if status is not Status.ANSWERED:
            raise ActionRefused(
                f"Case {case_id} is {status.label}, not answered; reply to it instead."
            )
        if not can_reopen(status, last_activity_at, now):
            raise ActionRefused(_too_old(case_id, last_activity_at, now))
        return Status.PENDING
    if action is Action.RESOLVE:
        if status is Status.ANSWERED:
            raise ActionRefused(f"Case {case_id} is already answered; there is nothing to resolve.")
        return Status.ANSWERED
    raise ActionRefused(f"The action {action.value} is not known.")  # pragma: no cover


def _too_old(case_id: int, last_activity_at: datetime, now: datetime) -> str:
    return (
        f"Case {case_id} was answered {describe_span(now - last_activity_at)} ago and can "
        "no longer be re-opened; submit a new case instead."
    )
