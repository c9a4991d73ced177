"""Plain, immutable records the UI and the CLI work with. Widgets never hold
ORM objects or sessions; they get these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from caselog_tui.core import machine
from caselog_tui.core.paging import first_index, page_count
from caselog_tui.core.status import Status


class Side(StrEnum):
    SELLER = "seller"
    SUPPORT = "support"

    @property
    def label(self) -> str:
        return "You" if self is Side.SELLER else "Seller Support"


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return int(moment.timestamp())


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case log and of the export report."""

    case_id: int
    created_at: datetime
    status: Status
    primary_email: str
    short_description: str
    last_activity_at: datetime
    reopened_count: int


@dataclass(frozen=True, slots=True)
class Message:
    message_id: int
    side: Side
    author: str
    sent_at: datetime
    body: str


@dataclass(frozen=True, slots=True)
class CaseDetail:
    summary: CaseSummary
    cc: list[str]
    answered_at: datetime | None
    messages: list[Message]
    # Counts the writes to the case: a write prepared against an older one
    # is refused (services.caselog, core.meanwhile).
    version: int = 0

    @property
    def case_id(self) -> int:
        return self.summary.case_id

    @property
    def status(self) -> Status:
        return self.summary.status

    def reopen_deadline(self) -> datetime | None:
        """Until when an answered case can be re-opened (None if not answered)."""
        return machine.reopen_deadline(self.summary.status, self.summary.last_activity_at)

    def can_reopen(self, now: datetime) -> bool:
        return machine.can_reopen(self.summary.status, self.summary.last_activity_at, now)


def new_messages(before: CaseDetail, after: CaseDetail) -> list[Message]:
    """The messages of `after` that `before` (the same case, read earlier)
    did not hold, oldest first."""
    known = {message.message_id for message in before.messages}
    return [message for message in after.messages if message.message_id not in known]


@dataclass(frozen=True, slots=True)
class CasePage:
    """One page of a view: its rows, the total the view holds, and where the
    page sits (zero-based `page`)."""

    cases: list[CaseSummary]
    total: int
    page: int
    page_size: int

    @property
    def first_position(self) -> int:
        return first_index(self.page, self.page_size) + 1 if self.cases else 0

    @property
    def last_position(self) -> int:
        return first_index(self.page, self.page_size) + len(self.cases)

    @property
    def page_count(self) -> int:
        return page_count(self.total, self.page_size)

    def position_text(self) -> str:
        """ "51–100 of 1,234" """
        if not self.total:
            return "0 of 0"
        return f"{self.first_position:,}–{self.last_position:,} of {self.total:,}"
