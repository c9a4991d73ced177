"""Submit a new case (the Contact Us form): primary e-mail, short
description, message and Cc. The primary e-mail defaults to the account's
e-mail, which the form can remember in the config file.

A follow-up of an older case starts with a short description and a message
that name it. Once sent, the seller is told when the case log's view (its
filters or search) would not show the new case, so it never seems lost."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import Checkbox

from caselog_tui.config import save_account_email
from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.follow_up import follow_up_message, follow_up_subject
from caselog_tui.core.records import CaseDetail
from caselog_tui.core.validation import SHORT_DESCRIPTION_MAX
from caselog_tui.core.view import CaseQuery
from caselog_tui.paths import config_path
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.safe import safe_line, tell
from caselog_tui.tui.screens.forms.case_form import CaseForm, cc_field
from caselog_tui.tui.widgets.form_field import FormField
from caselog_tui.tui.widgets.safe_fields import SafeInput, SafeTextArea


class NewCaseForm(CaseForm):
    TITLE_TEXT = "Submit a new case"
    SEND_LABEL = "Submit"

    def __init__(
        self,
        account_email: str | None,
        *,
        view: CaseQuery | None = None,
        follow_up: CaseDetail | None = None,
    ) -> None:
        super().__init__(None)
        self.account_email = account_email
        # The case log's view when the form opened, and whether it turned
        # out to hide the case sent (found by the worker).
        self.view = view
        self.hidden_by_view = False
        self.follow_up = follow_up
        self.remembered: str | None = None
        self.remember_problem: str | None = None
        self._remember_wanted = False
        self._config_path = config_path()

    def intro(self) -> Content:
        intro = Content("Seller Support answers at the primary e-mail; Cc gets copies.")
        if self.follow_up is None:
            return intro
        old = self.follow_up
        return Content.assemble(
            f"This new case follows up case {old.case_id}: ",
            safe_line(old.summary.short_description),
            "\n",
            intro,
        )

    def compose_fields(self) -> Iterable[FormField]:
        yield FormField(
            "primary_email",
            "Primary e-mail",
            SafeInput(self.account_email or "", id="primary_email", compact=True),
        )
        yield FormField(
            "remember",
            "Account e-mail",
            Checkbox(
                "Remember this address as my account e-mail",
                self.account_email is None,
                id="remember",
                compact=True,
            ),
        )
        yield FormField(
            "short_description",
            "Short description",
            SafeInput(
                follow_up_subject(self.follow_up) if self.follow_up else "",
                id="short_description",
                compact=True,
            ),
            hint=f"A few words about the issue, at most {SHORT_DESCRIPTION_MAX} characters.",
        )
        yield FormField(
            "message",
            "Message",
            SafeTextArea(
                follow_up_message(self.follow_up) if self.follow_up else "",
                id="message",
                classes="message-area",
                compact=True,
            ),
        )
        yield cc_field("Cc")

    def values(self) -> dict[str, str]:
        return {
            "primary_email": self.text_of("primary_email"),
            "short_description": self.text_of("short_description"),
            "message": self.text_of("message"),
            "cc": self.text_of("cc"),
        }

    @property
    def remember(self) -> bool:
        return self.query_one("#remember", Checkbox).value

    def action_send(self) -> None:
        # Read on the UI thread; the worker only gets plain values.
        self._remember_wanted = self.remember
        self._config_path = self.caselog_app.config.path or config_path()
        super().action_send()

    def send(self, log: CaseLog, values: dict[str, str]) -> CaseDetail:
        detail = log.submit_case(
            primary_email=values["primary_email"],
            short_description=values["short_description"],
            message=values["message"],
            cc=values["cc"],
        )
        if self.view is not None:
            self.hidden_by_view = not log.shows(self.view, detail.case_id)
        email = detail.summary.primary_email
        if self._remember_wanted and email != self.account_email:
            path = self._config_path
            try:
                save_account_email(path, email)
                self.remembered = email
            except CaseLogError as error:
                # Not a refusal of the form: the case is stored, and saying
                # otherwise would have the seller send it twice.
                self.remember_problem = (
                    "The case was submitted, but the account e-mail was not remembered: "
                    f"{error.message}"
                )
        return detail

    def after_sent(self, detail: CaseDetail) -> None:
        if self.remembered:
            self.caselog_app.config.account_email = self.remembered
        if self.remember_problem:
            tell(self.app, self.remember_problem, severity="warning")
        if self.hidden_by_view and self.view is not None:
            tell(
                self.app,
                f"Case {detail.case_id} is opened here, but the case log's view "
                f"({self.view.view_name}) does not show it; press F on the case log "
                "to clear the filters and the search.",
                title="Not in the view",
                timeout=15,
            )

    def sent_text(self, detail: CaseDetail) -> str:
        return f"Case {detail.case_id} submitted — it is {detail.status.label}"
