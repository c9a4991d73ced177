"""The footer of the keys, which never draws a key in part.

Textual's Footer docks the command palette's key (`^p palette`, with a
`▏` border) over the right end of the row: at 80 columns it covered
"Quit" and left "q▏" behind. Here a key is drawn whole or not at all: the
palette's key goes first (ctrl+p is on the help screen), then the
screen's keys from the right; the app's own keys (`?` help, `q` quit)
stay, since they lead to everything else.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    # The keys the footer was last built with (see `bindings_changed`).
    _drawn: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        # Before the bindings are ready Textual draws no key at all.
        self._drawn = self._keys_to_draw() if self._bindings_ready else None
        yield from super().compose()
        # The keys are new (bindings change with the focus): fit them once drawn.
        self.call_after_refresh(self._fit)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual rebuilds the footer at every focus change, restyling each
        # key as it comes (about 10 ms a build, several per key pressed when
        # a screen opens); most focus changes leave the keys as they were.
        if (
            self._drawn is not None
            and screen is self.screen
            and self._keys_to_draw() == self._drawn
        ):
            return
        super().bindings_changed(screen)

    def _keys_to_draw(self) -> tuple[object, ...]:
        """What the footer's keys would show now: key, action, words, enabled."""
        if not self.is_attached:
            return ()
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        keys = list(self.query(FooterKey))
        if not keys:
            return
        palette = [key for key in keys if key.has_class("-command-palette")]
        ordinary = [key for key in keys if not key.has_class("-command-palette")]
        app_keys = set(self.app._bindings.key_to_bindings)
        room = self.size.width
        shown = set(ordinary)
        used = sum(_width(key) for key in ordinary)
        for key in reversed(ordinary):
            if used <= room:
                break
            if key.key not in app_keys:
                shown.discard(key)
                used -= _width(key)
        if palette and used + _width(palette[0]) <= room:
            shown.add(palette[0])
        for key in keys:
            key.display = key in shown


def _width(key: FooterKey) -> int:
    """The cells `key` takes, with its border, padding and margins."""
    content = key.get_content_width(Size(0, 0), Size(0, 0))
    return content + key.styles.gutter.width + key.styles.margin.width
