"""The export report (CSV) and the full export (JSON Lines).

Both write exactly the cases a `CaseQuery` describes, all pages, in its
order: the TUI's table, the export dialog and `caselog export` share that
one description. Rows stream from a column select straight into the file,
so a million cases take seconds and memory does not grow with the count.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.status import Status
from caselog_tui.core.validation import split_cc
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.files import atomic_output
from caselog_tui.store.histories import FullCases, iter_full_cases
from caselog_tui.store.queries import count_cases, iter_case_rows

Progress = Callable[[int, int], None]
"""Called with (cases written, cases in the export) every few thousand cases."""

REPORT_COLUMNS = (
    "Case ID",
    "Case Creation",
    "Status",
    "Primary E-mail",
    "Short Description",
    "Last Activity",
    "Re-opened",
)
PROGRESS_STEP = 10_000

# A spreadsheet treats a cell starting with one of these as a formula (or
# strips it), so a short description like "=HYPERLINK(...)" could run.
FORMULA_STARTS = frozenset("=+-@\t\r\0")


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class NothingToExport(CaseLogError):
    """The view shows no cases, so no report is written."""


# What `neutralise` puts a ' before: a formula start, and a ' itself, which
# a spreadsheet would otherwise hide ('Twas shows as Twas) and which an
# import could not tell from the guard.
_GUARDED_STARTS = FORMULA_STARTS | {"'"}


def neutralise(cell: str) -> str:
    """`cell`, with a leading ' if a spreadsheet would read it as a formula
    or hide its first character."""
    return "'" + cell if cell and cell[0] in _GUARDED_STARTS else cell


def restore(cell: str) -> str:
    """The text `neutralise` was given (for importing a report back)."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _GUARDED_STARTS else cell


def report_name(now: datetime, tz: tzinfo) -> str:
    """The file name a report gets by default: case-log-2026-11-26.csv."""
    return f"case-log-{now.astimezone(tz):%Y-%m-%d}.csv"


_DAY = 86_400
_CHECKS_PER_DAY = 8  # how closely a day is checked for a change of offset
_CLOCK_CACHE_LIMIT = 1 << 16  # days or hours; keeps memory flat
_MINUTES_SECONDS = [f"{minute:02d}:{second:02d}" for minute in range(60) for second in range(60)]
_LOCAL_EPOCH = datetime(1970, 1, 1)


def utc_offset_text(offset: int) -> str:
    """ "+01:00", "-05:00", "+05:45", "+00:00" for an offset in seconds."""
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def clockface(
    tz: tzinfo, separator: str = " ", suffix: str = "", *, with_offset: bool = False
) -> Callable[[int], str]:
    """A function that turns epoch seconds into "2026-11-26 12:00:00" in
    `tz`, fast enough for a million rows (a fraction of strftime's 2 µs).
    `with_offset` adds the offset from UTC ("2026-11-26 12:00:00+01:00").

    The offset from UTC is worked out once per UTC day (a report's million
    cases span a few hundred days), and the date and hour once per local
    hour; the minutes and seconds come from a table. A day on which the
    offset changes (summer time begins or ends) takes the exact, slow path.
    """
    offsets: dict[int, int | None] = {}  # UTC day: its offset in seconds, None if it changes
    heads: dict[int, str] = {}  # local hour: "2026-11-26 12:"
    # offset: the "MM:SS" of every second of an hour, with the suffix and,
    # `with_offset`, "+01:00" already on (a zone has a handful of offsets).
    tail_tables: dict[int, list[str]] = {}
    exact_format = f"%Y-%m-%d{separator}%H:%M:%S{suffix}"

    def day_offset(day: int) -> int | None:
        if len(offsets) > _CLOCK_CACHE_LIMIT:
            offsets.clear()
        step = _DAY // _CHECKS_PER_DAY
        found = {
            _wall_offset(moment, tz) for moment in range(day * _DAY, (day + 1) * _DAY + 1, step)
        }
        offsets[day] = found.pop() if len(found) == 1 else None
        return offsets[day]

    def head(hour: int) -> str:
        if len(heads) > _CLOCK_CACHE_LIMIT:
            heads.clear()
        wall = _LOCAL_EPOCH + timedelta(hours=hour)
        heads[hour] = text = wall.strftime(f"%Y-%m-%d{separator}%H:")
        return text

    def tails_at(offset: int) -> list[str]:
        mark = utc_offset_text(offset) if with_offset else ""
        tail_tables[offset] = table = [text + suffix + mark for text in _MINUTES_SECONDS]
        return table

    def show(seconds: int) -> str:
        day = seconds // _DAY
        offset = offsets[day] if day in offsets else day_offset(day)
        if offset is None:  # the clocks change that day: this moment's own offset
            exact = datetime.fromtimestamp(seconds, tz).strftime(exact_format)
            return exact + utc_offset_text(_wall_offset(seconds, tz)) if with_offset else exact
        hour, within = divmod(seconds + offset, 3600)
        tails = tail_tables.get(offset) or tails_at(offset)
        return (heads.get(hour) or head(hour)) + tails[within]

    return show


