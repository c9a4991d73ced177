"""The text fields of every screen: an `Input` and a `TextArea` that never
hold a control character.

Textual draws a field's text raw (its own filter removes only BEL, BS, VT, FF
and CR), so a pasted or typed ESC sequence would reach the terminal and could
retitle the window or write the clipboard. These fields clean every change —
typing, pasting, loading, setting the value — with the same sanitiser that
cleans what the app shows, so the seller sees (and sends) visible stand-ins.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from caselog_tui.core.text import clean, clean_line


class SafeInput(Input):
    """A one-line field: control characters become visible stand-ins."""

    def validate_value(self, value: str) -> str:
        # Textual runs this for every assignment to `value`: keys, paste,
        # clipboard, code.
        return clean_line(value)


class SafeTextArea(TextArea):
    """A multi-line field: control characters become visible stand-ins
    (CR and CRLF become plain newlines)."""

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(clean(text), **options)

    def edit(self, edit: Edit) -> EditResult:
        # Every change the seller makes (keys, paste, insert, replace) is an
        # Edit; undo and redo replay edits already cleaned.
        edit.text = clean(edit.text)
        return super().edit(edit)

    def load_text(self, text: str) -> None:
        super().load_text(clean(text))
