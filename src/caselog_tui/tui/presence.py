"""Presence in the TUI: tells colleagues which case this seller has open
and whether a form is open on it, and tells the screens who else is here.

One timer: every second a short thread worker asks the presence board
whether anyone's session wrote (microseconds), and reads who is here when
someone did or when this session's heartbeat is due (every
core.presence.BEAT_SECONDS, which also drops a session gone quiet)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.timer import Timer

from caselog_tui.core.presence import BEAT_SECONDS, Here
from caselog_tui.services.presence import Presence
from caselog_tui.tui.messages import PresenceChanged

if TYPE_CHECKING:
    from caselog_tui.tui.app import CaseLogApp

LOOK_SECONDS = 1.0


class PresenceWatch:
    def __init__(self, app: CaseLogApp) -> None:
        self._app = app
        self._presence = Presence(app.case_log.store, app.config.name)
        self._last_beat = 0.0
        self._others: tuple[Here, ...] = ()
        self._timer: Timer | None = app.set_interval(LOOK_SECONDS, self._tick, name="presence")
        self.here(None)

    @property
    def others(self) -> tuple[Here, ...]:
        return self._others

    def here(self, case_id: int | None, doing: str | None = None) -> None:
        """Where the seller is now: told to colleagues at once. The place is
        set here, on the UI thread, and the worker writes whatever the place
        is when it runs, so two moves in quick succession end right."""
        self._presence.move(case_id, doing)

        def work() -> None:
            self._beat()
            self._look(force=True)

        self._app.run_worker(work, name="presence", group="presence", thread=True)

    def _tick(self) -> None:
        due = time.monotonic() - self._last_beat >= BEAT_SECONDS

        def work() -> None:
            if due:
                self._beat()
            self._look(force=due)

        self._app.run_worker(work, name="presence", group="presence", thread=True)

    def _beat(self) -> None:
        """In a worker: this session's row, rewritten."""
        self._presence.beat()
        self._last_beat = time.monotonic()

    def _look(self, force: bool) -> None:
        """In a worker: tells the app when who-is-here changed."""
        if not (self._presence.changed() or force):
            return
        others = tuple(self._presence.others())
        if others != self._others:
            self._others = others
            self._app.post_message(PresenceChanged(others))

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._presence.leave()
