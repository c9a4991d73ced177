"""This session's presence on a case log: what it tells colleagues (which
case it has open, whether it is writing to it) and what it hears of theirs.

The TUI calls `here()` when the seller opens or leaves a case or a form,
`beat()` every few seconds from a worker thread, and `others()` when the
board changed or a beat is due; `leave()` on the way out. A session that
stops without leaving (killed, a closed laptop) is dropped by everyone once
it has not been heard from for core.presence.GONE_AFTER_SECONDS."""

from __future__ import annotations

import getpass
import time
import uuid
from collections.abc import Callable

from caselog_tui.core.presence import GONE_AFTER_SECONDS, Here
from caselog_tui.store.database import Store


def login_name() -> str:
    """The person's name when the config gives none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this container
        return "someone"


class Presence:
    def __init__(
        self, store: Store, person: str | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.person = person or login_name()
        self.session = uuid.uuid4().hex
        self._clock = clock
        self._board = store.presence_board()
        # (case ID, doing), replaced whole so a beat never reads half a move.
        self._place: tuple[int | None, str | None] = (None, None)

    def here(self, case_id: int | None, doing: str | None = None) -> None:
        """Where this session is now (None: the case log), told at once."""
        self.move(case_id, doing)
        self.beat()

    def move(self, case_id: int | None, doing: str | None = None) -> None:
        """Where this session is now, told at the next `beat()`. A caller
        that beats in worker threads moves first, on its own thread, so a
        beat that runs late still writes where the seller is now."""
        self._place = (case_id, doing)

    def beat(self) -> None:
        case_id, doing = self._place
        self._board.write(self.session, self.person, case_id, doing, self._clock())

    def changed(self) -> bool:
        """Whether a colleague's session wrote to the board since last asked."""
        return self._board.changed()

    def others(self) -> list[Here]:
        """The other sessions heard from recently, ghosts left out."""
        return self._board.others(self.session, self._clock() - GONE_AFTER_SECONDS)

    def leave(self) -> None:
        self._board.remove(self.session)
        self._board.close()
