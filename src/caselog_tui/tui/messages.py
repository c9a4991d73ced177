"""Messages between the app and its screens: the store changed, and the
answers of the case read that starts a seller's action (tui/actions.py).
Kept here, apart from the forms, so the app knows them without importing
the forms at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from caselog_tui.core.machine import Action
from caselog_tui.core.records import CaseDetail


@dataclass
class CasesChanged(Message):
    """The store changed (an action, a refresh or another process).
    `case_id` names the case when one case changed, None when any may have."""

    case_id: int | None = None


@dataclass
class CaseReady(Message):
    """The case `action` was started on, as the store has it `now`."""

    detail: CaseDetail
    now: datetime
    action: Action


@dataclass
class CaseUnavailable(Message):
    """The store could not read the case; `sentence` says why."""

    sentence: str
