"""`caselog import`: full exports and CSV reports back into a case log,
idempotent, validated line by line, and whole cases only."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from caselog_tui.core.machine import Action
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.services.export import REPORT_COLUMNS, ExportFormat, export_cases, export_to_file
from caselog_tui.services.files import FileProblem
from caselog_tui.services.importer import import_cases
from caselog_tui.store.database import open_store
from tests.conftest import FIXED_NOW, FakeClock

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases

EVERY_CASE = CaseQuery(include_expired=True)


def new_log(path: Path, clock: FakeClock) -> CaseLog:
    return CaseLog(open_store(path), clock=clock, tz=UTC)


@pytest.fixture
def source(tmp_path: Path, clock: FakeClock) -> CaseLog:
    """Demo cases plus cases with a full history: events, a Cc list, an
    e-mail's Message-ID, a re-open."""
    log = new_log(tmp_path / "source.db", clock)
    fill_demo(log.store, 250, seed=11, now=FIXED_NOW)
    case = log.submit_case(
        primary_email="ops@example.com",
        short_description="Inbound shipment short",
        message="Two cartons missing.",
        cc="a@example.com, b@example.com",
    )
    clock.advance(hours=2)
    log.record_support_reply(
        case.case_id, Action.SUPPORT_ANSWERS, "Reimbursed.", mail_id="<m1@support.example>"
    )
    clock.advance(hours=1)
    log.reopen(case.case_id, "Only one carton was reimbursed.")
    log.edit_short_description(case.case_id, "Inbound shipment short by two cartons")
    return log


def export_bytes(log: CaseLog, export_format: ExportFormat = ExportFormat.JSONL) -> bytes:
    out = io.BytesIO()
    export_cases(log, EVERY_CASE, out, export_format)
    return out.getvalue()


def write(path: Path, lines: Sequence[str | bytes]) -> Path:
    path.write_bytes(b"".join((x.encode() if isinstance(x, str) else x) + b"\n" for x in lines))
    return path


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_round_trip_gives_the_same_file(
    source: CaseLog, tmp_path: Path, clock: FakeClock, export_format: ExportFormat
) -> None:
    exported = tmp_path / f"cases.{export_format}"
    export_to_file(source, EVERY_CASE, exported, export_format)
    target = new_log(tmp_path / "target.db", clock)
    result = import_cases(target, exported)
    assert (result.added, result.updated, result.skipped) == (251, 0, [])
    assert export_bytes(target, export_format) == exported.read_bytes()


def test_importing_twice_adds_nothing(source: CaseLog, tmp_path: Path, clock: FakeClock) -> None:
    exported = write(tmp_path / "cases.jsonl", [export_bytes(source).rstrip(b"\n")])
    target = new_log(tmp_path / "target.db", clock)
    import_cases(target, exported)
    before = export_bytes(target)
    again = import_cases(target, exported)
    assert again.summary() == "added 0, updated 0, skipped 0 (251 already up to date)"
    assert export_bytes(target) == before


def test_new_cases_get_ids_above_every_imported_one(
    source: CaseLog, tmp_path: Path, clock: FakeClock
) -> None:
    record = json.loads(export_bytes(source).splitlines()[0])
    record["case_id"] = 98_765_432_100
    target = new_log(tmp_path / "target.db", clock)
    import_cases(target, write(tmp_path / "one.jsonl", [json.dumps(record)]))
    case = target.submit_case(primary_email="a@example.com", short_description="x", message="y")
    assert case.case_id == 98_765_432_101


def a_case(case_id: int | str = 12_345_678_901, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "case_id": case_id,
        "created_at": "2026-11-20T09:00:00Z",
        "status": "open",
        "primary_email": "seller@example.com",
        "short_description": "Listing suppressed",
        "cc": [],
        "last_activity_at": "2026-11-20T09:00:00Z",
        "answered_at": None,
        "reopened_count": 0,
        "messages": [
            {
                "sent_at": "2026-11-20T09:00:00Z",
                "side": "seller",
                "author": "seller@example.com",
                "body": "Please reinstate it.",
                "mail_id": None,
            }
        ],
        "events": [],
    }
    record.update(changes)
    return record


