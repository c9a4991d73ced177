"""Every command closes the case log it opened, however it ends (done,
refused, interrupted, the TUI quitting), so SQLite gets to tidy the query
planner's statistics on the way out."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from caselog_tui import cli
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import Store, open_store


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The path of every store closed, in order."""
    paths: list[Path] = []
    close = Store.close

    def recording_close(store: Store) -> None:
        assert store.path is not None
        paths.append(store.path)
        close(store)

    monkeypatch.setattr(Store, "close", recording_close)
    return paths


def test_demo_and_respond_close_the_store(tmp_path: Path, closed: list[Path]) -> None:
    db = tmp_path / "cases.db"
    assert cli.main(["demo", "--cases", "3", "--no-open", "--db", str(db)]) == 0
    assert closed == [db]
    store = open_store(db)
    case_id = next(CaseLog(store).iter_cases(CaseQuery(include_expired=True))).case_id
    store.close()
    closed.clear()
    args = ["respond", str(case_id), "--status", "answered", "--message", "Done."]
    assert cli.main([*args, "--db", str(db)]) == 0
    assert closed == [db]
    closed.clear()
    assert cli.main(["respond", "12345678901", *args[2:], "--db", str(db)]) == 1
    assert closed == [db]


@pytest.mark.parametrize("ending", [None, KeyboardInterrupt, RuntimeError])
def test_the_tui_closes_the_store_however_it_ends(
    tmp_path: Path, closed: list[Path], monkeypatch: pytest.MonkeyPatch, ending: type | None
) -> None:
    def run_app(log: CaseLog, *, mouse: bool = True) -> int:
        assert closed == []  # still open while the app runs
        if ending is not None:
            raise ending()
        return 0

    monkeypatch.setattr("caselog_tui.tui.app.run_app", run_app)
    db = tmp_path / "cases.db"
    cli.main(["--db", str(db)])
    assert closed == [db]


def test_a_tui_that_stopped_on_an_error_does_not_exit_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scripts (and the seller's shell) must see that the app ended badly."""
    from caselog_tui.tui.app import CaseLogApp

    def broken_mount(self: CaseLogApp) -> None:
        raise RuntimeError("a bug")

    def headless_run(self: CaseLogApp, *, mouse: bool = True) -> None:
        App.run(self, headless=True, mouse=mouse)

    monkeypatch.setattr(CaseLogApp, "on_mount", broken_mount)
    monkeypatch.setattr(CaseLogApp, "run", headless_run)
    assert cli.main(["--db", str(tmp_path / "cases.db")]) == 1
