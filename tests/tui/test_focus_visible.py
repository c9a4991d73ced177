"""Focus is visible on every focusable widget, in every theme the app
offers and with NO_COLOR: the cells of a widget drawn focused differ from
the same cells drawn unfocused by more than a tint a seller cannot see
(or a 16-colour terminal cannot draw), and not only by the text cursor,
which blinks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from rich.color import Color, ColorType
from rich.segment import Segment
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, TextArea

from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.themes import RECOMMENDED

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]
# Two colours closer than this in each of red, green and blue read as one
# (Textual's 5% focus tint moves them by about 10).
SEEN_DISTANCE = 40
# How many times a widget is looked at after it takes focus before its
# focus is called unseen (each look waits for the app to go idle).
FOCUS_LOOKS = 5
# The screens a seller reaches from the case log, by keys.
SCREENS = [
    ("case log, sidebar", ()),
    ("case log, search", ("b", "slash")),
    ("case details", ("escape", "enter")),
    ("new case form", ("escape", "n")),
    ("export dialog", ("escape", "x")),
    ("help", ("escape", "question_mark")),
]

Cell = tuple[str, Color | None, Color | None, bool, bool, bool, bool]


def cells(widget: Widget) -> list[Cell]:
    region = widget.region
    lines: list[Strip] = widget.screen._compositor.render_strips()
    found: list[Cell] = []
    for y in range(region.y, region.bottom):
        segment: Segment
        for segment in lines[y].crop(region.x, region.right):
            style = segment.style
            if style is None:
                found += [(char, None, None, False, False, False, False) for char in segment.text]
                continue
            found += [
                (
                    char,
                    style.color,
                    style.bgcolor,
                    bool(style.reverse),
                    bool(style.bold),
                    bool(style.underline),
                    bool(style.dim),
                )
                for char in segment.text
            ]
    return found


def _terminal_colour(color: Color | None) -> bool:
    return color is None or color.type in (ColorType.DEFAULT, ColorType.STANDARD)


def _seen(before: Color | None, after: Color | None) -> bool:
    if before == after:
        return False
    if _terminal_colour(before) or _terminal_colour(after):
        return True  # one of the 16 colours for another
    assert before is not None and after is not None
    old, new = before.get_truecolor(), after.get_truecolor()
    return max(abs(a - b) for a, b in zip(old, new, strict=True)) >= SEEN_DISTANCE


def seen_change(blurred: list[Cell], focused: list[Cell]) -> int:
    """How many cells look different focused."""
    return sum(
        1
        for a, b in zip(blurred, focused, strict=True)
        if a[0] != b[0] or a[3:] != b[3:] or _seen(a[1], b[1]) or _seen(a[2], b[2])
    )


def focusable(screen: Screen[object]) -> list[Widget]:
    return [
        widget
        for widget in screen.query("*")
        if widget.focusable and widget.display and widget.region.area
    ]


async def invisible_focus(pilot: Pilot[None], settle: Settle) -> list[str]:
    app = pilot.app
    unseen = []
    for where, keys in SCREENS:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        screen = app.screen
        # Every widget as it looks with nothing focused, in one drawing.
        screen.set_focus(None)
        await pilot.pause()
        blurred = {widget: (widget.region, cells(widget)) for widget in focusable(screen)}
        for widget, (region, unfocused) in blurred.items():
            if widget.region != region:  # an earlier focus scrolled it: look again
                screen.set_focus(None)
                await pilot.pause()
                unfocused = cells(widget)
            screen.set_focus(widget)
            # The text cursor alone (one cell, and it blinks) is no focus mark.
            needed = 2 if isinstance(widget, Input | TextArea) else 1
            # On a loaded machine one pause can end before the focused look is
            # drawn: look again a few times before calling the focus unseen.
            for _ in range(FOCUS_LOOKS):
                await pilot.pause()
                changed = seen_change(unfocused, cells(widget))
                if changed >= needed:
                    break
            if changed < needed:
                unseen.append(f"{where}: {type(widget).__name__}#{widget.id} ({changed} cells)")
    return unseen


@pytest.mark.parametrize("theme", RECOMMENDED)
async def test_focus_is_visible_in_every_theme(
    theme: str, case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app(theme=theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert await invisible_focus(pilot, case_log_settle) == []


async def test_focus_is_visible_with_no_color(
    case_log_app: Build, case_log_settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        assert await invisible_focus(pilot, case_log_settle) == []
