"""The full export's record: one case per JSON line, with its messages and
events. `CaseLine` declares what each field holds; `JsonCases.rows` beside
it says what a case may be (the field rules of validation.py, the case-ID
rule, times, status codes). A line that fails either becomes a sentence
with its line number, never a half-read case.

msgspec decodes a line straight into the record, its types checked in C:
a million lines must go in within seconds. A line it refuses, only, is
read again by the standard library's `json`, whose judgement and words a
bad line has always had ("the line is not valid JSON (Expecting value: …)",
NaN taken as a number), and checked against the same record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from typing import Any, Literal

import msgspec

from caselog_tui.core import validation as rules
from caselog_tui.core.errors import ValidationError
from caselog_tui.core.status import Status
from caselog_tui.services.import_formats import (
    CaseRows,
    Emails,
    Read,
    RecordProblem,
    Skipped,
    case_id_of,
    case_row,
    check_times,
    count_of,
    field_rule,
    not_a_case_id,
    not_a_count,
    not_a_status,
    not_a_time,
    not_text,
    read_time,
    status_code,
)

SideName = Literal["seller", "support"]  # core.records.Side
EventKind = Literal["status", "short_description"]


class MessageLine(msgspec.Struct):
    # A message lacking several fields is told the first missing in this order.
    side: SideName
    author: str
    body: str
    sent_at: str  # ISO 8601
    mail_id: str | None = None  # the Message-ID of an e-mail


class EventLine(msgspec.Struct):
    kind: EventKind
    old: str
    new: str
    at: str


class CaseLine(msgspec.Struct):
    """A case as the full export writes it; a file written by hand may also
    give the case ID as text, the status by its label, the Cc as one field
    and times without an offset (in the case log's time zone)."""

    case_id: int | str
    created_at: str
    last_activity_at: str
    status: str
    primary_email: str
    short_description: str
    answered_at: str | None = None  # an answered case without one was answered at its last activity
    cc: list[str] | str = []
    reopened_count: int | str = 0
    messages: list[MessageLine] = []
    events: list[EventLine] = []


_TIME_FIELDS = ("created_at", "last_activity_at", "answered_at")
# Why a message is refused for one of its fields; {n} is its number.
_MESSAGE_REFUSALS = {
    "side": "message {n}: the side must be seller or support.",
    "author": "message {n}: the author is empty.",
    "body": "message {n} has no text.",
    "mail_id": "message {n}: the mail_id must be text or null.",
}
_EVENT_REFUSAL = "event {n} needs a kind (status or short_description), old and new."
_CACHE_LIMIT = 10_000  # distinct values remembered, of times and of Cc lists


class JsonCases:
    """Validates the cases of a full export, one JSON object per line."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.email = Emails()
        self._decode = msgspec.json.Decoder(CaseLine).decode
        # A case's creation is its first message's time and its last activity
        # its last message's; a file repeats a handful of Cc lists.
        self._times: dict[str, int] = {}
        self._cc: dict[tuple[str, ...] | str, str] = {}

    def read(self, lines: Iterable[bytes]) -> Iterator[Read]:
        decode, rows = self._decode, self.rows
        for number, line in enumerate(lines, 1):
            item: CaseRows | Skipped
            try:
                if not line.isascii():
                    # msgspec skips the fields the record does not read
                    # unchecked; a line that is not UTF-8 is still not a case.
                    line.decode()
                item = rows(decode(line))
            except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
                if not line.strip():
                    continue
                item = self._second_look(line, number)
            except RecordProblem as problem:
                item = Skipped(number, str(problem))
            yield number, item

    def rows(self, case: CaseLine) -> CaseRows:
        """The rows to store of a decoded line, its rules checked in the
        order a seller mends them: the case's own fields, then each message
        and event."""
        case_id = case_id_of(case.case_id)
        created = self.time(case.created_at, "created_at")
        activity = self.time(case.last_activity_at, "last_activity_at")
        check_times(created, activity)
        status = status_code(case.status)
        if case.answered_at is not None:
            answered_at: int | None = self.time(case.answered_at, "answered_at")
        else:
            answered_at = activity if status == Status.ANSWERED.value else None
        email = self.email(case.primary_email, "primary_email")
        description = field_rule(
            rules.normalise_short_description, case.short_description, "short_description"
        )
        reopened = count_of(case.reopened_count, "reopened_count")
        cc = self.cc(case.cc)
        row = case_row(
            case_id, created, status, email, description, cc, activity, answered_at, reopened
        )
        if not case.messages:  # every case has at least the seller's first message
            raise RecordProblem("“messages” is empty; a case has at least its first message.")
        messages = [self.message(case_id, m, n) for n, m in enumerate(case.messages, 1)]
        events = [self.event(case_id, e, n) for n, e in enumerate(case.events, 1)]
        return row, messages, events

    def message(self, case_id: int, message: MessageLine, number: int) -> tuple[Any, ...]:
        sent_at = self._times.get(message.sent_at)  # the field's name only for a new time
        if sent_at is None:
            sent_at = self.time(message.sent_at, f"message {number} sent_at")
        author, mail_id = message.author.strip(), message.mail_id
        if not author:
            raise RecordProblem(_MESSAGE_REFUSALS["author"].format(n=number))
        if mail_id is not None and not mail_id.strip():
            raise RecordProblem(_MESSAGE_REFUSALS["mail_id"].format(n=number))
        try:
            body = rules.normalise_message(message.body)
        except ValidationError:
            raise RecordProblem(_MESSAGE_REFUSALS["body"].format(n=number)) from None
        return (case_id, sent_at, message.side, author, body, mail_id)

    def event(self, case_id: int, event: EventLine, number: int) -> tuple[Any, ...]:
        at = self.time(event.at, f"event {number} at")
        return (case_id, at, event.kind, event.old, event.new)

    def time(self, text: str, field: str) -> int:
        """`read_time`, remembered."""
        seconds = self._times.get(text)
        if seconds is None:
            seconds = read_time(text, field, self.tz)
            if len(self._times) >= _CACHE_LIMIT:
                self._times.clear()
            self._times[text] = seconds
        return seconds

    def cc(self, cc: list[str] | str) -> str:
        """The stored Cc field of a list of addresses or of one field as typed."""
        key = tuple(cc) if isinstance(cc, list) else cc
        stored = self._cc.get(key)
        if stored is None:
            typed = cc if isinstance(cc, str) else rules.join_cc(cc)
            stored = field_rule(rules.normalise_cc, typed, "cc")
            if len(self._cc) < _CACHE_LIMIT:
                self._cc[key] = stored
        return stored

    def _second_look(self, line: bytes, number: int) -> CaseRows | Skipped:
        """A line msgspec refused: read by `json`, and checked against the
        same record, for what is wrong with it in the words it has always
        had (or for the case it holds, in JSON only `json` takes)."""
        try:
            data = _json_object(line)
            try:
                case = msgspec.convert(data, CaseLine)
            except msgspec.ValidationError as error:
                raise RecordProblem(_field_problem(data, str(error))) from None
            return self.rows(case)
        except RecordProblem as problem:
            return Skipped(number, str(problem))


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


# msgspec's account of what does not fit the record: "Expected `str`, got
# `int` - at `$.messages[0].side`", "Object missing required field `body` -
# at `$.messages[0]`".
_MISSING = re.compile(r"Object missing required field `(\w+)`")
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")


def _field_problem(data: dict[str, Any], error: str) -> str:
    """The sentence for the field of `data` that `error` (a msgspec
    ValidationError) names: the one the field's rule would say of it."""
    what, _, where = error.partition(" - at `$")
    steps: list[str | int] = [name or int(index) for name, index in _STEP.findall(where)]
    missing = _MISSING.fullmatch(what)
    if missing:
        steps.append(missing[1])
    value = _value_at(data, steps)
    match steps:
        case [str(field)] if missing:
            return f"the field “{field}” is missing."
        case ["case_id"]:
            return not_a_case_id(value)
        case [str(field)] if field in _TIME_FIELDS:
            return not_a_time(value, field)
        case ["status"]:
            return not_a_status(value)
        case ["reopened_count"]:
            return not_a_count("reopened_count")
        case ["cc", *_]:
            return "“cc” must be a list of e-mail addresses."
        case [("messages" | "events") as field]:
            return f"“{field}” must be a list."
        case ["messages", int(index)]:
            return f"message {index + 1} is not an object."
        case ["messages", int(index), str(field)] if missing:
            return f"message {index + 1} has no “{field}”."
        case ["messages", int(index), "sent_at"]:
            return not_a_time(value, f"message {index + 1} sent_at")
        case ["messages", int(index), str(field)] if field in _MESSAGE_REFUSALS:
            return _MESSAGE_REFUSALS[field].format(n=index + 1)
        case ["events", int(index)]:
            return f"event {index + 1} is not an object."
        case ["events", int(index), "at"]:
            return not_a_time(value, f"event {index + 1} at")
        case ["events", int(index), _]:
            return _EVENT_REFUSAL.format(n=index + 1)
        case [str(field)]:  # primary_email, short_description
            return not_text(field)
    return f"the line does not hold a case as the full export writes it ({error})."


def _value_at(data: Any, steps: list[str | int]) -> Any:
    """The value at `steps` into `data`; None if it is missing."""
    for step in steps:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data
