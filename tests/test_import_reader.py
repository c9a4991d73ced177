"""A large import is read in a second process: it must give exactly what
reading in this process gives, tell the same sentences, and never leave
that process behind."""

from __future__ import annotations

import json
import multiprocessing.spawn
import os
import threading
import time
from datetime import UTC
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from caselog_tui.core.errors import CaseLogError
from caselog_tui.services import import_reading
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.services.export import ExportFormat, export_to_file
from caselog_tui.services.files import FileProblem
from caselog_tui.services.importer import import_cases
from caselog_tui.store.database import open_store
from caselog_tui.store.dialects.sqlite import BUSY_TIMEOUT_MS, among
from caselog_tui.store.models import CASES
from tests.conftest import FIXED_NOW, FakeClock
from tests.test_import import EVERY_CASE, a_case, export_bytes, index_names, new_log, write


def demo_export(
    tmp_path: Path,
    clock: FakeClock,
    cases: int,
    export_format: ExportFormat = ExportFormat.JSONL,
) -> Path:
    """An export of `cases` demo cases, in tmp_path."""
    source = new_log(tmp_path / "source.db", clock)
    fill_demo(source.store, cases, seed=5, now=FIXED_NOW)
    exported = tmp_path / f"cases.{export_format}"
    export_to_file(source, EVERY_CASE, exported, export_format)
    return exported


def messy_file(tmp_path: Path) -> Path:
    lines: list[str | bytes] = [
        json.dumps(a_case(10_000_000_001)),
        '{"case_id": 10000000002, "status": "open",',
        json.dumps(a_case(10_000_000_003, primary_email="seller at example")),
        json.dumps(a_case(10_000_000_001, short_description="again")),
        json.dumps(a_case(10_000_000_005, short_description="[b]bold[/b] \x1b[31m")),
        b'{"case_id": 10000000006, "short_description": "\xff"}',
    ]
    return write(tmp_path / "messy.jsonl", lines)


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_both_ways_of_reading_store_the_same_cases(
    tmp_path: Path, clock: FakeClock, export_format: ExportFormat
) -> None:
    exported = demo_export(tmp_path, clock, 120, export_format)
    results = []
    for separate in (False, True):
        target = new_log(tmp_path / f"target-{separate}.db", clock)
        result = import_cases(target, exported, batch_size=50, separate_reader=separate)
        results.append((result.summary(), export_bytes(target, export_format)))
    assert results[0] == results[1]
    assert results[1][1] == exported.read_bytes()


def test_both_ways_skip_the_same_lines_with_the_same_sentences(
    tmp_path: Path, clock: FakeClock
) -> None:
    messy = messy_file(tmp_path)
    seen = []
    for separate in (False, True):
        target = new_log(tmp_path / f"target-{separate}.db", clock)
        result = import_cases(target, messy, batch_size=2, separate_reader=separate)
        seen.append((result.summary(), [str(s) for s in result.skipped]))
    assert seen[0] == seen[1]
    assert seen[1][0] == "added 2, updated 0, skipped 4"


