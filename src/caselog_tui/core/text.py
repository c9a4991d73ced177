"""The one way text from people and imports is made safe to show.

Subjects, messages and addresses are data. Before any widget or terminal sees
them, control characters are swapped for visible stand-ins, so an ESC sequence
can neither retitle the window nor write the clipboard. Markup is a separate
concern: the TUI wraps the cleaned text in `Content`/`Text`, never parses it.

Invisible Unicode that can make a seller read something other than what was
written becomes visible too: the bidirectional embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069: in a bidi-aware terminal they can
reverse "Refund approved" or the digits of a case ID), the tag characters
(U+E0000–U+E007F, which can carry a whole hidden sentence), the deprecated
format controls (U+206A–U+206F) and the interlinear annotation marks
(U+FFF9–U+FFFB). Kept, because real text needs them and they cannot reorder
letters or digits: the direction marks LRM, RLM and ALM (punctuation in
Hebrew and Arabic), the joiners ZWJ/ZWNJ (emoji, Persian and Indic scripts)
and the variation selectors (emoji presentation). The zero-width space, word
joiner and BOM stay too: text pasted from web pages is full of them, and
they hide nothing but themselves. Combining marks stacked past a few on one
letter are cut (MAX_STACKED_MARKS): they can draw over neighbouring lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# C0 controls except tab and newline, DEL, the C1 block, and the invisible
# formatting above.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f"
    r"\u202a-\u202e\u2066-\u206f\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Combining marks stacked on one letter ("Zalgo" text): 10,000 of them make
# one grapheme that a terminal draws over the lines around it (tmux breaks
# the neighbouring line). Real writing stacks two or three; past
# MAX_STACKED_MARKS the rest are not shown. The blocks are those of the
# general-purpose diacritics, so no script's own vowel signs are touched.
MAX_STACKED_MARKS = 8
_MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_STACKED = re.compile(f"([{_MARK}]{{{MAX_STACKED_MARKS}}})[{_MARK}]+")
# What Python (and so Textual) splits lines on besides \n: CR, CRLF and the
# Unicode line and paragraph separators. The C0/C1 ones are replaced above.
_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029]")
# Half of a UTF-16 pair, alone: how Python keeps bytes that are not UTF-8
# (surrogateescape: the command line, a CSV read so) and what a JSON escape
# like \ud800 gives. No text can hold one; the store refuses it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 and formatting have no pictures: the replacement character


def clean(text: str) -> str:
    """`text` with CRLF/CR and the Unicode line separators turned into
    newlines and every other control or hiding character replaced by a
    visible symbol."""
    if not text:
        return ""
    text = _LINE_BREAK.sub("\n", text)
    text = _STACKED.sub(r"\1", text)
    return _CONTROL.sub(_stand_in, text)


def clean_line(text: str) -> str:
    """Like `clean`, for one-line places (table cells, headers): newlines and
    tabs become spaces."""
    return clean(text).replace("\n", " ").replace("\t", " ")


def is_text(value: str) -> bool:
    """Whether `value` can be stored and shown: no lone surrogate in it."""
    return _LONE_SURROGATE.search(value) is None


def in_words(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c": a list as a sentence says it."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
