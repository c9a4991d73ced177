"""Helpers for the case details and forms tests: build an app on a case log,
open a case, wait for the workers, and read what the seller would see."""

from __future__ import annotations

from typing import Protocol

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from caselog_tui.config import Config
from caselog_tui.core.machine import Action
from caselog_tui.core.records import CaseDetail
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp, make_app
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.widgets.contact_history import ContactHistory

LONG_TAIL = "THE END OF THE LONG MESSAGE"


class Clock(Protocol):
    def advance(self, **delta: float) -> None: ...


def new_app(log: CaseLog, account_email: str | None = "seller@shop.example") -> CaseLogApp:
    return make_app(log, Config(account_email=account_email))


async def settle(pilot: Pilot[None]) -> None:
    """Lets screen switches, workers and their answers finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_case(pilot: Pilot[None], case_id: int) -> None:
    pilot.app.push_screen(CaseDetailScreen(case_id))
    await settle(pilot)


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Types into the focused field, as fast as a paste."""
    focused = pilot.app.focused
    if isinstance(focused, TextArea):
        focused.insert(text)
    elif isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
    else:  # pragma: no cover - a test bug
        raise AssertionError(f"no text field has the focus ({focused!r})")
    await pilot.pause()


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """The text of every line of the topmost screen."""
    compositor = pilot.app.screen._compositor
    return [strip.text for strip in compositor.render_strips()]


def screen_text(pilot: Pilot[None]) -> str:
    return "\n".join(screen_lines(pilot))


def terminal_output(pilot: Pilot[None]) -> str:
    """Exactly what the app would write to the terminal for a full repaint."""
    update = pilot.app.screen._compositor.render_update(full=True)
    assert update is not None
    return update.render_segments(pilot.app.console)  # type: ignore[union-attr]


def history(pilot: Pilot[None]) -> ContactHistory:
    return pilot.app.screen.query_one(ContactHistory)


def notifications(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


def make_case(
    log: CaseLog, *, message: str = "Where is my reimbursement?", cc: str = "", subject: str = ""
) -> CaseDetail:
    return log.submit_case(
        primary_email="seller@shop.example",
        short_description=subject or "Reimbursement for lost units",
        message=message,
        cc=cc,
    )


def answered_case(log: CaseLog, clock: Clock, *, days_ago: float = 0) -> CaseDetail:
    """A case Seller Support answered `days_ago` days before the clock's now."""
    case = make_case(log)
    answer = log.record_support_reply(
        case.case_id, Action.SUPPORT_ANSWERS, "We reimbursed the units."
    )
    clock.advance(days=days_ago)
    return answer


def long_message() -> str:
    paragraph = "We sent the proof of delivery and the invoice. " * 6
    return "\n\n".join([paragraph] * 4) + "\n\n" + LONG_TAIL


def without_blink(pilot: Pilot[None]) -> None:
    """Snapshots must not depend on where the cursor blink is."""
    for field in pilot.app.screen.query("Input, TextArea"):
        field.cursor_blink = False  # type: ignore[attr-defined]
        # A TextArea reuses the lines it drew while the blink hid the cursor
        # (its line cache does not tell hidden from not blinking): draw anew.
        field.notify_style_update()
        field.refresh()


def history_text(pilot: Pilot[None]) -> str:
    """The lines of the contact history now on screen."""
    view = history(pilot)
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def shown(pilot: Pilot[None], selector: str) -> str:
    """The text a widget of the topmost screen shows, however it wraps."""
    widget = pilot.app.screen.query_one(selector)
    return str(widget.render())


def words(text: str) -> str:
    return " ".join(text.split())
