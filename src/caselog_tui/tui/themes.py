"""Themes: Textual's own, the terminal's 16-colour palettes, and a
high-contrast theme. Status is always written in words, so every theme
(and NO_COLOR) stays readable."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="caselog-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
)

# What the palette's "Theme" command and the config file offer first.
RECOMMENDED = ("textual-dark", "textual-light", "ansi-dark", "ansi-light", HIGH_CONTRAST.name)


def register_themes(app: App[Any]) -> None:
    app.register_theme(HIGH_CONTRAST)
