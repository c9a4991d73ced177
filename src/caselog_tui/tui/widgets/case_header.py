"""The top of the case details: ID, status in words, short description,
creation date, primary e-mail, Cc list and, for an answered case, how long
it can still be re-opened."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.content import Content
from textual.widgets import Static

from caselog_tui.domain.machine import reopen_window_text
from caselog_tui.domain.records import CaseDetail
from caselog_tui.tui.safe import safe_line
from caselog_tui.tui.widgets.local_time import local_time


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


class CaseHeader(Static):
    """What the case is and where it stands."""

    DEFAULT_CSS = """
    CaseHeader { height: auto; padding: 0 1; }
    """

    def show_loading(self, case_id: int) -> None:
        self.update(Content(f"Loading case {case_id}…"))

    def show_problem(self, sentence: str) -> None:
        self.update(safe_line(sentence))

    def show(self, detail: CaseDetail, now: datetime, tz: tzinfo) -> None:
        case = detail.summary
        muted = "$text-muted"
        title = Content.assemble(
            (f"Case {case.case_id}", "bold"),
            ("  Status: ", muted),
            (case.status.label, "bold"),
        )
        if case.reopened_count:
            title += Content.assemble(("  Re-opened: ", muted), _times(case.reopened_count))
        lines = [
            title,
            safe_line(case.short_description).stylize("bold"),
            Content.assemble(
                ("Created: ", muted),
                local_time(case.created_at, tz),
                ("  Primary e-mail: ", muted),
                safe_line(case.primary_email),
            ),
            Content.assemble(
                ("Cc: ", muted), safe_line(", ".join(detail.cc)) if detail.cc else "none"
            ),
        ]
        window = reopen_window_text(case.status, case.last_activity_at, now)
        if window:
            lines.append(Content(window).stylize("italic"))
        self.update(Content("\n").join(lines))
