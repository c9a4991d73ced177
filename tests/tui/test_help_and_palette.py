"""Help (`?`) and the command palette (ctrl+p) list what the seller can do,
from the same bindings the keys use."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from caselog_tui.config import Config, load_config
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import make_app
from caselog_tui.tui.screens.help import HelpScreen
from tests.tui.waiting import until, workers_done


def help_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, HelpScreen)
    return str(screen.query_one("#help-text", Static).content)


async def test_question_mark_opens_help_with_keys_and_glossary(case_log: CaseLog) -> None:
    app = make_app(case_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        assert "Everywhere" in text
        assert "Quit" in text
        assert "Glossary" in text
        assert "Needs Your Attention" in text
        assert "Re-open window" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_typing_in_help_narrows_it(case_log: CaseLog) -> None:
    app = make_app(case_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press(*"expired")
        await pilot.pause()
        assert app.screen.query_one("#help-filter", Input).value == "expired"
        text = help_text(app)
        assert "Expired cases" in text
        assert "Primary E-mail" not in text
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert "Nothing matches" in help_text(app)


async def test_palette_runs_an_action_by_name(case_log: CaseLog) -> None:
    app = make_app(case_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"help")
        await workers_done(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help opened")


async def test_unknown_theme_in_config_falls_back_and_says_so(case_log: CaseLog) -> None:
    app = make_app(case_log, Config(theme="purple-rain"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        messages = [n.message for n in app._notifications]
        assert any("purple-rain" in m for m in messages)


async def test_configured_theme_applies_and_a_picked_theme_is_remembered(
    case_log: CaseLog, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my settings\ntheme = "ansi-dark"\n', encoding="utf-8")
    app = make_app(case_log, load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark"
        app.theme = "caselog-high-contrast"
        await pilot.pause()
    saved = path.read_text(encoding="utf-8")
    assert "# my settings" in saved
    assert load_config(path).theme == "caselog-high-contrast"


async def test_keys_can_be_remapped_by_binding_id(case_log: CaseLog, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"app.help" = "f1"\n', encoding="utf-8")
    app = make_app(case_log, load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_palette_sorts_by_a_named_column_and_sets_the_page_size(case_log: CaseLog) -> None:
    from caselog_tui.core.view import SortColumn
    from caselog_tui.tui.screens.case_log import CaseLogScreen

    app = make_app(case_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for words in ("sort by short description", "show 100 cases per page"):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*words)
            await workers_done(pilot)
            await pilot.press("enter")
            await workers_done(pilot)
        screen = app.screen
        assert isinstance(screen, CaseLogScreen)
        assert screen.case_query.sort is SortColumn.DESCRIPTION
        assert not screen.case_query.descending
        assert screen.case_query.page_size == 100


@pytest.mark.parametrize("broken", ["invalid-toml", "unwritable-folder"])
async def test_a_theme_that_cannot_be_remembered_says_why(
    case_log: CaseLog, tmp_path: Path, broken: str
) -> None:
    """A broken config file (or one in a place that cannot be written) is
    left alone; picking a theme still works and says it was not saved."""
    if broken == "invalid-toml":
        path = tmp_path / "config.toml"
        path.write_text('theme = "nord\n', encoding="utf-8")
        why = "is not valid TOML"
    else:
        (tmp_path / "a-file").write_text("", encoding="utf-8")
        path = tmp_path / "a-file" / "config.toml"
        why = "The theme could not be saved"
    app = make_app(case_log, load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.theme = "caselog-high-contrast"
        await pilot.pause()
        assert app.is_running and app.theme == "caselog-high-contrast"
        messages = [n.message for n in app._notifications]
        assert any(why in m for m in messages), messages
    if broken == "invalid-toml":
        assert path.read_text(encoding="utf-8") == 'theme = "nord\n'


async def test_a_broken_config_file_never_stops_start_up(case_log: CaseLog, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("page_size = [oops\n", encoding="utf-8")
    app = make_app(case_log, load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any("is not valid TOML" in m and "using defaults" in m for m in messages)


async def test_the_palette_names_each_command_once(case_log: CaseLog) -> None:
    app = make_app(case_log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Quit") == 1
        assert len(titles) == len(set(titles))
        assert {"Theme", "Screenshot"} <= set(titles)  # Textual's own are still there


async def test_a_long_description_keeps_to_its_column_at_80_columns(case_log: CaseLog) -> None:
    app = make_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")

        def search_wraps_at_the_column() -> bool:
            # Drawn once at a guessed width, then again at the real one.
            lines = help_text(app).splitlines()
            search = next(i for i, line in enumerate(lines) if "Search by case ID" in line)
            return lines[search + 1] == " " * 16 + "description"

        await until(
            pilot,
            lambda: isinstance(app.screen, HelpScreen) and search_wraps_at_the_column(),
            "the search key's description wrapped at its column",
        )
        lines = help_text(app).splitlines()
        start = lines.index("Glossary")
        end = next(i for i, line in enumerate(lines) if line.startswith("Binding ids"))
        glossary = [line for line in lines[start + 1 : end] if line.strip()]
        assert all(line.startswith("  ") for line in glossary)  # no line under the margin
