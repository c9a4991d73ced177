"""The sanitiser for text from people and imports: control characters never
reach the terminal; everything else, markup-looking text included, is kept."""

from __future__ import annotations

from caselog_tui.core.text import MAX_STACKED_MARKS, clean, clean_line


def test_control_characters_become_visible_stand_ins() -> None:
    hostile = "a\x1b]0;pwned\x07b\x1b[31mred\x9b2Jc\x7fd\x00e"
    assert clean(hostile) == "a␛]0;pwned␇b␛[31mred\ufffd2Jc␡d␀e"


def test_layout_and_markup_look_alikes_are_kept() -> None:
    text = "Line one\r\nLine two\rLine three\n\tindented [b]not bold[/b] [@click=quit]x[/]"
    assert clean(text) == (
        "Line one\nLine two\nLine three\n\tindented [b]not bold[/b] [@click=quit]x[/]"
    )


def test_one_line_places_get_spaces_for_newlines_and_tabs() -> None:
    assert clean_line("Lost\r\nunits\tat LTN4\x1b") == "Lost units at LTN4␛"
    assert clean("") == "" and clean_line("") == ""


def test_direction_overrides_and_isolates_become_visible() -> None:
    # "Refund approved" written backwards behind RIGHT-TO-LEFT OVERRIDE would
    # read as the opposite of what the bytes say in a bidi-aware terminal.
    for mark in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert clean(f"case {mark}12005138417 ok") == "case \ufffd12005138417 ok", hex(ord(mark))
    assert clean_line("\u202edevorppa dnufeR\u202c") == "\ufffddevorppa dnufeR\ufffd"


def test_hidden_text_characters_become_visible() -> None:
    # Tag characters spell a whole hidden sentence; deprecated format
    # controls and interlinear annotations are invisible in a terminal.
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "pay")
    assert clean(f"ok{hidden}") == "ok\ufffd\ufffd\ufffd"
    assert clean("a\u206ab\u206fc\ufff9d\ufffbe") == "a\ufffdb\ufffdc\ufffdd\ufffde"


def test_unicode_line_and_paragraph_separators_are_newlines() -> None:
    assert clean("one\u2028two\u2029three") == "one\ntwo\nthree"
    assert clean_line("one\u2028two\u2029three") == "one two three"


def test_marks_and_joiners_that_real_text_needs_are_kept() -> None:
    # LRM/RLM/ALM place punctuation in Arabic and Hebrew text and cannot
    # reorder letters or digits; ZWJ/ZWNJ join emoji and shape scripts;
    # variation selectors pick emoji presentation.
    for text in [
        "שלום\u200f, עולם",
        "order\u200e 206-1234567",
        "مرحبا\u061c!",
        "family 👨\u200d👩\u200d👧 and می\u200cخواهم",
        "✅\ufe0f done",
        "pasted\u200b from\u2060 a\ufeff web page",
    ]:
        assert clean(text) == text


def test_combining_marks_stacked_on_one_letter_are_capped() -> None:
    zalgo = "Refund" + "\u0301" * 10_000 + " approved"
    shown = clean(zalgo)
    assert shown == "Refund" + "\u0301" * MAX_STACKED_MARKS + " approved"
    assert clean_line("Ph\u1ea1m \u0110\u1ee9c") == "Ph\u1ea1m \u0110\u1ee9c"  # Vietnamese
    assert clean("e\u0301\u0302") == "e\u0301\u0302"
    assert clean("\u0915\u094d\u0937") == "\u0915\u094d\u0937"  # Devanagari: untouched
