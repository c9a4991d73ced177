"""The JSON Lines record: what an exported line becomes, and the sentence a
bad line is skipped with, whether msgspec or the rules beside it refuse it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, get_args

import pytest
from hypothesis import given, settings, strategies as st

from caselog_tui.core import validation as rules
from caselog_tui.core.records import Side
from caselog_tui.core.status import Status
from caselog_tui.services.import_formats import CaseRows, Skipped
from caselog_tui.services.import_jsonl import EventKind, JsonCases, SideName

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
TZ = timezone(timedelta(hours=-5))
CREATED = 1746880479  # 2025-05-10T12:34:39Z
ACTIVITY = 1751556405  # 2025-07-03T15:26:45Z


def read(line: bytes) -> CaseRows | str:
    """What reading `line` gives: the case's rows, or the sentence it is skipped with."""
    [(number, item)] = JsonCases(TZ).read([line])
    assert number == 1
    return item.reason if isinstance(item, Skipped) else item


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def changed(path: str, value: Any, *more: tuple[str, Any]) -> dict[str, Any]:
    """EXPORTED with the field at `path` ("status", "messages.1.side",
    "events.0.at") set to `value`, or left out if `value` is LEFT_OUT; and
    so for each further (path, value)."""
    data = json.loads(encode(EXPORTED))
    for where, what in [(path, value), *more]:
        *parents, last = [int(step) if step.isdigit() else step for step in where.split(".")]
        target = data
        for step in parents:
            target = target[step]
        if what is LEFT_OUT:
            del target[last]
        else:
            target[last] = what
    return data


LEFT_OUT = object()


def test_an_exported_line_becomes_the_rows_of_its_case() -> None:
    case, messages, events = read(encode(EXPORTED))  # type: ignore[str-unpack]
    assert case == (
        12005137221,
        CREATED,
        "answered",
        "sam.patel@northwind-goods.co.uk",
        "A-to-z claim on order 203-6864336-8098510",
        "a-to-z claim on order 203-6864336-8098510",
        "warehouse@northwind-goods.co.uk, ops@example.com",
        ACTIVITY,
        ACTIVITY,
        1,
    )
    assert messages == [
        (
            12005137221,
            CREATED,
            "seller",
            "sam.patel@northwind-goods.co.uk",
            "Hello,\n\nPlease review the evidence.",
            None,
        ),
        (
            12005137221,
            CREATED + 19084,  # 19:52:43 at +02:00 is 17:52:43 UTC
            "support",
            "Seller Support",
            "Hello,\n\nPassed on.",
            "<abc@mail.example>",
        ),
    ]
    assert events == [(12005137221, ACTIVITY, "status", "open", "answered")]


def test_the_record_names_the_sides_and_event_kinds_the_case_log_writes() -> None:
    assert set(get_args(SideName)) == {side.value for side in Side}
    assert set(get_args(EventKind)) == {"status", "short_description"}  # services.caselog


NOT_A_TIME = "(expected 2026-11-26T12:00:00Z)."
STATUSES = "Open, Pending Amazon Action, Needs Your Attention, Answered, Transferred."

