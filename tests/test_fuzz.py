"""Hostile text and bytes, at random: whatever a case holds, an export to a
terminal carries no command for it; whatever a file holds, an import ends
in a sentence, never a traceback, and leaves a sound case log."""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from caselog_tui.cli import main
from caselog_tui.core.validation import SHORT_DESCRIPTION_MAX
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store

# What a terminal acts on: ESC, the C1 controls, and the bidi overrides.
ACTS = {chr(c) for c in (0x1B, *range(0x80, 0xA0), 0x202A, 0x202B, 0x202D, 0x202E, 0x2066)}
HOSTILE_PIECES = st.sampled_from(
    [
        "\x1b]0;title\x07",
        "\x1b]52;c;ZWNobw==\x07",
        "\x1b[2J",
        "\u009b31m",
        "\u202e",
        "[/b]",
        "[@click=app.quit]x[/]",
        "[link=https://x.example]y",
        "\r",
        "\x00",
        "'=HYPERLINK(1)",
        "é\u0301\u0301",
    ]
)
HOSTILE_TEXT = st.lists(HOSTILE_PIECES | st.text(max_size=8), min_size=1, max_size=8).map("".join)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class FakeTerminal(io.TextIOWrapper):
    """Standard output as a terminal: what caselog writes to the screen."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    def isatty(self) -> bool:
        return True

    def shown(self) -> str:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue().decode("utf-8")


def sound(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    return ok


@FUZZ
@given(descriptions=st.lists(HOSTILE_TEXT, min_size=1, max_size=3), jsonl=st.booleans())
def test_no_export_to_a_terminal_carries_a_command(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    descriptions: list[str],
    jsonl: bool,
) -> None:
    db = tmp_path_factory.mktemp("fuzz") / "cases.db"
    log = CaseLog(open_store(db))
    for text in descriptions:
        description = f"Case {text}".strip()[:SHORT_DESCRIPTION_MAX]
        log.submit_case(
            primary_email="seller@example.com",
            short_description=description,
            message=f"Message: {text}",
        )
    log.store.close()
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", screen)
    format_ = ["--format", "jsonl"] if jsonl else []
    assert main(["export", "--all", *format_, "--db", str(db)]) == 0
    shown = screen.shown()
    assert not ACTS & set(shown)


@FUZZ
@given(data=st.binary(max_size=400) | HOSTILE_TEXT.map(str.encode))
def test_an_import_of_anything_ends_in_a_sentence(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "anything.jsonl"
    source.write_bytes(data)
    db = folder / "cases.db"
    code = main(["import", str(source), "--db", str(db)])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "Traceback" not in err and "unexpected problem" not in err
    assert not ACTS & set(err)
    assert sound(db)
