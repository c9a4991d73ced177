"""What help, the command palette and each theme look like, at 120x40 and
80x24 (snapshots: accept with `pytest --snapshot-update` after looking)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from caselog_tui.tui.app import CaseLogApp
from tests.tui.waiting import workers_done

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


def after(settle: Settle, *keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await workers_done(pilot)  # a screen switch, the palette's search
        await settle(pilot)
        # A blinking cursor would make the picture depend on timing.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_help(
    size: tuple[int, int], case_log_app: Build, case_log_settle: Settle, snap_compare: Any
) -> None:
    run_before = after(case_log_settle, "question_mark")
    assert snap_compare(case_log_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_palette(
    size: tuple[int, int], case_log_app: Build, case_log_settle: Settle, snap_compare: Any
) -> None:
    run_before = after(case_log_settle, "ctrl+p", *"sort")
    assert snap_compare(case_log_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "theme", ["textual-light", "ansi-dark", "ansi-light", "caselog-high-contrast"]
)
def test_theme(
    theme: str,
    size: tuple[int, int],
    case_log_app: Build,
    case_log_settle: Settle,
    snap_compare: Any,
) -> None:
    run_before = after(case_log_settle)
    assert snap_compare(case_log_app(theme=theme), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_no_color(
    size: tuple[int, int],
    case_log_app: Build,
    case_log_settle: Settle,
    snap_compare: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    run_before = after(case_log_settle, "a")
    assert snap_compare(case_log_app(), terminal_size=size, run_before=run_before)
