"""The text fields of every screen: an `Input` and a `TextArea` that never
hold a control character.

Textual draws a field's text raw (its own filter removes only BEL, BS, VT, FF
and CR), so a pasted or typed ESC sequence would reach the terminal and could
retitle the window or write the clipboard. These fields clean every change —
typing, pasting, loading, setting the value — with the same sanitiser that
cleans what the app shows, so the seller sees (and sends) visible stand-ins.

Both also run their own key bindings (ctrl+u, ctrl+w, home, …) the moment
the key arrives. Textual runs a non-priority binding only once the key has
bubbled up to the app, while the keys typed after it are already being
inserted: "ctrl+u 2026-01-01" typed in a burst (a paste-like typist, a
slow SSH link delivering keys together) cleared the date typed after the
ctrl+u as well (Textual issue 6605).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from caselog_tui.core.text import clean, clean_line


async def run_own_binding(field: Widget, event: events.Key) -> bool:
    """Runs the field's own binding of the key at once; False when it has
    none (or it does not apply now), so the key goes its usual way."""
    if event.is_printable:
        return False  # typed text: the field's own key handler inserts it in order
    for binding in field._bindings.key_to_bindings.get(event.key, ()):
        # App.run_action says whether it ran (Widget.run_action does not).
        if not binding.priority and await field.app.run_action(binding.action, field):
            event.stop()
            event.prevent_default()
            return True
    return False


class SafeInput(Input):
    """A one-line field: control characters become visible stand-ins."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls Input's own _on_key after this one (each class's
        # handler runs) unless the key was taken here.
        await run_own_binding(self, event)

    def validate_value(self, value: str) -> str:
        # Textual runs this for every assignment to `value`: keys, paste,
        # clipboard, code.
        return clean_line(value)


class SafeTextArea(TextArea):
    """A multi-line field: control characters become visible stand-ins
    (CR and CRLF become plain newlines)."""

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(clean(text), **options)

    async def _on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)

    def edit(self, edit: Edit) -> EditResult:
        # Every change the seller makes (keys, paste, insert, replace) is an
        # Edit; undo and redo replay edits already cleaned.
        edit.text = clean(edit.text)
        return super().edit(edit)

    def load_text(self, text: str) -> None:
        super().load_text(clean(text))
