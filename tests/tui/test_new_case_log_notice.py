"""A mistyped --db or CASELOG_DB opens a new, empty case log: the seller is
told so, with the path, instead of wondering where the cases went."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caselog_tui import cli
from caselog_tui.config import Config
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui import app as app_module
from caselog_tui.tui.app import make_app
from tests.tui.detail_helpers import notifications, settle


def opened_with(monkeypatch: pytest.MonkeyPatch, db: Path) -> dict[str, Any]:
    """Runs `caselog --db db` with the TUI replaced; what it was opened with."""
    seen: dict[str, Any] = {}

    def fake_run_app(log: CaseLog, **options: Any) -> int:
        seen.update(options, path=log.store.path)
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    assert cli.main(["--db", str(db)]) == 0
    return seen


def test_the_command_line_says_whether_it_made_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = tmp_path / "caselgo.db"
    assert opened_with(monkeypatch, typo)["new_log"] is True
    assert typo.exists()
    assert opened_with(monkeypatch, typo)["new_log"] is False  # it exists now


async def test_a_new_case_log_is_announced_with_its_path(case_log: CaseLog) -> None:
    async with make_app(case_log, Config(), new_log=True).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        [notice] = [n for n in notifications(pilot) if "no case log" in n]
        assert notice == (
            f"There was no case log at {case_log.store.path}, so a new, empty one was made "
            "there. If you meant another file, quit (q) and check --db or CASELOG_DB."
        )


async def test_an_existing_case_log_opens_without_that_notice(case_log: CaseLog) -> None:
    async with make_app(case_log, Config()).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not [n for n in notifications(pilot) if "no case log" in n]
