"""A paste is text from outside: every field the seller types in (the search
box, the filter sidebar, the help filter, the forms) shows control codes as
visible stand-ins, so a pasted ESC sequence never retitles the window or
writes the clipboard."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import update
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import Store
from caselog_tui.store.models import CASES
from caselog_tui.tui.screens.help import HelpScreen
from caselog_tui.tui.widgets import safe_fields
from tests.tui.detail_helpers import make_case, new_app, press, screen_text, settle, terminal_output

TITLE = "\x1b]0;owned\x07"
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"


def assert_no_escape_reaches_the_terminal(pilot: Pilot[None]) -> None:
    output = terminal_output(pilot)
    assert "\x1b]" not in output
    assert "\x07" not in output


async def paste(pilot: Pilot[None], text: str) -> None:
    """What a terminal sends for a bracketed paste, to the focused field."""
    pilot.app.post_message(events.Paste(text))
    await settle(pilot)


@pytest.mark.parametrize("pasted", [TITLE, CLIPBOARD], ids=["window-title", "clipboard"])
async def test_a_paste_in_the_search_box_shows_stand_ins(case_log: CaseLog, pasted: str) -> None:
    async with new_app(case_log).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await paste(pilot, f"lost {pasted} units")
        box = pilot.app.screen.query_one("#search-input", Input)
        assert "\x1b" not in box.value and "\x07" not in box.value
        assert box.value.startswith("lost ␛]") and box.value.endswith("␇ units")
        assert_no_escape_reaches_the_terminal(pilot)
        await press(pilot, "enter")
        assert_no_escape_reaches_the_terminal(pilot)


@pytest.mark.parametrize("field", ["#filter-email", "#filter-from", "#filter-to"])
async def test_a_paste_in_the_filter_sidebar_shows_stand_ins(case_log: CaseLog, field: str) -> None:
    async with new_app(case_log).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        box = pilot.app.screen.query_one(field, Input)
        box.focus()
        await settle(pilot)
        await paste(pilot, TITLE)
        assert "\x1b" not in box.value and box.value.startswith("␛]0;")
        assert_no_escape_reaches_the_terminal(pilot)


async def test_a_paste_in_the_help_filter_shows_stand_ins(case_log: CaseLog) -> None:
    async with new_app(case_log).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        pilot.app.screen.query_one("#help-filter", Input).focus()
        await paste(pilot, CLIPBOARD)
        assert "\x1b" not in pilot.app.screen.query_one("#help-filter", Input).value
        assert_no_escape_reaches_the_terminal(pilot)


async def test_a_paste_in_a_message_shows_stand_ins_and_is_sent_as_shown(
    case_log: CaseLog,
) -> None:
    async with new_app(case_log).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "n", "tab", "tab")
        await paste(pilot, "Lost units")
        await press(pilot, "tab")
        await paste(pilot, f"line one\r\n{CLIPBOARD} two\rthree")
        message = pilot.app.screen.query_one("#message", TextArea)
        assert message.text == "line one\n␛]52;c;ZXZpbA==␇ two\nthree"
        assert_no_escape_reaches_the_terminal(pilot)
        message.load_text(TITLE)
        assert message.text == "␛]0;owned␇"
        await press(pilot, "ctrl+s")
    (case,) = case_log.iter_cases(CaseQuery())
    assert case_log.case(case.case_id).messages[0].body == "␛]0;owned␇"


def test_every_text_field_of_the_app_is_a_safe_one() -> None:
    """A bare Input or TextArea would draw pasted control codes raw."""
    tui = Path(safe_fields.__file__).parent.parent
    bare = [
        f"{path.relative_to(tui)}:{node.lineno}"
        for path in tui.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"Input", "TextArea"}
    ]
    assert bare == [], "use SafeInput / SafeTextArea from tui/widgets/safe_fields.py"


async def test_an_imported_address_is_suggested_with_stand_ins(
    case_log: CaseLog, store: Store
) -> None:
    """The e-mail filter suggests the addresses the log holds; one that came
    from an import unchecked must not draw its control codes either."""
    case = make_case(case_log)
    with store.writing() as session:
        session.execute(
            update(CASES)
            .where(CASES.c.id == case.case_id)
            .values(primary_email=f"seller{TITLE}@shop.example")
        )
    async with new_app(case_log).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        box = pilot.app.screen.query_one("#filter-email", Input)
        box.focus()
        await press(pilot, "s", "e")
        await settle(pilot)
        assert "seller␛]0;owned␇@shop" in screen_text(pilot)  # the field is narrow
        assert_no_escape_reaches_the_terminal(pilot)
