"""The export report holds exactly the cases the view shows, in its order,
and is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import errno
import io
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from caselog_tui.core.localtime import SystemLocalTime
from caselog_tui.core.machine import Action
from caselog_tui.core.records import CaseSummary
from caselog_tui.core.status import StatusGroup
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.services.export import (
    FORMULA_STARTS,
    REPORT_COLUMNS,
    ExportFormat,
    NothingToExport,
    clockface,
    export_cases,
    export_to_file,
    neutralise,
    report_name,
    restore,
    write_report,
)
from caselog_tui.services.files import FileProblem
from caselog_tui.store.database import Store
from tests.conftest import FIXED_NOW, FakeClock
from tests.test_service import london  # noqa: F401  (a fixture)

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases

HOSTILE_DESCRIPTIONS = [
    '=HYPERLINK("http://evil.example","click")',
    "+44 20 7946 0000 call back",
    "-1 unit missing",
    "@SUM(A1:A9)",
    'Quotes "inside", and a comma',
    "[TODO] [/b] [@click=app.quit]markup[/]",
]


@pytest.fixture
def filled(store: Store, clock: FakeClock) -> CaseLog:
    """400 seeded demo cases, plus a few with hostile short descriptions, one
    of them re-opened."""
    fill_demo(store, 400, seed=7, now=FIXED_NOW)
    log = CaseLog(store, clock=clock, tz=UTC)
    for text in HOSTILE_DESCRIPTIONS:
        case = log.submit_case(
            primary_email="seller@example.com", short_description=text, message="Hi"
        )
    log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
    log.reopen(case.case_id, "It is not done.")
    return log


def read_report(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def expected_rows(cases: list[CaseSummary], tz: tzinfo) -> list[list[str]]:
    def when(moment: datetime) -> str:  # local, with its offset: "2026-11-26 12:00:00+00:00"
        return moment.astimezone(tz).isoformat(sep=" ")

    return [
        [
            str(c.case_id),
            when(c.created_at),
            c.status.label,
            neutralise(c.primary_email),
            neutralise(c.short_description),
            when(c.last_activity_at),
            str(c.reopened_count),
        ]
        for c in cases
    ]


def report_of(log: CaseLog, query: CaseQuery) -> list[list[str]]:
    out = io.BytesIO()
    export_cases(log, query, out)
    return read_report(out.getvalue())


VIEWS = {
    "default": CaseQuery(),
    "needing attention": CaseQuery(attention_only=True),
    "all cases": CaseQuery(include_expired=True),
    **{f"status {g.value}": CaseQuery(statuses=frozenset({g})) for g in StatusGroup},
    "open or answered": CaseQuery(statuses=frozenset({StatusGroup.OPEN, StatusGroup.ANSWERED})),
    "primary e-mail": CaseQuery(email="returns@northwind-goods.co.uk"),
    "created from": CaseQuery(created_from=date(2026, 10, 1)),
    "created to": CaseQuery(created_to=date(2025, 6, 30)),
    "date range": CaseQuery(created_from=date(2025, 1, 1), created_to=date(2025, 3, 31)),
    "search words": CaseQuery(search="reimbursement"),
    "search formula": CaseQuery(search="=hyperlink"),
    **{
        f"sorted by {column.value} {'desc' if down else 'asc'}": CaseQuery(
            include_expired=True, sort=column, descending=down
        )
        for column in SortColumn
        for down in (False, True)
    },
}


@pytest.mark.parametrize("query", VIEWS.values(), ids=VIEWS.keys())
def test_the_report_holds_exactly_the_views_cases_in_its_order(
    filled: CaseLog, query: CaseQuery
) -> None:
    shown = list(filled.iter_cases(query))
    assert shown, "each view of the fixture shows some cases"
    rows = report_of(filled, query)
    assert rows[0] == list(REPORT_COLUMNS)
    assert rows[1:] == expected_rows(shown, UTC)


def test_the_report_ignores_the_page_and_holds_every_page(filled: CaseLog) -> None:
    query = CaseQuery(include_expired=True, page_size=25, page=3)
    assert len(report_of(filled, query)) - 1 == filled.count(query) == 406


def test_a_search_for_a_case_id_exports_that_case(filled: CaseLog) -> None:
    case_id = next(filled.iter_cases(CaseQuery())).case_id
    rows = report_of(filled, CaseQuery(search=str(case_id)))
    assert [row[0] for row in rows[1:]] == [str(case_id)]


@pytest.mark.parametrize("zone", ["Europe/London", "America/St_Johns", "Asia/Kathmandu"])
def test_times_are_local_to_the_case_log(store: Store, clock: FakeClock, zone: str) -> None:
    fill_demo(store, 150, seed=3, now=FIXED_NOW)
    log = CaseLog(store, clock=clock, tz=ZoneInfo(zone))
    query = CaseQuery(include_expired=True)
    assert report_of(log, query)[1:] == expected_rows(list(log.iter_cases(query)), ZoneInfo(zone))


@settings(max_examples=300, deadline=None)
@given(
    seconds=st.integers(min_value=0, max_value=4_000_000_000),
    zone=st.sampled_from(["UTC", "Europe/London", "Australia/Lord_Howe", "Africa/Monrovia"]),
)
def test_the_fast_clock_agrees_with_strftime(seconds: int, zone: str) -> None:
    tz = ZoneInfo(zone)
    shown = datetime.fromtimestamp(seconds, tz).strftime("%Y-%m-%d %H:%M:%S")
    assert clockface(tz)(seconds) == shown


@settings(max_examples=300, deadline=None)
@given(
    seconds=st.integers(min_value=0, max_value=4_000_000_000),
    zone=st.sampled_from(["UTC", "Europe/London", "Australia/Lord_Howe", "America/St_Johns"]),
)
def test_the_report_clock_carries_the_offset_of_each_moment(seconds: int, zone: str) -> None:
    tz = ZoneInfo(zone)
    assert clockface(tz, with_offset=True)(seconds) == (
        datetime.fromtimestamp(seconds, tz).isoformat(sep=" ")
    )


def test_report_times_from_two_zones_compare(store: Store, clock: FakeClock) -> None:
    """The same case exported in Berlin and in New York: the wall times
    differ, the offsets say they are the same moment."""
    CaseLog(store, clock=clock).submit_case(
        primary_email="seller@shop.example", short_description="Payment held", message="Hi."
    )
    berlin = report_of(CaseLog(store, clock=clock, tz=ZoneInfo("Europe/Berlin")), CaseQuery())
    new_york = report_of(CaseLog(store, clock=clock, tz=ZoneInfo("America/New_York")), CaseQuery())
    assert berlin[1][1] == "2026-11-26 13:00:00+01:00"
    assert new_york[1][1] == "2026-11-26 07:00:00-05:00"
    assert datetime.fromisoformat(berlin[1][1]) == datetime.fromisoformat(new_york[1][1])


@pytest.mark.usefixtures("london")
@pytest.mark.parametrize("newest_first", [False, True])
def test_the_fast_clock_agrees_with_the_system_clock_when_it_goes_back(
    newest_first: bool,
) -> None:
    # What `caselog export` uses: the computer's own zone. Around the night
    # the clocks go back, 01:xx happens twice; a report sorted newest first
    # meets the later day before the night itself.
    tz = SystemLocalTime()
    nights = [datetime(2014, 10, 26, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC)]
    nights.append(datetime(2026, 3, 29, tzinfo=UTC))  # and the night they go forward
    moments = [
        int(night.timestamp()) - 6 * 3600 + minutes * 60
        for night in nights
        for minutes in range(0, 14 * 60, 10)
    ]
    moments.sort(reverse=newest_first)
    clock = clockface(tz)
    shown = [clock(moment) for moment in moments]
    expected = [
        datetime.fromtimestamp(moment, tz).strftime("%Y-%m-%d %H:%M:%S") for moment in moments
    ]
    assert shown == expected
    # With the offset, the hour that happens twice is told apart.
    with_offset = clockface(tz, with_offset=True)
    # (Not strftime's %z: SystemLocalTime works that out from the wall
    # time, which the hour that happens twice does not tell apart.)
    ahead = [
        datetime.fromtimestamp(moment, tz).replace(tzinfo=None)
        - datetime.fromtimestamp(moment, UTC).replace(tzinfo=None)
        for moment in moments
    ]
    assert [with_offset(moment)[-6:] for moment in moments] == [
        "+01:00" if delta == timedelta(hours=1) else "+00:00" for delta in ahead
    ]


def test_spreadsheet_safety_bom_crlf_and_neutralised_formulas(filled: CaseLog) -> None:
    out = io.BytesIO()
    export_cases(filled, CaseQuery(search="[TODO]"), out)
    data = out.getvalue()
    assert data.startswith("\ufeffCase ID,".encode())
    assert data.count(b"\r\n") == 2 and b"\n" not in data.replace(b"\r\n", b"")
    rows = read_report(data)
    assert rows[1][4] == "[TODO] [/b] [@click=app.quit]markup[/]"
    cells = {row[4] for row in report_of(filled, CaseQuery(search="=hyperlink"))[1:]}
    assert cells == {"'" + HOSTILE_DESCRIPTIONS[0]}
    for text in HOSTILE_DESCRIPTIONS[1:4]:
        rows = report_of(filled, CaseQuery(search=text))
        assert "'" + text in [row[4] for row in rows[1:]]


def report_cell(text: str) -> str:
    out = io.BytesIO()
    row = (12345678901, 1_700_000_000, "open", "a@b.co", text, 1_700_000_000, 0)
    write_report([row], out, UTC)
    rows = read_report(out.getvalue())
    assert len(rows) == 2
    return rows[1][4]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_reads_back_through_csv_as_the_neutralised_value(text: str) -> None:
    cell = report_cell(text)
    assert cell == neutralise(text)
    assert cell[:1] not in FORMULA_STARTS or cell == ""


@given(st.text() | st.from_regex(r"\A'+[=+\-@\t\r\x00']?.*", fullmatch=True))
def test_importing_a_cell_gives_back_the_text(text: str) -> None:
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["'Twas a late delivery", "'=1+1", "''"])
def test_a_leading_apostrophe_is_kept_for_the_spreadsheet_and_the_import(text: str) -> None:
    assert report_cell(text) == "'" + text
    assert restore(report_cell(text)) == text


@pytest.mark.parametrize("start", sorted(FORMULA_STARTS))
def test_every_formula_start_is_neutralised(start: str) -> None:
    assert report_cell(start + "1+1") == "'" + start + "1+1"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder for reports, apart from the case log's files."""
    reports = tmp_path / "reports"
    reports.mkdir()
    return reports


