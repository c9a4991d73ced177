"""`q` goes back one screen and quits only from the case log, `ctrl+q`
quits from anywhere, `R` resolves from the list as from the case details,
and the footer draws every key it shows whole, at 80 and 120 columns."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.screens.case_detail import CaseDetailScreen
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.screens.forms.new_case_form import NewCaseForm
from caselog_tui.tui.screens.forms.resolve_confirm import ResolveConfirm
from caselog_tui.tui.screens.help import HelpScreen
from tests.tui.detail_helpers import (
    make_case,
    new_app,
    open_case,
    press,
    screen_lines,
    settle,
)
from tests.tui.help_helpers import help_text


async def test_q_on_case_details_goes_back_and_q_on_the_case_log_quits(
    case_log: CaseLog,
) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case(pilot, case.case_id)
        await press(pilot, "q")
        assert isinstance(app.screen, CaseLogScreen)
        assert app.is_running
        await press(pilot, "q")
    assert app.return_code == 0


async def test_ctrl_q_quits_from_case_details(case_log: CaseLog) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case(pilot, case.case_id)
        await press(pilot, "ctrl+q")
        assert not app.is_running
    assert app.return_code == 0


async def test_q_typed_in_a_form_field_is_text(case_log: CaseLog) -> None:
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, NewCaseForm)
        focused = app.focused
        assert isinstance(focused, Input)
        focused.value = ""
        await press(pilot, "q")
        assert isinstance(app.screen, NewCaseForm)
        assert focused.value == "q"


async def test_help_on_case_details_names_q_as_back_and_ctrl_q_as_quit(case_log: CaseLog) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case(pilot, case.case_id)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        assert "esc / q" in text
        assert "ctrl+q" in text
        assert "Quit from any screen" in text
        # The case details take q: help must not promise that it quits there.
        assert "  q  " not in text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_R_on_the_case_log_resolves_the_highlighted_case(
    size: tuple[int, int], case_log: CaseLog
) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "R")
        form = app.screen
        assert isinstance(form, ResolveConfirm)
        assert form.detail.case_id == case.case_id
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CaseLogScreen)
    assert case_log.case(case.case_id).status is Status.ANSWERED


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_case_log_footer_draws_its_keys_whole(
    size: tuple[int, int], case_log: CaseLog
) -> None:
    make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer = screen_lines(pilot)[-1]
        assert footer.rstrip().endswith("^p palette") == (size[0] >= 100)
        # The palette key's border no longer lands on another key.
        assert "q▏" not in footer
        assert "? Help q Quit" in footer
        await press(pilot, "f")  # the sidebar's keys join the footer
        footer = screen_lines(pilot)[-1]
        assert "? Help q Quit" in footer
        assert "q▏" not in footer


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_case_details_footer_keeps_help_in_sight(
    size: tuple[int, int], case_log: CaseLog
) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_case(pilot, case.case_id)
        assert isinstance(app.screen, CaseDetailScreen)
        footer = screen_lines(pilot)[-1]
        assert "? Help" in footer
        assert "esc Back" in footer
        # Every key drawn ends in its whole description.
        assert "space▏" not in footer
