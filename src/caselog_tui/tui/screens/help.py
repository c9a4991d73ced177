"""The help screen (`?`): every key of the screen it was opened over and the
keys that work everywhere, grouped; what each mark on screen means; the
glossary; and every binding id, for the `[keys]` section of the config.
Type to narrow it; the arrows and PageUp / PageDown scroll it meanwhile."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from caselog_tui.tui.binding_scopes import BindingId
from caselog_tui.tui.glossary import GLOSSARY
from caselog_tui.tui.marks import MARKS
from caselog_tui.tui.our_bindings import our_bindings
from caselog_tui.tui.widgets.safe_fields import SafeInput


@dataclass(frozen=True)
class KeyHelp:
    group: str
    keys: str
    description: str


def keys_of(screen: Screen[object]) -> list[KeyHelp]:
    """The keys a seller can press on `screen`, grouped by where they work,
    in the order the screen declares them (tui/our_bindings.py says which)."""
    found: dict[tuple[str, str], list[str]] = {}
    for ours in our_bindings(screen):
        binding = ours.binding
        group = "Everywhere" if ours.everywhere else "This screen"
        what = binding.tooltip or binding.description
        shown = screen.app.get_key_display(binding) or ours.key
        keys = found.setdefault((group, what), [])
        if shown not in keys:
            keys.append(shown)
    entries = [KeyHelp(g, " / ".join(k), d) for (g, d), k in found.items()]
    entries.append(KeyHelp("Everywhere", "ctrl+p", "Command palette: every action by name"))
    entries.append(
        KeyHelp(
            "Everywhere", "ctrl+q", "Quit from any screen (asks first if a draft would be lost)"
        )
    )
    order = {"This screen": 0, "Everywhere": 1}
    return sorted(entries, key=lambda e: order[e.group])


class HelpScreen(ModalScreen[None]):
    """Keys, marks, glossary and binding ids. `escape` or `?` closes it.

    The search field keeps the focus (typing narrows the help at once), and
    the keys it does not use scroll the text: PageDown works without a Tab
    first, so the glossary below the keys is found."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close help", id="help.close"),
        Binding("question_mark", "dismiss", "Close help", show=False, id="help.close_key"),
        Binding("down", "scroll_help('down')", "Scroll down", show=False, id="help.down"),
        Binding("up", "scroll_help('up')", "Scroll up", show=False, id="help.up"),
        Binding(
            "pagedown", "scroll_help('page_down')", "Page down", show=False, id="help.page_down"
        ),
        Binding("pageup", "scroll_help('page_up')", "Page up", show=False, id="help.page_up"),
        Binding("ctrl+home", "scroll_help('home')", "Top", show=False, id="help.top"),
        Binding("ctrl+end", "scroll_help('end')", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(self, title: str, keys: list[KeyHelp], ids: list[BindingId] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys
        self.ids = ids or []

    def action_scroll_help(self, how: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }[how](animate=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content(f"Help — {self.title_text}"), id="help-title")
            yield SafeInput(
                placeholder="Type to find a key or a term", id="help-filter", compact=True
            )
            with VerticalScroll(id="help-body"):
                yield Static(id="help-text")
            yield Static(Content("↑ ↓ PageUp PageDown scroll · escape closes help"), id="help-hint")

    def on_mount(self) -> None:
        self._show("")
        self.call_after_refresh(self._redraw)  # now that the text's width is known

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._redraw)

    def _redraw(self) -> None:
        """Descriptions are wrapped to the width: a new width redraws them."""
        self._show(self.query_one("#help-filter", Input).value)

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)

    def _show(self, needle: str) -> None:
        needle = needle.strip().lower()
        # The width the text has, less a column for the scroll bar; before
        # the first layout, a width that fits 80 columns.
        width = (self.query_one("#help-text", Static).content_size.width or 70) - 1
        lines: list[Content] = []
        group = ""
        for entry in self.keys:
            if needle and needle not in f"{entry.keys} {entry.description}".lower():
                continue
            if entry.group != group:
                group = entry.group
                lines.append(Content.styled(f"\n{group}", "bold"))
            first, *rest = _wrap(entry.description, width - KEY_COLUMN)
            keys = f"  {entry.keys}".ljust(KEY_COLUMN)
            lines.append(Content.assemble((keys, "bold $accent"), first))
            lines += [Content(" " * KEY_COLUMN + line) for line in rest]
        lines += _terms("Marks on screen", MARKS, needle, width)
        lines += _terms("Glossary", GLOSSARY, needle, width)
        ids = [
            (f"{b.id}  ({b.keys})", b.what)
            for b in self.ids
            if not needle or needle in f"{b.id} {b.keys} {b.what}".lower()
        ]
        if ids:
            lines.append(Content.styled("\nBinding ids, for [keys] in the config file", "bold"))
            lines.append(Content('  For example:  "case_log.sort_next" = "o,s"'))
            lines += _terms("", ids, "", width)
        if not lines:
            lines.append(Content("Nothing matches; clear the search to see every key."))
        self.query_one("#help-text", Static).update(Content("\n").join(lines))


KEY_COLUMN = 16  # where descriptions start: two spaces, then the keys, padded


def _terms(heading: str, terms: list[tuple[str, str]], needle: str, width: int) -> list[Content]:
    """A section of terms, each in bold with its text indented under it."""
    found = [(t, text) for t, text in terms if not needle or needle in f"{t} {text}".lower()]
    if not found:
        return []
    lines = [Content.styled(f"\n{heading}", "bold")] if heading else []
    for term, text in found:
        lines.append(Content.assemble(("  " + term, "bold $accent")))
        lines += [Content("    " + line) for line in _wrap(text, width - 4)]
    return lines


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` (never fewer than 20) columns, so
    that a long description keeps to its column instead of running under
    the keys."""
    return textwrap.wrap(text, max(width, 20)) or [""]
