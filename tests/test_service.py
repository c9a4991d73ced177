"""The case log service: what each seller and support action stores, the
reads a view needs, and refusals that leave the case as it was."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from caselog_tui.core.errors import ActionRefused, CaseNotFound, ValidationError
from caselog_tui.core.machine import Action
from caselog_tui.core.records import Side
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog, local_timezone
from caselog_tui.store.models import CASE_EVENTS
from tests.conftest import FIXED_NOW, FakeClock
from tests.test_validation import cc_of_length

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases

SELLER = "seller@example.com"


def submit(log: CaseLog, description: str = "Lost units", **extra: str) -> int:
    fields = {
        "primary_email": SELLER,
        "short_description": description,
        "message": "Please check.",
    }
    fields.update(extra)
    return log.submit_case(**fields).case_id


def test_submit_case_stores_what_the_form_said(case_log: CaseLog) -> None:
    case = case_log.submit_case(
        primary_email="  Sam@Example.COM ",
        short_description="  Listing suppressed [needs review]  ",
        message="Hello,\r\nthe listing is gone.\r\n\r\n",
        cc="ops@example.com,Ops@example.com, finance@example.com",
    )
    assert 10 <= len(str(case.case_id)) <= 11
    assert case.status is Status.OPEN
    assert case.summary.primary_email == "sam@example.com"
    assert case.summary.short_description == "Listing suppressed [needs review]"
    assert case.cc == ["ops@example.com", "finance@example.com"]
    assert case.summary.created_at == FIXED_NOW
    assert case.summary.last_activity_at == FIXED_NOW
    assert case.answered_at is None
    [message] = case.messages
    assert (message.side, message.author, message.body) == (
        Side.SELLER,
        "sam@example.com",
        "Hello,\nthe listing is gone.",
    )


def test_case_ids_grow_and_are_never_reused(case_log: CaseLog) -> None:
    ids = [submit(case_log) for _ in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    with case_log.store.writing() as session:
        session.execute(CASE_EVENTS.delete())
    assert submit(case_log) > ids[-1]


def test_reply_adds_cc_and_may_edit_the_short_description(
    case_log: CaseLog, clock: FakeClock
) -> None:
    case_id = submit(case_log, cc="ops@example.com")
    clock.advance(minutes=5)
    case = case_log.reply(
        case_id,
        "Invoice attached.",
        add_cc="finance@example.com, OPS@example.com",
        short_description="Lost units at LTN4",
        author="sam@example.com",
    )
    assert case.cc == ["ops@example.com", "finance@example.com"]
    assert case.summary.short_description == "Lost units at LTN4"
    assert case.messages[-1].author == "sam@example.com"
    assert case.status is Status.PENDING
    with case_log.store.reading() as conn:
        events = conn.execute(CASE_EVENTS.select().order_by(CASE_EVENTS.c.id)).all()
    assert [(e.kind, e.old, e.new) for e in events] == [
        ("short_description", "Lost units", "Lost units at LTN4"),
        ("status", "open", "pending"),
    ]


def test_a_case_with_300_characters_of_cc_still_takes_replies(case_log: CaseLog) -> None:
    cc = cc_of_length(300, ",")
    case_id = submit(case_log, cc=cc)
    assert case_log.reply(case_id, "Any news?").status is Status.PENDING
    assert len(",".join(case_log.case(case_id).cc)) == 300


def test_reply_refuses_a_cc_list_that_would_grow_past_300(case_log: CaseLog) -> None:
    case_id = submit(case_log, cc=cc_of_length(290, ","))
    before = case_log.case(case_id)
    with pytest.raises(ValidationError) as invalid:
        case_log.reply(case_id, "Adding one more.", add_cc="newcomer@example.com")
    assert set(invalid.value.fields) == {"cc"}
    assert "the limit is 300" in invalid.value.message
    assert case_log.case(case_id) == before


def test_reply_with_invalid_fields_names_each(case_log: CaseLog) -> None:
    case_id = submit(case_log)
    with pytest.raises(ValidationError) as invalid:
        case_log.reply(case_id, " ", add_cc="nope", short_description="d" * 201)
    assert set(invalid.value.fields) == {"message", "cc", "short_description"}


def test_edit_short_description_changes_no_status(case_log: CaseLog) -> None:
    case_id = submit(case_log)
    case = case_log.edit_short_description(case_id, "  New words  ")
    assert case.summary.short_description == "New words"
    assert case.status is Status.OPEN
    assert case_log.page(CaseQuery(search="NEW")).total == 1
    with pytest.raises(ValidationError):
        case_log.edit_short_description(case_id, "")


@pytest.mark.parametrize(
    "action",
    [
        lambda log: log.reply(12345678901, "Hi."),
        lambda log: log.reopen(12345678901, "Hi."),
        lambda log: log.resolve(12345678901),
        lambda log: log.edit_short_description(12345678901, "New"),
        lambda log: log.record_support_reply(12345678901, Action.SUPPORT_ANSWERS, "Hi."),
        lambda log: log.case(12345678901),
    ],
)
def test_an_unknown_case_is_named(case_log: CaseLog, action) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CaseNotFound) as missing:
        action(case_log)
    assert missing.value.message == "There is no case with ID 12345678901 in this case log."


def test_support_reply_from_a_mail_is_recorded_once(case_log: CaseLog, clock: FakeClock) -> None:
    case_id = submit(case_log)
    sent = FIXED_NOW + timedelta(hours=1)
    clock.advance(hours=3)
    case = case_log.record_support_reply(
        case_id,
        Action.SUPPORT_ASKS,
        "Please send the invoice.",
        author="support@marketplace.example",
        sent_at=sent,
        mail_id="<abc@mail>",
    )
    assert case.status is Status.NEEDS_ATTENTION
    assert case.messages[-1].sent_at == sent
    assert case.messages[-1].side is Side.SUPPORT
    assert case_log.has_mail("<abc@mail>") and not case_log.has_mail("<other@mail>")
    with pytest.raises(ActionRefused) as again:
        case_log.record_support_reply(case_id, Action.SUPPORT_ASKS, "x", mail_id="<abc@mail>")
    assert again.value.message == f"This mail is already recorded on case {case_id}."
    assert case_log.case(case_id) == case


def test_support_cannot_take_seller_actions(case_log: CaseLog) -> None:
    case_id = submit(case_log)
    with pytest.raises(ActionRefused):
        case_log.record_support_reply(case_id, Action.REOPEN, "x")


def test_reads_a_view_needs(case_log: CaseLog, clock: FakeClock) -> None:
    first = submit(case_log, "Fee overcharge", primary_email="b@example.com")
    clock.advance(minutes=1)
    second = submit(case_log, "Listing suppressed", primary_email="a@example.com")
    case_log.record_support_reply(second, Action.SUPPORT_ASKS, "Need the invoice.")
    assert case_log.attention_count() == 1
    assert case_log.primary_emails() == ["a@example.com", "b@example.com"]
    assert case_log.exists(first) and not case_log.exists(first - 1)
    page = case_log.page(CaseQuery(page_size=1))
    assert [c.case_id for c in page.cases] == [second]
    assert page.position_text() == "1–1 of 2"
    assert [c.case_id for c in case_log.iter_cases(CaseQuery(descending=False))] == [
        first,
        second,
    ]


def test_messages_are_oldest_first(case_log: CaseLog, clock: FakeClock) -> None:
    case_id = submit(case_log)
    clock.advance(hours=1)
    case_log.record_support_reply(
        case_id, Action.SUPPORT_WORKING, "Late mail, early date.", sent_at=FIXED_NOW
    )
    clock.advance(hours=1)
    case_log.reply(case_id, "Thanks.")
    bodies = [m.body for m in case_log.case(case_id).messages]
    assert bodies == ["Please check.", "Late mail, early date.", "Thanks."]


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("london")
def test_local_time_follows_summer_time() -> None:
    tz = local_timezone()
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC).astimezone(tz)
    summer = datetime(2026, 7, 15, 12, tzinfo=UTC).astimezone(tz)
    assert (winter.hour, summer.hour) == (12, 13)
    midnight = datetime(2026, 7, 15, tzinfo=tz)
    assert midnight.astimezone(UTC) == datetime(2026, 7, 14, 23, tzinfo=UTC)


def answered(log: CaseLog) -> int:
    case_id = submit(log)
    log.record_support_reply(case_id, Action.SUPPORT_ANSWERS, "Done.")
    return case_id


@pytest.mark.parametrize(
    ("action", "advice"),
    [
        (lambda log, case_id: log.reply(case_id, " "), "Re-open it instead"),
        (
            lambda log, case_id: log.reply(case_id, "", add_cc="nope", short_description="d" * 201),
            "Re-open it instead",
        ),
        (lambda log, case_id: log.resolve(case_id, " "), "already answered"),
    ],
    ids=["empty-reply", "every-field-wrong", "resolve"],
)
def test_an_answered_case_is_refused_before_its_fields(  # type: ignore[no-untyped-def]
    case_log: CaseLog, action, advice: str
) -> None:
    """The seller learns what to do (re-open) before being told to fix a
    message they cannot send anyway."""
    case_id = answered(case_log)
    before = case_log.case(case_id)
    with pytest.raises(ActionRefused) as refused:
        action(case_log, case_id)
    assert advice in refused.value.message
    assert case_log.case(case_id) == before


def test_reopen_refusals_come_before_an_empty_message(case_log: CaseLog, clock: FakeClock) -> None:
    active = submit(case_log)
    with pytest.raises(ActionRefused) as refused:
        case_log.reopen(active, "")
    assert "reply to it instead" in refused.value.message
    too_old = answered(case_log)
    clock.advance(days=6)
    with pytest.raises(ActionRefused) as refused:
        case_log.reopen(too_old, "  ")
    assert "submit a new case instead" in refused.value.message


def test_an_unknown_case_is_named_before_an_empty_message(case_log: CaseLog) -> None:
    for action in (
        lambda: case_log.reply(12345678901, ""),
        lambda: case_log.reopen(12345678901, ""),
        lambda: case_log.record_support_reply(12345678901, Action.SUPPORT_ANSWERS, ""),
    ):
        with pytest.raises(CaseNotFound):
            action()


def test_an_allowed_action_still_names_its_empty_message(case_log: CaseLog) -> None:
    case_id = answered(case_log)
    with pytest.raises(ValidationError) as invalid:
        case_log.reopen(case_id, " ")
    assert set(invalid.value.fields) == {"message"}
    with pytest.raises(ValidationError) as invalid:
        case_log.record_support_reply(case_id, Action.SUPPORT_ASKS, "")
    assert set(invalid.value.fields) == {"message"}


def test_a_reply_that_empties_the_short_description_is_refused(case_log: CaseLog) -> None:
    case_id = submit(case_log)
    with pytest.raises(ValidationError) as invalid:
        case_log.reply(case_id, "Any news?", short_description="  ")
    assert set(invalid.value.fields) == {"short_description"}
    assert case_log.reply(case_id, "Any news?").summary.short_description == "Lost units"


def test_a_search_of_too_many_words_is_refused_with_a_sentence(case_log: CaseLog) -> None:
    case_id = submit(case_log, "Lost units at LTN4")
    hundred = " ".join(["lost", "units", *(f"w{n}" for n in range(98))])
    assert case_log.page(CaseQuery(search=hundred)).total == 0
    assert case_log.page(CaseQuery(search="units " * 3000 + "LOST")).cases[0].case_id == case_id
    with pytest.raises(ValidationError) as refused:
        case_log.page(CaseQuery(search=" ".join(f"w{n}" for n in range(3000))))
    assert refused.value.message == (
        "Search for at most 100 different words; this search has 3,000."
    )


def test_a_view_names_every_part_it_combines() -> None:
    from caselog_tui.core.status import StatusGroup
    from caselog_tui.core.view import CaseQuery

    assert CaseQuery().view_name == "Open and recently answered"
    assert CaseQuery(include_expired=True).view_name == "All cases"
    assert CaseQuery(search=" refund ").view_name == "Search: refund"
    assert CaseQuery(attention_only=True).view_name == "Needing attention"
    both = CaseQuery(attention_only=True, search="gtin")
    assert both.view_name == "Needing attention, Search: gtin"
    every = CaseQuery(attention_only=True, statuses=frozenset({StatusGroup.OPEN}), search="x")
    assert every.view_name == "Needing attention, Filtered: open, Search: x"


def test_a_filtered_view_names_each_filter() -> None:
    from datetime import date

    from caselog_tui.core.status import StatusGroup
    from caselog_tui.core.view import CaseQuery

    query = CaseQuery(
        statuses=frozenset({StatusGroup.REOPENED, StatusGroup.ANSWERED}),
        email=" Accounts@Northwind.example ",
        created_from=date(2026, 1, 1),
        created_to=date(2026, 6, 30),
    )
    assert query.view_name == (
        "Filtered: answered, re-opened, accounts@northwind.example, 2026-01-01→2026-06-30"
    )
    assert query.describe(short_email=True) == (
        "Filtered: answered, re-opened, accounts@…, 2026-01-01→2026-06-30"
    )
    assert CaseQuery(created_from=date(2026, 1, 1)).view_name == "Filtered: from 2026-01-01"
    assert CaseQuery(created_to=date(2026, 6, 30)).view_name == "Filtered: until 2026-06-30"
