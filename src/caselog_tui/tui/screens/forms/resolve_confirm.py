"""Tell Seller Support the issue is resolved: a confirmation with an optional
note. The case becomes Answered and the note (or a standard sentence) goes
into the history as the seller's message."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from caselog_tui.core.records import CaseDetail
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import RESOLVED_NOTE, CaseLog
from caselog_tui.tui.screens.forms.case_action_form import CaseActionForm
from caselog_tui.tui.widgets.form_field import FormField
from caselog_tui.tui.widgets.safe_fields import SafeTextArea


class ResolveConfirm(CaseActionForm):
    TITLE_TEXT = "Tell Seller Support the issue is resolved?"
    KEPT = "Your note is kept"
    DOING = "resolve"
    SEND_LABEL = "Mark resolved"
    EDITOR_FIELD = "note"

    def __init__(self, detail: CaseDetail, now: datetime) -> None:
        super().__init__(detail, now)

    def intro_lines(self) -> tuple[str, ...]:
        if self.detail.status is Status.ANSWERED:  # answered meanwhile: no promise to make
            return ()
        return ("The case will be Answered; you can re-open it within 5 days.",)

    def compose_fields(self) -> Iterable[FormField]:
        yield FormField(
            "note",
            "Note (optional)",
            SafeTextArea(id="note", classes="note-area", compact=True),
            hint=f"Without a note the history says: {RESOLVED_NOTE}",
        )

    def values(self) -> dict[str, str]:
        return {"note": self.text_of("note")}

    def send(self, log: CaseLog, values: dict[str, str]) -> CaseDetail:
        return log.resolve(self.detail.case_id, values["note"], seen_version=self.detail.version)

    def sent_text(self, detail: CaseDetail) -> str:
        return f"Case {detail.case_id} marked resolved — it is now {detail.status.label}"
