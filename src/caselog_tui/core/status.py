"""The case statuses and the seller's status groups (docs/PRODUCT.md, "The case")."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A case status. The stored codes sort in the same order as the labels,
    so sorting by the code column sorts by what the seller reads."""

    ANSWERED = "answered"
    NEEDS_ATTENTION = "attention"
    OPEN = "open"
    PENDING = "pending"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def short_label(self) -> str:
        """The status in fewer words, for a narrow table ("Needs you")."""
        return _SHORT_LABELS[self]

    @property
    def is_active(self) -> bool:
        return self is not Status.ANSWERED

    @classmethod
    def from_code(cls, code: str) -> Status:
        return cls(code)


_LABELS = {
    Status.OPEN: "Open",
    Status.PENDING: "Pending Amazon Action",
    Status.NEEDS_ATTENTION: "Needs Your Attention",
    Status.ANSWERED: "Answered",
    Status.TRANSFERRED: "Transferred",
}

_SHORT_LABELS = {
    Status.OPEN: "Open",
    Status.PENDING: "Pending Amazon",
    Status.NEEDS_ATTENTION: "Needs you",
    Status.ANSWERED: "Answered",
    Status.TRANSFERRED: "Transferred",
}

ACTIVE_STATUSES: frozenset[Status] = frozenset(s for s in Status if s.is_active)


class StatusGroup(StrEnum):
    """The filter checkboxes of the case log: open, answered, requires attention,
    re-opened. Their codes are the ones `caselog export --status` takes."""

    OPEN = "open"
    ANSWERED = "answered"
    ATTENTION = "attention"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    StatusGroup.OPEN: "Open",
    StatusGroup.ANSWERED: "Answered",
    StatusGroup.ATTENTION: "Requires attention",
    StatusGroup.REOPENED: "Re-opened",
}

# Statuses each group stands for; "re-opened" also needs reopened_count >= 1.
GROUP_STATUSES: dict[StatusGroup, frozenset[Status]] = {
    StatusGroup.OPEN: frozenset({Status.OPEN, Status.PENDING, Status.TRANSFERRED}),
    StatusGroup.ANSWERED: frozenset({Status.ANSWERED}),
    StatusGroup.ATTENTION: frozenset({Status.NEEDS_ATTENTION}),
    StatusGroup.REOPENED: ACTIVE_STATUSES,
}


def in_group(group: StatusGroup, status: Status, reopened_count: int) -> bool:
    if group is StatusGroup.REOPENED and reopened_count < 1:
        return False
    return status in GROUP_STATUSES[group]
