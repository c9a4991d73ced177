"""Edit the short description of a case, in any status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from textual.widgets import Input

from caselog_tui.core.records import CaseDetail
from caselog_tui.core.validation import SHORT_DESCRIPTION_MAX
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.safe import safe_line
from caselog_tui.tui.screens.forms.case_action_form import CaseActionForm
from caselog_tui.tui.widgets.form_field import FormField
from caselog_tui.tui.widgets.safe_fields import SafeInput


class EditForm(CaseActionForm):
    TITLE_TEXT = "Edit the short description"
    KEPT = "Your new description is kept"
    DOING = "edit"
    SEND_LABEL = "Save"
    EDITOR_FIELD = ""

    def __init__(self, detail: CaseDetail, now: datetime) -> None:
        super().__init__(detail, now)
        # What the field shows (control characters as stand-ins), to tell
        # whether the seller changed it.
        self.shown_description = safe_line(detail.summary.short_description).plain

    def compose_fields(self) -> Iterable[FormField]:
        yield FormField(
            "short_description",
            "Short description",
            SafeInput(self.shown_description, id="short_description", compact=True),
            hint=f"1 to {SHORT_DESCRIPTION_MAX} characters.",
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send()

    def values(self) -> dict[str, str]:
        return {"short_description": self.text_of("short_description")}

    def send(self, log: CaseLog, values: dict[str, str]) -> CaseDetail:
        text = values["short_description"]
        if text == self.shown_description:
            text = self.detail.summary.short_description  # untouched: keep it as stored
        return log.edit_short_description(
            self.detail.case_id, text, seen_version=self.detail.version
        )

    def sent_text(self, detail: CaseDetail) -> str:
        if detail.summary.short_description == self.detail.summary.short_description:
            return f"Short description of case {detail.case_id} unchanged"
        return f"Short description of case {detail.case_id} changed"
