"""One field of a form: its name, the control, a hint, and — when the field is
refused — the sentence that says why, right beside it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

from caselog_tui.tui.safe import safe


class FormField(Vertical):
    """`field_name` is the name the service uses in ValidationError.fields."""

    DEFAULT_CSS = """
    FormField { height: auto; margin-bottom: 1; }
    FormField > .field-problem { display: none; }
    FormField.-invalid > .field-problem { display: block; }
    """

    def __init__(self, field_name: str, label: str, control: Widget, hint: str = "") -> None:
        super().__init__(id=f"field-{field_name}")
        self.field_name = field_name
        self.label = label
        self.control = control
        self.hint = hint
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(Content(self.label), classes="field-label")
        yield self.control
        if self.hint:
            yield Static(Content(self.hint), classes="field-hint")
        yield Static(classes="field-problem")

    def show_problem(self, sentence: str | None) -> None:
        """Shows why the field was refused, or clears it with None."""
        self.problem = sentence
        self.set_class(sentence is not None, "-invalid")
        self.query_one(".field-problem", Static).update(
            Content("✗ ") + safe(sentence) if sentence else Content()
        )

    def set_hint(self, hint: str) -> None:
        self.query_one(".field-hint", Static).update(Content(hint))
