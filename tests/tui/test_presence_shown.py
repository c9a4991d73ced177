"""Who else is here, in the TUI: the case details say who else has the case
open and who is writing to it, and colleagues learn which case this seller
has open and which form, as the seller moves. The colleague is another
session on the same case log, through the plain service API."""

from __future__ import annotations

from collections.abc import Callable

from caselog_tui.config import Config
from caselog_tui.core.presence import Here
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.presence import Presence
from caselog_tui.tui.app import make_app
from tests.tui.detail_helpers import make_case, new_app, open_case, press, screen_text
from tests.tui.waiting import until


async def test_the_case_details_say_who_else_is_here(case_log: CaseLog) -> None:
    case = make_case(case_log)
    ana, ben = Presence(case_log.store, "ana"), Presence(case_log.store, "ben")
    async with new_app(case_log).run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case.case_id)
        assert "Also here" not in screen_text(pilot)
        ana.here(case.case_id, "reply")
        ben.here(case.case_id)
        line = "◆ Also here: ana is writing a reply · ben has this case open"
        await until(pilot, lambda: line in screen_text(pilot), line)
        ana.leave()
        line = "◆ Also here: ben has this case open"
        await until(pilot, lambda: line in screen_text(pilot), line)
        ben.here(None)  # back on the case log
        await until(pilot, lambda: "Also here" not in screen_text(pilot), "the line gone")
    ben.leave()


async def test_colleagues_see_where_this_seller_is(case_log: CaseLog) -> None:
    case = make_case(case_log)
    colleague = Presence(case_log.store, "ana")
    app = make_app(case_log, Config(account_email="seller@shop.example", name="Ben"))
    async with app.run_test(size=(80, 24)) as pilot:

        def seen(where: Here) -> Callable[[], bool]:
            return lambda: colleague.others() == [where]

        await until(pilot, seen(Here("Ben", None, None)), "Ben on the case log")
        await open_case(pilot, case.case_id)
        await until(pilot, seen(Here("Ben", case.case_id, None)), "Ben on the case")
        await press(pilot, "r")
        await until(pilot, seen(Here("Ben", case.case_id, "reply")), "Ben writing a reply")
        await press(pilot, "escape")
        await until(pilot, seen(Here("Ben", case.case_id, None)), "Ben back on the case")
    assert colleague.others() == [], "a caselog that quits says goodbye"
    colleague.leave()


async def test_the_case_log_marks_the_cases_someone_else_has_open(case_log: CaseLog) -> None:
    case = make_case(case_log, subject="Lost units in Leipzig")
    other = make_case(case_log, subject="Fee refund for April")
    ana = Presence(case_log.store, "ana")
    async with new_app(case_log).run_test(size=(80, 24)) as pilot:
        marked = "◆ Lost units in Leipzig"
        ana.here(case.case_id, "reply")
        await until(pilot, lambda: marked in screen_text(pilot), marked)
        assert "◆ Fee refund" not in screen_text(pilot)
        ana.here(other.case_id)
        await until(pilot, lambda: "◆ Fee refund for April" in screen_text(pilot), "moved")
        assert marked not in screen_text(pilot)
        ana.leave()
        await until(pilot, lambda: "◆" not in screen_text(pilot), "no mark left")
