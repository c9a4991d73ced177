"""The help screen's text, read the way its tests need it."""

from __future__ import annotations

from textual.widgets import Static

from caselog_tui.tui.screens.help import HelpScreen


def help_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, HelpScreen)
    return str(screen.query_one("#help-text", Static).content)
