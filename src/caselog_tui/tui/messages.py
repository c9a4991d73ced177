"""Messages between the app and its screens: the store changed, and the
answers of the case read that starts a seller's action (tui/actions.py).
Kept here, apart from the forms, so the app knows them without importing
the forms at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from caselog_tui.core.machine import Action
from caselog_tui.core.presence import Here
from caselog_tui.core.records import CaseDetail


@dataclass
class CasesChanged(Message):
    """The store changed (an action, a refresh or another process).
    `case_id` names the case when one case changed, None when any may have.
    `live`: live refresh found it, so the screens reload without disturbing
    the seller (rows patched in place, scroll kept, no "loading…").
    `news_at`: when live refresh saw it, if it was a colleague's, to be
    announced ("2 cases changed on this page · 10:42"); None when it may be
    our own write, which the screens already show."""

    case_id: int | None = None
    live: bool = False
    news_at: datetime | None = None
    # Live refresh: the cases that changed, when the store knows (None:
    # any may have).
    case_ids: frozenset[int] | None = None


@dataclass
class StoreChanged(Message):
    """Live refresh saw a commit to the store; `ours`: it may be our own;
    `case_ids`: the cases it changed, None when any may have."""

    ours: bool
    case_ids: frozenset[int] | None = None


@dataclass
class StoreReach(Message, bubble=False):
    """Live refresh lost the store (a server down, the network gone) or
    reached it again. `loaded_at`: when what the screens show was last
    known to be up to date (the last poll that reached it); `sentence`:
    why it cannot be reached (empty once it can). It does not bubble: the
    app hands it on to every screen (as PresenceChanged)."""

    connected: bool
    loaded_at: datetime
    sentence: str = ""


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


@dataclass
class PresenceChanged(Message, bubble=False):
    """Who else has the case log open changed (tui/presence.py). It does
    not bubble: the app hands it on to every screen, and one bubbling back
    up would be handed on again."""

    others: tuple[Here, ...]
