"""What live refresh says arrived, without a Pilot: the count of cases that
changed on the page, and the line the status line ends with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from caselog_tui.core.records import CaseSummary
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery
from caselog_tui.tui.live_refresh import changed_on_page, news_text, offline_text
from caselog_tui.tui.widgets.status_line import status_lines

AT = datetime(2026, 11, 26, 9, 42, tzinfo=UTC)


def case(case_id: int, status: Status = Status.OPEN) -> CaseSummary:
    return CaseSummary(
        case_id=case_id,
        created_at=AT,
        status=status,
        primary_email="seller@example.com",
        short_description=f"Case {case_id}",
        last_activity_at=AT,
        reopened_count=0,
    )


def test_nothing_changed_on_the_page() -> None:
    page = [case(1), case(2)]
    assert changed_on_page(page, list(page)) == 0


def test_a_changed_row_and_a_new_case_count_the_one_pushed_off_does_not() -> None:
    before = [case(3), case(2), case(1)]
    after = [case(4), replace(case(3), status=Status.ANSWERED), case(2)]
    assert changed_on_page(before, after) == 2


def test_the_news_in_words_at_local_time() -> None:
    plus_one = timezone(timedelta(hours=1))
    assert news_text(1, AT, plus_one) == "1 case changed on this page · 10:42"
    assert news_text(3, AT, UTC) == "3 cases changed on this page · 09:42"
    assert news_text(0, AT, UTC) == "Updated · 09:42"  # the change was on another page
    assert news_text(None, AT, UTC) == "Updated · 09:42"  # the seller moved meanwhile


def test_the_news_ends_the_status_line_and_goes_first_when_narrow() -> None:
    news = "2 cases changed on this page · 10:42"
    wide = status_lines(CaseQuery(), 50, 1234, 160, news=news)
    assert wide[0][1].endswith(f" · {news}")
    narrow = status_lines(CaseQuery(), 50, 1234, 80, news=news)
    assert all(news not in rest for _, rest in narrow)
    assert narrow == status_lines(CaseQuery(), 50, 1234, 80)  # as without news


def test_not_connected_is_kept_when_narrow_the_page_and_sort_go_first() -> None:
    offline = offline_text(AT, UTC)
    assert offline == "not connected — showing what was loaded at 09:42"
    for width in (60, 80, 120, 160):
        lines = status_lines(CaseQuery(), 50, 1234, width, news=offline, keep_news=True)
        assert any(rest.endswith(offline) for _, rest in lines), width
        assert all(len(view) + len(rest) + 3 <= width for view, rest in lines if view and rest)
