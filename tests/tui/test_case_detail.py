"""The case details: header, contact history, See more / See less, focus,
scrolling, and reloading when the store changes."""

from __future__ import annotations

import time

from caselog_tui.core.machine import Action
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.case_log import CaseLogScreen
from tests.tui.detail_helpers import (
    LONG_TAIL,
    Clock,
    answered_case,
    history,
    history_text,
    long_message,
    make_case,
    new_app,
    open_case,
    press,
    screen_text,
    settle,
)
from tests.tui.waiting import workers_done

SIZE = (120, 40)


async def test_header_shows_the_case_in_words(case_log: CaseLog) -> None:
    case = make_case(case_log, cc="ops@shop.example, finance@shop.example")
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        text = screen_text(pilot)
    assert f"Case {case.case_id}" in text
    assert "Status: Open" in text
    assert "Reimbursement for lost units" in text
    assert "Created: 26 Nov 2026 12:00 UTC" in text
    assert "Primary e-mail: seller@shop.example" in text
    assert "Cc: ops@shop.example, finance@shop.example" in text
    assert "re-opened" not in text.lower()


async def test_answered_case_says_how_long_it_can_be_reopened(
    case_log: CaseLog, clock: Clock
) -> None:
    case = answered_case(case_log, clock, days_ago=2)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        assert "Status: Answered" in screen_text(pilot)
        assert "Can be re-opened for 3 days" in screen_text(pilot)


async def test_old_answered_case_says_to_submit_a_new_case(case_log: CaseLog, clock: Clock) -> None:
    case = answered_case(case_log, clock, days_ago=9)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        assert "Answered 9 days ago: submit a new case instead" in screen_text(pilot)


async def test_history_is_oldest_first_with_side_author_and_time(
    case_log: CaseLog, clock: Clock
) -> None:
    case = make_case(case_log, message="First, from the seller")
    clock.advance(hours=3)
    case_log.record_support_reply(case.case_id, Action.SUPPORT_ASKS, "Second, from support")
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        lines = screen_text(pilot).splitlines()
    first = next(i for i, line in enumerate(lines) if "First, from the seller" in line)
    second = next(i for i, line in enumerate(lines) if "Second, from support" in line)
    assert first < second
    assert "You · seller@shop.example · 26 Nov 2026 12:00 UTC" in lines[first - 1]
    assert lines[second - 1].strip() == "▌ Seller Support · 26 Nov 2026 15:00 UTC"


async def test_long_message_starts_collapsed_and_toggles_by_key(case_log: CaseLog) -> None:
    case = make_case(case_log, message=long_message())
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        assert "See more" in history_text(pilot)
        assert LONG_TAIL not in screen_text(pilot)
        await press(pilot, "space")
        assert "See less" in history_text(pilot)
        assert LONG_TAIL in screen_text(pilot)
        await press(pilot, "enter")
        assert "See more" in history_text(pilot)
        assert LONG_TAIL not in screen_text(pilot)


async def test_more_than_eight_lines_is_long_but_eight_is_not(case_log: CaseLog) -> None:
    eight = make_case(case_log, message="\n".join(f"line {n}" for n in range(1, 9)))
    nine = make_case(case_log, message="\n".join(f"row {n}" for n in range(1, 10)))
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, eight.case_id)
        assert "line 8" in screen_text(pilot)
        assert "See more" not in history_text(pilot)
        await press(pilot, "space")
        assert "See less" not in history_text(pilot)
        await press(pilot, "escape")
        await open_case(pilot, nine.case_id)
        assert "See more" in history_text(pilot)
        assert "row 9" not in screen_text(pilot)


async def test_800_characters_is_short_and_801_is_long(case_log: CaseLog) -> None:
    short = make_case(case_log, message="a" * 799 + "Z")
    long = make_case(case_log, message="b" * 800 + "Y")
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, short.case_id)
        assert "See more" not in history_text(pilot)
        assert "aZ" in screen_text(pilot)
        await press(pilot, "escape")
        await open_case(pilot, long.case_id)
        assert "See more" in history_text(pilot)
        assert "bY" not in screen_text(pilot)


async def test_click_on_see_more_and_see_less(case_log: CaseLog) -> None:
    case = make_case(case_log, message=long_message())
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        view = history(pilot)
        toggle_line = next(
            y for y in range(view.size.height) if "See more" in view.render_line(y).text
        )
        assert await pilot.click(view, offset=(4, toggle_line))
        await settle(pilot)
        assert LONG_TAIL in screen_text(pilot)
        toggle_line = next(
            y for y in range(view.size.height) if "See less" in view.render_line(y).text
        )
        assert await pilot.click(view, offset=(4, toggle_line))
        await settle(pilot)
        assert LONG_TAIL not in screen_text(pilot)
        assert "See more" in history_text(pilot)


