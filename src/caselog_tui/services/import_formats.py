"""Reading cases from the two formats `caselog import` takes: the full
export (JSON Lines, one case per line with its messages) and the CSV
report. Every record is checked with the same field rules as the forms;
a record that fails becomes a sentence with its line number, never a
half-read case.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, BinaryIO

import orjson

from caselog_tui.core import validation as rules
from caselog_tui.core.errors import ValidationError
from caselog_tui.core.parsing import CASE_ID_RULE, parse_case_id
from caselog_tui.core.records import Side
from caselog_tui.core.status import Status
from caselog_tui.core.text import is_text
from caselog_tui.core.view import fold
from caselog_tui.services.export import REPORT_COLUMNS, restore
from caselog_tui.services.files import FileProblem

# (sent_at, side, author, body, mail_id) and (at, kind, old, new): a
# message and an event of a record.
MessageValues = tuple[int, str, str, str, str | None]
EventValues = tuple[int, str, str, str]

# The rows of one case as the store takes them, in these column orders: a
# case's own columns (models.CASE_COLUMNS) and, for its messages and events,
# its case ID first.
MESSAGE_COLUMNS = ("case_id", "sent_at", "side", "author", "body", "mail_id")
EVENT_COLUMNS = ("case_id", "at", "kind", "old", "new")
CaseRows = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]
"""(the case's row, its message rows, its event rows)"""

EVENT_KINDS = frozenset({"status", "short_description"})


@dataclass(slots=True)
class CaseRecord:
    """One case as a file describes it, checked and normalised. `cc`,
    `messages` and `events` are None when the format does not carry them
    (the CSV report): the case log keeps what it has. Not frozen: a frozen
    dataclass costs three times as much to make, for a million of them."""

    case_id: int
    created_at: int
    status: str
    primary_email: str
    short_description: str
    last_activity_at: int
    answered_at: int | None
    reopened_count: int
    cc: str | None = None
    messages: tuple[MessageValues, ...] | None = None
    events: tuple[EventValues, ...] | None = None

    def rows(self) -> CaseRows:
        """The rows to store; a Cc the format does not carry is stored empty."""
        case_id = self.case_id
        case = case_row(
            case_id,
            self.created_at,
            self.status,
            self.primary_email,
            self.short_description,
            self.cc or "",
            self.last_activity_at,
            self.answered_at,
            self.reopened_count,
        )
        messages = [(case_id, *m) for m in self.messages or ()]
        return case, messages, [(case_id, *e) for e in self.events or ()]


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


def read_time(text: Any, field: str, tz: tzinfo) -> int:
    """Epoch seconds of an ISO 8601 time; one without an offset is in `tz`
    (the CSV report writes local times)."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise RecordProblem(
            f"“{field}” is “{str(text)[:40]}”, not a date and time (expected 2026-11-26T12:00:00Z)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    seconds = int(moment.timestamp())
    # Cases began long after 1970 and end before 9999: anything outside is a
    # typo or a unit mix-up, and would break every view that showed it.
    if not EARLIEST_TIME <= seconds <= LATEST_TIME:
        raise RecordProblem(f"“{field}” is {text}, outside the years 1970 to 9998.")
    return seconds


EARLIEST_TIME = 0
LATEST_TIME = 253_370_764_800  # 9998-12-31 UTC


# Status codes and labels, case-folded, to the code.
_STATUS_NAMES = {name: s.value for s in Status for name in (s.value, s.label.casefold())}
_SIDES = frozenset(side.value for side in Side)
# As a seller meets them, for the sentence listing them.
_STATUS_ORDER = (
    Status.OPEN,
    Status.PENDING,
    Status.NEEDS_ATTENTION,
    Status.ANSWERED,
    Status.TRANSFERRED,
)


def _status(value: object) -> str:
    code = _STATUS_NAMES.get(value.strip().casefold()) if isinstance(value, str) else None
    if code is not None:
        return code
    names = ", ".join(s.label for s in _STATUS_ORDER)
    raise RecordProblem(f"the status “{str(value)[:40]}” is not one of {names}.")


def _case_id(value: object) -> int:
    text = str(value) if isinstance(value, int | str) else ""
    case_id = None if isinstance(value, bool) else parse_case_id(text)
    if case_id is None:
        raise RecordProblem(f"“{str(value)[:40]}” is not a case ID ({CASE_ID_RULE}).")
    return case_id


MAX_COUNT = 1_000_000  # no case is re-opened more often; the store takes 64-bit numbers


def _count(value: object, field: str) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RecordProblem(f"“{field}” must be a whole number, 0 or more.")
    if value > MAX_COUNT:
        raise RecordProblem(f"“{field}” is {value:,}, more than {MAX_COUNT:,}.")
    return value


def _rule(rule: Any, value: object, field: str) -> Any:
    """Runs a field rule of validation.py; its sentence, named by field."""
    if not isinstance(value, str):
        raise RecordProblem(f"“{field}” must be text.")
    try:
        return rule(value, field)
    except ValidationError as error:
        raise RecordProblem(f"{field}: {error.message}") from None


class _Emails:
    """E-mail checks, remembered: a file repeats a handful of addresses a
    million times."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, value: object, field: str) -> str:
        if not isinstance(value, str):
            raise RecordProblem(f"“{field}” must be text.")
        email = self._known.get(value)
        if email is None:
            email = _rule(rules.normalise_email, value, field)
            if len(self._known) < 10_000:
                self._known[value] = email
        return email


def _check_times(created: int, activity: int) -> None:
    if activity < created:
        raise RecordProblem("the last activity is earlier than the case's creation.")


class JsonCases:
    """Validates the cases of a full export, one JSON object per line."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.email = _Emails()

    def read(self, lines: Iterable[bytes]) -> Iterator[Read]:
        quick = _QuickJson(self)
        for number, line in enumerate(lines, 1):
            rows = quick.rows(line)
            if rows is not None:
                yield number, rows
                continue
            if not line.strip():
                continue
            try:
                yield number, self.case(_json_object(line)).rows()
            except RecordProblem as problem:
                yield number, Skipped(number, str(problem))

    def case(self, data: dict[str, Any]) -> CaseRecord:
        case_id = _case_id(_required(data, "case_id"))
        created = read_time(_required(data, "created_at"), "created_at", self.tz)
        activity = read_time(_required(data, "last_activity_at"), "last_activity_at", self.tz)
        _check_times(created, activity)
        status = _status(_required(data, "status"))
        answered = data.get("answered_at")
        answered_at = read_time(answered, "answered_at", self.tz) if answered is not None else None
        if answered_at is None and status == Status.ANSWERED.value:
            answered_at = activity
        cc = data.get("cc", [])
        if isinstance(cc, list) and all(isinstance(a, str) for a in cc):
            cc = rules.join_cc(cc)
        elif not isinstance(cc, str):
            raise RecordProblem("“cc” must be a list of e-mail addresses.")
        return CaseRecord(
            case_id=case_id,
            created_at=created,
            status=status,
            primary_email=self.email(_required(data, "primary_email"), "primary_email"),
            short_description=_rule(
                rules.normalise_short_description,
                _required(data, "short_description"),
                "short_description",
            ),
            last_activity_at=activity,
            answered_at=answered_at,
            reopened_count=_count(data.get("reopened_count", 0), "reopened_count"),
            cc=_rule(rules.normalise_cc, cc, "cc"),
            messages=tuple(self.message(m, n) for n, m in enumerate(_list(data, "messages"), 1)),
            events=tuple(self.event(e, n) for n, e in enumerate(_list(data, "events"), 1)),
        )

    def message(self, data: Any, number: int) -> MessageValues:
        try:
            side, author, body = data["side"], data["author"], data["body"]
            sent_at = read_time(data["sent_at"], f"message {number} sent_at", self.tz)
            mail_id = data.get("mail_id")
        except KeyError as missing:
            raise RecordProblem(f"message {number} has no “{missing.args[0]}”.") from None
        except (TypeError, AttributeError):
            raise RecordProblem(f"message {number} is not an object.") from None
        if not isinstance(side, str) or side not in _SIDES:
            raise RecordProblem(f"message {number}: the side must be seller or support.")
        if not isinstance(author, str) or not author.strip():
            raise RecordProblem(f"message {number}: the author is empty.")
        if mail_id is not None and (not isinstance(mail_id, str) or not mail_id.strip()):
            raise RecordProblem(f"message {number}: the mail_id must be text or null.")
        try:
            body = rules.normalise_message(body)
        except (ValidationError, AttributeError):
            raise RecordProblem(f"message {number} has no text.") from None
        return (sent_at, side, author.strip(), body, mail_id)

    def event(self, data: object, number: int) -> EventValues:
        if not isinstance(data, dict):
            raise RecordProblem(f"event {number} is not an object.")
        kind, old, new = data.get("kind"), data.get("old"), data.get("new")
        if (
            not isinstance(kind, str)
            or kind not in EVENT_KINDS
            or not isinstance(old, str)
            or not isinstance(new, str)
        ):
            raise RecordProblem(
                f"event {number} needs a kind (status or short_description), old and new."
            )
        return (read_time(data.get("at"), f"event {number} at", self.tz), kind, old, new)


# The status codes as the export writes them: each is its own name.
_STATUS_CODES = frozenset(code for code in _STATUS_NAMES.values() if _STATUS_NAMES[code] == code)
_CC_CACHE_LIMIT = 10_000
_TIME_CACHE_LIMIT = 4_096


class _QuickJson:
    """The same rules as `JsonCases.case`, written for the line a full export
    writes: a million of them must go in within seconds, and the plain rules
    cost several times more than the JSON decoding. A line it cannot take as
    it is (anything to trim, a time without offset, any doubt) gives None and
    goes through the plain rules, which then say what is wrong: so every
    record either comes out the same as the plain rules would make it, or is
    judged by them."""

    def __init__(self, cases: JsonCases) -> None:
        self.tz = cases.tz
        self.email = cases.email
        self._cc: dict[tuple[str, ...], str] = {}
        self._times: dict[str, int] = {}

    def rows(self, line: bytes) -> CaseRows | None:
        try:
            # orjson: twice as fast as `json`, which costs half of reading a
            # line. It refuses what `json` would take and the rules then
            # judge (a number too large for 64 bits becomes a float, which
            # no field here takes), and it takes nothing `json` refuses.
            return self._rows(orjson.loads(line))
        except (ValueError, TypeError, KeyError, AttributeError, RecordProblem):
            return None  # orjson's errors are ValueErrors

    def _rows(self, data: Any) -> CaseRows | None:
        if type(data) is not dict:
            return None
        case_id = data["case_id"]
        if type(case_id) is not int or not 1_000_000_000 <= case_id < 100_000_000_000:
            return None  # 10 or 11 digits
        time = self._time
        created = time(data["created_at"])
        activity = time(data["last_activity_at"])
        status = data["status"]
        if activity is None or created is None or activity < created:
            return None
        if status not in _STATUS_CODES:
            return None
        answered = data.get("answered_at")
        if answered is None:
            answered_at = activity if status == Status.ANSWERED.value else None
        elif (answered_at := time(answered)) is None:
            return None
        description = data["short_description"].strip()
        if not description or len(description) > rules.SHORT_DESCRIPTION_MAX:
            return None
        reopened = data.get("reopened_count", 0)
        if type(reopened) is not int or not 0 <= reopened <= MAX_COUNT:
            return None
        messages = data.get("messages", [])
        events = data.get("events", [])
        if type(messages) is not list or type(events) is not list:
            return None
        message_rows = [self._message(case_id, message) for message in messages]
        if None in message_rows:
            return None
        event_rows = []
        for event in events:
            if type(event) is not dict:
                return None
            kind, old, new = event.get("kind"), event.get("old"), event.get("new")
            at = time(event.get("at"))
            if type(kind) is not str or kind not in EVENT_KINDS or at is None:
                return None
            if type(old) is not str or type(new) is not str:
                return None
            event_rows.append((case_id, at, kind, old, new))
        case = case_row(
            case_id,
            created,
            status,
            self.email(data["primary_email"], "primary_email"),
            description,
            self._cc_field(data.get("cc", [])),
            activity,
            answered_at,
            reopened,
        )
        return case, message_rows, event_rows  # type: ignore[return-value]  # no None, see above

    def _message(self, case_id: int, message: Any) -> tuple[Any, ...] | None:
        if type(message) is not dict:
            return None
        side, author, body = message["side"], message["author"], message["body"]
        sent_at = self._time(message["sent_at"])
        mail_id = message.get("mail_id")
        if sent_at is None or type(side) is not str or side not in _SIDES:
            return None
        author = author.strip()
        if not author:
            return None
        if mail_id is not None and (type(mail_id) is not str or not mail_id.strip()):
            return None
        # validation.normalise_message: CRLF to LF, trailing blank space
        # dropped; the same text, copied once instead of three times.
        body = body.rstrip()
        if not body:
            return None
        if "\r" in body:
            body = body.replace("\r\n", "\n")
        return (case_id, sent_at, side, author, body, mail_id)

    def _time(self, text: Any) -> int | None:
        """`read_time` for a time with its offset (what the export writes).
        Remembered: a case's creation is its first message's time, and its
        last activity its last message's. (A value that cannot be a key
        raises TypeError, which declines the line.)"""
        known = self._times.get(text)
        if known is not None:
            return known
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            return None
        seconds = int(moment.timestamp())
        if not EARLIEST_TIME <= seconds <= LATEST_TIME:
            return None
        if len(self._times) >= _TIME_CACHE_LIMIT:
            self._times.clear()
        self._times[text] = seconds
        return seconds

    def _cc_field(self, cc: Any) -> str:
        """The stored Cc of a list of addresses, remembered: a file repeats
        a handful of Cc lists."""
        if cc == []:
            return ""
        if type(cc) is not list:
            raise RecordProblem("not a list of addresses")
        key = tuple(cc)
        stored = self._cc.get(key)  # only lists of text are remembered
        if stored is None:
            if not all(type(address) is str for address in cc):
                raise RecordProblem("not a list of addresses")
            stored = _rule(rules.normalise_cc, rules.join_cc(cc), "cc")
            if len(self._cc) < _CC_CACHE_LIMIT:
                self._cc[key] = stored
        return stored


def _json_object(line: bytes) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except UnicodeDecodeError:
        raise RecordProblem("the line is not UTF-8 text.") from None
    except ValueError as error:
        raise RecordProblem(f"the line is not valid JSON ({error}).") from None
    except RecursionError:
        raise RecordProblem("the line nests lists or objects too deeply to be a case.") from None
    if not isinstance(data, dict):
        raise RecordProblem("the line is not a JSON object with a case's fields.")
    try:
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        # "\ud800" alone: JSON allows it, but it is half of a character pair
        # and no text can hold it (the store would refuse it).
        raise RecordProblem(
            "the line holds an escaped half of a character pair (\\ud800 to \\udfff) "
            "that is not text."
        ) from None
    return data


def _required(data: dict[str, Any], field: str) -> Any:
    try:
        return data[field]
    except KeyError:
        raise RecordProblem(f"the field “{field}” is missing.") from None


def _list(data: dict[str, Any], field: str) -> list[Any]:
    value = data.get(field, [])
    if not isinstance(value, list):
        raise RecordProblem(f"“{field}” must be a list.")
    return value


_STOPPED = "What was imported before is kept; mend the file and import it again."


class CsvCases:
    """Validates the rows of a CSV report (as the export writes it: times
    are local to `tz`, cells may carry the formula-guarding ')."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.email = _Emails()

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
                        yield line, self.case([restore(cell) for cell in row]).rows()
                    except RecordProblem as problem:
                        yield line, Skipped(line, str(problem))
                line = reader.line_num + 1
        except csv.Error as error:
            raise FileProblem(
                f"The CSV file is damaged at line {reader.line_num} ({error}). {_STOPPED}"
            ) from error
        finally:
            text.detach()

    def case(self, row: list[str]) -> CaseRecord:
        if len(row) != len(REPORT_COLUMNS):
            raise RecordProblem(f"expected {len(REPORT_COLUMNS)} cells, found {len(row)}.")
        case_id, created, status, email, description, activity, reopened = row
        created_at = read_time(created, "Case Creation", self.tz)
        activity_at = read_time(activity, "Last Activity", self.tz)
        _check_times(created_at, activity_at)
        status_code = _status(status)
        return CaseRecord(
            case_id=_case_id(case_id),
            created_at=created_at,
            status=status_code,
            primary_email=self.email(email, "Primary E-mail"),
            short_description=_rule(
                rules.normalise_short_description, description, "Short Description"
            ),
            last_activity_at=activity_at,
            answered_at=activity_at if status_code == Status.ANSWERED.value else None,
            reopened_count=_count(reopened, "Re-opened"),
        )
