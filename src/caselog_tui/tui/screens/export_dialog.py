"""Export report: the cases the case log shows (all pages, in its order) as
a CSV file a spreadsheet opens safely.

The dialog proposes a file name, says how many cases the report will hold,
asks before replacing a file, shows progress while it writes (in a thread
worker, so the screen never freezes) and closes with a notification naming
the file. It dismisses with the report's path, or None.

Bindings: `enter` exports (in the file name or on a button), `escape`
cancels, or stops an export that is being written (nothing is left behind).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.export import export_to_file, report_name
from caselog_tui.tui.safe import safe, safe_line, tell
from caselog_tui.tui.widgets.safe_fields import SafeInput

if TYPE_CHECKING:
    from caselog_tui.tui.app import CaseLogApp


class _Stopped(Exception):
    """The seller stopped the export; the worker unwinds (and the half
    report is removed) through this."""


def _cases(count: int) -> str:
    return f"{count:,} case" if count == 1 else f"{count:,} cases"


class ExportDialog(ModalScreen[Path | None]):
    """Writes the export report of `query` into a file the seller names."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    @dataclass
    class Counted(Message):
        count: int | None
        problem: str | None = None

    @dataclass
    class Progressed(Message):
        done: int
        total: int

    @dataclass
    class Finished(Message):
        """The worker is done: `count` cases written to `path`, or why not
        (`problem`), or stopped by the seller (neither)."""

        path: Path
        count: int = 0
        problem: str | None = None

    def __init__(self, query: CaseQuery, folder: Path | None = None) -> None:
        super().__init__()
        self.query_description = query
        self.folder = folder if folder is not None else Path.cwd()
        self.count: int | None = None
        self.writing = False
        self._replace_confirmed: Path | None = None

    @property
    def case_log(self) -> CaseLog:
        return cast("CaseLogApp", self.app).case_log

    def compose(self) -> ComposeResult:
        log = self.case_log
        with Vertical(id="export-box"):
            yield Static(Content("Export report"), classes="export-title")
            yield Static(
                Content("View: ") + safe_line(self.query_description.view_name), id="export-view"
            )
            yield Static(Content("Counting the cases…"), id="export-count")
            yield Label(Content("File name"), classes="export-label")
            yield SafeInput(report_name(log.clock(), log.tz), id="export-file", compact=True)
            yield Static(
                Content("Saved in ")
                + safe_line(str(self.folder))
                + Content(" unless you type a path"),
                id="export-where",
                classes="export-hint",
            )
            yield ProgressBar(show_eta=False, id="export-progress")
            yield Static(id="export-problem")
            with Horizontal(id="export-buttons"):
                yield Button(
                    Content("Export (enter)"),
                    id="export",
                    variant="primary",
                    compact=True,
                    disabled=True,
                )
                yield Button(Content("Cancel (esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-file", Input).focus()
        self._count()

    # -- counting ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="export-count")
    def _count(self) -> None:
        try:
            count = self.case_log.count(self.query_description)
        except CaseLogError as error:
            self.post_message(self.Counted(None, error.message))
            return
        self.post_message(self.Counted(count))

    def on_export_dialog_counted(self, event: Counted) -> None:
        self.count = event.count
        if event.problem:
            self._say(event.problem)
            return
        if not event.count:
            self._set_count_text(
                "This view shows no cases, so there is no report to export. "
                "Change the filters or the search first."
            )
            self._offer_close_only()
            return
        self._set_count_text(self._ready_text())
        self.query_one("#export", Button).disabled = False

    def _offer_close_only(self) -> None:
        """With nothing to export, a file name and an Export button would
        only promise a report that cannot be written: Close is all there is."""
        for selector in ("#export", "#export-file", ".export-label", "#export-where"):
            for widget in self.query(selector):
                widget.display = False
        close = self.query_one("#cancel", Button)
        close.label = Content("Close (esc)")
        close.focus()

    def _ready_text(self) -> str:
        return f"The report will hold {_cases(self.count or 0)}, every page of the view."

    def _set_count_text(self, text: str) -> None:
        self.query_one("#export-count", Static).update(Content(text))

    # -- the file name -------------------------------------------------------

    def target(self) -> Path | None:
        """Where the typed name points (relative names go into `folder`)."""
        typed = self.query_one("#export-file", Input).value.strip()
        if not typed:
            return None
        path = Path(typed).expanduser()
        return path if path.is_absolute() else self.folder / path

    @on(Input.Changed, "#export-file")
    def _name_changed(self, event: Input.Changed) -> None:
        # Input draws control characters raw: a pasted ESC would reach the
        # terminal, so it becomes a visible stand-in at once.
        cleaned = safe_line(event.value).plain
        if cleaned != event.value:
            event.input.value = cleaned
        self._replace_confirmed = None
        self._set_export_label("Export (enter)")
        self._say(None)

    def _set_export_label(self, text: str) -> None:
        button = self.query_one("#export", Button)
        button.label = Content(text)
        button.refresh(layout=True)  # the label is not a layout reactive; its width is

    def _say(self, problem: str | None) -> None:
        line = self.query_one("#export-problem", Static)
        line.set_class(problem is not None, "-shown")
        line.update(safe(problem) if problem else Content())

    # -- exporting -----------------------------------------------------------

    @on(Input.Submitted, "#export-file")
    def _name_submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_cancel()

    def action_export(self) -> None:
        if self.writing:
            return
        if not self.count:
            if self.count == 0:
                tell(self.app, "This view shows no cases; no report was written.")
            return
        path = self.target()
        if path is None:
            self._say("Type a file name for the report.")
            return
        if path.exists() and not path.is_dir() and self._replace_confirmed != path:
            self._replace_confirmed = path
            self._say(f"{path.name} already exists. Press enter again to replace it.")
            self._set_export_label("Replace (enter)")
            return
        self._say(None)
        self.writing = True
        self.set_class(True, "-writing")
        self.query_one("#export-file", Input).disabled = True
        self.query_one("#export", Button).disabled = True
        self.query_one("#export-progress", ProgressBar).update(total=self.count, progress=0)
        self._write(path)

    @work(thread=True, exclusive=True, group="export-write")
    def _write(self, path: Path) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise _Stopped
            self.post_message(self.Progressed(done, total))

        try:
            count = export_to_file(self.case_log, self.query_description, path, progress=progress)
        except _Stopped:
            self.post_message(self.Finished(path))
        except CaseLogError as error:
            self.post_message(self.Finished(path, problem=error.message))
        else:
            self.post_message(self.Finished(path, count))

    def on_export_dialog_progressed(self, event: Progressed) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=event.total, progress=event.done)
        self._set_count_text(f"Writing {event.done:,} of {_cases(event.total)}…")

    def on_export_dialog_finished(self, event: Finished) -> None:
        self.writing = False
        if event.count:
            tell(
                self.app, f"Exported {_cases(event.count)} to {event.path}.", title="Export report"
            )
            self.dismiss(event.path)
        elif event.problem is None:
            tell(self.app, "Export stopped; no report was written.", title="Export report")
            self.dismiss(None)
        else:
            self.set_class(False, "-writing")
            self._set_count_text(self._ready_text())
            self.query_one("#export-file", Input).disabled = False
            self.query_one("#export", Button).disabled = False
            self.query_one("#export-file", Input).focus()
            self._say(event.problem)

    def action_cancel(self) -> None:
        if self.writing:
            # The worker stops at its next step and removes what it wrote;
            # the dialog closes when it has (on_export_dialog_finished).
            self.workers.cancel_group(self, "export-write")
            self._set_count_text("Stopping…")
            return
        self.dismiss(None)
