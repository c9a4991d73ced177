"""The seller's actions on a case, started by the case log and the case
details alike: read the case in a thread worker, then either open the form
or, when the status machine refuses, say why and offer what can be done
instead.

The worker runs on the app, not on the screen that asked, so the form
still opens when that screen has gone meanwhile; it answers the app with
`CaseReady` (which the app hands to `open_form`) or `CaseUnavailable`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from caselog_tui.core.errors import ActionRefused, CaseLogError
from caselog_tui.core.machine import Action, can_reopen, next_status
from caselog_tui.core.records import CaseDetail
from caselog_tui.core.status import Status
from caselog_tui.tui.messages import CaseReady, CaseUnavailable
from caselog_tui.tui.safe import tell
from caselog_tui.tui.screens.forms.case_form import CaseForm
from caselog_tui.tui.screens.forms.edit_form import EditForm
from caselog_tui.tui.screens.forms.new_case_form import NewCaseForm
from caselog_tui.tui.screens.forms.refused import RefusedModal
from caselog_tui.tui.screens.forms.reopen_form import ReopenForm
from caselog_tui.tui.screens.forms.reply_form import ReplyForm
from caselog_tui.tui.screens.forms.resolve_confirm import ResolveConfirm

if TYPE_CHECKING:
    from caselog_tui.tui.app import CaseLogApp

_TITLES = {
    Action.REPLY: "Cannot reply",
    Action.REOPEN: "Cannot re-open",
    Action.RESOLVE: "Nothing to resolve",
}


def start_action(app: CaseLogApp, case_id: int, action: Action) -> None:
    """Reply, re-open, edit or resolve: reads the case first (a newer
    start replaces one still reading)."""
    if _refused_as_read_only(app):
        return
    log = app.case_log

    def read() -> None:
        worker = get_current_worker()
        try:
            detail = log.case(case_id)
            now = log.clock()
        except CaseLogError as error:
            app.post_message(CaseUnavailable(error.message))
            return
        if not worker.is_cancelled:
            app.post_message(CaseReady(detail, now, action))

    app.run_worker(read, thread=True, exclusive=True, group="case-action", name=f"{action} case")


def start_new_case(app: CaseLogApp, follow_up: CaseDetail | None = None) -> None:
    """The new case form (a follow-up of the case `follow_up` when given);
    once sent, the new case opens on its case details."""
    if _refused_as_read_only(app):
        return
    form = NewCaseForm(app.config.account_email, view=app.case_log_query(), follow_up=follow_up)
    app.push_screen(form, lambda detail: _open_new_case(app, detail))


def _open_new_case(app: CaseLogApp, detail: CaseDetail | None) -> None:
    # Opened, not left to the list: a search or filter may hide it there.
    from caselog_tui.tui.screens.case_detail import CaseDetailScreen

    if detail is not None:
        app.push_screen(CaseDetailScreen(detail.case_id))


def _refused_as_read_only(app: CaseLogApp) -> bool:
    """A case log this user cannot write opens no form: a draft written
    there could never be sent. Says why instead."""
    store = app.case_log.store
    if store.read_only:
        tell(app, store.read_only_reason, severity="warning", title="Read-only")
    return store.read_only


def refusal(detail: CaseDetail, now: datetime, action: Action) -> tuple[str, list[str]] | None:
    """Why `action` is not possible on the case now and what to offer
    instead, or None when it is."""
    summary = detail.summary
    try:
        next_status(summary.case_id, summary.status, summary.last_activity_at, action, now)
    except ActionRefused as refused:
        sentence = refused.message
    else:
        return None
    if summary.status is not Status.ANSWERED:
        return sentence, ["reply"]
    if action is Action.RESOLVE:
        return sentence, []
    if can_reopen(summary.status, summary.last_activity_at, now):
        return sentence, ["reopen", "new_case"]
    return sentence, ["new_case"]


def open_form(app: CaseLogApp, detail: CaseDetail, now: datetime, action: Action) -> None:
    """The form of `action` on the case, or why not and what instead."""
    refused = refusal(detail, now, action)
    if refused is not None:
        sentence, offers = refused
        # The screens may show an older state (another process answered the
        # case): they reload, so the list agrees with the refusal at once.
        app.cases_changed(detail.case_id)
        app.push_screen(
            RefusedModal(_TITLES[action], sentence, offers),
            lambda offer: _take_offer(app, detail, offer),
        )
        return
    form: CaseForm
    if action is Action.REPLY:
        form = ReplyForm(detail, now)
    elif action is Action.REOPEN:
        form = ReopenForm(detail, now)
    elif action is Action.RESOLVE:
        form = ResolveConfirm(detail, now)
    else:
        form = EditForm(detail, now)
    app.push_screen(form)


def _take_offer(app: CaseLogApp, detail: CaseDetail, offer: str | None) -> None:
    if offer == "reopen":
        start_action(app, detail.case_id, Action.REOPEN)
    elif offer == "reply":
        start_action(app, detail.case_id, Action.REPLY)
    elif offer == "new_case":  # offered for a case that cannot go on: follow it up
        start_new_case(app, follow_up=detail)
