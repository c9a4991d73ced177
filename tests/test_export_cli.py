"""`caselog export`: the same views as the TUI, exit codes and sentences of
docs/CONTRACT.md, never a traceback."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest

from caselog_tui.cli import main
from caselog_tui.core.status import StatusGroup
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.store.database import open_store
from tests.conftest import FakeClock


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A case log of 300 demo cases dated around today (the CLI uses the
    real clock, so the default view is not empty)."""
    from caselog_tui.services.caselog import utc_now

    path = tmp_path / "cli.db"
    store = open_store(path)
    fill_demo(store, 300, seed=5, now=utc_now())
    store.close()
    return path


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]


def ids_of_view(db: Path, query: CaseQuery) -> list[str]:
    log = CaseLog(open_store(db), tz=UTC)
    return [str(case.case_id) for case in log.iter_cases(query)]


EVERY = CaseQuery(include_expired=True)
OPEN_OR_REOPENED = frozenset({StatusGroup.OPEN, StatusGroup.REOPENED})
RETURNS = "returns@northwind-goods.co.uk"
EXPORTS = [
    ([], CaseQuery()),
    (["--attention"], CaseQuery(attention_only=True)),
    (["--all"], EVERY),
    (
        ["--status", "open,reopened"],
        CaseQuery(statuses=frozenset(StatusGroup) - {StatusGroup.ANSWERED, StatusGroup.ATTENTION}),
    ),
    (["--status", "answered"], CaseQuery(statuses=frozenset({StatusGroup.ANSWERED}))),
    (["--email", "Returns@Northwind-Goods.co.uk"], CaseQuery(email=RETURNS)),
    (["--search", "shipment"], CaseQuery(search="shipment")),
    (["--all", "--sort", "email:desc"], EVERY.changed(sort=SortColumn.EMAIL)),
    (["--all", "--sort", "reopened"], EVERY.changed(sort=SortColumn.REOPENED, descending=False)),
]


@pytest.mark.parametrize(("flags", "query"), EXPORTS, ids=[" ".join(f) for f, _ in EXPORTS])
def test_export_to_stdout_is_the_views_cases(
    db: Path, flags: list[str], query: CaseQuery, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", "--db", str(db), *flags]) == 0
    captured = capsysbinary.readouterr()
    assert [row[0] for row in rows_of(captured.out)] == ids_of_view(db, query)
    assert b"Exported" in captured.err


def test_date_filters_are_inclusive_days(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", "--db", str(db), "--from", "2025-06-01", "--to", "2025-08-31"]) == 0
    days = {row[1][:10] for row in rows_of(capsysbinary.readouterr().out)}
    assert days and min(days) >= "2025-06-01" and max(days) <= "2025-08-31"


def test_export_to_a_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.csv"
    assert main(["export", "--db", str(db), "--attention", "-o", str(target)]) == 0
    assert [r[0] for r in rows_of(target.read_bytes())] == ids_of_view(
        db, CaseQuery(attention_only=True)
    )
    assert f"to {target}." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "sentence"),
    [
        (["--from", "2026-13-01"], "--from 2026-13-01 is not a date; write it as YYYY-MM-DD"),
        (["--to", "yesterday"], "--to yesterday is not a date"),
        (["--from", "2026-11-02", "--to", "2026-11-01"], "is after --to"),
        (["--status", "open,closed"], "is not a status filter"),
        (["--sort", "colour"], "is not a sort order"),
        (["--sort", "created:sideways"], "is not a sort order"),
        (["--email", "not an address"], "is not a valid e-mail address"),
        (["--search", "nothing matches this"], "there is nothing to export"),
        (["-o", "/nonexistent-folder/report.csv"], "does not exist"),
    ],
)
def test_refusals_exit_1_with_a_sentence(
    db: Path, flags: list[str], sentence: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", "--db", str(db), *flags]) == 1
    captured = capsysbinary.readouterr()
    err = captured.err.decode()
    assert err.startswith("caselog: ") and sentence in err
    assert "Traceback" not in err and captured.out == b""


def test_usage_errors_exit_2(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "--db", str(db), "--format", "xml"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_the_full_export_without_filters_holds_every_case_by_id(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    import json

    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    ids = [json.loads(line)["case_id"] for line in capsysbinary.readouterr().out.splitlines()]
    assert len(ids) == 300 and ids == sorted(ids)


def test_no_traceback_from_a_real_process(db: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "caselog_tui", "export", "--db", str(db), "--from", "2026-13-01"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip() == (
        "caselog: --from 2026-13-01 is not a date; write it as YYYY-MM-DD, like 2026-11-01."
    )


def test_a_closed_pipe_is_not_an_error(db: Path) -> None:
    command = f"{sys.executable} -m caselog_tui export --all --db {db} | head -c 10"
    run = subprocess.run(["sh", "-c", command], capture_output=True)
    assert len(run.stdout) == 10 and b"Traceback" not in run.stderr


def test_progress_shows_for_large_exports_to_files(
    tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.db"
    store = open_store(path)
    fill_demo(store, 25_000, seed=1, now=clock())
    store.close()
    assert main(["export", "--db", str(path), "--all", "-o", str(tmp_path / "r.csv")]) == 0
    err = capsys.readouterr().err
    assert "Exporting cases: 100% (25,000 of 25,000)" in err
    assert main(["export", "--db", str(path), "--all", "-o", "-"]) == 0
    assert "Exporting cases" not in capsys.readouterr().err
