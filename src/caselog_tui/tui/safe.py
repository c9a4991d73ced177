"""The only way text from people and imports reaches a widget.

Textual parses plain strings as markup ("[TODO]" vanishes, "[/b]" crashes,
"[@click=...]" becomes clickable), so every subject, message, address or
error sentence is first cleaned of control characters, then wrapped in a
`Content` (or a Rich `Text` for DataTable cells), which is never parsed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.content import Content

from caselog_tui.core.text import clean, clean_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel


def safe(text: str) -> Content:
    """Multi-line text (a message body) as literal, inert content."""
    return Content(clean(text))


def safe_line(text: str) -> Content:
    """One-line text (a subject, an address) as literal, inert content."""
    return Content(clean_line(text))


def safe_cell(text: str, style: str = "") -> Text:
    """A DataTable cell: Rich Text is rendered as is, never parsed."""
    return Text(clean_line(text), style=style, no_wrap=True, overflow="ellipsis")


def tell(
    app: App[Any],
    text: str,
    *,
    severity: SeverityLevel = "information",
    title: str = "",
    timeout: float | None = None,
) -> None:
    """A notification whose sentence may quote user text: never markup.
    `timeout`: seconds it stays, else Textual's default."""
    app.notify(
        clean(text), title=clean_line(title), severity=severity, markup=False, timeout=timeout
    )
