"""The command palette (ctrl+p): every caselog action of the current screen by name,
taken from the same bindings the footer and the help screen show, so a key
and its palette entry can never drift apart."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.markup import escape
from textual.screen import Screen

from caselog_tui.tui.our_bindings import our_bindings

if TYPE_CHECKING:
    from textual.app import App


def binding_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    seen: set[str] = set()
    for ours in our_bindings(screen):
        binding = ours.binding
        if not ours.enabled:
            continue
        # The tooltip says what the action does in a few words ("Sort by the
        # next column"); the footer's description is the short fallback.
        title = binding.tooltip or binding.description
        if title in seen:
            continue
        seen.add(title)
        # The palette reads help text as markup: a key shown as "[" or "]"
        # must stay text.
        key = escape(app.get_key_display(binding))
        yield SystemCommand(
            title, f"Key: {key}", partial(app.run_action, binding.action, ours.node)
        )
    extra = getattr(screen, "palette_commands", None)
    if callable(extra):
        yield from extra()