def test_nothing_to_export_refuses_and_writes_no_file(case_log: CaseLog, folder: Path) -> None:
    with pytest.raises(NothingToExport, match="shows no cases, so there is nothing to export"):
        export_to_file(case_log, CaseQuery(), folder / "report.csv")
    assert list(folder.iterdir()) == []


def test_export_to_a_file_writes_it_whole(filled: CaseLog, folder: Path) -> None:
    target = folder / "report.csv"
    seen: list[tuple[int, int]] = []
    count = export_to_file(
        filled, CaseQuery(include_expired=True), target, progress=lambda d, t: seen.append((d, t))
    )
    assert count == 406 and seen[-1] == (406, 406)
    assert len(read_report(target.read_bytes())) == 407


def test_a_full_disk_leaves_no_partial_report(
    filled: CaseLog, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "report.csv"
    target.write_bytes(b"the previous report")
    monkeypatch.setattr("caselog_tui.services.export.PROGRESS_STEP", 100)

    def disk_fills_up(done: int, total: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(FileProblem, match="The disk is full"):
        export_to_file(filled, CaseQuery(include_expired=True), target, progress=disk_fills_up)
    assert target.read_bytes() == b"the previous report"
    assert list(folder.iterdir()) == [target]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("missing-folder/report.csv", "does not exist"),
        ("a-file/report.csv", "Could not write the export to"),
        (".", "it is a folder, not a file"),
    ],
)
def test_an_unwritable_path_is_a_sentence(
    filled: CaseLog, folder: Path, name: str, sentence: str
) -> None:
    (folder / "a-file").write_text("not a folder")
    before = sorted(folder.iterdir())
    with pytest.raises(FileProblem, match=sentence):
        export_to_file(filled, CaseQuery(), folder / name)
    assert sorted(folder.iterdir()) == before


def test_report_name_is_dated_in_the_case_logs_timezone() -> None:
    assert report_name(FIXED_NOW, UTC) == "case-log-2026-11-26.csv"
    late = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert report_name(late, ZoneInfo("Asia/Tokyo")) == "case-log-2026-11-27.csv"


def test_the_full_export_has_every_field_and_message(filled: CaseLog) -> None:
    import json

    out = io.BytesIO()
    query = CaseQuery(search="=hyperlink")
    export_cases(filled, query, out, ExportFormat.JSONL)
    (line,) = out.getvalue().decode().splitlines()
    record = json.loads(line)
    case = filled.case(record["case_id"])
    assert record["short_description"] == case.summary.short_description
    assert record["primary_email"] == "seller@example.com"
    assert record["status"] == "open" and record["reopened_count"] == 0
    assert record["created_at"] == "2026-11-26T12:00:00Z"
    assert record["messages"] == [
        {
            "sent_at": "2026-11-26T12:00:00Z",
            "side": "seller",
            "author": "seller@example.com",
            "body": "Hi",
            "mail_id": None,
        }
    ]
    assert record["cc"] == [] and record["answered_at"] is None and record["events"] == []
