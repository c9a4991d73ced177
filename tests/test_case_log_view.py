"""The case log's state without a screen: which request wins, which totals
are kept, where the paging, sorting and page-size keys lead. The Pilot
tests in tests/tui check that the screen draws what this says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random

from hypothesis import given, strategies as st

from caselog_tui.core.paging import last_page
from caselog_tui.core.records import CaseSummary
from caselog_tui.core.status import Status, StatusGroup
from caselog_tui.core.view import (
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    CaseQuery,
    SortColumn,
    in_order,
    sort_value,
)
from caselog_tui.tui.case_log_view import (
    NEWEST_FIRST,
    SORT_CYCLE,
    STARTS_DESCENDING,
    CaseLogView,
    PageRequest,
    view_of,
)

BASE = datetime(2026, 10, 1, tzinfo=UTC)
sizes = st.sampled_from(PAGE_SIZES)
totals = st.integers(min_value=0, max_value=2_000)
pages = st.integers(min_value=0, max_value=100)


def counted(view: CaseLogView, total: int) -> CaseLogView:
    """`view` once the store has counted the view asked for."""
    request = view.ask(view.query)
    assert view.total_arrived(request.store_version, view_of(view.query), total)
    return view


def on_page(page_size: int, page: int, total: int) -> CaseLogView:
    """A view of `total` cases, counted, on `page` (clamped to the last)."""
    view = counted(CaseLogView(page_size), total)
    view.ask(view.query.changed(page=page))
    return view


# -- the first request --------------------------------------------------------------


def test_a_new_case_log_asks_for_the_default_view_and_counts_it() -> None:
    view = CaseLogView(25)
    request = view.ask(view.query)
    assert request == PageRequest(1, CaseQuery(page_size=25), None, CaseQuery(), 0)
    assert view.shown is None


@given(st.integers(min_value=-5, max_value=1_000).filter(lambda n: n not in PAGE_SIZES))
def test_a_page_size_that_is_not_offered_falls_back_to_the_default(size: int) -> None:
    assert CaseLogView(size).query.page_size == DEFAULT_PAGE_SIZE


# -- the newest request wins -----------------------------------------------------


@given(st.lists(pages, min_size=1, max_size=8), st.randoms())
def test_only_the_newest_requests_answer_is_shown(wanted: list[int], random: Random) -> None:
    view = CaseLogView()
    requests = [view.ask(view.query.changed(page=page)) for page in wanted]
    arrivals = list(requests)
    random.shuffle(arrivals)
    for request in arrivals:
        shown = view.page_arrived(request.number, request.query)
        assert shown == (request is requests[-1])
    assert view.shown == view.query == requests[-1].query


def test_the_cursor_stays_on_the_case_named_by_the_newest_request() -> None:
    view = CaseLogView()
    view.reload(keep_case_id=10_000_000_001)
    assert view.keep_case_id == 10_000_000_001
    view.next_page()
    assert view.keep_case_id is None


# -- totals, counted once per view ---------------------------------------------------


def test_a_view_is_counted_once_while_its_count_is_under_way() -> None:
    view = CaseLogView()
    assert view.ask(view.query).count == CaseQuery()
    assert view.next_page() is not None
    assert view.sort_next().count is None
    assert view.sort_reverse().count is None


@given(totals)
def test_page_flips_sorts_and_page_sizes_reuse_a_known_total(total: int) -> None:
    view = counted(CaseLogView(25), total)
    requests = [
        view.sort_next(),
        view.sort_reverse(),
        view.sort_clicked(SortColumn.REOPENED),
        view.per_page(100, None),
        view.ask(view.query.changed(page=3)),
    ]
    for request in requests:
        assert (request.total, request.count) == (total, None)


def test_another_view_is_counted_and_both_totals_are_kept() -> None:
    view = counted(CaseLogView(), 120)
    attention = view.toggle_attention()
    assert (attention.total, attention.count) == (None, CaseQuery(attention_only=True))
    filtered = view.ask(CaseQuery(statuses=frozenset({StatusGroup.OPEN})))
    assert filtered.count == view_of(filtered.query)
    # The attention count comes late: not the view asked for, but kept.
    assert not view.total_arrived(attention.store_version, attention.query, 7)
    again = view.ask(CaseQuery(attention_only=True, page=5))
    assert (again.query.page, again.total, again.count) == (0, 7, None)
    assert view.ask(CaseQuery()).total == 120


def test_a_count_of_the_store_before_a_reload_is_dropped() -> None:
    view = CaseLogView()
    before = view.ask(view.query)
    after = view.reload(keep_case_id=None)
    assert after.count == CaseQuery() and after.store_version > before.store_version
    assert not view.total_arrived(before.store_version, CaseQuery(), 10)
    assert view.total_of(CaseQuery()) is None
    assert view.total_arrived(after.store_version, CaseQuery(), 11)
    assert view.total_of(CaseQuery()) == 11


def test_a_reload_forgets_every_total() -> None:
    view = counted(CaseLogView(), 300)
    request = view.reload(keep_case_id=None)
    assert (request.total, request.count) == (None, CaseQuery())


def test_after_a_refusal_the_view_is_counted_again() -> None:
    view = CaseLogView()
    assert view.ask(view.query).count == CaseQuery()
    assert view.ask(view.query).count is None  # under way
    view.failed()
    assert view.ask(view.query).count == CaseQuery()


# -- pages ------------------------------------------------------------------------------


@given(sizes, totals, st.integers(min_value=0, max_value=1_000))
def test_a_page_past_the_end_of_a_known_total_becomes_the_last(
    size: int, total: int, page: int
) -> None:
    view = counted(CaseLogView(size), total)
    request = view.ask(view.query.changed(page=page))
    assert request.query.page == min(page, last_page(total, size))
    assert view.query == request.query


@given(sizes, totals, st.integers(min_value=0, max_value=1_000))
def test_a_total_that_comes_late_moves_the_view_back_inside(
    size: int, total: int, page: int
) -> None:
    view = CaseLogView(size)
    asked = view.ask(view.query.changed(page=page))
    assert asked.query.page == page  # nothing known yet to clamp with
    assert view.total_arrived(asked.store_version, view_of(asked.query), total)
    back = view.back_inside()
    if page <= last_page(total, size):
        assert back is None
    else:
        assert back is not None and back.query.page == last_page(total, size)
        assert back.number > asked.number and back.count is None


@given(sizes, totals)
def test_next_page_stops_at_the_last_page_and_previous_at_the_first(size: int, total: int) -> None:
    view = counted(CaseLogView(size), total)
    for page in range(1, last_page(total, size) + 1):
        request = view.next_page()
        assert request is not None and request.query.page == page
    assert view.next_page() is None
    for page in reversed(range(last_page(total, size))):
        request = view.previous_page()
        assert request is not None and request.query.page == page
    assert view.previous_page() is None


@given(sizes, totals, pages)
def test_first_and_last_page_jump_and_ring_the_bell_when_already_there(
    size: int, total: int, page: int
) -> None:
    view = on_page(size, page, total)
    last = last_page(total, size)
    already_last = view.query.page == last
    request = view.last_page()
    if already_last:
        assert request is None
    else:
        assert request is not None and request.query.page == last
    assert view.query.page == last
    assert view.last_page() is None
    request = view.first_page()
    if last == 0:
        assert request is None
    else:
        assert request is not None and request.query.page == 0
    assert view.first_page() is None


def test_the_last_page_of_a_view_still_counting_comes_when_the_count_does() -> None:
    view = CaseLogView(25)
    request = view.last_page()
    assert request is not None and request.total is None
    assert view.total_arrived(request.store_version, view_of(view.query), 110)
    back = view.back_inside()
    assert back is not None and back.query.page == 4  # 101–110 of 110


def test_while_the_total_is_unknown_next_page_goes_on() -> None:
    view = CaseLogView()
    for page in range(1, 5):
        request = view.next_page()
        assert request is not None and request.query.page == page


# -- sorting ------------------------------------------------------------------------------


@given(st.sampled_from(SortColumn), st.booleans(), pages)
def test_s_takes_the_next_column_in_its_usual_direction_on_page_one(
    column: SortColumn, descending: bool, page: int
) -> None:
    view = CaseLogView()
    view.ask(CaseQuery(sort=column, descending=descending, page=page))
    query = view.sort_next().query
    if column in SORT_CYCLE:
        assert query.sort is SORT_CYCLE[(SORT_CYCLE.index(column) + 1) % len(SORT_CYCLE)]
    else:
        assert query.sort is SORT_CYCLE[0]  # a column `s` skips starts the walk again
    assert query.descending == (query.sort in STARTS_DESCENDING)
    assert query.page == 0


def test_s_walks_every_column_and_comes_back() -> None:
    view = CaseLogView()
    walked = [view.sort_next().query.sort for _ in SORT_CYCLE]
    assert walked == [*SORT_CYCLE[1:], SORT_CYCLE[0]]
    assert [c for c in SortColumn if c in NEWEST_FIRST] == [
        SortColumn.CREATED,
        SortColumn.LAST_ACTIVITY,
    ]


def test_s_reaches_the_re_opened_count_most_re_opened_first() -> None:
    # The CLI sorts by it (--sort reopened); the TUI must too.
    assert set(SORT_CYCLE) == set(SortColumn)
    view = CaseLogView()
    view.ask(view.query.changed(sort=SortColumn.LAST_ACTIVITY))
    query = view.sort_next().query
    assert (query.sort, query.descending) == (SortColumn.REOPENED, True)


@given(st.sampled_from(SortColumn), st.booleans(), st.sampled_from(SortColumn))
def test_reversing_and_header_clicks(
    column: SortColumn, descending: bool, clicked: SortColumn
) -> None:
    view = CaseLogView()
    view.ask(CaseQuery(sort=column, descending=descending, page=2))
    reversed_query = view.sort_reverse().query
    assert (reversed_query.sort, reversed_query.descending, reversed_query.page) == (
        column,
        not descending,
        0,
    )
    assert view.sort_reverse().query.descending == descending
    query = view.sort_clicked(clicked).query
    if clicked is column:
        assert (query.sort, query.descending) == (column, not descending)
    else:
        assert (query.sort, query.descending) == (clicked, clicked in STARTS_DESCENDING)


# -- cases per page -------------------------------------------------------------------------


@given(sizes, st.integers(min_value=1, max_value=2_000), pages, st.sampled_from([+1, -1]))
def test_plus_and_minus_keep_the_first_case_on_screen(
    size: int, total: int, page: int, step: int
) -> None:
    view = on_page(size, page, total)
    before = view.query
    first = before.page * before.page_size  # the first case on screen now
    request = view.step_page_size(step, keep_case_id=10_000_000_042)
    index = PAGE_SIZES.index(size) + step
    if not 0 <= index < len(PAGE_SIZES):
        assert request is None  # the bell: no bigger (or smaller) size
        assert view.query == before
        return
    assert request is not None
    after = request.query
    assert after.page_size == PAGE_SIZES[index]
    assert after.page * after.page_size <= first < (after.page + 1) * after.page_size
    assert after.changed(page=0) == before.changed(page_size=after.page_size)
    assert view.keep_case_id == 10_000_000_042


@given(st.lists(st.sampled_from([+1, -1]), max_size=12))
def test_the_page_size_never_leaves_the_sizes_offered(steps: list[int]) -> None:
    view = CaseLogView()
    index = PAGE_SIZES.index(DEFAULT_PAGE_SIZE)
    for step in steps:
        view.step_page_size(step, keep_case_id=None)
        index = min(max(index + step, 0), len(PAGE_SIZES) - 1)
        assert view.query.page_size == PAGE_SIZES[index]


@given(sizes, sizes, totals, pages)
def test_a_size_from_the_palette_keeps_the_first_case_too(
    size: int, new_size: int, total: int, page: int
) -> None:
    view = on_page(size, page, total)
    first = view.query.page * size
    after = view.per_page(new_size, keep_case_id=None).query
    assert after.page_size == new_size
    assert after.page * new_size <= first < (after.page + 1) * new_size


# -- rows patched in place (live refresh) -------------------------------------------


def test_rows_are_patched_only_on_the_page_shown_with_no_count_under_way() -> None:
    view = CaseLogView()
    request = view.ask(view.query)
    assert not view.can_patch()  # nothing shown yet
    assert view.page_arrived(request.number, request.query)
    assert not view.can_patch()  # its count is on its way
    assert view.total_arrived(request.store_version, view_of(request.query), 120)
    assert view.can_patch()
    view.ask(view.query.changed(page=1))
    assert not view.can_patch()  # another page asked for, not yet shown


def test_patched_rows_keep_the_views_total_and_forget_the_others() -> None:
    view = counted(CaseLogView(), 120)
    attention = view.toggle_attention()
    assert view.total_arrived(attention.store_version, attention.query, 7)
    view.ask(CaseQuery())
    view.rows_changed()
    assert view.total_of(CaseQuery()) == 120  # no case left or joined the view
    assert view.total_of(CaseQuery(attention_only=True)) is None  # it may have
    assert not view.total_arrived(attention.store_version, CaseQuery(), 5)  # counted before


@given(
    cases=st.lists(
        st.builds(
            lambda n, day, status: (n, day, status),
            st.integers(1, 10**6),
            st.integers(0, 60),
            st.sampled_from(list(Status)),
        ),
        max_size=12,
        unique_by=lambda case: case[0],
    ),
    column=st.sampled_from(list(SortColumn)),
    descending=st.booleans(),
)
def test_in_order_agrees_with_the_stores_order(
    cases: list[tuple[int, int, Status]], column: SortColumn, descending: bool
) -> None:
    """`in_order` says a page is in order exactly when it is sorted as the
    store sorts it (the value, ties on the case ID, same direction)."""
    summaries = [
        CaseSummary(
            case_id=n,
            created_at=BASE + timedelta(days=day),
            status=status,
            primary_email=f"{status.value}@shop.example",
            short_description=f"Case {day % 7}",
            last_activity_at=BASE + timedelta(days=60 - day),
            reopened_count=day % 3,
        )
        for n, day, status in cases
    ]
    ordered = sorted(
        summaries, key=lambda c: (sort_value(c, column), c.case_id), reverse=descending
    )
    assert in_order(ordered, column, descending)
    if len(ordered) > 1:  # the case IDs differ, so no two keys are equal
        assert not in_order(ordered[::-1], column, descending)
