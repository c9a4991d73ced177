"""An empty --db or CASELOG_DB (a script's unset variable) is a usage error,
never the seller's own case log."""

from __future__ import annotations

from pathlib import Path

import pytest

from caselog_tui.cli import main
from caselog_tui.paths import default_db_path


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "", "export"],
        ["export", "--db", ""],
        ["respond", "12005137221", "--status", "answered", "--message", "x", "--db", " "],
        ["demo", "--no-open", "--db", ""],
    ],
)
def test_an_empty_db_is_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert "--db is empty; name the case log file" in capsys.readouterr().err
    assert not default_db_path().exists()


def test_an_empty_caselog_db_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CASELOG_DB", "")
    with pytest.raises(SystemExit) as exited:
        main(["export", "--all"])
    assert exited.value.code == 2
    assert "CASELOG_DB is set but empty" in capsys.readouterr().err
    assert not default_db_path().exists()


def test_a_db_given_wins_over_an_empty_caselog_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASELOG_DB", "")
    db = tmp_path / "log.db"
    assert main(["demo", "--cases", "2", "--no-open", "--db", str(db)]) == 0
    assert db.exists()
