"""Page arithmetic, checked against what a seller counts by hand: the pages
hold every case once, the last one holds the rest, and an empty view is
one empty page."""

from __future__ import annotations

from hypothesis import given, strategies as st

from caselog_tui.core.paging import (
    cases_on_page,
    clamp_page,
    first_index,
    last_page,
    page_count,
    page_holding,
)

totals = st.integers(min_value=0, max_value=5_000)
sizes = st.integers(min_value=1, max_value=300)
pages = st.integers(min_value=-5, max_value=500)


@given(totals, sizes)
def test_the_pages_hold_every_case_once(total: int, size: int) -> None:
    held = [cases_on_page(page, size, total) for page in range(page_count(total, size))]
    assert sum(held) == total
    assert all(n == size for n in held[:-1])
    assert held[-1] > 0 or total == 0


@given(totals, sizes, st.integers(min_value=0, max_value=50))
def test_past_the_last_page_there_is_nothing(total: int, size: int, beyond: int) -> None:
    assert cases_on_page(last_page(total, size) + 1 + beyond, size, total) == 0


def test_an_empty_view_is_one_empty_page() -> None:
    assert (page_count(0, 50), last_page(0, 50), cases_on_page(0, 50, 0)) == (1, 0, 0)


@given(totals, sizes, pages)
def test_clamping_lands_on_a_page_of_the_view(total: int, size: int, page: int) -> None:
    clamped = clamp_page(page, total, size)
    assert 0 <= clamped <= last_page(total, size)
    assert clamp_page(clamped, total, size) == clamped
    if 0 <= page <= last_page(total, size):
        assert clamped == page


@given(st.integers(min_value=0, max_value=500), sizes, st.data())
def test_a_page_holds_the_cases_it_starts_with(page: int, size: int, data: st.DataObject) -> None:
    within = data.draw(st.integers(min_value=0, max_value=size - 1))
    assert page_holding(first_index(page, size) + within, size) == page