async def test_z_expands_all_then_collapses_all(case_log: CaseLog, clock: Clock) -> None:
    case = make_case(case_log, message=long_message())
    clock.advance(hours=1)
    case_log.record_support_reply(
        case.case_id, Action.SUPPORT_ASKS, "Support asks: " + "please send it. " * 80
    )
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        view = history(pilot)
        assert not view.is_expanded(0) and not view.is_expanded(1)
        await press(pilot, "space")  # the newest has the focus
        assert view.is_expanded(1) and not view.is_expanded(0)
        await press(pilot, "z")
        assert view.is_expanded(0) and view.is_expanded(1)
        await press(pilot, "z")
        assert not view.is_expanded(0) and not view.is_expanded(1)
        assert history_text(pilot).count("See more") == 2


async def test_j_and_k_move_the_focus_and_the_view_follows(case_log: CaseLog, clock: Clock) -> None:
    case = make_case(case_log, message="message number 0")
    for number in range(1, 25):
        clock.advance(minutes=5)
        case_log.record_support_reply(
            case.case_id, Action.SUPPORT_WORKING, f"message number {number}"
        )
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        view = history(pilot)
        assert view.focused_index == 24
        assert "message number 24" in screen_text(pilot)
        assert "message number 0\n" not in screen_text(pilot) + "\n"
        await press(pilot, *["k"] * 24)
        assert view.focused_index == 0
        assert "message number 0" in screen_text(pilot)
        await press(pilot, "k")
        assert view.focused_index == 0
        await press(pilot, *["j"] * 3)
        assert view.focused_index == 3


async def test_two_hundred_messages_open_at_once(case_log: CaseLog, clock: Clock) -> None:
    case = make_case(case_log, message="the first message")
    for number in range(199):
        clock.advance(minutes=1)
        body = long_message() if number % 10 == 0 else f"reply {number}"
        case_log.record_support_reply(case.case_id, Action.SUPPORT_WORKING, body)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        started = time.process_time()
        await open_case(pilot, case.case_id)
        opened = time.process_time() - started
        assert history(pilot).message_count == 200
        assert "reply 198" in screen_text(pilot)
        view = history(pilot)
        await press(pilot, "z")
        started = time.process_time()
        for page in range(0, view.virtual_size.height, view.size.height):
            view.scroll_to(y=page, animate=False, immediate=True)
            assert all(view.render_line(y) for y in range(view.size.height))
        scrolled = time.process_time() - started
    # Seconds of this process's CPU, which other programs on a busy machine do
    # not stretch. Generous bounds for a slow CI machine (here: ~0.1 s to
    # open, ~0.2 s to draw every page of the expanded history).
    assert opened < 2
    assert scrolled < 2


async def test_a_one_megabyte_message_opens_and_expands(case_log: CaseLog) -> None:
    body = ("All the units were counted twice. " * 30_000)[:1_000_000] + "\n" + LONG_TAIL
    case = make_case(case_log, message=body)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        started = time.process_time()  # CPU seconds, as above
        await open_case(pilot, case.case_id)
        assert time.process_time() - started < 2
        assert "See more" in history_text(pilot)
        started = time.process_time()
        await press(pilot, "space", "end")
        assert time.process_time() - started < 3
        assert LONG_TAIL in screen_text(pilot)
        assert "See less" in history_text(pilot)


async def test_reloads_when_the_case_changes(case_log: CaseLog, clock: Clock) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        clock.advance(hours=1)
        case_log.record_support_reply(case.case_id, Action.SUPPORT_ASKS, "Please send the invoice.")
        pilot.app.cases_changed(case.case_id)  # type: ignore[attr-defined]
        await settle(pilot)
        assert "Status: Needs Your Attention" in screen_text(pilot)
        assert "Please send the invoice." in screen_text(pilot)
        assert history(pilot).focused_index == 1


async def test_unknown_case_is_a_sentence(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, 99_999_999_999)
        assert "There is no case with ID 99999999999 in this case log." in screen_text(pilot)
        # The history does not pretend to know the case has no messages.
        assert "This case has no messages." not in screen_text(pilot)


async def test_escape_goes_back_to_the_case_log(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        assert isinstance(pilot.app.screen, CaseDetailScreen)
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, CaseLogScreen)


async def test_every_action_is_in_the_command_palette(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "ctrl+p")
        await pilot.press(*"resolved")
        await workers_done(pilot)
        await press(pilot, "enter")
        assert type(pilot.app.screen).__name__ == "ResolveConfirm"