def _wall_offset(moment: int, tz: tzinfo) -> int:
    """How far ahead of UTC the clocks of `tz` are at `moment`, in seconds:
    the wall time shown, less the moment. Not `utcoffset()`, which a tzinfo
    works out from the wall time, and which can be wrong for the hour that
    happens twice when the clocks go back."""
    shown = datetime.fromtimestamp(moment, tz).replace(tzinfo=None)
    return int((shown - _LOCAL_EPOCH).total_seconds()) - moment


def utc_clockface() -> Callable[[int], str]:
    """Times as ISO 8601 in UTC ("2026-11-26T12:00:00Z"), as the full export
    writes them."""
    return clockface(UTC, "T", "Z")


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_report(
    rows: Iterable[Sequence[Any]],
    out: BinaryIO,
    tz: tzinfo,
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Writes the CSV report of `rows` (summary columns, as `iter_case_rows`
    yields them): UTF-8 with BOM, CRLF, RFC 4180 quoting, formulas
    neutralised. Times are local to `tz` with their offset from UTC
    ("2026-11-26 13:00:00+01:00"), so reports from two time zones compare.
    Returns how many cases it wrote."""
    labels = {status.value: status.label for status in Status}
    clock = clockface(tz, with_offset=True)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    cells = (
        (
            case_id,
            clock(created),
            labels[status],
            neutralise(email),
            neutralise(description),
            clock(activity),
            reopened,
        )
        for case_id, created, status, email, description, activity, reopened in rows
    )
    written = 0
    for chunk in _chunks(cells, PROGRESS_STEP):
        writer.writerows(chunk)
        written += len(chunk)
        if progress:
            progress(written, total)
    text.flush()
    text.detach()  # the caller owns `out`
    return written


# What a JSON Lines export writes as \u escapes although JSON would allow it
# raw: the C1 controls (U+009B alone is a terminal's CSI, so `cat` or `grep`
# of an export could run a sequence) and the invisible formatting that
# `core.text` makes visible (bidi overrides that reorder what a reader sees,
# the line separators). JSON reads each back as the same character, so an
# import restores the text exactly. C0 controls are escaped by the encoder.
# Most lines are plain ASCII, which Python knows without looking: only the
# others are searched.
_INVISIBLE = re.compile("[\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_invisible(json_text: str) -> str:
    """`json_text` with the characters above escaped (only JSON strings
    can hold them, so nothing else changes)."""
    return _INVISIBLE.sub(_json_escape, json_text)


def write_full_export(
    chunks: Iterable[FullCases],
    out: BinaryIO,
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Writes one JSON object per line for each case of `chunks` (from
    `store.histories.iter_full_cases`): every field, its messages and its
    history of changes. `caselog import` reads it back."""
    clock = utc_clockface()
    # msgspec's encoder writes what `json.JSONEncoder(ensure_ascii=False,
    # separators=(",", ":"))` does, byte for byte (the same escapes), in a
    # tenth of the time: the encoding was a quarter of a full export.
    encode = msgspec.json.Encoder().encode
    written = 0
    for chunk, messages, events in chunks:
        lines = []
        for case_id, created, status, email, description, cc, activity, answered, reopened in chunk:
            record = {
                "case_id": case_id,
                "created_at": clock(created),
                "status": status,
                "primary_email": email,
                "short_description": description,
                "cc": split_cc(cc),
                "last_activity_at": clock(activity),
                "answered_at": clock(answered) if answered is not None else None,
                "reopened_count": reopened,
                "messages": [
                    {
                        "sent_at": clock(m[1]),
                        "side": m[2],
                        "author": m[3],
                        "body": m[4],
                        "mail_id": m[5],
                    }
                    for m in messages[case_id]
                ],
                "events": [
                    {"at": clock(e[1]), "kind": e[2], "old": e[3], "new": e[4]}
                    for e in events[case_id]
                ],
            }
            line = encode(record)
            if not line.isascii():
                line = escape_invisible(line.decode("utf-8")).encode("utf-8")
            lines.append(line)
        lines.append(b"")
        out.write(b"\n".join(lines))
        written += len(chunk)
        if progress:
            progress(written, total)
    return written


def export_cases(
    log: CaseLog,
    query: CaseQuery,
    out: BinaryIO,
    export_format: ExportFormat = ExportFormat.CSV,
    progress: Progress | None = None,
) -> int:
    """Writes the cases of `query` to `out`; NothingToExport if there are
    none. The count and the rows come from one read of the store, so the
    report holds exactly the cases counted."""
    now = log.clock()
    with log.store.reading() as conn:
        total = count_cases(conn, query, now, log.tz)
        if not total:
            raise NothingToExport(
                f"The view “{query.view_name}” shows no cases, so there is nothing to export."
            )
        if export_format is ExportFormat.JSONL:
            chunks = iter_full_cases(conn, query, now, log.tz)
            return write_full_export(chunks, out, total, progress)
        rows = iter_case_rows(conn, query, now, log.tz)
        return write_report(rows, out, log.tz, total, progress)


def export_to_file(
    log: CaseLog,
    query: CaseQuery,
    path: Path,
    export_format: ExportFormat = ExportFormat.CSV,
    progress: Progress | None = None,
) -> int:
    """Like `export_cases`, into the file `path`, which appears only once
    the export is complete (an error or a full disk leaves nothing)."""
    with atomic_output(path, "write the export to") as out:
        return export_cases(log, query, out, export_format, progress)
