"""Messages the app broadcasts to its screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CasesChanged(Message):
    """The store changed (an action, a refresh or another process).
    `case_id` names the case when one case changed, None when any may have."""

    case_id: int | None = None
