"""The view query against a reference model.

The model below is plain Python over the same cases, written from
docs/PRODUCT.md's rules, not from query.py: which cases a view holds, their order,
the page and the total. Hypothesis generates cases and views; the store's
answer must equal the model's for every one of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import event

from caselog_tui.core.status import Status, StatusGroup
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import Store
from caselog_tui.store.models import CASES, MESSAGES
from tests.conftest import FIXED_NOW

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases

NOW = int(FIXED_NOW.timestamp())
DAY = 86400
EMAILS = ["seller@example.com", "returns@example.com", "sam.patel@example.co.uk"]
LONDON = ZoneInfo("Europe/London")
ZONES: list[tzinfo] = [
    UTC,
    LONDON,
    timezone(timedelta(hours=5, minutes=30)),
    timezone(-timedelta(hours=8)),
]
# Letters in both cases, the characters SQL and LIKE treat specially, and a
# few whose case-folding is not one-to-one.
ALPHABET = "abAB zZ%_[]'\"/\\^*.-éÉßẞΣσς0123456789"
ACTIVE = {Status.OPEN, Status.PENDING, Status.NEEDS_ATTENTION, Status.TRANSFERRED}
LABEL_ORDER = sorted(Status, key=lambda s: s.label)


@dataclass(frozen=True)
class Case:
    case_id: int
    created_at: int
    status: Status
    email: str
    description: str
    last_activity_at: int
    answered_at: int | None
    reopened_count: int


# -- the reference model -------------------------------------------------------


def local_day(moment: int, tz: tzinfo) -> date:
    return datetime.fromtimestamp(moment, UTC).astimezone(tz).date()


def in_view(case: Case, view: CaseQuery, tz: tzinfo) -> bool:
    words = view.search.split()
    search = " ".join(words)
    email = (view.email or "").strip().lower()
    filtered = bool(view.statuses or email or view.created_from or view.created_to or search)
    if not (filtered or view.include_expired or view.attention_only):
        # The default view: every active case plus every case created or
        # answered in the past 30 days.
        cutoff = NOW - 30 * DAY
        answered_recently = case.answered_at is not None and case.answered_at >= cutoff
        if not (case.status in ACTIVE or case.created_at >= cutoff or answered_recently):
            return False
    if view.attention_only and case.status is not Status.NEEDS_ATTENTION:
        return False
    if view.statuses and not any(in_group(group, case) for group in view.statuses):
        return False
    if email and case.email.lower() != email:
        return False
    day = local_day(case.created_at, tz)
    if view.created_from is not None and day < view.created_from:
        return False
    if view.created_to is not None and day > view.created_to:
        return False
    if search.isascii() and search.isdigit() and len(search) in (10, 11):
        return case.case_id == int(search)
    return all(word.casefold() in case.description.casefold() for word in words)


def in_group(group: StatusGroup, case: Case) -> bool:
    if group is StatusGroup.OPEN:
        return case.status in {Status.OPEN, Status.PENDING, Status.TRANSFERRED}
    if group is StatusGroup.ANSWERED:
        return case.status is Status.ANSWERED
    if group is StatusGroup.ATTENTION:
        return case.status is Status.NEEDS_ATTENTION
    return case.status in ACTIVE and case.reopened_count >= 1


def sort_key(column: SortColumn, case: Case) -> Any:
    value: Any = {
        SortColumn.CREATED: case.created_at,
        SortColumn.CASE_ID: case.case_id,
        SortColumn.STATUS: LABEL_ORDER.index(case.status),
        SortColumn.EMAIL: case.email.lower(),
        SortColumn.DESCRIPTION: case.description.casefold(),
        SortColumn.LAST_ACTIVITY: case.last_activity_at,
        SortColumn.REOPENED: case.reopened_count,
    }[column]
    return (value, case.case_id)


def model_view(cases: list[Case], view: CaseQuery, tz: tzinfo) -> tuple[list[int], int, int]:
    """(the page's case IDs, the total, the page shown) by the product's rules."""
    shown = [c for c in cases if in_view(c, view, tz)]
    shown.sort(key=lambda c: sort_key(view.sort, c), reverse=view.descending)
    total = len(shown)
    last_page = max(0, (total - 1) // view.page_size)
    page = min(max(view.page, 0), last_page)
    start = page * view.page_size
    return [c.case_id for c in shown[start : start + view.page_size]], total, page


# -- the store's answer ----------------------------------------------------------


def load(store: Store, cases: list[Case]) -> None:
    with store.bulk_writing() as conn:
        conn.execute(MESSAGES.delete())
        conn.execute(CASES.delete())
        if cases:
            conn.execute(
                CASES.insert(),
                [
                    {
                        "id": c.case_id,
                        "created_at": c.created_at,
                        "status": c.status.value,
                        "primary_email": c.email,
                        "short_description": c.description,
                        "description_key": c.description.casefold(),
                        "cc": "",
                        "last_activity_at": c.last_activity_at,
                        "answered_at": c.answered_at,
                        "reopened_count": c.reopened_count,
                    }
                    for c in cases
                ],
            )


def check(store: Store, cases: list[Case], view: CaseQuery, tz: tzinfo) -> None:
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=tz)
    ids, total, page_number = model_view(cases, view, tz)
    page = log.page(view)
    assert [c.case_id for c in page.cases] == ids
    assert (page.total, page.page, page.page_size) == (total, page_number, view.page_size)
    assert log.count(view) == total
    # The case log screen's way: the page read alone, forwards or, with the
    # total it already knows, from the end.
    on_page = view.changed(page=page_number)
    assert [c.case_id for c in log.rows(on_page)] == ids
    assert [c.case_id for c in log.rows(on_page, total=total)] == ids
    every = model_view(cases, view.changed(page_size=max(1, len(cases))), tz)[0]
    assert [c.case_id for c in log.iter_cases(view)] == every
    by_id = {c.case_id: c for c in cases}
    for summary in page.cases:
        case = by_id[summary.case_id]
        assert summary.status is case.status
        assert summary.short_description == case.description
        assert int(summary.created_at.timestamp()) == case.created_at
        assert int(summary.last_activity_at.timestamp()) == case.last_activity_at
        assert summary.reopened_count == case.reopened_count


# -- generated cases and views ---------------------------------------------------

# Moments where the rules change their mind: the 30-day cutoff and local
# midnights in every zone the tests use.
EDGE_TIMES = sorted(
    {NOW - 30 * DAY + d for d in (-1, 0, 1)}
    | {
        int(
            datetime.combine(
                FIXED_NOW.date() - timedelta(days=n), datetime.min.time(), tz
            ).timestamp()
        )
        + d
        for n in (0, 1, 31, 32)
        for tz in ZONES
        for d in (-1, 0)
    }
)
moments = st.one_of(st.sampled_from(EDGE_TIMES), st.integers(NOW - 70 * DAY, NOW))


@st.composite
def a_case(draw: st.DrawFn, case_id: int) -> Case:
    created = draw(moments)
    status = draw(st.sampled_from(list(Status)))
    # An answered case usually knows when it was answered; an imported one
    # may not, and then only its creation counts for the 30-day rule.
    answered = draw(st.one_of(st.none(), moments.map(lambda t: max(t, created))))
    return Case(
        case_id=case_id,
        created_at=created,
        status=status,
        email=draw(st.sampled_from(EMAILS)),
        description=draw(st.text(ALPHABET, min_size=1, max_size=12)),
        last_activity_at=created + draw(st.integers(0, 10 * DAY)),
        answered_at=answered,
        reopened_count=draw(st.integers(0, 2)),
    )


@st.composite
def case_lists(draw: st.DrawFn) -> list[Case]:
    ids = draw(
        st.lists(
            st.one_of(st.integers(10**9, 10**10 - 1), st.integers(10**10, 10**11 - 1)),
            unique=True,
            max_size=25,
        )
    )
    return [draw(a_case(case_id)) for case_id in ids]


@st.composite
def searches(draw: st.DrawFn, cases: list[Case]) -> str:
    kinds = [
        st.just(""),
        st.text(ALPHABET, max_size=6),
        st.sampled_from(["%", "_", "[", "]", "'", "[a]", "%_", "a b", " A ", "ss", "ẞ", "Σ"]),
        st.from_regex(r"\A[0-9]{10,11}\Z"),
    ]
    if cases:
        case = draw(st.sampled_from(cases))
        kinds.append(st.just(str(case.case_id)))
        kinds.append(st.just(f"  {case.case_id} "))
        text = case.description
        start = draw(st.integers(0, len(text) - 1))
        piece = text[start : start + draw(st.integers(1, 4))]
        kinds.append(
            st.sampled_from([piece, piece.upper(), piece.swapcase(), f"{piece} {text[:2]}"])
        )
    return draw(st.one_of(kinds))


@st.composite
def views(draw: st.DrawFn, cases: list[Case]) -> CaseQuery:
    days = st.one_of(
        st.none(), st.integers(0, 75).map(lambda n: FIXED_NOW.date() - timedelta(days=n))
    )
    return CaseQuery(
        attention_only=draw(st.booleans()),
        statuses=draw(st.frozensets(st.sampled_from(list(StatusGroup)))),
        email=draw(
            st.one_of(
                st.none(),
                st.sampled_from([*EMAILS, "SELLER@example.COM", " returns@example.com ", "", " "]),
            )
        ),
        created_from=draw(days),
        created_to=draw(days),
        search=draw(searches(cases)),
        include_expired=draw(st.booleans()),
        sort=draw(st.sampled_from(list(SortColumn))),
        descending=draw(st.booleans()),
        page_size=draw(st.sampled_from([1, 2, 3, 7, 25])),
        page=draw(st.integers(-1, 30)),
    )


# Examples per database: the rules are the store's on either; PostgreSQL's
# round trips make each example about twice as dear, so it gets fewer.
EXAMPLES = {"sqlite": 300, "postgresql": 120}


def test_the_store_agrees_with_the_model(store: Store, backend: str) -> None:
    @settings(
        max_examples=EXAMPLES[backend],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def agrees(data: st.DataObject) -> None:
        cases = data.draw(case_lists(), label="cases")
        tz = data.draw(st.sampled_from(ZONES), label="tz")
        load(store, cases)
        for _ in range(3):
            check(store, cases, data.draw(views(cases), label="view"), tz)

    agrees()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=case_lists(),
    sort=st.sampled_from(list(SortColumn)),
    descending=st.booleans(),
    size=st.sampled_from([1, 2, 3]),
)
def test_the_pages_of_a_view_hold_every_case_once(
    store: Store, cases: list[Case], sort: SortColumn, descending: bool, size: int
) -> None:
    load(store, cases)
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC)
    view = CaseQuery(include_expired=True, sort=sort, descending=descending, page_size=size)
    first = log.page(view)
    seen = [
        c.case_id for n in range(first.page_count) for c in log.page(view.changed(page=n)).cases
    ]
    assert seen == model_view(cases, view.changed(page_size=max(1, len(cases))), UTC)[0]
    assert sorted(seen) == sorted(c.case_id for c in cases)


# -- hand-picked edges, each against the model too -----------------------------------


def case(case_id: int, created_days_ago: float, status: Status, **extra: Any) -> Case:
    created = NOW - int(created_days_ago * DAY)
    answered = extra.pop("answered_days_ago", None)
    fields: dict[str, Any] = {
        "case_id": case_id,
        "created_at": created,
        "status": status,
        "email": "seller@example.com",
        "description": "Lost units",
        "last_activity_at": created,
        "answered_at": NOW - int(answered * DAY) if answered is not None else None,
        "reopened_count": 0,
    }
    fields.update(extra)
    return Case(**fields)


EDGE_CASES = [
    case(10000000001, 31, Status.ANSWERED, answered_days_ago=1),  # shown: answered recently
    case(10000000002, 31, Status.ANSWERED, answered_days_ago=31),  # expired
    case(10000000003, 400, Status.NEEDS_ATTENTION),  # active: always shown
    case(10000000004, 30, Status.ANSWERED, answered_days_ago=30),  # exactly 30 days: shown
    case(10000000005, 30 + 1 / DAY, Status.ANSWERED, answered_days_ago=30 + 1 / DAY),  # expired
    case(10000000006, 2, Status.PENDING, reopened_count=1, description="100% [refund] it's_ok"),
    case(10000000007, 2, Status.TRANSFERRED, email="returns@example.com", description="FEE x_y"),
    case(99999999999, 45, Status.ANSWERED, answered_days_ago=44, description="ÉTÉ straße"),
    case(10000000009, 3, Status.OPEN, description="100 percent refund"),
    case(10000000012, 31, Status.ANSWERED, answered_days_ago=30),  # shown: exactly 30 days
    case(10000000010, 30, Status.ANSWERED),  # imported, answered when unknown: shown
    case(10000000011, 30 + 1 / DAY, Status.ANSWERED),  # expired
]


def midnight(days_ago: int, tz: tzinfo) -> int:
    day = FIXED_NOW.date() - timedelta(days=days_ago)
    return int(datetime.combine(day, datetime.min.time(), tz).timestamp())


def view_id(view: CaseQuery) -> str:
    """The parts of `view` that differ from the default view, in a fixed
    order (a frozenset's repr is not, and pytest-xdist needs every worker to
    name the tests alike)."""
    default = CaseQuery()
    parts = []
    for name in CaseQuery.__dataclass_fields__:
        value = getattr(view, name)
        if value != getattr(default, name):
            shown = sorted(value) if isinstance(value, frozenset) else value
            parts.append(f"{name}={shown!r}")
    return ",".join(parts) or "default"


@pytest.mark.parametrize(
    "view",
    [
        CaseQuery(),
        CaseQuery(include_expired=True),
        CaseQuery(attention_only=True),
        *(CaseQuery(statuses=frozenset({group})) for group in StatusGroup),
        CaseQuery(statuses=frozenset({StatusGroup.ANSWERED, StatusGroup.REOPENED})),
        CaseQuery(email="RETURNS@example.com"),
        CaseQuery(search="100%"),
        CaseQuery(search="[refund]"),
        CaseQuery(search="it's_ok"),
        CaseQuery(search="x_y"),
        CaseQuery(search="_"),
        CaseQuery(search="%"),
        CaseQuery(search="STRASSE été"),
        CaseQuery(search="99999999999"),
        CaseQuery(search="9999999999"),
        CaseQuery(search="999999999"),
        CaseQuery(search="nothing matches this"),
        CaseQuery(page_size=2, page=99),
        CaseQuery(page_size=2, page=-3),
        CaseQuery(sort=SortColumn.DESCRIPTION, descending=False, page_size=3, page=1),
        CaseQuery(created_from=FIXED_NOW.date(), created_to=FIXED_NOW.date() - timedelta(days=1)),
    ],
    ids=view_id,
)
def test_edges_of_the_rules(store: Store, view: CaseQuery) -> None:
    load(store, EDGE_CASES)
    check(store, EDGE_CASES, view, UTC)


def test_default_view_thirty_day_rule(store: Store) -> None:
    load(store, EDGE_CASES)
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC)
    shown = {c.case_id for c in log.iter_cases(CaseQuery())}
    assert {10000000001, 10000000003, 10000000004, 10000000010, 10000000012} <= shown
    assert not {10000000002, 10000000005, 10000000011, 99999999999} & shown
    assert log.page(CaseQuery(search="STRASSE")).total == 1  # search reaches expired cases


@pytest.mark.parametrize("tz", ZONES, ids=str)
def test_date_range_edges_are_local_days_inclusive(store: Store, tz: tzinfo) -> None:
    cases = [
        Case(10000000000 + n, moment, Status.OPEN, "seller@example.com", "x", moment, None, 0)
        for n, moment in enumerate(
            [midnight(3, tz) - 1, midnight(3, tz), midnight(2, tz) - 1, midnight(2, tz)]
        )
    ]
    load(store, cases)
    three_days_ago = FIXED_NOW.date() - timedelta(days=3)
    view = CaseQuery(created_from=three_days_ago, created_to=three_days_ago)
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=tz)
    assert [c.case_id for c in log.iter_cases(view)] == [10000000002, 10000000001]
    check(store, cases, view, tz)


def test_an_empty_log_has_one_empty_page(store: Store) -> None:
    page = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC).page(CaseQuery(page=5))
    assert (page.cases, page.total, page.page, page.page_count) == ([], 0, 0, 1)
    assert page.position_text() == "0 of 0"


def test_the_last_page_and_its_position(store: Store) -> None:
    cases = [case(10000000100 + n, n / 10, Status.OPEN) for n in range(7)]
    load(store, cases)
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC)
    page = log.page(CaseQuery(page_size=3, page=9))
    assert (page.page, page.page_count, page.position_text()) == (2, 3, "7–7 of 7")
    assert [c.case_id for c in page.cases] == [10000000106]


@pytest.fixture
def statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", remember)
    yield seen
    event.remove(store.engine, "before_cursor_execute", remember)


def test_a_page_never_loads_more_rows_than_the_page(store: Store, statements: list[str]) -> None:
    load(store, [case(10000000100 + n, n / 10, Status.OPEN) for n in range(40)])
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC)
    statements.clear()
    page = log.page(CaseQuery(page_size=25, page=1))
    assert len(page.cases) == 15
    row_reads = [s for s in statements if "short_description" in s]
    assert row_reads and all("LIMIT" in s for s in row_reads)
