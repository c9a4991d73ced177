"""Waiting for what the seller would wait for, never for a number of seconds:
a busy machine can outlast any fixed pause, but not a condition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerState

# Enough pauses for a message to bubble up from a field to its screen (one
# pause per widget it passes through) and start a worker there.
QUIET_PAUSES = 5
# A bound on pauses only, so that a broken test fails instead of hanging:
# each pause lasts at least 20 ms, longer on a busy machine.
MOST_PAUSES = 3000


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Lets the app run until `condition()` holds."""
    for _ in range(MOST_PAUSES):
        await pilot.pause()
        if condition():
            return
    raise AssertionError(f"never happened: {what}")


async def workers_done(pilot: Pilot[Any]) -> None:
    """Lets the app run until no worker has been busy for a few pauses in a
    row: the command palette's search, for one, starts only once the typed
    text has reached the palette."""
    quiet = 0
    for _ in range(MOST_PAUSES):
        await pilot.pause()
        busy = any(
            worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in pilot.app.workers
        )
        quiet = 0 if busy else quiet + 1
        if quiet == QUIET_PAUSES:
            return
    raise AssertionError("the workers never stopped")
