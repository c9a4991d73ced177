"""The caselog bindings a seller can use on a screen, for the help screen
and the command palette alike.

Only caselog's own bindings count (each has an id, which `[keys]` remaps):
the widgets' own ("Cursor left", "Page up" of the table, "Focus Next")
are how keys move, not things a seller looks up by name. The whole chain
is walked (focused widget, its parents, the screen, the app), not
`active_bindings`, where the table's own `enter` would hide the screen's
"Open the highlighted case"; a key one of ours nearer the focus takes
first hides the farther one (the case details' q goes back, not quits).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class OurBinding:
    key: str
    binding: Binding
    node: DOMNode
    everywhere: bool  # bound by the app, not by this screen or its widgets
    enabled: bool  # False: shown but unavailable now (check_action said None)


def our_bindings(screen: Screen[Any]) -> Iterator[OurBinding]:
    taken: set[str] = set()
    for node, bindings in screen._modal_binding_chain:
        for key, binding in bindings:
            if not binding.id or not binding.description or binding.system or key in taken:
                continue
            state = screen.app._check_action_state(binding.action, node)
            if state is False:
                continue  # not on this screen now (the filters' escape, say)
            taken.add(key)
            yield OurBinding(key, binding, node, isinstance(node, App), state is True)
