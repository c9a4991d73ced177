"""The search box: a case ID (exact) or words from the short description.

Hidden until `/`; `enter` applies the search, `escape` clears it and goes
back to the table. It stays on screen, showing the term, while a search is
the view.

Messages: `SearchBar.Applied` (the term), `SearchBar.Cleared`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from caselog_tui.tui.widgets.safe_fields import SafeInput


class SearchBar(Horizontal):
    """One line: "Search" and the box to type in."""

    BINDINGS = [
        Binding("escape", "clear", "Clear search", id="case_log.search_clear"),
    ]

    class Applied(Message):
        """The seller pressed enter on `term` (may be blank: no search)."""

        def __init__(self, term: str) -> None:
            super().__init__()
            self.term = term

    class Cleared(Message):
        """The seller pressed escape: no search, back to the table."""

    def compose(self) -> ComposeResult:
        yield Label("Search ", classes="search-label")
        yield SafeInput(
            placeholder="case ID, or words from the short description",
            id="search-input",
            compact=True,
        )

    @property
    def term(self) -> str:
        return self.query_one(Input).value

    def open(self) -> None:
        """Shows the box and puts the cursor in it."""
        self.display = True
        # At once, not after a refresh (as `focus()` does): the keys typed
        # right after `/` belong in the box.
        self.screen.set_focus(self.query_one(Input))

    def show_term(self, term: str) -> None:
        """Shows `term` (the search in force); hidden when there is none."""
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = term
        self.display = bool(term.strip())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Applied(event.value))

    def action_clear(self) -> None:
        self.post_message(self.Cleared())