# Every sentence a line can be skipped with for one of its fields, whether
# the record's types refuse the value (msgspec) or the rules beside it do.
SENTENCES = [
    ("case_id", LEFT_OUT, "the field “case_id” is missing."),
    ("case_id", 123, "“123” is not a case ID (10 or 11 digits)."),
    ("case_id", 1.5, "“1.5” is not a case ID (10 or 11 digits)."),
    ("case_id", True, "“True” is not a case ID (10 or 11 digits)."),
    ("case_id", None, "“None” is not a case ID (10 or 11 digits)."),
    ("case_id", "0012345678901", "“0012345678901” is not a case ID (10 or 11 digits)."),
    ("case_id", "\u0661" * 11, "“" + "\u0661" * 11 + "” is not a case ID (10 or 11 digits)."),
    ("created_at", "not a time", f"“created_at” is “not a time”, not a date and time {NOT_A_TIME}"),
    ("created_at", 0, f"“created_at” is “0”, not a date and time {NOT_A_TIME}"),
    ("created_at", LEFT_OUT, "the field “created_at” is missing."),
    ("last_activity_at", [], f"“last_activity_at” is “[]”, not a date and time {NOT_A_TIME}"),
    ("answered_at", {}, f"“answered_at” is “{{}}”, not a date and time {NOT_A_TIME}"),
    (
        "created_at",
        "1969-12-31T23:59:59Z",
        "“created_at” is 1969-12-31T23:59:59Z, outside the years 1970 to 9998.",
    ),
    (
        "created_at",
        "2030-01-01T00:00:00Z",
        "the last activity is earlier than the case's creation.",
    ),
    ("status", "closed", f"the status “closed” is not one of {STATUSES}"),
    ("status", 3, f"the status “3” is not one of {STATUSES}"),
    ("status", LEFT_OUT, "the field “status” is missing."),
    ("primary_email", 7, "“primary_email” must be text."),
    (
        "primary_email",
        "seller at example",
        "primary_email: “seller at example” is not a valid e-mail address "
        "(expected name@example.com).",
    ),
    ("short_description", None, "“short_description” must be text."),
    (
        "short_description",
        "   ",
        "short_description: The short description is empty; write a few words about the issue.",
    ),
    (
        "short_description",
        "x" * 201,
        "short_description: The short description is 201 characters; the limit is 200.",
    ),
    ("cc", None, "“cc” must be a list of e-mail addresses."),
    ("cc", ["a@example.com", 3], "“cc” must be a list of e-mail addresses."),
    (
        "cc",
        ["ok@example.com", "bad address"],
        "cc: In the Cc list: “bad address” is not a valid e-mail address "
        "(expected name@example.com).",
    ),
    ("reopened_count", -1, "“reopened_count” must be a whole number, 0 or more."),
    ("reopened_count", 1.0, "“reopened_count” must be a whole number, 0 or more."),
    ("reopened_count", "\u00b2", "“reopened_count” must be a whole number, 0 or more."),
    ("reopened_count", 10**7, "“reopened_count” is 10,000,000, more than 1,000,000."),
    ("messages", {}, "“messages” must be a list."),
    ("messages.1", "hello", "message 2 is not an object."),
    ("messages.1.side", LEFT_OUT, "message 2 has no “side”."),
    ("messages.1.sent_at", LEFT_OUT, "message 2 has no “sent_at”."),
    ("messages.1.side", "buyer", "message 2: the side must be seller or support."),
    ("messages.1.side", 1, "message 2: the side must be seller or support."),
    ("messages.1.author", "  ", "message 2: the author is empty."),
    ("messages.1.author", None, "message 2: the author is empty."),
    ("messages.1.body", " \r\n ", "message 2 has no text."),
    ("messages.1.body", 5, "message 2 has no text."),
    ("messages.1.mail_id", " ", "message 2: the mail_id must be text or null."),
    ("messages.1.mail_id", 5, "message 2: the mail_id must be text or null."),
    (
        "messages.1.sent_at",
        "yesterday",
        f"“message 2 sent_at” is “yesterday”, not a date and time {NOT_A_TIME}",
    ),
    ("events", "none", "“events” must be a list."),
    ("events.0", [], "event 1 is not an object."),
    (
        "events.0.kind",
        "priority",
        "event 1 needs a kind (status or short_description), old and new.",
    ),
    (
        "events.0.kind",
        ["status"],
        "event 1 needs a kind (status or short_description), old and new.",
    ),
    ("events.0.old", LEFT_OUT, "event 1 needs a kind (status or short_description), old and new."),
    ("events.0.new", 1, "event 1 needs a kind (status or short_description), old and new."),
    ("events.0.at", LEFT_OUT, f"“event 1 at” is “None”, not a date and time {NOT_A_TIME}"),
    ("events.0.at", "soon", f"“event 1 at” is “soon”, not a date and time {NOT_A_TIME}"),
]


