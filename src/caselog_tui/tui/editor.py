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
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

from caselog_tui.core.errors import CaseLogError

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


def edit_in_editor(app: App[Any], text: str, command: list[str]) -> str:
    """Runs `command` on a private temporary file holding `text` and returns
    what the seller saved."""
    handle, name = tempfile.mkstemp(prefix="caselog-message-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as draft:
            draft.write(text)
        status = _run(app, [*command, name])
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
