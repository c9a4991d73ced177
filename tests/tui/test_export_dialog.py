"""The export dialog as a seller uses it: keys only, the file it writes,
and what it says when it cannot."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.tui.app import make_app
from caselog_tui.tui.screens import export_dialog
from caselog_tui.tui.screens.export_dialog import ExportDialog
from tests.conftest import FIXED_NOW
from tests.tui.detail_helpers import screen_text

DEFAULT_NAME = "case-log-2026-11-26.csv"


@pytest.fixture
def demo_log(case_log: CaseLog) -> CaseLog:
    fill_demo(case_log.store, 300, seed=4, now=FIXED_NOW)
    return case_log


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_dialog(pilot: Pilot[None], query: CaseQuery, folder: Path) -> ExportDialog:
    dialog = ExportDialog(query, folder=folder)
    pilot.app.push_screen(dialog, callback=results.append)
    await settle(pilot)
    return dialog


results: list[Path | None] = []


@pytest.fixture(autouse=True)
def _fresh_results() -> None:
    results.clear()


def text_of(pilot: Pilot[None], selector: str) -> str:
    widget = pilot.app.screen.query_one(selector, Static)
    return str(widget.render())


def notifications(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


def report_ids(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]


def view_ids(log: CaseLog, query: CaseQuery) -> list[str]:
    return [str(case.case_id) for case in log.iter_cases(query)]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    return reports


async def test_enter_writes_the_views_cases_and_names_the_file(
    demo_log: CaseLog, folder: Path
) -> None:
    query = CaseQuery(attention_only=True)
    async with make_app(demo_log).run_test(size=(120, 40)) as pilot:
        await open_dialog(pilot, query, folder)
        count = demo_log.count(query)
        assert f"The report will hold {count} cases" in text_of(pilot, "#export-count")
        assert pilot.app.screen.query_one("#export-file", Input).value == DEFAULT_NAME
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ExportDialog)
        assert notifications(pilot) == [f"Exported {count} cases to {folder / DEFAULT_NAME}."]
    assert results == [folder / DEFAULT_NAME]
    assert report_ids(folder / DEFAULT_NAME) == view_ids(demo_log, query)
    assert list(folder.iterdir()) == [folder / DEFAULT_NAME]


async def test_the_file_name_can_be_changed(demo_log: CaseLog, tmp_path: Path) -> None:
    async with make_app(demo_log).run_test(size=(120, 40)) as pilot:
        await open_dialog(pilot, CaseQuery(), tmp_path)
        await pilot.press("ctrl+u", *"sub/my report.csv", "enter")
        await settle(pilot)
        assert "does not exist" in text_of(pilot, "#export-problem")
        (tmp_path / "sub").mkdir()
        await pilot.press("enter")
        await settle(pilot)
    assert results == [tmp_path / "sub" / "my report.csv"]
    assert report_ids(tmp_path / "sub" / "my report.csv") == view_ids(demo_log, CaseQuery())


async def test_an_existing_file_is_replaced_only_after_asking(
    demo_log: CaseLog, tmp_path: Path
) -> None:
    existing = tmp_path / DEFAULT_NAME
    existing.write_text("last week's report")
    async with make_app(demo_log).run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, CaseQuery(), tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert f"{DEFAULT_NAME} already exists. Press enter again to replace it." in text_of(
            pilot, "#export-problem"
        )
        assert existing.read_text() == "last week's report"
        assert pilot.app.screen is dialog
        await pilot.press("enter")
        await settle(pilot)
    assert results == [existing]
    assert report_ids(existing) == view_ids(demo_log, CaseQuery())


async def test_a_view_without_cases_writes_nothing(case_log: CaseLog, folder: Path) -> None:
    async with make_app(case_log).run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, CaseQuery(search="nothing like this"), folder)
        assert "This view shows no cases, so there is no report to export." in text_of(
            pilot, "#export-count"
        )
        # No Export button, no file name: only Close, which has the focus.
        buttons = [str(b.label) for b in dialog.query(Button) if b.display]
        assert buttons == ["Close (esc)"]
        assert not dialog.query_one("#export-file", Input).display
        assert "Export (enter)" not in screen_text(pilot)
        assert "Close (esc)" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is not dialog
        assert notifications(pilot) == []
    assert results == [None]
    assert list(folder.iterdir()) == []


async def test_progress_is_shown_while_a_large_report_is_written(
    demo_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("caselog_tui.services.export.PROGRESS_STEP", 40)
    seen: list[tuple[int, int]] = []
    real = ExportDialog.on_export_dialog_progressed

    def spy(self: ExportDialog, event: ExportDialog.Progressed) -> None:
        seen.append((event.done, event.total))
        real(self, event)

    monkeypatch.setattr(ExportDialog, "on_export_dialog_progressed", spy)
    async with make_app(demo_log).run_test(size=(120, 40)) as pilot:
        await open_dialog(pilot, CaseQuery(include_expired=True), tmp_path)
        await pilot.press("enter")
        await settle(pilot)
    assert seen == [(done, 300) for done in (40, 80, 120, 160, 200, 240, 280, 300)]


async def test_escape_stops_an_export_and_leaves_no_file(
    demo_log: CaseLog, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("caselog_tui.services.export.PROGRESS_STEP", 10)
    writing, go_on = threading.Event(), threading.Event()
    real = export_dialog.export_to_file

    def held_back(*args: object, progress: Callable[[int, int], None]) -> int:
        def step(done: int, total: int) -> None:
            writing.set()
            go_on.wait(5)
            progress(done, total)

        return real(*args, progress=step)  # type: ignore[arg-type, misc]

    monkeypatch.setattr(export_dialog, "export_to_file", held_back)
    async with make_app(demo_log).run_test(size=(120, 40)) as pilot:
        await open_dialog(pilot, CaseQuery(include_expired=True), folder)
        await pilot.press("enter")
        while not writing.is_set():
            await pilot.pause(0.01)
        await pilot.press("escape")
        assert "Stopping" in text_of(pilot, "#export-count")
        go_on.set()
        await settle(pilot)
        assert notifications(pilot) == ["Export stopped; no report was written."]
    assert results == [None]
    assert list(folder.iterdir()) == []


async def test_markup_in_the_view_and_control_characters_in_the_name_stay_text(
    demo_log: CaseLog, tmp_path: Path
) -> None:
    search = "[/b] [@click=app.quit]x[/]"
    async with make_app(demo_log).run_test(size=(120, 40)) as pilot:
        await open_dialog(pilot, CaseQuery(search=search), tmp_path)
        assert text_of(pilot, "#export-view") == f"View: Search: {search}"
        field = pilot.app.screen.query_one("#export-file", Input)
        field.value = "report\x1b]0;pwned\x07.csv"
        await pilot.pause()
        assert field.value == "report␛]0;pwned␇.csv"


async def test_x_opens_the_dialog_on_the_view_in_the_current_folder(
    demo_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(demo_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_description == CaseQuery()
        assert str(tmp_path) in text_of(pilot, "#export-where")
        await pilot.press("enter")
        await settle(pilot)
    assert report_ids(tmp_path / DEFAULT_NAME) == view_ids(demo_log, CaseQuery())
