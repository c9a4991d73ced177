"""How a message body is laid out in the contact history: when it counts as
long, what its collapsed beginning is, and how it wraps.

Plain functions on already-cleaned text (see tui/safe.py), so the contact
history can lay out a 1 MB message once per width and then draw only the
lines on screen. Wrapping is our own (not Content.wrap) because it is about
four times faster on huge bodies and the widget needs the line count anyway.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells

LONG_LINES = 8
LONG_CHARS = 800
# A collapsed message shows this much of its beginning.
PREVIEW_LINES = 5
PREVIEW_CHARS = 400
TAB_SIZE = 4
ELLIPSIS = "…"

_TOKEN = re.compile(r"\S+|\s+")


def is_long(body: str) -> bool:
    """More than 8 lines or 800 characters: starts collapsed behind See more."""
    return len(body) > LONG_CHARS or body.count("\n") >= LONG_LINES


def wrap_text(body: str, width: int) -> list[str]:
    """`body` as screen lines at most `width` cells wide: words move to the
    next line whole, words wider than a line are cut, blank lines stay."""
    width = max(1, width)
    lines: list[str] = []
    for line in body.split("\n"):
        lines.extend(_wrap_line(line.expandtabs(TAB_SIZE), width))
    return lines


def preview_lines(body: str, width: int) -> list[str]:
    """The beginning of a long message, at most PREVIEW_LINES screen lines,
    ending with an ellipsis so nobody takes it for the whole message. Only the
    first PREVIEW_CHARS characters are wrapped, whatever the body's size."""
    head = "\n".join(body[:PREVIEW_CHARS].split("\n")[:PREVIEW_LINES])
    lines = wrap_text(head, width)[:PREVIEW_LINES]
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    last = lines[-1].rstrip()
    if cell_len(last) + len(ELLIPSIS) > width:
        last = chop_cells(last, max(1, width - len(ELLIPSIS)))[0].rstrip()
    lines[-1] = last + ELLIPSIS
    return lines


def _wrap_line(line: str, width: int) -> list[str]:
    # Cleaned ASCII text is one cell a character: measuring it with len()
    # instead of cell_len() halves the wrapping of a 2,000-message case.
    measure = len if line.isascii() else cell_len
    if measure(line) <= width:
        return [line]
    out: list[str] = []
    current: list[str] = []
    used = 0
    for token in _TOKEN.findall(line):
        size = measure(token)
        if used + size <= width:
            current.append(token)
            used += size
            continue
        if current:
            out.append("".join(current).rstrip())
            current, used = [], 0
        if token.isspace():
            continue  # spaces at a break are dropped
        if size > width:
            pieces = chop_cells(token, width)
            out.extend(pieces[:-1])
            token = pieces[-1]
            size = measure(token)
        current, used = [token], size
    if current:
        out.append("".join(current).rstrip())
    return out or [""]
