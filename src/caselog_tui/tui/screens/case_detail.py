"""The case details: the header, the contact history, and the seller's
actions on the case.

Keys (docs/CONTRACT.md, "Keys: case details"): escape or q back, j/k next/previous
message, space or enter See more / See less, z expand or collapse all,
r reply, o re-open, e edit the short description, R resolved, n new case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.machine import Action
from caselog_tui.core.presence import Here, presence_line
from caselog_tui.core.records import CaseDetail
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.actions import start_action, start_new_case
from caselog_tui.tui.live_refresh import announce_news
from caselog_tui.tui.messages import CasesChanged, PresenceChanged
from caselog_tui.tui.widgets.case_header import CaseHeader
from caselog_tui.tui.widgets.case_table import HERE_MARK
from caselog_tui.tui.widgets.contact_history import ContactHistory
from caselog_tui.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from caselog_tui.tui.app import CaseLogApp


class CaseDetailScreen(Screen[None]):
    """One case: what it is, its contact history, and what can be done."""

    # The description is the footer's word; the tooltip is what the help
    # screen and the command palette say, a phrase a seller would type
    # ("tell", "issue", "reply" find their action).
    BINDINGS = [
        # q as in lazygit or k9s: back one screen; ctrl+q quits from anywhere.
        Binding(
            "escape,q",
            "back",
            "Back",
            tooltip="Go back to the case log",
            id="case_detail.back",
        ),
        Binding("r", "reply", "Reply", tooltip="Reply to this case", id="case_detail.reply"),
        Binding(
            "o",
            "reopen",
            "Re-open",
            tooltip="Re-open this case (answered, within 5 days)",
            id="case_detail.reopen",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Edit the short description of this case",
            id="case_detail.edit",
        ),
        Binding(
            "R",
            "resolve",
            "Resolved",
            tooltip="Resolve this case: tell Support the issue is fixed",
            id="case_detail.resolve",
        ),
        Binding(
            "n",
            "new_case",
            "New case",
            tooltip="Submit a new case",
            id="case_detail.new_case",
        ),
        Binding(
            "space,enter",
            "toggle_message",
            "See more/less",
            tooltip="See more or less of the focused message",
            id="case_detail.toggle_message",
        ),
        Binding(
            "z",
            "toggle_all",
            "Expand/collapse all",
            tooltip="Expand or collapse every message",
            id="case_detail.toggle_all",
        ),
        Binding(
            "j",
            "next_message",
            "Next message",
            tooltip="Go to the next message",
            id="case_detail.next_message",
        ),
        Binding(
            "k",
            "previous_message",
            "Previous message",
            tooltip="Go to the previous message",
            id="case_detail.previous_message",
        ),
    ]

    # The store's answers, posted from the thread worker.
    @dataclass
    class Loaded(Message):
        detail: CaseDetail
        now: datetime

    @dataclass
    class LoadFailed(Message):
        sentence: str

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        # Live refresh brought a colleague's change: say what is new on the
        # case. `_live`: the load under way is live refresh's, which leaves
        # the screen alone when this case did not change.
        self._announce = False
        self._live = False
        self._problem_shown = False

    @property
    def caselog_app(self) -> CaseLogApp:
        return cast("CaseLogApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield CaseHeader(id="case-header")
        yield Static(id="presence")
        yield ContactHistory(self.caselog_app.case_log.tz, id="contact-history")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Case {self.case_id}"
        self.query_one(CaseHeader).show_loading(self.case_id)
        self.query_one(ContactHistory).focus()
        self.load()
        self._show_presence(self.caselog_app.others_here)

    def on_screen_resume(self) -> None:
        # Opened, or back from a form: colleagues see the case open, not written to.
        self.caselog_app.seller_is_at(self.case_id)

    @on(PresenceChanged)
    def _presence_changed(self, message: PresenceChanged) -> None:
        self._show_presence(message.others)

    def _show_presence(self, others: Sequence[Here]) -> None:
        line = presence_line(others, self.case_id)
        shown = self.query_one("#presence", Static)
        shown.set_class(bool(line), "-shown")
        shown.update(Content(f"{HERE_MARK} Also here: {line}") if line else Content())

    def on_cases_changed(self, message: CasesChanged) -> None:
        if message.case_ids is not None and self.case_id not in message.case_ids:
            return  # live refresh knows which cases changed: not this one
        if message.case_id is None or message.case_id == self.case_id:
            # Only a colleague's change is announced (our own reply is not news).
            self._announce = self._announce or message.news_at is not None
            self._live = message.live
            self.load()

    def load(self) -> None:
        self._load(self.caselog_app.case_log)

    @work(thread=True, exclusive=True, group="case-detail-load")
    def _load(self, log: CaseLog) -> None:
        worker = get_current_worker()
        try:
            detail = log.case(self.case_id)
            now = log.clock()
        except CaseLogError as error:
            if not worker.is_cancelled:
                self.post_message(self.LoadFailed(error.message))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(detail, now))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        before, announce, live = self.detail, self._announce, self._live
        self._announce = self._live = False
        if live and before == message.detail and not self._problem_shown:
            return  # another case changed: nothing here moves
        self._problem_shown = False
        if announce and before is not None:
            announce_news(self.app, before, message.detail)
        self.detail = detail = message.detail
        self.query_one(CaseHeader).show(detail, message.now, self.caselog_app.case_log.tz)
        self.query_one(ContactHistory).show(detail.messages)

    @on(LoadFailed)
    def _show_problem(self, message: LoadFailed) -> None:
        self._problem_shown = True
        self.query_one(CaseHeader).show_problem(message.sentence)

    # -- keys -------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_next_message(self) -> None:
        self.query_one(ContactHistory).focus_next()

    def action_previous_message(self) -> None:
        self.query_one(ContactHistory).focus_previous()

    def action_toggle_message(self) -> None:
        self.query_one(ContactHistory).toggle_focused()

    def action_toggle_all(self) -> None:
        self.query_one(ContactHistory).toggle_all()

    def action_reply(self) -> None:
        start_action(self.caselog_app, self.case_id, Action.REPLY)

    def action_reopen(self) -> None:
        start_action(self.caselog_app, self.case_id, Action.REOPEN)

    def action_edit(self) -> None:
        start_action(self.caselog_app, self.case_id, Action.EDIT)

    def action_resolve(self) -> None:
        start_action(self.caselog_app, self.case_id, Action.RESOLVE)

    def action_new_case(self) -> None:
        start_new_case(self.caselog_app)
