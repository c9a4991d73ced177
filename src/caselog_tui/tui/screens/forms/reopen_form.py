"""Re-open an answered case within 5 days of its last activity, with a
message saying why. The case becomes Pending Amazon Action."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from caselog_tui.core.machine import reopen_window_text
from caselog_tui.core.records import CaseDetail
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.screens.forms.case_action_form import CaseActionForm
from caselog_tui.tui.widgets.form_field import FormField
from caselog_tui.tui.widgets.safe_fields import SafeTextArea


class ReopenForm(CaseActionForm):
    TITLE_TEXT = "Re-open the case"
    KEPT = "Your message is kept"
    DOING = "reopen"
    SEND_LABEL = "Re-open"

    def __init__(self, detail: CaseDetail, now: datetime, message: str = "") -> None:
        """`message`: a reply the seller wrote before the case was answered,
        carried over (it is their draft: cancelling asks first)."""
        super().__init__(detail, now)
        self._carried = message

    def on_mount(self) -> None:
        super().on_mount()
        if self._carried:
            self.query_one("#message", SafeTextArea).text = self._carried

    def intro_lines(self) -> tuple[str, ...]:
        summary = self.detail.summary
        return (reopen_window_text(summary.status, summary.last_activity_at, self.now) or "",)

    def compose_fields(self) -> Iterable[FormField]:
        yield FormField(
            "message",
            "Message (required): what is still wrong",
            SafeTextArea(id="message", classes="message-area", compact=True),
        )

    def values(self) -> dict[str, str]:
        return {"message": self.text_of("message")}

    def send(self, log: CaseLog, values: dict[str, str]) -> CaseDetail:
        return log.reopen(self.detail.case_id, values["message"], seen_version=self.detail.version)

    def sent_text(self, detail: CaseDetail) -> str:
        return f"Case {detail.case_id} re-opened — it is now {detail.status.label}"