def test_hostile_and_messy_lines_are_skipped_with_their_line_and_reason(
    case_log: CaseLog, tmp_path: Path
) -> None:
    huge = "x" * 1_000_000
    hostile = "[TODO] [/b] [@click=app.quit]ok[/] \x1b]0;pwned\x07 \x9b31m tab\tend"
    no_email = a_case(10_000_000_004)
    del no_email["primary_email"]
    lines: list[str | bytes] = [
        json.dumps(a_case(10_000_000_001)),
        '{"case_id": 10000000002, "status": "open",',  # broken JSON
        json.dumps(no_email),
        json.dumps(a_case(10_000_000_005, primary_email="seller at example")),
        json.dumps(a_case(10_000_000_001, short_description="again")),  # duplicate ID
        "",
        json.dumps(a_case(10_000_000_007, messages=[{**a_case()["messages"][0], "body": huge}])),
        json.dumps(a_case(10_000_000_008, short_description=hostile[:200])),
        json.dumps(a_case(10_000_000_009, status="closed")),
        json.dumps(a_case(10_000_000_010, created_at="2026-02-30T00:00:00Z")),
        json.dumps(a_case(123, short_description="short ID")),
        json.dumps(a_case(10_000_000_012, short_description="  ")),
        json.dumps(a_case(10_000_000_013, messages=[{"side": "seller"}])),
        b'{"case_id": 10000000014, "short_description": "\xff\xfe"}',
        "[1, 2, 3]",
        json.dumps(a_case(10_000_000_016, cc=["ok@example.com", "bad address"])),
    ]
    result = import_cases(case_log, write(tmp_path / "messy.jsonl", lines))
    assert result.summary() == "added 3, updated 0, skipped 12"
    reasons = {s.line: s.reason for s in result.skipped}
    assert sorted(reasons) == [2, 3, 4, 5, 9, 10, 11, 12, 13, 14, 15, 16]
    assert reasons[2].startswith("the line is not valid JSON")
    assert reasons[3] == "the field “primary_email” is missing."
    assert "is not a valid e-mail address" in reasons[4]
    assert reasons[5] == "case 10000000001 appears earlier in the file; this copy is skipped."
    assert reasons[9].startswith("the status “closed” is not one of Open, Pending")
    assert "not a date and time" in reasons[10]
    assert "is not a case ID" in reasons[11]
    assert "short description is empty" in reasons[12]
    assert reasons[13] == "message 1 has no “author”."
    assert reasons[14] == "the line is not UTF-8 text."
    assert reasons[15] == "the line is not a JSON object with a case's fields."
    assert "In the Cc list" in reasons[16]
    big = case_log.case(10_000_000_007)
    assert big.messages[0].body == huge
    marked = case_log.case(10_000_000_008)
    assert marked.summary.short_description == hostile[:200].strip()
    assert case_log.case(10_000_000_001).summary.short_description == "Listing suppressed"


def test_an_empty_or_foreign_file_is_refused(case_log: CaseLog, tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="is empty; there is nothing to import"):
        import_cases(case_log, write(tmp_path / "empty.jsonl", ["", "  "]))
    with pytest.raises(FileProblem, match="neither JSON Lines nor a caselog CSV report"):
        import_cases(case_log, write(tmp_path / "other.csv", ["name,price", "tea,3"]))
    with pytest.raises(FileProblem, match="does not exist"):
        import_cases(case_log, tmp_path / "missing.jsonl")


