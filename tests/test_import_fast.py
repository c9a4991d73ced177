"""The quick reading of JSON Lines takes a record exactly as the plain field
rules would, or leaves it to them: same values, same skipped-line sentences."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, timedelta, timezone
from typing import Any

from caselog_tui.services.import_formats import (
    CaseRows,
    JsonCases,
    RecordProblem,
    Skipped,
    _QuickJson,
)

EXPORTED: dict[str, Any] = {
    "case_id": 12005137221,
    "created_at": "2025-05-10T12:34:39Z",
    "status": "answered",
    "primary_email": "sam.patel@northwind-goods.co.uk",
    "short_description": "A-to-z claim on order 203-6864336-8098510",
    "cc": ["warehouse@northwind-goods.co.uk", "ops@example.com"],
    "last_activity_at": "2025-07-03T15:26:45Z",
    "answered_at": "2025-07-03T15:26:45Z",
    "reopened_count": 1,
    "messages": [
        {
            "sent_at": "2025-05-10T12:34:39Z",
            "side": "seller",
            "author": "sam.patel@northwind-goods.co.uk",
            "body": "Hello,\n\nPlease review the evidence.",
            "mail_id": None,
        },
        {
            "sent_at": "2025-05-10T19:52:43+02:00",
            "side": "support",
            "author": "Seller Support",
            "body": "Hello,\r\n\r\nPassed on.\r\n",
            "mail_id": "<abc@mail.example>",
        },
    ],
    "events": [{"at": "2025-07-03T15:26:45Z", "kind": "status", "old": "open", "new": "answered"}],
}

# Values a file may hold in place of the exported ones: some the rules
# trim or convert, some they refuse.
ODD_VALUES: list[Any] = [
    None,
    "",
    "   ",
    0,
    -1,
    True,
    1.5,
    [],
    {},
    ["a@example.com", 3],
    "a@example.com, B@Example.com ",
    " Answered ",
    "Requires attention",
    "answered",
    "pending",
    "12005137221",
    " 12005137221 ",
    123,
    "2025-05-10T12:34:39",
    "2025-05-10 12:34:39+00:00",
    "2024-01-01T00:00:00Z",
    "2030-01-01T00:00:00Z",
    "not a time",
    "  text with spaces  ",
    "x" * 201,
    "line\r\nbreak \t\n",
    "seller",
    "support",
    "status",
    "short_description",
    "<id@mail>",
]
CASE_FIELDS = [key for key in EXPORTED if key not in ("messages", "events")]
MESSAGE_FIELDS = ["sent_at", "side", "author", "body", "mail_id"]
EVENT_FIELDS = ["at", "kind", "old", "new"]
TZ = timezone(timedelta(hours=-5))


def plain(line: bytes) -> CaseRows | str:
    """What the plain rules make of a line: a case's rows, or the skip sentence."""
    try:
        return JsonCases(TZ).case(json.loads(line)).rows()
    except RecordProblem as problem:
        return str(problem)


def read(line: bytes) -> CaseRows | str:
    [(_, item)] = JsonCases(TZ).read([line])
    return item.reason if isinstance(item, Skipped) else item


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def test_an_exported_line_is_read_quickly_and_as_the_rules_read_it() -> None:
    line = encode(EXPORTED)
    quick = _QuickJson(JsonCases(TZ)).rows(line)
    assert quick is not None
    assert quick == plain(line) == read(line)
    case, messages, events = quick
    assert [e[0] for e in events] == [12005137221]
    assert case[0] == 12005137221 and [m[0] for m in messages] == [12005137221] * 2
    assert messages[1][4] == "Hello,\n\nPassed on."


def test_a_line_the_quick_reading_declines_still_gets_the_rules_sentence() -> None:
    data = {**EXPORTED, "short_description": "   "}
    line = encode(data)
    assert _QuickJson(JsonCases(UTC)).rows(line) is None
    assert read(line) == (
        "short_description: The short description is empty; write a few words about the issue."
    )


def changed_lines() -> Iterator[tuple[str, bytes]]:
    """The exported line with one field (of the case, of a message or of an
    event) replaced by each odd value or left out."""
    for value in ODD_VALUES:
        for path in [*CASE_FIELDS, *MESSAGE_FIELDS, *EVENT_FIELDS]:
            data = json.loads(encode(EXPORTED))
            target = data["messages"][1] if path in MESSAGE_FIELDS else data
            target = data["events"][0] if path in EVENT_FIELDS else target
            target[path] = value
            yield f"{path}={value!r}", encode(data)
    for path in [*CASE_FIELDS, "messages", "events"]:
        data = json.loads(encode(EXPORTED))
        del data[path]
        yield f"no {path}", encode(data)
    for path in MESSAGE_FIELDS:
        data = json.loads(encode(EXPORTED))
        del data["messages"][0][path]
        yield f"message without {path}", encode(data)


def test_any_changed_line_reads_the_same_as_by_the_plain_rules() -> None:
    differing = []
    for change, line in changed_lines():
        if read(line) != plain(line):
            differing.append(change)
    assert differing == []


def test_an_event_kind_that_is_a_list_skips_the_line_with_a_sentence() -> None:
    data = json.loads(encode(EXPORTED))
    data["events"][0]["kind"] = ["status"]
    assert read(encode(data)) == (
        "event 1 needs a kind (status or short_description), old and new."
    )
