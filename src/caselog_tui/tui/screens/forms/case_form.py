"""What every seller's form shares: fields that show their own sentence when
refused, ctrl+s to send, escape to cancel (asking first when something was
typed), ctrl+e to write the message in $EDITOR, and a draft that is never
lost when the store refuses or is busy.

A subclass composes its fields with `FormField`, says what `values()` the
seller typed, and how to `send` them (run in a thread worker).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from caselog_tui.core import validation as rules
from caselog_tui.core.errors import CaseLogError, StoreError, ValidationError
from caselog_tui.core.records import CaseDetail
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.editor import EditorProblem, edit_in_editor, editor_command
from caselog_tui.tui.safe import safe, tell
from caselog_tui.tui.screens.forms.confirm import ConfirmModal
from caselog_tui.tui.widgets.form_field import FormField
from caselog_tui.tui.widgets.safe_fields import SafeInput

if TYPE_CHECKING:
    from caselog_tui.tui.app import CaseLogApp

KEY_HINT = "ctrl+s send · esc cancel · tab next field"


def cc_hint(typed: str, existing: Sequence[str] = ()) -> str:
    """The live count of the Cc list that will be sent: what is typed, and
    with `existing` (the case's Cc list, for a reply) the list they make
    together, counted the way the store joins them."""
    if not existing:
        return f"Separate addresses with commas · {len(typed.strip())} of {rules.CC_MAX} characters"
    merged = rules.join_cc(rules.split_cc(",".join([*existing, typed])))
    return (
        f"Separate addresses with commas · {len(merged)} of {rules.CC_MAX} characters "
        "with the Cc list the case has"
    )


def cc_field(label: str, existing: Sequence[str] = ()) -> FormField:
    """The Cc field of a form, with its live character count."""
    hint = cc_hint("", existing)
    return FormField("cc", label, SafeInput(id="cc", compact=True), hint=hint)


class CaseForm(ModalScreen[CaseDetail | None]):
    """Base of the seller's forms. Dismisses with the case as it now is, or
    None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True, id="form.send"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+e", "write_in_editor", "Write in editor", priority=True, id="form.editor"),
    ]

    TITLE_TEXT = ""
    SEND_LABEL = "Send"
    # The Cc list the case already has: the count includes it (a reply adds).
    existing_cc: Sequence[str] = ()
    # The multi-line field ctrl+e hands to the editor.
    EDITOR_FIELD = "message"

    # The store's answers to a send, posted from the thread worker.
    @dataclass
    class Sent(Message):
        detail: CaseDetail

    @dataclass
    class Refused(Message):
        error: CaseLogError
        # The case as the store has it now, when the refusal came from a
        # change made meanwhile (see CaseActionForm); else None.
        detail: CaseDetail | None = None
        now: datetime | None = None

    def __init__(self, case_id: int | None) -> None:
        super().__init__(classes="form-screen")
        self.case_id = case_id
        self.sending = False
        self._initial: dict[str, str] = {}

    @property
    def caselog_app(self) -> CaseLogApp:
        return cast("CaseLogApp", self.app)

    # -- what a form says --------------------------------------------------------

    def intro(self) -> Content:
        """The lines under the title (which case, where it stands)."""
        return Content()

    def compose_fields(self) -> Iterable[FormField]:
        raise NotImplementedError

    def values(self) -> dict[str, str]:
        raise NotImplementedError

    def send(self, log: CaseLog, values: dict[str, str]) -> CaseDetail:
        """Runs in a thread worker: the service call."""
        raise NotImplementedError

    def sent_text(self, detail: CaseDetail) -> str:
        raise NotImplementedError

    def after_sent(self, detail: CaseDetail) -> None:
        """Runs on the UI after a successful send, before the form closes."""

    def reread_after(self, log: CaseLog, error: CaseLogError) -> tuple[CaseDetail, datetime] | None:
        """Runs in the thread worker after a refusal: the case as it is now,
        when the refusal means it changed meanwhile. None by default."""
        return None

    def case_changed_meanwhile(self, detail: CaseDetail, now: datetime) -> None:
        """Runs on the UI after a refusal that `reread_after` explained."""

    def refusal_text(self, error: CaseLogError, fresh: CaseDetail | None) -> str:
        """The sentence a refusal shows; `fresh` is the case as the store has
        it now, when `reread_after` found one."""
        return error.message

    def key_hint(self) -> str:
        """The keys line; ctrl+e only where there is a text to hand over."""
        if not self.EDITOR_FIELD:
            return KEY_HINT
        return f"{KEY_HINT} · ctrl+e write the {self.EDITOR_FIELD} in your editor"

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # One scrolling box: in a small terminal the whole form scrolls, and
        # moving the focus (tab) brings each field into view.
        with VerticalScroll(classes="form"):
            yield Static(Content(self.TITLE_TEXT), classes="form-title")
            intro = self.intro()
            if intro:
                yield Static(intro, id="form-intro", classes="form-intro")
            # Under the intro, not by the buttons: a refusal because the case
            # changed reads together with the new status, and at 80x24 the
            # buttons are below the fold once the message area is shown.
            yield Static(id="form-problem", classes="form-problem")
            yield from self.compose_fields()
            with Horizontal(classes="form-buttons"):
                yield Button(
                    Content(f"{self.SEND_LABEL} (ctrl+s)"),
                    id="send",
                    variant="primary",
                    compact=True,
                )
                yield Button(Content("Cancel (esc)"), id="cancel", compact=True)
            yield Static(Content(self.key_hint()), classes="form-keys")

    def on_mount(self) -> None:
        self._initial = self.values()
        # Textual selects a field's text when it takes the focus, so the
        # first key typed would replace a subject the seller meant to amend.
        for field in self.query(Input):
            field.select_on_focus = False
        first = self.query(FormField).first()
        first.control.focus()

    # -- fields -------------------------------------------------------------------------

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def text_of(self, name: str) -> str:
        control = self.field(name).control
        if isinstance(control, TextArea):
            return control.text
        return cast(Input, control).value

    @property
    def has_draft(self) -> bool:
        """Something was typed that cancelling would throw away."""
        return self.is_mounted and self.values() != self._initial

    def on_input_changed(self, event: Input.Changed) -> None:
        self._clear_problem_of(event.input)
        if event.input.id == "cc":  # the 300-character count follows the typing
            self.field("cc").set_hint(cc_hint(event.value, self.existing_cc))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._clear_problem_of(event.text_area)

    def _clear_problem_of(self, control: Widget) -> None:
        # A sentence about what was there before would now be wrong.
        for field in self.query(FormField):
            if field.control is control and field.problem:
                field.show_problem(None)

    def show_form_problem(self, sentence: str | None) -> None:
        problem = self.query_one("#form-problem", Static)
        problem.set_class(bool(sentence), "-shown")
        problem.update(Content("✗ ") + safe(sentence) if sentence else Content())

    # -- sending ------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "send":
            self.action_send()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_send(self) -> None:
        if self.sending:
            return
        self.sending = True
        self.query_one("#send", Button).disabled = True
        self.show_form_problem(None)
        for field in self.query(FormField):
            field.show_problem(None)
        self._send(self.caselog_app.case_log, self.values())

    @work(thread=True, exclusive=True, group="form-send")
    def _send(self, log: CaseLog, values: dict[str, str]) -> None:
        try:
            detail = self.send(log, values)
        except CaseLogError as error:
            fresh = self.reread_after(log, error)
            if fresh is None:
                self.post_message(self.Refused(error))
            else:
                self.post_message(self.Refused(error, *fresh))
            return
        self.post_message(self.Sent(detail))

    @on(Sent)
    def _sent(self, message: Sent) -> None:
        detail = message.detail
        self.sending = False
        self.after_sent(detail)
        self.caselog_app.cases_changed(detail.case_id)
        tell(self.app, self.sent_text(detail))
        self.dismiss(detail)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        """Says why in place; everything typed stays where it was."""
        error = message.error
        self.sending = False
        self.query_one("#send", Button).disabled = False
        if not isinstance(error, ValidationError):
            self.show_form_problem(self.refusal_text(error, message.detail))
            if isinstance(error, StoreError):
                tell(self.app, error.message, severity="error", title="Not sent")
            if message.detail is not None and message.now is not None:
                self.case_changed_meanwhile(message.detail, message.now)
            self.query_one(VerticalScroll).scroll_home(animate=False)
            return
        names = {field.field_name: field for field in self.query(FormField)}
        first: FormField | None = None
        for name, sentence in error.fields.items():
            field = names.get(name)
            if field is None:
                self.show_form_problem(sentence)
                continue
            field.show_problem(sentence)
            first = first or field
        if first is not None:
            first.control.focus()
            first.scroll_visible(animate=False)

    # -- cancelling --------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.sending:
            return
        if not self.has_draft:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(
                "Discard this draft?",
                "What you typed in this form will be lost.",
                yes="Discard",
                no="Keep editing",
            ),
            answered,
        )

    # -- the editor ----------------------------------------------------------------------

    @property
    def draft_label(self) -> str:
        """What a draft in the editor is for, so a kept one finds its form."""
        return f"case-{self.case_id}" if self.case_id is not None else "new-case"

    def action_write_in_editor(self) -> None:
        try:
            control = self.field(self.EDITOR_FIELD).control if self.EDITOR_FIELD else None
        except NoMatches:
            control = None
        if not isinstance(control, TextArea):
            tell(self.app, "This form has no message to write in an editor.", severity="warning")
            return
        area = control
        try:
            command = editor_command(self.caselog_app.config.editor)
            text = edit_in_editor(self.app, area.text, command, self.draft_label)
        except EditorProblem as problem:
            tell(self.app, problem.message, severity="warning", title="Editor")
            return
        area.load_text(text)
        area.focus()
        area.move_cursor(area.document.end)
