"""Text from people is data: markup shows literally, nothing becomes clickable
or a link, and control codes never reach the terminal — in the header, the
history, the forms and the sentences that quote what was typed."""

from __future__ import annotations

import re

from sqlalchemy import update
from textual.pilot import Pilot

from caselog_tui.core.machine import Action
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import Store
from caselog_tui.store.models import CASES
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from tests.tui.detail_helpers import (
    Clock,
    history,
    history_text,
    make_case,
    new_app,
    open_case,
    press,
    screen_text,
    settle,
    shown,
    terminal_output,
    type_text,
    words,
)

SIZE = (120, 40)

HOSTILE_LINES = [
    "[TODO] plan the return",
    "[/b] a closing tag",
    "[@click=app.quit]press here[/]",
    "[link=https://evil.example]a link[/link]",
    "title \x1b]0;pwned\x07 end",
    "clipboard \x1b]52;c;ZXZpbA==\x07 end",
    "C1 \x9b31m red \x9d end",
    "clear \x1b[2J end",
    "right to left: مرحبا بالعالم · שלום עולם",
    "emoji: 👍🏽 📦 ✅",
]
HOSTILE_SUBJECT = "[TODO] [/b] [@click=app.quit]x[/] \x1b]0;title\x07 done"

# What the terminal may receive: colours/styles (SGR) and cursor moves.
_ALLOWED = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\d+;\d+H|\x1b\[\?\d+[hl]")


def assert_terminal_safe(pilot: Pilot[None]) -> None:
    output = terminal_output(pilot)
    assert "\x1b]" not in output  # no OSC: window title, clipboard, hyperlinks
    assert "\x07" not in output
    assert not re.search(r"[\x80-\x9f]", output)
    assert "\x1b" not in _ALLOWED.sub("", output)


async def open_hostile_case(pilot: Pilot[None], case_log: CaseLog, clock: Clock) -> int:
    case = make_case(case_log, message="\n".join(HOSTILE_LINES), subject=HOSTILE_SUBJECT)
    clock.advance(minutes=1)
    case_log.record_support_reply(
        case.case_id,
        Action.SUPPORT_ASKS,
        "[b]not bold[/b] \x1b[31mnot red\x1b[0m",
        author="[red]Support[/red] \x1b]0;x\x07",
    )
    await open_case(pilot, case.case_id)
    return case.case_id


async def test_history_and_header_show_hostile_text_literally(
    case_log: CaseLog, clock: Clock
) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_hostile_case(pilot, case_log, clock)
        await press(pilot, "k", "space")
        text = screen_text(pilot)
        lines = history_text(pilot)
        assert "[TODO] [/b] [@click=app.quit]x[/] ␛]0;title␇ done" in text
        for expected in [
            "[TODO] plan the return",
            "[/b] a closing tag",
            "[@click=app.quit]press here[/]",
            "[link=https://evil.example]a link[/link]",
            "title ␛]0;pwned␇ end",
            "clipboard ␛]52;c;ZXZpbA==␇ end",
            "C1 \ufffd31m red \ufffd end",
            "clear ␛[2J end",
            "right to left: مرحبا بالعالم · שלום עולם",
            "emoji: 👍🏽 📦 ✅",
            "[b]not bold[/b] ␛[31mnot red␛[0m",
            "[red]Support[/red] ␛]0;x␇",
        ]:
            assert expected in lines, expected
        assert_terminal_safe(pilot)


async def test_nothing_in_a_message_is_clickable(case_log: CaseLog, clock: Clock) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_hostile_case(pilot, case_log, clock)
        view = history(pilot)
        row = next(
            y for y in range(view.size.height) if "[@click=app.quit]" in view.render_line(y).text
        )
        column = view.render_line(row).text.index("[@click") + 3
        assert await pilot.click(view, offset=(column, row))
        await settle(pilot)
        assert pilot.app.is_running
        assert isinstance(pilot.app.screen, CaseDetailScreen)


async def test_forms_and_dialogs_quote_hostile_text_literally(
    case_log: CaseLog, clock: Clock
) -> None:
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        case_id = await open_hostile_case(pilot, case_log, clock)
        await press(pilot, "r")
        assert "[TODO] [/b] [@click=app.quit]x[/] ␛]0;title␇ done" in screen_text(pilot)
        assert_terminal_safe(pilot)
        await press(pilot, "tab")
        await type_text(pilot, "[/b]\x1b]0;x\x07@shop")
        await press(pilot, "ctrl+s")
        assert "“[/b]␛]0;x␇@shop” is not a valid e-mail address" in words(
            shown(pilot, "#field-cc .field-problem")
        )
        assert_terminal_safe(pilot)
        await press(pilot, "escape", "y")
        assert case_log.case(case_id).messages[-1].author == "[red]Support[/red] \x1b]0;x\x07"


async def test_pasted_control_characters_become_visible_in_the_form(case_log: CaseLog) -> None:
    case = make_case(case_log)
    typed = "[/b] [@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07 👍🏽 שלום"
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, typed)
        assert_terminal_safe(pilot)
        await press(pilot, "ctrl+s")
        assert "[/b] [@click=app.quit]x[/] ␛]52;c;ZXZpbA==␇ 👍🏽 שלום" in history_text(pilot)
        assert_terminal_safe(pilot)
    # What was shown in the form is what was stored.
    assert case_log.case(case.case_id).messages[-1].body == (
        "[/b] [@click=app.quit]x[/] ␛]52;c;ZXZpbA==␇ 👍🏽 שלום"
    )


async def test_a_megabyte_of_markup_opens_and_expands(case_log: CaseLog) -> None:
    body = ("[/b][@click=app.quit]x[/] \x1b]0;t\x07 " * 40_000)[:1_000_000]
    case = make_case(case_log, message=body)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        assert "[/b][@click=app.quit]x[/] ␛]0;t␇" in history_text(pilot)
        await press(pilot, "space")
        assert history(pilot).is_expanded(0)
        await press(pilot, "end")
        assert "See less" in history_text(pilot)
        assert_terminal_safe(pilot)


async def test_an_imported_cc_list_is_quoted_literally_in_the_reply_form(
    case_log: CaseLog, store: Store
) -> None:
    """Imports may bring a Cc list the forms never checked."""
    case = make_case(case_log)
    with store.writing() as session:
        session.execute(
            update(CASES)
            .where(CASES.c.id == case.case_id)
            .values(cc="[b]ops@shop.example[/b] \x1b]0;pwned\x07")
        )
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        assert "Cc now: [b]ops@shop.example[/b] ␛]0;pwned␇" in screen_text(pilot)
        assert_terminal_safe(pilot)
