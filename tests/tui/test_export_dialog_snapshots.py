"""What the seller sees in the export dialog, at 120x40 and 80x24, on
seeded demo data and a fixed clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.tui.app import make_app
from caselog_tui.tui.screens.export_dialog import ExportDialog
from tests.conftest import FIXED_NOW

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
FOLDER = Path("/home/seller/reports")  # shown, never written to

SnapCompare = Callable[..., bool]


def dialog_for(query: CaseQuery, *keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.push_screen(ExportDialog(query, folder=FOLDER))
        for _ in range(3):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False

    return run_before


@pytest.fixture
def demo_log(case_log: CaseLog) -> CaseLog:
    fill_demo(case_log.store, 300, seed=4, now=FIXED_NOW)
    return case_log


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(snap_compare: SnapCompare, demo_log: CaseLog, size: tuple[int, int]) -> None:
    before = dialog_for(CaseQuery())
    assert snap_compare(make_app(demo_log), terminal_size=size, run_before=before)


def test_export_dialog_nothing_to_export(snap_compare: SnapCompare, demo_log: CaseLog) -> None:
    before = dialog_for(CaseQuery(search="no case says this"))
    assert snap_compare(make_app(demo_log), terminal_size=(80, 24), run_before=before)


def test_export_dialog_folder_missing(snap_compare: SnapCompare, demo_log: CaseLog) -> None:
    keys = ("ctrl+u", *"/no/such/folder/report.csv", "enter")
    before = dialog_for(CaseQuery(attention_only=True), *keys)
    assert snap_compare(make_app(demo_log), terminal_size=(80, 24), run_before=before)
