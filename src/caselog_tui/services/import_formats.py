"""What the two formats `caselog import` takes have in common, and the CSV
report. Both the full export (JSON Lines, see import_jsonl) and the report
are checked with the same field rules as the forms; a record that fails
becomes a sentence with its line number, never a half-read case.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, BinaryIO

from caselog_tui.core import validation as rules
from caselog_tui.core.errors import ValidationError
from caselog_tui.core.parsing import CASE_ID_RULE, parse_case_id
from caselog_tui.core.status import Status
from caselog_tui.core.text import is_text
from caselog_tui.core.view import fold
from caselog_tui.services.export import REPORT_COLUMNS, restore
from caselog_tui.services.files import FileProblem

CaseRows = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]
"""The rows of one case as the store takes them: the case's row
(models.CASE_COLUMNS), its message rows and its event rows (in
store.loading's MESSAGE_COLUMNS and EVENT_COLUMNS orders)."""


def case_row(
    case_id: int,
    created_at: int,
    status: str,
    primary_email: str,
    short_description: str,
    cc: str,
    last_activity_at: int,
    answered_at: int | None,
    reopened_count: int,
) -> tuple[Any, ...]:
    """A case's row in models.CASE_COLUMNS order, its description's search
    key included."""
    return (
        case_id,
        created_at,
        status,
        primary_email,
        short_description,
        fold(short_description),
        cc,
        last_activity_at,
        answered_at,
        reopened_count,
    )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that was not imported, and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class RecordProblem(Exception):
    """Why one record cannot be imported (a sentence)."""


Read = tuple[int, CaseRows | Skipped]
"""(line number, the case's rows or why it was skipped)."""


# -- the field rules of both formats, and their sentences ---------------------
# A sentence quotes the value it refuses, whatever it is: a JSON line may
# hold a number, a list or null where text belongs.

EARLIEST_TIME = 0
LATEST_TIME = 253_370_764_800  # 9998-12-31 UTC
MAX_COUNT = 1_000_000  # no case is re-opened more often; the store takes 64-bit numbers


def not_a_time(value: object, field: str) -> str:
    return f"“{field}” is “{str(value)[:40]}”, not a date and time (expected 2026-11-26T12:00:00Z)."


def not_a_case_id(value: object) -> str:
    return f"“{str(value)[:40]}” is not a case ID ({CASE_ID_RULE})."


def not_a_count(field: str) -> str:
    return f"“{field}” must be a whole number, 0 or more."


def not_text(field: str) -> str:
    return f"“{field}” must be text."


def read_time(text: str, field: str, tz: tzinfo) -> int:
    """Epoch seconds of an ISO 8601 time; one without an offset is in `tz`
    (the CSV report writes local times)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RecordProblem(not_a_time(text, field)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    seconds = int(moment.timestamp())
    # Cases began long after 1970 and end before 9999: anything outside is a
    # typo or a unit mix-up, and would break every view that showed it.
    if not EARLIEST_TIME <= seconds <= LATEST_TIME:
        raise RecordProblem(f"“{field}” is {text}, outside the years 1970 to 9998.")
    return seconds


# Status codes and labels, case-folded, to the code.
_STATUS_NAMES = {name: s.value for s in Status for name in (s.value, s.label.casefold())}
# As a seller meets them, for the sentence listing them.
_STATUS_ORDER = (
    Status.OPEN,
    Status.PENDING,
    Status.NEEDS_ATTENTION,
    Status.ANSWERED,
    Status.TRANSFERRED,
)


def not_a_status(value: object) -> str:
    names = ", ".join(s.label for s in _STATUS_ORDER)
    return f"the status “{str(value)[:40]}” is not one of {names}."


def status_code(text: str) -> str:
    """The status code of a code or label, in any case, spaces around it allowed."""
    code = _STATUS_NAMES.get(text.strip().casefold())
    if code is None:
        raise RecordProblem(not_a_status(text))
    return code


def case_id_of(value: int | str) -> int:
    case_id = parse_case_id(str(value))
    if case_id is None:
        raise RecordProblem(not_a_case_id(value))
    return case_id


def count_of(value: int | str, field: str) -> int:
    if isinstance(value, str):
        if not (value.strip().isascii() and value.strip().isdigit()):
            raise RecordProblem(not_a_count(field))
        value = int(value)
    if value < 0:
        raise RecordProblem(not_a_count(field))
    if value > MAX_COUNT:
        raise RecordProblem(f"“{field}” is {value:,}, more than {MAX_COUNT:,}.")
    return value


def field_rule(rule: Callable[[str, str], str], value: str, field: str) -> str:
    """Runs a field rule of validation.py; its sentence, named by field."""
    try:
        return rule(value, field)
    except ValidationError as error:
        raise RecordProblem(f"{field}: {error.message}") from None


def check_times(created: int, activity: int) -> None:
    if activity < created:
        raise RecordProblem("the last activity is earlier than the case's creation.")


class Emails:
    """E-mail checks, remembered: a file repeats a handful of addresses a
    million times."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, value: str, field: str) -> str:
        email = self._known.get(value)
        if email is None:
            email = field_rule(rules.normalise_email, value, field)
            if len(self._known) < 10_000:
                self._known[value] = email
        return email


# -- the CSV report ------------------------------------------------------------

_STOPPED = "What was imported before is kept; mend the file and import it again."


class CsvCases:
    """Validates the rows of a CSV report (as the export writes it: times
    are local to `tz`, cells may carry the formula-guarding '). A report
    carries no Cc, messages or events: the case log keeps its own."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.email = Emails()

    def read(self, binary: BinaryIO) -> Iterator[Read]:
        # Bytes that are not UTF-8 are kept apart (as lone surrogates) so
        # that only the line holding them is skipped, with its number.
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader, None)
            if header is None or [cell.strip() for cell in header] != list(REPORT_COLUMNS):
                raise FileProblem(
                    "The file is neither JSON Lines nor a caselog CSV report: its first "
                    f"line should name the columns {', '.join(REPORT_COLUMNS)}."
                )
            line = reader.line_num + 1
            for row in reader:
                if not all(is_text(cell) for cell in row):
                    yield line, Skipped(line, "the line is not UTF-8 text.")
                elif any(cell.strip() for cell in row):
                    try:
                        yield line, self.case([restore(cell) for cell in row])
                    except RecordProblem as problem:
                        yield line, Skipped(line, str(problem))
                line = reader.line_num + 1
        except csv.Error as error:
            raise FileProblem(
                f"The CSV file is damaged at line {reader.line_num} ({error}). {_STOPPED}"
            ) from error
        finally:
            text.detach()

    def case(self, row: list[str]) -> CaseRows:
        if len(row) != len(REPORT_COLUMNS):
            raise RecordProblem(f"expected {len(REPORT_COLUMNS)} cells, found {len(row)}.")
        case_id, created, status, email, description, activity, reopened = row
        created_at = read_time(created, "Case Creation", self.tz)
        activity_at = read_time(activity, "Last Activity", self.tz)
        check_times(created_at, activity_at)
        code = status_code(status)
        case = case_row(
            case_id_of(case_id),
            created_at,
            code,
            self.email(email, "Primary E-mail"),
            field_rule(rules.normalise_short_description, description, "Short Description"),
            "",
            activity_at,
            activity_at if code == Status.ANSWERED.value else None,
            count_of(reopened, "Re-opened"),
        )
        return case, [], []
