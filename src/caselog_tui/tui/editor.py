"""Writing a message in the seller's own editor (ctrl+e in a form).

The editor is `editor` from the config file, else $VISUAL, else $EDITOR,
else the first of sensible-editor, editor, nano, vi that exists. The app
hands the terminal over with App.suspend() while the editor runs. Every
failure is an `EditorProblem` sentence; the text in the form stays as it was.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

from caselog_tui.core.errors import CaseLogError
from caselog_tui.paths import drafts_folder
from caselog_tui.services.files import this_process, writer_is_gone

FALLBACK_EDITORS = ("sensible-editor", "editor", "nano", "vi")


class EditorProblem(CaseLogError):
    """The editor cannot be found, started, or did not finish cleanly."""


def editor_command(configured: str | None, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The command (program and arguments) to run, or EditorProblem."""
    for source, value in (
        ("editor in the config file", configured),
        ("$VISUAL", environ.get("VISUAL")),
        ("$EDITOR", environ.get("EDITOR")),
    ):
        if not value or not value.strip():
            continue
        try:
            command = shlex.split(value)
        except ValueError as error:
            raise EditorProblem(f"The {source} ({value}) cannot be read as a command.") from error
        if shutil.which(command[0]) is None:
            raise EditorProblem(
                f"The editor “{command[0]}” (from {source}) was not found; "
                "set another with $EDITOR or editor in the config file."
            )
        return command
    for program in FALLBACK_EDITORS:
        if shutil.which(program):
            return [program]
    raise EditorProblem(
        "No text editor was found; set $EDITOR (for example EDITOR=nano) "
        "or editor in the config file."
    )


@dataclass(frozen=True)
class KeptDraft:
    """A message that was being written in the editor when caselog stopped."""

    path: Path
    label: str  # what it was for: "case-12005137221" or "new-case"

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")

    @property
    def what(self) -> str:
        if self.label.startswith("case-"):
            return f"case {self.label.removeprefix('case-')}"
        return "a new case"


def _draft_name(label: str) -> str:
    return f"{label}.{this_process()}.txt"


def kept_drafts(folder: Path | None = None) -> list[KeptDraft]:
    """The drafts left by caselogs of this machine that are gone."""
    folder = folder or drafts_folder()
    kept = []
    try:
        found = sorted(folder.glob("*.txt"))
    except OSError:
        return []
    for path in found:
        label, _, writer = path.name.removesuffix(".txt").rpartition(".")
        if label and writer_is_gone(writer):
            kept.append(KeptDraft(path, label))
    return kept


def edit_in_editor(app: App[Any], text: str, command: list[str], label: str = "message") -> str:
    """Runs `command` on a private draft file holding `text` and returns
    what the seller saved. `label` says what the message is for; if
    caselog is stopped while the editor runs, the draft stays in
    `paths.drafts_folder()` under it. A draft kept that way for the same
    label is what the editor opens, when the form has no text yet."""
    folder = drafts_folder()
    path = folder / _draft_name(label)
    kept = next((d for d in kept_drafts(folder) if d.label == label), None)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if kept is not None and not text.strip():
            kept.path.replace(path)  # carry on with it: now this process's
        else:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as draft:
                draft.write(text)
        status = _run(app, [*command, str(path)])
        if status != 0:
            raise EditorProblem(
                f"The editor stopped with status {status}; the message was left as it was."
            )
        written = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise EditorProblem(
            f"The editor {command[0]} could not be run ({error.strerror or error})."
        ) from error
    finally:
        path.unlink(missing_ok=True)
    # Editors end files with a newline; do not let that grow the message.
    if written.endswith("\n") and not text.endswith("\n"):
        written = written[:-1]
    return written


def _run(app: App[Any], command: list[str]) -> int:
    try:
        with app.suspend():
            return subprocess.run(command, check=False).returncode
    except SuspendNotSupported as error:
        if not app.is_headless:
            raise EditorProblem(
                "This terminal cannot hand over to an editor; type the message here instead."
            ) from error
    # Headless (tests, scripts): no terminal to hand over, so just run it.
    return subprocess.run(
        command, check=False, stdin=subprocess.DEVNULL, capture_output=True
    ).returncode
