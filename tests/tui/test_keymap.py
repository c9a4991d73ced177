"""`[keys]` remaps are checked before Textual sees them: a key that does not
parse, an unknown binding id, or a key another action has is a config
problem, and the default key stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandPalette

from caselog_tui.config import load_config
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import make_app
from caselog_tui.tui.keymap import checked_keymap, key_problem
from caselog_tui.tui.screens.help import HelpScreen

APP = [
    Binding("question_mark", "help", "Help", id="app.help"),
    Binding("q", "quit", "Quit", id="app.quit"),
]
CASE_LOG = [
    Binding("j,down", "cursor_down", "Next", id="case_log.next"),
    Binding("s", "sort_next", "Sort", tooltip="Sort by the next column", id="case_log.sort_next"),
    Binding("S", "sort_reverse", "Reverse", id="case_log.sort_reverse"),
    Binding("n", "new_case", "New case", id="case_log.new_case"),
]
DETAIL = [Binding("r", "reply", "Reply", id="case_detail.reply")]


@pytest.mark.parametrize(
    "key", ["j", "ctrl+s", "shift+f5", "question_mark", "?", "left_square_bracket", "é", "pageup"]
)
def test_keys_that_parse(key: str) -> None:
    assert key_problem(key) is None


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("[/b]", "is not the name of a key"),
        ("", "is empty"),
        ("ctrl+", "is empty"),
        ("cmd+s", "has “cmd”, which is not ctrl, shift, alt, meta, super or hyper"),
        ("banana", "is not the name of a key"),
        ("\x1b", "is not the name of a key"),
    ],
)
def test_keys_that_do_not(key: str, problem: str) -> None:
    assert key_problem(key) == problem


def check(requested: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    return checked_keymap(requested, APP, [CASE_LOG, DETAIL])


def test_a_good_remap_is_kept() -> None:
    assert check({"app.quit": "ctrl+x", "case_detail.reply": "R,ctrl+r"}) == (
        {"app.quit": "ctrl+x", "case_detail.reply": "R,ctrl+r"},
        [],
    )


def test_a_key_that_does_not_parse_keeps_the_default() -> None:
    assert check({"app.help": "[/b]"}) == (
        {},
        ["[keys] “app.help” = “[/b]”: “[/b]” is not the name of a key; its default key is kept."],
    )


def test_an_unknown_binding_id_is_reported() -> None:
    kept, problems = check({"app.qiut": "x"})
    assert kept == {}
    assert problems == [
        "[keys] names “app.qiut”, which is not a binding id; the help screen (?) lists them. "
        "It was ignored."
    ]


def test_a_key_another_action_has_is_not_taken() -> None:
    kept, problems = check({"app.quit": "j"})
    assert kept == {}
    assert problems == [
        "[keys] “app.quit” = “j”: “j” is already the key of “Next” (case_log.next); its "
        "default key is kept."
    ]
    kept, problems = check({"case_log.sort_reverse": "s"})
    assert problems[0].endswith(
        "“s” is already the key of “Sort by the next column” (case_log.sort_next); its default "
        "key is kept."
    )


def test_keys_can_be_swapped_and_screens_do_not_clash() -> None:
    swapped = {"case_log.sort_next": "S", "case_log.sort_reverse": "s"}
    assert check(swapped) == (swapped, [])
    # n is the case log's; the case details screen may use it for something else.
    assert check({"case_detail.reply": "n"}) == ({"case_detail.reply": "n"}, [])


async def test_a_bad_remap_in_the_config_is_reported_and_the_app_keeps_its_keys(
    case_log: CaseLog, tmp_path: Path
) -> None:
    """`"app.help" = "[/b]"` used to end the app with a MarkupError on ctrl+p,
    and `"app.quit" = "j"` silently took q away."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[keys]\n"app.help" = "[/b]"\n"app.quit" = "j"\n"app.nothing" = "x"\n', encoding="utf-8"
    )
    app = make_app(case_log, load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("“[/b]” is not the name of a key" in m for m in messages)
        assert any("“j” is already the key of" in m for m in messages)
        assert any("“app.nothing”, which is not a binding id" in m for m in messages)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")  # the default key still opens help
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "q")
        await pilot.pause()
    assert app.return_code == 0