@pytest.mark.parametrize(("path", "value", "sentence"), SENTENCES)
def test_a_field_that_does_not_fit_skips_the_line_with_its_sentence(
    path: str, value: Any, sentence: str
) -> None:
    assert read(encode(changed(path, value))) == sentence


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        (b'{"case_id": 1,', "the line is not valid JSON (Expecting property name enclosed in"),
        (b'{"case_id": 10000000014, "status": "\xff\xfe"}', "the line is not UTF-8 text."),
        (encode(EXPORTED)[:-1] + b', "note": "\xff"}', "the line is not UTF-8 text."),
        (b"[1, 2, 3]", "the line is not a JSON object with a case's fields."),
        (b"null", "the line is not a JSON object with a case's fields."),
        (
            b"[" * 100_000 + b"]" * 100_000,
            "the line nests lists or objects too deeply to be a case.",
        ),
        (
            b'{"short_description": "\\udc00"}',
            "the line holds an escaped half of a character pair (\\ud800 to \\udfff)",
        ),
    ],
)
def test_a_line_that_is_not_a_json_object_is_skipped_with_its_sentence(
    line: bytes, sentence: str
) -> None:
    reason = read(line)
    assert isinstance(reason, str) and reason.startswith(sentence)


def test_blank_lines_are_passed_over() -> None:
    lines = [b"\n", encode(EXPORTED), b"  \r\n", b""]
    assert [number for number, _ in JsonCases(TZ).read(lines)] == [2]


def test_json_only_the_standard_library_takes_is_read_as_it_always_was() -> None:
    # NaN is not JSON, but `json` takes it, and imports before msgspec did too.
    line = encode({**EXPORTED, "note": 0}).replace(b'"note": 0', b'"note": NaN')
    assert read(line) == read(encode(EXPORTED))
    count = encode(EXPORTED).replace(b'"reopened_count": 1', b'"reopened_count": NaN')
    assert read(count) == "“reopened_count” must be a whole number, 0 or more."


def test_what_the_rules_trim_or_convert_is_stored_as_the_forms_would() -> None:
    data = changed("status", " needs YOUR attention ")
    data.update(
        case_id=" 12005137221 ",
        primary_email=" Sam.Patel@Northwind-Goods.co.uk ",
        short_description="  text with spaces  ",
        cc="a@example.com,B@Example.com ",
        reopened_count=" 3 ",
        answered_at=None,
        created_at="2025-05-10T07:34:39",  # no offset: in the case log's time zone
    )
    data["messages"][0]["author"] = " seller "
    case, messages, _ = read(encode(data))  # type: ignore[str-unpack]
    assert case == (
        12005137221,
        CREATED,
        "attention",
        "sam.patel@northwind-goods.co.uk",
        "text with spaces",
        "text with spaces",
        "a@example.com, b@example.com",
        ACTIVITY,
        None,
        3,
    )
    assert messages[0][3] == "seller"


def test_an_answered_case_without_an_answer_time_was_answered_at_its_last_activity() -> None:
    case, _, _ = read(encode(changed("answered_at", LEFT_OUT)))  # type: ignore[str-unpack]
    assert case[8] == ACTIVITY
    case, _, _ = read(encode(changed("status", "open") | {"answered_at": None}))  # type: ignore[str-unpack]
    assert case[8] is None


# -- properties ------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "  ", "open", "Answered", "seller", "2025-05-10T12:34:39Z"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
PATHS = [
    *[key for key in EXPORTED if key not in ("messages", "events")],
    "messages",
    "events",
    "messages.1",
    *[f"messages.1.{key}" for key in EXPORTED["messages"][1]],
    "events.0",
    *[f"events.0.{key}" for key in EXPORTED["events"][0]],
]
# Fields whose faults can only show together (the last activity must not be
# earlier than the creation), or that hold other fields.
TOGETHER = {"created_at", "last_activity_at", "messages", "events", "messages.1", "events.0"}


