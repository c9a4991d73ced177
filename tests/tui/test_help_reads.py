"""The help screen reads at once: PageDown and the arrows scroll it without
a Tab first, it explains every mark the screens draw, and it lists every
binding id a `[keys]` line can name. On the case details every palette
entry is a phrase a seller would type."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Input

from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.binding_scopes import app_bindings, binding_ids, screen_scopes
from caselog_tui.tui.commands import binding_commands
from caselog_tui.tui.marks import MARKS
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.forms.reply_form import ReplyForm
from caselog_tui.tui.screens.forms.resolve_confirm import ResolveConfirm
from caselog_tui.tui.screens.help import HelpScreen
from tests.tui.detail_helpers import make_case, new_app, open_case, press, settle
from tests.tui.help_helpers import help_text
from tests.tui.waiting import until, workers_done

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
async def test_pagedown_and_the_arrows_scroll_help_at_once(
    size: tuple[int, int], case_log: CaseLog
) -> None:
    app = new_app(case_log)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body", VerticalScroll)
        assert body.max_scroll_y > 0
        await press(pilot, "pagedown")
        assert body.scroll_y > 0
        paged = body.scroll_y
        await press(pilot, "down")
        assert body.scroll_y == paged + 1
        await press(pilot, "up", "pageup", "pageup")
        assert body.scroll_y == 0
        await press(pilot, "ctrl+end")
        assert body.scroll_y == body.max_scroll_y
        # The search field kept the focus: typing still narrows the help.
        assert isinstance(app.focused, Input)
        await press(pilot, *"sorted")
        assert "Marks on screen" in help_text(app)


async def test_help_explains_every_mark_on_screen(case_log: CaseLog) -> None:
    app = new_app(case_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        text = help_text(app)
        assert "Marks on screen" in text
        for mark, meaning in MARKS:
            assert mark in text
            assert " ".join(meaning.split()[:4]) in " ".join(text.split())
        assert "↻2" in text and "re-opened that many times" in text
        assert "Needs you is Needs Your Attention" in " ".join(text.split())
        assert "Pending Amazon is Pending Amazon Action" in " ".join(text.split())


async def test_help_lists_every_binding_id(case_log: CaseLog) -> None:
    app = new_app(case_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        text = help_text(app)
        every_id = {b.id for b in app_bindings(app) if b.id}
        every_id |= {b.id for scope in screen_scopes() for b in scope if b.id}
        assert {"app.help", "app.quit", "case_log.first_page", "case_detail.back"} <= every_id
        for binding_id in every_id:
            assert binding_id in text, binding_id
        assert {b.id for b in binding_ids(app)} >= every_id
        await press(pilot, *"case_log.last")  # the search finds ids too
        assert "case_log.last_page  (end, G)" in help_text(app)


async def test_every_case_details_palette_entry_is_a_phrase(case_log: CaseLog) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case(pilot, case.case_id)
        titles = [command.title for command in binding_commands(app, app.screen)]
        assert "Reply to this case" in titles
        assert "Resolve this case: tell Support the issue is fixed" in titles
        one_word = [t for t in titles if len(t.split()) < 3]
        assert one_word == []


@pytest.mark.parametrize(
    ("words", "form"),
    [("tell", ResolveConfirm), ("issue", ResolveConfirm), ("reply", ReplyForm)],
)
async def test_the_palette_finds_a_case_action_by_a_word_of_it(
    words: str, form: type, case_log: CaseLog
) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case(pilot, case.case_id)
        assert isinstance(app.screen, CaseDetailScreen)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "palette open")
        await pilot.press(*words)
        await workers_done(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, form), f"{form.__name__} open")
