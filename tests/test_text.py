"""The sanitiser for text from people and imports: control characters never
reach the terminal; everything else, markup-looking text included, is kept."""

from __future__ import annotations

from caselog_tui.domain.text import clean, clean_line


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