def test_a_csv_line_that_is_not_utf8_is_skipped_alone(case_log: CaseLog, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    header = "Case ID,Case Creation,Status,Primary E-mail,Short Description,Last Activity,Re-opened"
    day = "2026-11-20 09:00:00"
    good = [f"1234567890{n},{day},Open,a@example.com,Case {n},{day},0".encode() for n in range(4)]
    bad = f"12345678909,{day},Open,a@example.com,Caf".encode() + b"\xe9" + f",{day},0".encode()
    report.write_bytes(b"\r\n".join([header.encode(), *good[:2], bad, *good[2:]]) + b"\r\n")
    for separate in (False, True):
        result = import_cases(case_log, report, batch_size=2, separate_reader=separate)
        assert [str(s) for s in result.skipped] == ["line 4: the line is not UTF-8 text."]
    assert case_log.count(EVERY_CASE) == 4


def test_a_damaged_csv_stops_the_import_with_its_sentence_and_keeps_what_went_in(
    case_log: CaseLog, tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    header = "Case ID,Case Creation,Status,Primary E-mail,Short Description,Last Activity,Re-opened"
    day = "2026-11-20 09:00:00"
    good = [f"1234567890{n},{day},Open,a@example.com,Case {n},{day},0" for n in range(4)]
    huge = f'12345678909,{day},Open,a@example.com,"{"x" * 200_000}",{day},0'
    report.write_text("\r\n".join([header, *good, huge]) + "\r\n")
    with pytest.raises(FileProblem, match="The CSV file is damaged at line 6"):
        import_cases(case_log, report, batch_size=2, separate_reader=True)
    assert case_log.count(EVERY_CASE) == 4


def test_stopping_an_import_ends_its_reading_process(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = demo_export(tmp_path, clock, 60)
    started: list[BaseProcess] = []
    real_process = import_reading._SPAWN.Process

    def remember(*args: Any, **kwargs: Any) -> BaseProcess:
        started.append(real_process(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(import_reading._SPAWN, "Process", remember)

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    target = new_log(tmp_path / "target.db", clock)
    with pytest.raises(KeyboardInterrupt):
        import_cases(target, exported, stop, batch_size=10, separate_reader=True)
    assert target.count(EVERY_CASE) == 10
    [reader] = started
    assert reader.exitcode is not None  # ended and waited for: no process left behind


@pytest.mark.parametrize("python", ["/bin/false", "no-such-python", ""])
def test_where_no_reading_process_can_start_the_file_is_read_here(
    case_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, python: str
) -> None:
    executable = str(tmp_path / python) if python == "no-such-python" else python
    monkeypatch.setattr(import_reading.sys, "executable", executable)
    monkeypatch.setattr(multiprocessing.spawn, "get_executable", lambda: os.fsencode(executable))
    result = import_cases(case_log, messy_file(tmp_path), separate_reader=True)
    assert result.summary() == "added 2, updated 0, skipped 4"


# Reading processes that fail in each way one can: each says it is ready, then…


def dies_of_an_exception(connection: Connection, *orders: Any) -> None:
    connection.send_bytes(import_reading._READY)
    raise MemoryError


def dies_half_way_through_a_batch(connection: Connection, *orders: Any) -> None:
    connection.send_bytes(import_reading._READY)
    os.write(connection.fileno(), (1000).to_bytes(4, "big") + b"half")
    os._exit(9)


def sends_garbage(connection: Connection, *orders: Any) -> None:
    connection.send_bytes(import_reading._READY)
    os.write(connection.fileno(), b"garbage!" * 4)  # not a length: no 1.7 GB read


@pytest.mark.parametrize(
    ("serve", "said"),
    [
        (dies_of_an_exception, " (MemoryError)"),
        (dies_half_way_through_a_batch, ""),
        (sends_garbage, ""),
    ],
)
def test_a_reading_process_that_dies_is_told_in_a_sentence(
    case_log: CaseLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    serve: Any,
    said: str,
) -> None:
    monkeypatch.setattr(import_reading, "_serve", serve)
    with pytest.raises(CaseLogError) as stopped:
        import_cases(case_log, messy_file(tmp_path), separate_reader=True)
    assert str(stopped.value) == (
        f"The import's reading process stopped unexpectedly{said}. What was imported before "
        "is kept, and importing the file again finishes it."
    )
    assert "Traceback" not in capfd.readouterr().err  # its last words are in the sentence only


@pytest.mark.parametrize("module", ["csv", "socket"])
def test_the_reading_process_runs_no_code_from_the_current_folder(
    case_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    # csv is imported by the reader's own modules, socket by multiprocessing
    # before the reader's import path is set.
    folder = tmp_path / "downloads"
    folder.mkdir()
    ran = tmp_path / "ran"
    (folder / f"{module}.py").write_text(f"open({str(ran)!r}, 'w').close()\n")
    monkeypatch.chdir(folder)
    result = import_cases(case_log, messy_file(tmp_path), separate_reader=True)
    assert result.summary() == "added 2, updated 0, skipped 4"
    assert not ran.exists()


def test_a_pipe_is_read_whole(case_log: CaseLog, tmp_path: Path) -> None:
    # caselog import <(zcat backup.jsonl.gz)
    fifo = tmp_path / "backup.jsonl"
    os.mkfifo(fifo)
    data = messy_file(tmp_path).read_bytes()

    def feed() -> None:
        with fifo.open("wb") as out:
            out.write(data)

    feeder = threading.Thread(target=feed)
    feeder.start()
    result = import_cases(case_log, fifo, separate_reader=True)
    feeder.join()
    assert result.summary() == "added 2, updated 0, skipped 4"
    assert [s.line for s in result.skipped] == [2, 3, 4, 6]


def test_a_message_id_holding_a_nul_is_still_matched(case_log: CaseLog, tmp_path: Path) -> None:
    message = {**a_case()["messages"][0], "mail_id": "<x\x00@y>"}
    first = write(tmp_path / "a.jsonl", [json.dumps(a_case(10_000_000_001, messages=[message]))])
    again = [
        json.dumps(a_case(10_000_000_002, messages=[message])),
        json.dumps(a_case(10_000_000_003)),
    ]
    import_cases(case_log, first)
    result = import_cases(case_log, write(tmp_path / "b.jsonl", again))
    assert [str(s) for s in result.skipped] == [
        "line 1: the e-mail <x\x00@y> of case 10000000002 is already recorded on case 10000000001."
    ]
    assert result.added == 1


def test_a_restore_leaves_the_store_waiting_for_the_disk_again(
    case_log: CaseLog, tmp_path: Path
) -> None:
    import_cases(case_log, messy_file(tmp_path))
    with case_log.store.engine.connect() as conn:  # the import's connection, back in the pool
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_lines_no_store_could_hold_are_skipped_with_a_sentence(
    case_log: CaseLog, tmp_path: Path
) -> None:
    lines: list[str | bytes] = [
        json.dumps(a_case(10_000_000_001, short_description="half a pair \ud800 here")),
        json.dumps(
            a_case(10_000_000_002, messages=[{**a_case()["messages"][0], "body": "\udc00"}])
        ),
        json.dumps(a_case(10_000_000_003, reopened_count=10**30)),
        json.dumps(a_case(10_000_000_004, reopened_count=2**63)),
        "[" * 100_000 + "]" * 100_000,
        json.dumps(a_case(10_000_000_006, short_description="a pair is fine \U0001f600")),
        json.dumps(a_case(10_000_000_007, reopened_count="\u00b2")),  # a superscript two
        json.dumps(a_case("\u0661" * 11)),  # Arabic-Indic digits
    ]
    result = import_cases(case_log, write(tmp_path / "odd.jsonl", lines))
    reasons = [s.reason for s in result.skipped]
    assert result.summary() == "added 1, updated 0, skipped 7"
    assert reasons[0] == reasons[1]
    assert reasons[0].startswith("the line holds an escaped half of a character pair")
    assert reasons[2] == "“reopened_count” is 1,000,000,000,000,000,000,000,000,000,000, " + (
        "more than 1,000,000."
    )
    assert reasons[3].startswith("“reopened_count” is 9,223,372,036,854,775,808")
    assert reasons[4] == "the line nests lists or objects too deeply to be a case."
    assert reasons[5] == "“reopened_count” must be a whole number, 0 or more."
    assert reasons[6] == "“" + "\u0661" * 11 + "” is not a case ID (10 or 11 digits)."
    saved = case_log.case(10_000_000_006).summary.short_description
    assert saved == "a pair is fine \U0001f600"


def test_among_takes_more_values_than_sqlite_takes_parameters(tmp_path: Path) -> None:
    store = open_store(tmp_path / "cases.db")
    wanted = list(range(1, 40_001))
    with store.reading() as conn:
        found = conn.execute(CASES.select().where(among(CASES.c.id, wanted))).all()
    assert found == []
    log = CaseLog(store, tz=UTC)
    case = log.submit_case(primary_email="a@example.com", short_description="x", message="y")
    with store.reading() as conn:
        ids = conn.execute(CASES.select().where(among(CASES.c.id, [*wanted, case.case_id]))).all()
    assert [row.id for row in ids] == [case.case_id]


def test_ctrl_c_inside_a_statement_lets_go_of_the_case_log(
    tmp_path: Path, clock: FakeClock
) -> None:
    exported = demo_export(tmp_path, clock, 60)
    target = new_log(tmp_path / "target.db", clock)
    inserts = {"messages": 0}

    @event.listens_for(target.store.engine, "after_cursor_execute")
    def interrupt(*args: Any) -> None:
        if args[2].startswith("INSERT INTO messages"):
            inserts["messages"] += 1
            if inserts["messages"] == 2:  # Ctrl-C while SQLite stores the second batch
                raise KeyboardInterrupt

    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        import_cases(target, exported, batch_size=20)
    # No wait for a lock the interrupted connection kept, and the restore's
    # indexes were built again on the way out.
    assert time.perf_counter() - started < BUSY_TIMEOUT_MS / 1000
    assert "ix_cases_by_created_at" in index_names(target)
    assert target.count(EVERY_CASE) == 20
    event.remove(target.store.engine, "after_cursor_execute", interrupt)
    assert import_cases(target, exported).added == 40


def never_ready(connection: Connection, *orders: Any) -> None:
    connection.recv_bytes()  # nothing comes: it waits until it is ended


def test_a_reading_process_that_never_says_ready_is_given_up_on(
    case_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_reading, "READY_SECONDS", 0.3)
    monkeypatch.setattr(import_reading, "_serve", never_ready)
    started = time.perf_counter()
    result = import_cases(case_log, messy_file(tmp_path), separate_reader=True)
    assert result.summary() == "added 2, updated 0, skipped 4"  # read here instead
    assert time.perf_counter() - started < 10


def test_the_reading_process_reads_the_file_this_one_opened(
    case_log: CaseLog, tmp_path: Path
) -> None:
    # /dev/stdin or /dev/fd/N name a file only this process can open.
    with messy_file(tmp_path).open("rb") as handed_over:
        path = Path(f"/dev/fd/{handed_over.fileno()}")
        result = import_cases(case_log, path, separate_reader=True)
    assert result.summary() == "added 2, updated 0, skipped 4"


def test_a_pipe_that_starts_with_only_a_bom_or_a_blank_line_is_still_json_lines(
    case_log: CaseLog, tmp_path: Path
) -> None:
    fifo = tmp_path / "slow.jsonl"
    os.mkfifo(fifo)
    data = messy_file(tmp_path).read_bytes()

    def feed() -> None:
        with fifo.open("wb", buffering=0) as out:
            out.write(b"\xef\xbb\xbf")
            time.sleep(0.2)
            out.write(b"\n")
            time.sleep(0.2)
            out.write(data)

    feeder = threading.Thread(target=feed)
    feeder.start()
    result = import_cases(case_log, fifo)
    feeder.join()
    assert result.summary() == "added 2, updated 0, skipped 4"


def test_an_empty_pipe_is_called_empty(case_log: CaseLog, tmp_path: Path) -> None:
    fifo = tmp_path / "nothing.jsonl"
    os.mkfifo(fifo)
    feeder = threading.Thread(target=lambda: fifo.write_bytes(b"\n  \n"))
    feeder.start()
    with pytest.raises(FileProblem, match="is empty; there is nothing to import"):
        import_cases(case_log, fifo)
    feeder.join()


def test_a_batch_also_ends_after_so_much_of_the_file(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = demo_export(tmp_path, clock, 3000)
    monkeypatch.setattr(import_reading, "BATCH_BYTES", 100_000)
    steps: list[int] = []
    target = new_log(tmp_path / "target.db", clock)
    result = import_cases(target, exported, lambda done, total: steps.append(done))
    assert result.added == 3000
    assert len(steps) > 5 and steps == sorted(steps)  # many batches, not one of 3000
    assert export_bytes(target) == exported.read_bytes()
