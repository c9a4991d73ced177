"""The case log screen (placeholder until the case log issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class CaseLogScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Case log")
        yield Footer()
