"""Reply to an active case: the message, addresses to add to the Cc list,
and optionally a new short description. The case becomes Pending Amazon
Action."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from textual.content import Content
from textual.widgets import Button

from caselog_tui.core.machine import can_reopen
from caselog_tui.core.records import CaseDetail
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.safe import safe_line
from caselog_tui.tui.screens.forms.case_action_form import CaseActionForm
from caselog_tui.tui.screens.forms.case_form import cc_field, cc_hint
from caselog_tui.tui.screens.forms.reopen_form import ReopenForm
from caselog_tui.tui.widgets.form_field import FormField
from caselog_tui.tui.widgets.safe_fields import SafeInput, SafeTextArea


class ReplyForm(CaseActionForm):
    TITLE_TEXT = "Reply to Seller Support"
    KEPT = "Your reply is kept"
    DOING = "reply"
    SEND_LABEL = "Send reply"

    def __init__(self, detail: CaseDetail, now: datetime) -> None:
        super().__init__(detail, now)
        self.existing_cc = tuple(detail.cc)
        # What the field shows (control characters as stand-ins), to tell
        # whether the seller changed it.
        self.shown_description = safe_line(detail.summary.short_description).plain

    def intro(self) -> Content:
        cc = ", ".join(self.detail.cc) if self.detail.cc else "none"
        return super().intro() + Content("\nCc now: ") + safe_line(cc)

    def case_changed_meanwhile(self, detail: CaseDetail, now: datetime) -> None:
        self.existing_cc = tuple(detail.cc)  # the count counts what would be sent now
        super().case_changed_meanwhile(detail, now)
        self.field("cc").set_hint(cc_hint(self.text_of("cc"), self.existing_cc))
        # Answered meanwhile: the refusal says "re-open it instead", so offer
        # that with the message already written, rather than make the seller
        # cancel (losing the draft) and press o.
        summary = detail.summary
        reopenable = can_reopen(summary.status, summary.last_activity_at, now)
        if reopenable and not self.query("#reopen-instead"):
            button = Button(Content("Re-open with this message"), id="reopen-instead", compact=True)
            self.query_one(".form-buttons").mount(button, before="#cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reopen-instead":
            event.stop()
            form = ReopenForm(self.detail, self.now, message=self.text_of("message"))
            self.app.switch_screen(form)
            return
        super().on_button_pressed(event)

    def compose_fields(self) -> Iterable[FormField]:
        yield FormField(
            "message", "Message", SafeTextArea(id="message", classes="message-area", compact=True)
        )
        yield cc_field("Add Cc", self.existing_cc)
        yield FormField(
            "short_description",
            "Short description (change it if the issue changed)",
            SafeInput(
                self.shown_description,
                id="short_description",
                compact=True,
            ),
        )

    def values(self) -> dict[str, str]:
        return {
            "message": self.text_of("message"),
            "cc": self.text_of("cc"),
            "short_description": self.text_of("short_description"),
        }

    def send(self, log: CaseLog, values: dict[str, str]) -> CaseDetail:
        description = values["short_description"]
        unchanged = description.strip() == self.shown_description.strip()
        return log.reply(
            self.detail.case_id,
            values["message"],
            add_cc=values["cc"],
            short_description=None if unchanged else description,
            seen_version=self.detail.version,
        )

    def sent_text(self, detail: CaseDetail) -> str:
        return f"Reply sent — case {detail.case_id} is now {detail.status.label}"
