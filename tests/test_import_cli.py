"""`caselog import`: what it reports, its exit codes, no tracebacks."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from caselog_tui.cli import main
from caselog_tui.services.demo import fill_demo
from caselog_tui.store.database import open_store
from tests.conftest import FIXED_NOW


def a_line(case_id: int, email: str = "seller@example.com") -> str:
    return json.dumps(
        {
            "case_id": case_id,
            "created_at": "2026-11-20T09:00:00Z",
            "status": "open",
            "primary_email": email,
            "short_description": "Listing suppressed",
            "last_activity_at": "2026-11-20T09:00:00Z",
            "messages": [
                {
                    "sent_at": "2026-11-20T09:00:00Z",
                    "side": "seller",
                    "author": email,
                    "body": "Please reinstate it.",
                }
            ],
        }
    )


def test_a_clean_import_exits_0_and_a_second_adds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "cases.jsonl"
    data.write_text(a_line(10_000_000_001) + "\n" + a_line(10_000_000_002) + "\n")
    db = str(tmp_path / "log.db")
    assert main(["import", "--db", db, str(data)]) == 0
    assert capsys.readouterr().err == f"Imported {data}: added 2, updated 0, skipped 0.\n"
    assert main(["import", "--db", db, str(data)]) == 0
    assert "added 0, updated 0, skipped 0 (2 already up to date)" in capsys.readouterr().err


def test_skipped_lines_are_listed_cleaned_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "cases.jsonl"
    hostile = "x\x1b]52;c;cHduZWQ=\x07@example.com"
    data.write_text(a_line(10_000_000_001) + "\n{oops\n" + a_line(10_000_000_003, hostile) + "\n")
    assert main(["import", "--db", str(tmp_path / "log.db"), str(data)]) == 1
    err = capsys.readouterr().err
    assert "added 1, updated 0, skipped 2." in err
    assert "\n  line 2: the line is not valid JSON" in err
    assert "\n  line 3: primary_email: “x␛]52;c;cHduZWQ=␇@example.com” is not a valid" in err
    assert "\x1b" not in err and "Traceback" not in err


def test_long_lists_of_skipped_lines_are_cut_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "cases.jsonl"
    data.write_text("{oops\n" * 70)
    assert main(["import", "--db", str(tmp_path / "log.db"), str(data)]) == 1
    err = capsys.readouterr().err
    assert "line 50:" in err and "line 51:" not in err
    assert "… and 20 more skipped lines." in err


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("missing.jsonl", "caselog: The import file {path} does not exist."),
        ("folder", "caselog: The import file {path} is a folder, not a file."),
        ("empty.jsonl", "caselog: The import file {path} is empty; there is nothing to import."),
    ],
)
def test_an_unreadable_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, sentence: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.jsonl").write_text("")
    path = tmp_path / name
    assert main(["import", "--db", str(tmp_path / "log.db"), str(path)]) == 1
    assert capsys.readouterr().err == sentence.format(path=path) + "\n"


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["import"])
    assert exited.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err


def test_progress_shows_for_large_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "source.db")
    fill_demo(store, 3_000, seed=2, now=FIXED_NOW)
    store.close()
    export = tmp_path / "cases.jsonl"
    source = str(tmp_path / "source.db")
    assert main(["export", "--db", source, "--format", "jsonl", "-o", str(export)]) == 0
    # A file below the size at which progress starts: no progress.
    assert main(["import", "--db", str(tmp_path / "a.db"), str(export)]) == 0
    assert "Importing cases" not in capsys.readouterr().err
    monkeypatch.setattr("caselog_tui.cli.IMPORT_PROGRESS_BYTES", 1_000)
    assert main(["import", "--db", str(tmp_path / "b.db"), str(export)]) == 0
    assert "Importing cases: 100%" in capsys.readouterr().err


def test_an_interrupted_import_says_what_is_kept_and_how_to_finish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from caselog_tui.services import importer

    data = tmp_path / "cases.jsonl"
    data.write_text("".join(a_line(10_000_000_000 + n) + "\n" for n in range(1, 6)))
    db = str(tmp_path / "log.db")
    real_write = importer._write_batch

    def write_then_stop(*args: object) -> None:
        real_write(*args)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # Ctrl-C after the first batch is in

    monkeypatch.setattr(importer, "import_cases", partial(importer.import_cases, batch_size=2))
    monkeypatch.setattr(importer, "_write_batch", write_then_stop)
    assert main(["import", "--db", db, str(data)]) == 130
    assert capsys.readouterr().err == (
        "\ncaselog: import interrupted. The cases imported so far are kept; run the same "
        "import again to finish it (it adds each case once).\n"
    )
    monkeypatch.undo()
    assert main(["import", "--db", db, str(data)]) == 0
    assert "added 3, updated 0, skipped 0 (2 already up to date)" in capsys.readouterr().err
