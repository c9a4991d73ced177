"""When an action is not possible: the sentence that says why, and the
actions offered instead ("Submit a new case", "Re-open the case", …).
Dismisses with the chosen offer's name, or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from caselog_tui.tui.safe import safe

# Offer name -> button label.
OFFERS = {
    "reopen": "Re-open (o)",
    "reply": "Reply (r)",
    "new_case": "New case (n)",
}


class RefusedModal(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "choose('')", "Close", id="refused.close"),
        Binding("o", "choose('reopen')", "Re-open", show=False, id="refused.reopen"),
        Binding("r", "choose('reply')", "Reply", show=False, id="refused.reply"),
        Binding("n", "choose('new_case')", "New case", show=False, id="refused.new_case"),
    ]

    def __init__(self, title: str, sentence: str, offers: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.sentence = sentence
        self.offers = offers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Static(safe(self.sentence), classes="dialog-text", id="refused-sentence")
            with Horizontal(classes="dialog-buttons"):
                for offer in self.offers:
                    yield Button(Content(OFFERS[offer]), id=offer, variant="primary", compact=True)
                yield Button(Content("Close (esc)"), id="close", compact=True)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose("" if event.button.id == "close" else event.button.id or "")

    def action_choose(self, offer: str) -> None:
        if not offer:
            self.dismiss(None)
        elif offer in self.offers:
            self.dismiss(offer)
