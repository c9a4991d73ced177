"""The one way text from people and imports is made safe to show.

Subjects, messages and addresses are data. Before any widget or terminal sees
them, control characters are swapped for visible stand-ins, so an ESC sequence
can neither retitle the window nor write the clipboard. Markup is a separate
concern: the TUI wraps the cleaned text in `Content`/`Text`, never parses it.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 has no pictures: the replacement character


def clean(text: str) -> str:
    """`text` with CRLF/CR turned into newlines and every other control
    character replaced by a visible symbol."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(_stand_in, text)


def clean_line(text: str) -> str:
    """Like `clean`, for one-line places (table cells, headers): newlines and
    tabs become spaces."""
    return clean(text).replace("\n", " ").replace("\t", " ")
