"""Keys that arrive together (a fast typist, a slow SSH link that delivers
several at once) are all kept, in order: a field runs its own keys
(ctrl+u, ctrl+w, …) when they arrive, not after the text typed behind them
(Textual issue 6605: "ctrl+u 2026-01-01" typed in a burst left the date
field empty).

`burst` hands every key to the app as a terminal would, without waiting
between them; Pilot's `press` waits after each key, which hides the bug."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import _character_to_key, _get_unicode_name_from_key
from textual.keys import REPLACED_KEYS
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from caselog_tui.services.caselog import CaseLog
from tests.tui.case_log_helpers import case_query
from tests.tui.detail_helpers import make_case, new_app, open_case, press, settle

SIZE = (120, 40)


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Sends `keys` to the app back to back, as the terminal driver does
    (the same events Pilot builds), without letting the app run between."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(
                _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
            )
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        driver.send_message(event)


async def focus_field(pilot: Pilot[None], selector: str, text: str) -> Input:
    field = pilot.app.screen.query_one(selector, Input)
    field.value = text
    field.focus()
    await settle(pilot)
    return field


async def test_a_date_typed_right_after_ctrl_u_is_kept(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await focus_field(pilot, "#filter-from", "2025-05-05")
        burst(pilot, "ctrl+u", *"2026-01-01")
        await settle(pilot)
        assert field.value == "2026-01-01"
        assert str(case_query(pilot.app).created_from) == "2026-01-01"  # type: ignore[arg-type]


async def test_an_address_typed_right_after_ctrl_u_is_kept(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await focus_field(pilot, "#filter-email", "old@shop.example")
        burst(pilot, "ctrl+u", *"new@shop.example", "enter")
        await settle(pilot)
        assert field.value == "new@shop.example"
        assert case_query(pilot.app).email == "new@shop.example"  # type: ignore[arg-type]


async def test_ctrl_w_in_a_burst_removes_one_word_only(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await focus_field(pilot, "#filter-to", "2026-02-02")
        burst(pilot, "end", "ctrl+w", *"15")
        await settle(pilot)
        assert field.value == "2026-02-15"


async def test_a_subject_retyped_in_a_burst_in_the_edit_form(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "e")
        burst(pilot, "ctrl+u", *"Lost units at LTN4")
        await settle(pilot)
        field = pilot.app.screen.query_one("#short_description", Input)
        assert field.value == "Lost units at LTN4"


async def test_a_message_line_retyped_in_a_burst(case_log: CaseLog) -> None:
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        burst(pilot, *"Draft", "ctrl+u", *"Here is the invoice.")
        await settle(pilot)
        assert pilot.app.screen.query_one("#message", TextArea).text == "Here is the invoice."
