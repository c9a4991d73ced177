"""The case details screen (placeholder until the case details issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class CaseDetailScreen(Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        yield Static(f"Case {self.case_id}")
