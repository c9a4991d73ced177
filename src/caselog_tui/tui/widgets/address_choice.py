"""The primary e-mail drop-down of the filter sidebar.

Textual's Select lets every letter typed on it (closed) fall through to
the screen's keys: `s` re-sorted the table and `n` opened a new case while
the seller meant to pick an address. Here a letter opens the list and
jumps to the first address that matches what was typed, as the open list
already does; keys the drop-down binds itself (space, enter, arrows) and
keys that are not characters (escape, tab) work as before.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Select
from textual.widgets._select import SelectOverlay


class AddressChoice(Select[str]):
    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        # Also keeps the screen's letter keys out of the footer while focused.
        return self._types(key, character)

    def on_key(self, event: events.Key) -> None:
        if self.expanded or not self._types(event.key, event.character):
            return
        event.stop()
        event.prevent_default()
        self.action_show_overlay()
        # The open list searches as the seller types: hand it this letter,
        # once it has the focus (taking the focus clears its search).
        overlay = self.query_one(SelectOverlay)
        self.call_after_refresh(overlay.post_message, events.Key(event.key, event.character))

    def _types(self, key: str, character: str | None) -> bool:
        own_key = key in self._bindings.key_to_bindings
        return character is not None and character.isprintable() and not own_key