def test_a_newer_copy_updates_and_merges_messages(case_log: CaseLog, tmp_path: Path) -> None:
    import_cases(case_log, write(tmp_path / "old.jsonl", [json.dumps(a_case())]))
    case_log.reply(12_345_678_901, "Any news?")  # recorded here, not in the file
    answer = {
        "sent_at": "2026-11-27T10:00:00Z",
        "side": "support",
        "author": "Seller Support",
        "body": "Reinstated.",
        "mail_id": "<answer@support.example>",
    }
    newer = a_case(
        status="answered",
        last_activity_at="2026-11-27T10:00:00Z",
        answered_at="2026-11-27T10:00:00Z",
        messages=[*a_case()["messages"], answer],
    )
    result = import_cases(case_log, write(tmp_path / "newer.jsonl", [json.dumps(newer)]))
    assert result.summary() == "added 0, updated 1, skipped 0"
    case = case_log.case(12_345_678_901)
    assert case.status is Status.ANSWERED
    assert [m.body for m in case.messages] == ["Please reinstate it.", "Any news?", "Reinstated."]
    assert case_log.has_mail("<answer@support.example>")


def test_an_older_copy_is_kept_out_and_reported(case_log: CaseLog, tmp_path: Path) -> None:
    import_cases(case_log, write(tmp_path / "first.jsonl", [json.dumps(a_case())]))
    case_log.reply(12_345_678_901, "Any news?")
    older = a_case(short_description="An older title")
    result = import_cases(case_log, write(tmp_path / "older.jsonl", [json.dumps(older)]))
    (skipped,) = result.skipped
    assert skipped.line == 1 and "the case log's copy was kept" in skipped.reason
    assert case_log.case(12_345_678_901).summary.short_description == "Listing suppressed"


def test_an_e_mail_recorded_on_another_case_refuses_the_record(
    case_log: CaseLog, tmp_path: Path
) -> None:
    mail = {**a_case()["messages"][0], "mail_id": "<same@mail>"}
    lines = [
        json.dumps(a_case(10_000_000_001, messages=[mail])),
        json.dumps(a_case(10_000_000_002, messages=[mail])),
    ]
    result = import_cases(case_log, write(tmp_path / "clash.jsonl", lines))
    assert result.added == 1
    assert [str(s) for s in result.skipped] == [
        "line 2: the e-mail <same@mail> of case 10000000002 is already recorded "
        "on case 10000000001."
    ]


def test_an_interrupted_import_leaves_whole_cases_and_can_be_run_again(
    source: CaseLog, tmp_path: Path, clock: FakeClock
) -> None:
    exported = tmp_path / "cases.jsonl"
    export_to_file(source, EVERY_CASE, exported, ExportFormat.JSONL)
    target = new_log(tmp_path / "target.db", clock)

    def stop_after_first_batch(done: int, total: int) -> None:
        raise KeyboardInterrupt

    indexes = index_names(target)
    with pytest.raises(KeyboardInterrupt):
        import_cases(target, exported, stop_after_first_batch, batch_size=100)
    assert target.count(EVERY_CASE) == 100
    assert_whole_cases(source, target)
    assert index_names(target) == indexes
    result = import_cases(target, exported, batch_size=100)
    assert (result.added, result.unchanged) == (151, 100)
    assert export_bytes(target) == exported.read_bytes()


