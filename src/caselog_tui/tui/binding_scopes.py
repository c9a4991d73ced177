"""Every caselog binding, grouped by the screens where they are active
together: what `[keys]` remaps are checked against (tui/keymap.py), and the
binding ids the help screen lists for writing them.

The screens are imported when asked for: this is read at start-up only
when the config has `[keys]`, and when help opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen


def bindings_of(declared: Iterable[BindingType]) -> list[Binding]:
    return list(Binding.make_bindings(declared))


def app_bindings(app: App[Any]) -> list[Binding]:
    """The app's own keys, Textual's among them (ctrl+q, the palette's)."""
    palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
    return [*bindings_of(App.BINDINGS), *bindings_of(type(app).BINDINGS), palette]


def screen_scopes() -> list[list[Binding]]:
    """The bindings active together on each screen: a remap may not take a
    key that another action of its screen has."""
    from caselog_tui.tui.screens.case_detail import CaseDetailScreen
    from caselog_tui.tui.screens.case_log import CaseLogScreen
    from caselog_tui.tui.screens.export_dialog import ExportDialog
    from caselog_tui.tui.screens.forms.case_form import CaseForm
    from caselog_tui.tui.screens.forms.confirm import ConfirmModal
    from caselog_tui.tui.screens.forms.refused import RefusedModal
    from caselog_tui.tui.screens.help import HelpScreen
    from caselog_tui.tui.widgets.case_table import CaseTable
    from caselog_tui.tui.widgets.filter_sidebar import StatusCheckbox
    from caselog_tui.tui.widgets.search_bar import SearchBar

    every_screen = bindings_of(Screen.BINDINGS)
    return [
        [*every_screen, *bindings_of([*CaseLogScreen.BINDINGS, *CaseTable.BINDINGS])],
        [*every_screen, *bindings_of([*CaseLogScreen.BINDINGS, *StatusCheckbox.BINDINGS])],
        [*every_screen, *bindings_of(SearchBar.BINDINGS)],
        [*every_screen, *bindings_of(CaseDetailScreen.BINDINGS)],
        [*every_screen, *bindings_of(CaseForm.BINDINGS)],
        [*every_screen, *bindings_of(ConfirmModal.BINDINGS)],
        [*every_screen, *bindings_of(RefusedModal.BINDINGS)],
        [*every_screen, *bindings_of(HelpScreen.BINDINGS)],
        [*every_screen, *bindings_of(ExportDialog.BINDINGS)],
    ]


@dataclass(frozen=True)
class BindingId:
    """One id a `[keys]` line can name, the keys it has now, what it does."""

    id: str
    keys: str
    what: str


def binding_ids(app: App[Any]) -> list[BindingId]:
    """Every binding id, the app's first, then screen by screen."""
    keys: dict[str, list[str]] = {}
    what: dict[str, str] = {}
    for binding in [*app_bindings(app), *(b for scope in screen_scopes() for b in scope)]:
        if not binding.id:
            continue
        shown = keys.setdefault(binding.id, [])
        key = app.get_key_display(binding)
        if key not in shown:
            shown.append(key)
        what.setdefault(binding.id, binding.tooltip or binding.description or binding.action)
    remapped = app._keymap
    return [
        BindingId(id, remapped.get(id, ", ".join(shown)), what[id]) for id, shown in keys.items()
    ]
