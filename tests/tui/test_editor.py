"""ctrl+e writes the message in the seller's editor: which editor is chosen,
the round trip through a (fake) editor, and failures as sentences."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import TextArea

from caselog_tui.paths import drafts_folder
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.editor import EditorProblem, editor_command, kept_drafts
from tests.tui.detail_helpers import make_case, new_app, notifications, open_case, press, type_text

SIZE = (120, 40)


def fake_editor(tmp_path: Path, body: str) -> Path:
    """A script that behaves like an editor: it rewrites the file it is given."""
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


APPEND_LINE = (
    "import sys\n"
    "path = sys.argv[1]\n"
    "text = open(path, encoding='utf-8').read()\n"
    "open(path, 'w', encoding='utf-8').write(text + '\\nWritten in the editor: £5, ✓\\n')\n"
)


def test_config_editor_wins_over_visual_and_editor(tmp_path: Path) -> None:
    script = fake_editor(tmp_path, "")
    environ = {"VISUAL": "vi", "EDITOR": "nano"}
    assert editor_command(f"{script} --wait", environ) == [str(script), "--wait"]


def test_visual_then_editor(tmp_path: Path) -> None:
    script = fake_editor(tmp_path, "")
    assert editor_command(None, {"VISUAL": str(script), "EDITOR": "nano"}) == [str(script)]
    assert editor_command(None, {"EDITOR": f"{script} -n"}) == [str(script), "-n"]


def test_a_missing_editor_is_a_sentence() -> None:
    with pytest.raises(EditorProblem) as caught:
        editor_command(None, {"EDITOR": "no-such-editor-here"})
    assert caught.value.message == (
        "The editor “no-such-editor-here” (from $EDITOR) was not found; "
        "set another with $EDITOR or editor in the config file."
    )


def test_an_unreadable_command_is_a_sentence() -> None:
    with pytest.raises(EditorProblem, match="cannot be read as a command"):
        editor_command('vim "unclosed', {})


def test_no_editor_at_all_is_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("caselog_tui.tui.editor.shutil.which", lambda name: None)
    with pytest.raises(EditorProblem, match=r"No text editor was found; set \$EDITOR"):
        editor_command(None, {})


async def test_round_trip_through_the_editor(
    case_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, APPEND_LINE)))
    monkeypatch.delenv("VISUAL", raising=False)
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Started here.")
        await press(pilot, "ctrl+e")
        area = pilot.app.screen.query_one("#message", TextArea)
        assert area.text == "Started here.\nWritten in the editor: £5, ✓"
        assert pilot.app.focused is area
        await press(pilot, "ctrl+s")
    assert case_log.case(case.case_id).messages[-1].body == (
        "Started here.\nWritten in the editor: £5, ✓"
    )


async def test_editor_failure_keeps_the_text(
    case_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = fake_editor(
        tmp_path, "import sys\nopen(sys.argv[1], 'w').write('lost')\nsys.exit(3)\n"
    )
    case = make_case(case_log)
    app = new_app(case_log)
    app.config.editor = str(failing)
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Keep me.")
        await press(pilot, "ctrl+e")
        assert pilot.app.screen.query_one("#message", TextArea).text == "Keep me."
        assert "The editor stopped with status 3; the message was left as it was." in (
            notifications(pilot)
        )


async def test_missing_editor_in_a_form_is_a_notification(
    case_log: CaseLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    monkeypatch.delenv("VISUAL", raising=False)
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Keep me too.")
        await press(pilot, "ctrl+e")
        assert pilot.app.screen.query_one("#message", TextArea).text == "Keep me too."
        assert any("no-such-editor-here" in text for text in notifications(pilot))


RECORD_THE_DRAFT = (
    "import os, sys\n"
    "path = sys.argv[1]\n"
    "folder = os.path.dirname(path)\n"
    "mode, folder_mode = os.stat(path).st_mode & 0o777, os.stat(folder).st_mode & 0o777\n"
    "open(path, 'a', encoding='utf-8').write(f'\\n{path} {mode:o} {folder_mode:o}\\n')\n"
)


async def test_the_draft_lives_in_the_private_drafts_folder(
    case_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, RECORD_THE_DRAFT)))
    monkeypatch.delenv("VISUAL", raising=False)
    case = make_case(case_log)
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await type_text(pilot, "Draft.")
        await press(pilot, "ctrl+e")
        text = pilot.app.screen.query_one("#message", TextArea).text
    where, mode, folder_mode = text.splitlines()[-1].split()
    assert Path(where).parent == drafts_folder()
    assert Path(where).name.startswith(f"case-{case.case_id}.")
    assert (mode, folder_mode) == ("600", "700")
    assert not Path(where).exists()  # gone once the editor is done


def a_kept_draft(label: str, text: str) -> Path:
    """A draft as a caselog killed while its editor ran leaves it."""
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    drafts_folder().mkdir(parents=True, exist_ok=True, mode=0o700)
    path = drafts_folder() / f"{label}.{socket.gethostname()}-{gone}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_only_drafts_of_caselogs_that_are_gone_count_as_kept() -> None:
    kept = a_kept_draft("case-12005137221", "Half a reply")
    drafts_folder().joinpath(f"new-case.{socket.gethostname()}-{os.getpid()}.txt").write_text(
        "being written right now"
    )
    drafts_folder().joinpath("new-case.other-host-1.txt").write_text("another machine's")
    assert [(d.path, d.label, d.what) for d in kept_drafts()] == [
        (kept, "case-12005137221", "case 12005137221")
    ]


async def test_a_draft_kept_after_a_closed_session_is_offered_and_restored(
    case_log: CaseLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, APPEND_LINE)))
    monkeypatch.delenv("VISUAL", raising=False)
    case = make_case(case_log)
    kept = a_kept_draft(f"case-{case.case_id}", "Where is my reimbursement?\nSecond line.")
    async with new_app(case_log).run_test(size=SIZE) as pilot:
        await pilot.pause()
        offered = [t for t in notifications(pilot) if "was kept when caselog stopped" in t]
        assert offered == [
            f"A message you were writing in your editor for case {case.case_id} was kept when "
            "caselog stopped: “Where is my reimbursement?”. To carry on with it, open the "
            f"case, start a reply (r), then press ctrl+e. It is in {kept}."
        ]
        await open_case(pilot, case.case_id)
        await press(pilot, "r")
        await press(pilot, "ctrl+e")
        area = pilot.app.screen.query_one("#message", TextArea)
        assert area.text == (
            "Where is my reimbursement?\nSecond line.\nWritten in the editor: £5, ✓"
        )
    assert not kept.exists()
    assert kept_drafts() == []
