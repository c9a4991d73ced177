"""What the seller sees, at 120x40 and 80x24, with the sidebar shown and
hidden. Fixed clock, UTC, seeded demo data: the pictures never drift.
Accept changes with `pytest --snapshot-update` after looking at them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from caselog_tui.config import Config
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp, make_app

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]


def after(settle: Settle, *keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Waits for the first page, presses `keys`, waits for the answers."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize(
    ("size", "keys"),
    [
        pytest.param((120, 40), (), id="120x40-sidebar-shown"),
        pytest.param((120, 40), ("b",), id="120x40-sidebar-hidden"),
        pytest.param((80, 24), (), id="80x24-sidebar-hidden"),
        pytest.param((80, 24), ("f",), id="80x24-sidebar-shown"),
    ],
)
def test_case_log(
    size: tuple[int, int],
    keys: tuple[str, ...],
    case_log_app: Build,
    case_log_settle: Settle,
    snap_compare: Any,
) -> None:
    assert snap_compare(
        case_log_app(), terminal_size=size, run_before=after(case_log_settle, *keys)
    )


def test_case_log_filtered_and_sorted(
    case_log_app: Build, case_log_settle: Settle, snap_compare: Any
) -> None:
    keys = ("f", "tab", "space", "tab", "space", "escape", "s", "s", "right_square_bracket")
    assert snap_compare(
        case_log_app(), terminal_size=(120, 40), run_before=after(case_log_settle, *keys)
    )


def test_case_log_empty(case_log: CaseLog, case_log_settle: Settle, snap_compare: Any) -> None:
    app = make_app(case_log, Config())
    assert snap_compare(app, terminal_size=(80, 24), run_before=after(case_log_settle))


def test_case_log_too_small(
    case_log_app: Build, case_log_settle: Settle, snap_compare: Any
) -> None:
    assert snap_compare(case_log_app(), terminal_size=(50, 12), run_before=after(case_log_settle))
