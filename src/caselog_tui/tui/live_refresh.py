"""Live refresh: every `refresh_seconds` (config) the app asks the store,
in a short thread worker, whether anyone committed since the last look,
and tells the screens to reload what they show when someone did.

A timer starting one short worker per poll, rather than one worker that
loops forever: a poll costs microseconds, nothing is left running between
polls, and "wait until every worker is done" keeps its meaning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from textual.app import App
from textual.timer import Timer
from textual.worker import Worker

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.records import CaseDetail, CaseSummary, Side, new_messages
from caselog_tui.services.changes import ChangeWatcher
from caselog_tui.tui.messages import StoreChanged, StoreReach
from caselog_tui.tui.safe import tell

if TYPE_CHECKING:
    from caselog_tui.tui.app import CaseLogApp


class LiveRefresh:
    """The app's poll of the store; `stop()` closes its connection."""

    def __init__(self, app: CaseLogApp, watcher: ChangeWatcher, seconds: float) -> None:
        self._app = app
        self._watcher = watcher
        self._polling: Worker[None] | None = None
        # When a poll last reached the store (every change before it was
        # read again), and whether the last one failed.
        self._reached_at = app.case_log.clock()
        self._lost = False
        self._timer: Timer | None = app.set_interval(seconds, self._tick, name="live refresh")

    @classmethod
    def start(cls, app: CaseLogApp) -> LiveRefresh | None:
        """Starts polling, unless the config switched it off (0) or the
        store cannot be watched (its reads then say why)."""
        seconds = app.config.refresh_seconds
        if seconds <= 0:
            return None
        try:
            watcher = app.case_log.watch_changes()
        except CaseLogError:
            return None
        return cls(app, watcher, seconds)

    def _tick(self) -> None:
        if self._polling is not None and self._polling.is_running:
            return  # a slow disk: one poll at a time on the one connection
        self._polling = self._app.run_worker(
            self._poll, name="live refresh", group="live-refresh", thread=True
        )

    def _poll(self) -> None:
        """One look, in a thread worker. A store that cannot be reached is
        said once (StoreReach), polled on until it answers again, then said
        again, and everything shown is read again: changes made meanwhile
        may not have been noticed."""
        try:
            news = self._watcher.news()
        except CaseLogError as error:
            if not self._lost:
                self._lost = True
                self._app.post_message(StoreReach(False, self._reached_at, error.message))
            return  # the next poll tries again
        self._reached_at = self._app.case_log.clock()
        if self._lost:
            self._lost = False
            self._app.post_message(StoreReach(True, self._reached_at))
            self._app.post_message(StoreChanged(ours=False))
        elif news is not None and news.case_ids != frozenset():
            # (An empty set: the commit changed no case, e.g. statistics.)
            self._app.post_message(StoreChanged(ours=news.maybe_ours, case_ids=news.case_ids))

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._watcher.close()


def changed_on_page(before: Sequence[CaseSummary], after: Sequence[CaseSummary]) -> int:
    """How many cases of the page now on screen differ from what the page
    showed before: changed rows, and cases that came onto it (a new case,
    one whose new status or activity moved it here). A case that left the
    page is not counted: the one that took its place stands for it."""
    shown = {case.case_id: case for case in before}
    return sum(shown.get(case.case_id) != case for case in after)


def news_text(changed: int | None, at: datetime, tz: tzinfo) -> str:
    """What the status line says a colleague's change brought: "2 cases
    changed on this page · 10:42" (local time), or "Updated · 10:42" when
    nothing on the page changed or it could not be compared (a key moved
    the seller elsewhere meanwhile)."""
    when = f"{at.astimezone(tz):%H:%M}"
    if not changed:
        return f"Updated · {when}"
    noun = "case" if changed == 1 else "cases"
    return f"{changed} {noun} changed on this page · {when}"


def offline_text(loaded_at: datetime, tz: tzinfo) -> str:
    """What the status line says while the store cannot be reached."""
    return f"not connected — showing what was loaded at {loaded_at.astimezone(tz):%H:%M}"


def arrival_text(before: CaseDetail, after: CaseDetail) -> str | None:
    """What a colleague's change brought to an open case, in words: the
    new messages and who sent them, or the new status; None if nothing a
    seller would notice changed."""
    new = new_messages(before, after)
    from_support = sum(message.side is Side.SUPPORT for message in new)
    if from_support:
        return (
            "New message from Seller Support"
            if from_support == 1
            else f"{from_support} new messages from Seller Support"
        )
    if new:
        # A colleague of the seller's account: named by the address they wrote from.
        authors = ", ".join(sorted({message.author for message in new}))
        return f"New message from {authors}" if len(new) == 1 else f"{len(new)} new messages"
    if after.status is not before.status:
        return f"The case is now {after.status.label}"
    if after != before:
        return "The case was changed"
    return None


def announce_news(app: App[object], before: CaseDetail, after: CaseDetail) -> None:
    text = arrival_text(before, after)
    if text is not None:
        tell(app, text, title=f"Case {after.summary.case_id}")
