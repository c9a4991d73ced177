"""A command palette provider listing the current screen's own key bindings,
so every action of a screen is also in ctrl+p (CONTRACT.md)."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenCommands(Provider):
    """The bindings of the screen the palette was opened from that have an
    id and a description, named by their description."""

    def _commands(self) -> list[tuple[str, str, str]]:
        found: list[tuple[str, str, str]] = []
        for binding in self.screen.BINDINGS:
            if isinstance(binding, Binding) and binding.id and binding.description:
                key = binding.key_display or binding.key.replace(",", " or ")
                found.append((binding.description, binding.action, f"Key: {key}"))
        return found

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