def test_a_failure_inside_a_batch_writes_none_of_it(
    source: CaseLog, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caselog_tui.store.dialects import sqlite

    exported = tmp_path / "cases.jsonl"
    export_to_file(source, EVERY_CASE, exported, ExportFormat.JSONL)
    target = new_log(tmp_path / "target.db", clock)
    real_insert = sqlite.bulk_insert
    inserts = {"messages": 0}

    def fail_on_the_second_batch_of_messages(conn: Any, table: str, *args: Any) -> None:
        real_insert(conn, table, *args)
        if table == "messages":
            inserts["messages"] += 1
            if inserts["messages"] == 2:  # the cases of this batch are already in
                raise KeyboardInterrupt

    monkeypatch.setattr(sqlite, "bulk_insert", fail_on_the_second_batch_of_messages)
    with pytest.raises(KeyboardInterrupt):
        import_cases(target, exported, batch_size=100)
    monkeypatch.undo()
    assert target.count(EVERY_CASE) == 100
    assert_whole_cases(source, target)
    assert "ix_cases_by_created_at" in index_names(target)
    import_cases(target, exported, batch_size=100)
    assert export_bytes(target) == exported.read_bytes()


def index_names(log: CaseLog) -> set[str]:
    with log.store.reading() as conn:
        found = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {row[0] for row in found}


def test_a_killed_restore_gets_its_indexes_back(
    source: CaseLog, tmp_path: Path, clock: FakeClock
) -> None:
    exported = tmp_path / "cases.jsonl"
    export_to_file(source, EVERY_CASE, exported, ExportFormat.JSONL)
    target = new_log(tmp_path / "target.db", clock)
    complete = index_names(target)
    assert "ix_cases_by_created_at" in complete and "ix_messages_case_id" in complete
    first_case = exported.read_bytes().splitlines()[0].decode()
    import_cases(target, write(tmp_path / "first.jsonl", [first_case]))
    # A restore killed while it loads leaves the plain indexes out...
    with target.store.bulk_writing() as conn:
        conn.exec_driver_sql("DROP INDEX ix_cases_by_created_at")
        conn.exec_driver_sql("DROP INDEX ix_messages_case_id")
    # ...and the next import (into a case log that has cases now) builds them.
    assert import_cases(target, exported).added == 250
    assert index_names(target) == complete


def assert_whole_cases(source: CaseLog, target: CaseLog) -> None:
    """Every case the target holds has every message it had."""

    def history(log: CaseLog, case_id: int) -> list[tuple[object, ...]]:
        return [(m.side, m.author, m.sent_at, m.body) for m in log.case(case_id).messages]

    for summary in target.iter_cases(EVERY_CASE):
        assert history(target, summary.case_id) == history(source, summary.case_id)


def test_a_csv_report_imports_with_its_cells_restored(case_log: CaseLog, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    day = "2026-11-20 09:00:00"
    rows = [
        "\ufeff" + ",".join(REPORT_COLUMNS),
        f"12345678901,{day},Answered,'-x@example.com,'=1+1,2026-11-21 10:00:00,1",
        f'12345678902,{day},Open,a@example.com,"Two\r\nlines, ""quoted""",{day},0',
        f"12345678903,{day},Closed,a@example.com,Bad status,{day},0",
        f"12345678904,{day},Open,a@example.com,Too few cells",
    ]
    report.write_bytes("\r\n".join(rows).encode() + b"\r\n")
    result = import_cases(case_log, report)
    assert result.added == 2
    assert [str(s) for s in result.skipped] == [
        "line 5: the status “Closed” is not one of Open, Pending Amazon Action, "
        "Needs Your Attention, Answered, Transferred.",
        "line 6: expected 7 cells, found 5.",
    ]
    first = case_log.case(12_345_678_901)
    assert first.summary.short_description == "=1+1"
    assert first.summary.primary_email == "-x@example.com"
    assert first.status is Status.ANSWERED and first.summary.reopened_count == 1
    assert first.answered_at == first.summary.last_activity_at and first.messages == []
    second = case_log.case(12_345_678_902)
    assert second.summary.short_description == 'Two\r\nlines, "quoted"'


@pytest.mark.parametrize("moment", ["1969-12-31T23:59:59Z", "9999-12-31T23:59:59+00:00"])
def test_a_time_outside_the_years_cases_live_in_is_skipped(
    case_log: CaseLog, tmp_path: Path, moment: str
) -> None:
    lines = [
        json.dumps(a_case(10_000_000_021, created_at=moment)),
        json.dumps(a_case(10_000_000_022)),
    ]
    result = import_cases(case_log, write(tmp_path / "times.jsonl", lines))
    assert result.summary() == "added 1, updated 0, skipped 1"
    assert "outside the years 1970 to 9998" in result.skipped[0].reason
    # The view that would have shown it still works.
    assert [c.case_id for c in case_log.page(EVERY_CASE).cases] == [10_000_000_022]
