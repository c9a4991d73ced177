"""What the forms about one case share (reply, re-open, resolve, edit): the
case as it was read, the intro about it, and what happens when the store
refuses because the case changed meanwhile (another process, a teammate, a
mail import answered it). Every send names the version of the case the form
was opened on, so a change that leaves the action allowed (a teammate's
reply, a support answer that keeps the case pending) is refused too, with a
sentence that says what changed (core.meanwhile).

Then the seller reads the refusal whole, the intro shows the new status
beside the old one ("Status: Answered (was Pending Amazon Action)"), and
the case details and the case log reload at once, without ctrl+r. The
draft stays where it was.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from caselog_tui.core.errors import ActionRefused, CaseChangedMeanwhile, CaseLogError
from caselog_tui.core.meanwhile import changed_meanwhile_sentence
from caselog_tui.core.records import CaseDetail
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.screens.forms.case_form import CaseForm
from caselog_tui.tui.screens.forms.case_intro import case_intro


class CaseActionForm(CaseForm):
    """A form on the case `detail`, read at `now`."""

    # What of the seller's stays when a send is refused, in the sentence that
    # says the case changed meanwhile.
    KEPT = "What you wrote is kept"
    # What colleagues are told this form is doing (core.presence.DOING).
    DOING = ""

    def __init__(self, detail: CaseDetail, now: datetime) -> None:
        super().__init__(detail.case_id)
        self.detail = detail
        self.now = now
        # The status the seller saw when the form opened.
        self.opened_as: Status = detail.status

    def on_screen_resume(self) -> None:
        self.caselog_app.seller_is_at(self.detail.case_id, self.DOING or None)

    def intro_lines(self) -> tuple[str, ...]:
        """The lines under the case's status and short description."""
        return ()

    def intro(self) -> Content:
        return case_intro(self.detail, *self.intro_lines(), was=self.opened_as)

    def reread_after(self, log: CaseLog, error: CaseLogError) -> tuple[CaseDetail, datetime] | None:
        # Only the status machine's refusal means the case moved on; a busy
        # store or an invalid field says nothing about it.
        if not isinstance(error, ActionRefused):
            return None
        try:
            return log.case(self.detail.case_id), log.clock()
        except CaseLogError:
            return None

    def refusal_text(self, error: CaseLogError, fresh: CaseDetail | None) -> str:
        if isinstance(error, CaseChangedMeanwhile) and fresh is not None:
            return changed_meanwhile_sentence(self.detail, fresh, self.KEPT)
        return error.message

    def case_changed_meanwhile(self, detail: CaseDetail, now: datetime) -> None:
        self.detail = detail
        self.now = now
        self.query_one("#form-intro", Static).update(self.intro())
        self.caselog_app.cases_changed(detail.case_id)