def mentions(reason: str, path: str) -> bool:
    """Whether a skip sentence is about the field at `path`."""
    steps = path.split(".")
    if steps[0] == "messages":
        return reason.startswith(("message 2", "“message 2") if steps[1:] else ("message", "“m"))
    if steps[0] == "events":
        return reason.startswith(("event 1", "“event 1") if steps[1:] else ("event", "“e"))
    return (
        steps[0] in reason
        or (steps[0] == "case_id" and "is not a case ID" in reason)
        or (steps[0] == "status" and reason.startswith("the status"))
        or (steps[0] in TOGETHER and "earlier than the case's creation" in reason)
    )


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PATHS), JSON_VALUES | st.just(LEFT_OUT))
def test_any_value_in_any_one_field_gives_the_case_or_a_sentence_about_that_field(
    path: str, value: Any
) -> None:
    result = read(encode(changed(path, value)))
    if isinstance(result, str):
        assert mentions(result, path), result


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([p for p in PATHS if p not in TOGETHER]),
        min_size=2,
        max_size=2,
        unique=True,
    ),
    st.lists(JSON_VALUES | st.just(LEFT_OUT), min_size=2, max_size=2),
)
def test_a_line_with_two_faults_is_told_one_of_them(paths: list[str], values: list[Any]) -> None:
    changes = list(zip(paths, values, strict=True))
    alone = [read(encode(changed(*change))) for change in changes]
    faults = [reason for reason in alone if isinstance(reason, str)]
    result = read(encode(changed(*changes[0], changes[1])))
    if faults:
        assert result in faults
    else:
        assert not isinstance(result, str)


CASE_IDS = st.integers(1_000_000_000, 99_999_999_999)
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
MOMENTS = st.datetimes(datetime(1971, 1, 1), datetime(9990, 1, 1))
PADDING = st.sampled_from(["", " ", "\t", "  \n"])


@settings(max_examples=300, deadline=None)
@given(
    case_id=CASE_IDS,
    as_text=st.booleans(),
    status=st.sampled_from(list(Status)),
    by_label=st.booleans(),
    padding=PADDING,
    created=MOMENTS,
    later=st.timedeltas(timedelta(0), timedelta(days=400)),
    offset=OFFSETS,
    description=st.text(min_size=1, max_size=180).filter(str.strip),
    cc=st.lists(
        st.sampled_from(["A@Example.com", "ops@example.com", "x.y@shop.co.uk"]), max_size=3
    ),
    reopened=st.integers(0, 1_000_000),
    bodies=st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=1, max_size=3),
)
def test_any_valid_case_is_stored_as_the_field_rules_say(
    case_id: int,
    as_text: bool,
    status: Status,
    by_label: bool,
    padding: str,
    created: datetime,
    later: timedelta,
    offset: timezone,
    description: str,
    cc: list[str],
    reopened: int,
    bodies: list[str],
) -> None:
    created_at = created.replace(microsecond=0, tzinfo=offset)
    activity_at = created_at + later
    name = status.label if by_label else status.value
    record = {
        "case_id": f"{padding}{case_id}{padding}" if as_text else case_id,
        "created_at": created_at.isoformat(),
        "status": padding + name.upper() + padding,
        "primary_email": padding + "Seller@Example.com",
        "short_description": padding + description + padding,
        "cc": cc,
        "last_activity_at": activity_at.isoformat(),
        "reopened_count": reopened,
        "messages": [
            {"sent_at": created_at.isoformat(), "side": "seller", "author": "me", "body": body}
            for body in bodies
        ],
    }
    case, messages, events = read(encode(record))  # type: ignore[str-unpack]
    activity = int(activity_at.timestamp())
    stored_description = rules.normalise_short_description(description)
    assert case == (
        case_id,
        int(created_at.timestamp()),
        status.value,
        "seller@example.com",
        stored_description,
        stored_description.casefold(),
        rules.join_cc(rules.split_cc(", ".join(cc))),
        activity,
        activity if status is Status.ANSWERED else None,
        reopened,
    )
    assert [m[4] for m in messages] == [rules.normalise_message(body) for body in bodies]
    assert events == []


def test_times_are_read_in_utc_when_the_case_log_is() -> None:
    [(_, item)] = JsonCases(UTC).read([encode(changed("created_at", "2025-05-10T12:34:39"))])
    assert not isinstance(item, Skipped) and item[0][1] == CREATED
