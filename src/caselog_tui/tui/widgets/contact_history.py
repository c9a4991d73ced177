"""The contact history of a case: every message oldest first, long ones
collapsed behind See more.

One Line API widget rather than a widget per message, so a case with
hundreds of messages or a 1 MB message opens at once and scrolls smoothly:
bodies are wrapped once per width (collapsed ones only for their
beginning) and only the lines on screen are drawn.

The case details screen owns the keys (j/k, space/enter, z) and calls
`focus_next`, `focus_previous`, `toggle_focused` and `toggle_all`; a click
on a message focuses it, a click on its See more / See less line toggles it.

Component classes: `contact-history--seller` and `contact-history--support`
(the sender line), `contact-history--time`, `contact-history--toggle`,
`contact-history--focused` (the bar beside the focused message).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from caselog_tui.core.records import Message, Side
from caselog_tui.tui.safe import safe, safe_line
from caselog_tui.tui.widgets.history_layout import is_long, preview_lines, wrap_text
from caselog_tui.tui.widgets.local_time import local_time

GUTTER = 2
FOCUS_BAR = "▌ "
SEE_MORE = "▸ See more"
SEE_LESS = "▴ See less"
NO_MESSAGES = "This case has no messages."


@dataclass(frozen=True, slots=True)
class _Block:
    """One message as screen lines: sender line, body, See more / See less
    line when it is long, and a blank line after it."""

    body: list[str]
    toggle: str | None

    @property
    def height(self) -> int:
        return 1 + len(self.body) + (1 if self.toggle else 0) + 1


class ContactHistory(ScrollView, can_focus=True):
    """The messages of one case, oldest first."""

    COMPONENT_CLASSES = {
        "contact-history--seller",
        "contact-history--support",
        "contact-history--time",
        "contact-history--toggle",
        "contact-history--focused",
    }

    DEFAULT_CSS = """
    ContactHistory {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        background: $surface;
    }
    ContactHistory > .contact-history--seller { color: $text-accent; text-style: bold; }
    ContactHistory > .contact-history--support { color: $text-success; text-style: bold; }
    ContactHistory > .contact-history--time { color: $text-muted; }
    ContactHistory > .contact-history--toggle { color: $text-primary; text-style: bold underline; }
    ContactHistory > .contact-history--focused { color: $text-muted; }
    ContactHistory:focus > .contact-history--focused { color: $accent; }
    """

    def __init__(self, tz: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tz = tz
        self._messages: list[Message] = []
        self._bodies: list[str] = []
        self._long: list[bool] = []
        self._expanded: set[int] = set()  # message ids, kept across reloads
        self._focused = 0
        self._shown = False
        self._width = 0
        self._blocks: list[_Block] = []
        self._starts: list[int] = []
        self._stale = True
        self._wrapped: dict[int, list[str]] = {}  # message index -> body at self._width

    # -- what the screen calls ----------------------------------------------

    def show(self, messages: Sequence[Message]) -> None:
        """Shows `messages`, keeping what was expanded. The newest message is
        focused on first show and whenever new messages arrived."""
        arrived = len(messages) > len(self._messages)
        self._messages = list(messages)
        self._bodies = [safe(m.body).plain for m in messages]
        self._long = [is_long(body) for body in self._bodies]
        self._wrapped.clear()
        if not self._shown or arrived:
            self._focused = max(0, len(messages) - 1)
        self._focused = min(self._focused, max(0, len(messages) - 1))
        self._shown = True
        self._relayout()
        self._scroll_to_focused(navigating=True)

    @property
    def focused_index(self) -> int:
        return self._focused

    @property
    def message_count(self) -> int:
        return len(self._messages)

    def has_toggle(self, index: int) -> bool:
        return self._long[index]

    def is_expanded(self, index: int) -> bool:
        return self._long[index] and self._messages[index].message_id in self._expanded

    def focus_next(self) -> None:
        self._move_focus(self._focused + 1)

    def focus_previous(self) -> None:
        self._move_focus(self._focused - 1)

    def toggle_focused(self) -> None:
        if self._messages:
            self.toggle(self._focused)

    def toggle(self, index: int) -> None:
        """See more / See less on one message; a short one has neither."""
        if not self._long[index]:
            return
        self._expanded ^= {self._messages[index].message_id}
        self._relayout()
        self._scroll_to_focused(navigating=False)

    def toggle_all(self) -> None:
        """Expands every long message, or collapses them all when none is
        left collapsed."""
        long_ids = {
            m.message_id for m, long in zip(self._messages, self._long, strict=True) if long
        }
        if long_ids <= self._expanded:
            self._expanded -= long_ids
        else:
            self._expanded |= long_ids
        self._relayout()
        self._scroll_to_focused(navigating=False)

    # -- layout ---------------------------------------------------------------

    def _text_width(self) -> int:
        return self.scrollable_content_region.width - GUTTER

    def _relayout(self) -> None:
        self._stale = True
        self._update_layout()
        self.refresh()

    def _update_layout(self) -> None:
        width = self._text_width()
        if width <= 0:
            return
        if width != self._width:
            self._width = width
            self._wrapped.clear()
            self._stale = True
        if not self._stale:
            return
        self._blocks = [self._block(i) for i in range(len(self._messages))]
        self._starts = []
        total = 0
        for block in self._blocks:
            self._starts.append(total)
            total += block.height
        self._stale = False
        size = Size(width + GUTTER, max(total, 1))
        if size != self.virtual_size:
            self.virtual_size = size

    def _block(self, index: int) -> _Block:
        if not self._long[index]:
            return _Block(self._wrap(index), None)
        if self.is_expanded(index):
            return _Block(self._wrap(index), SEE_LESS)
        return _Block(preview_lines(self._bodies[index], self._width), SEE_MORE)

    def _wrap(self, index: int) -> list[str]:
        lines = self._wrapped.get(index)
        if lines is None:
            lines = self._wrapped[index] = wrap_text(self._bodies[index], self._width)
        return lines

    # -- focus and scrolling -------------------------------------------------------

    def _move_focus(self, index: int) -> None:
        if not self._messages:
            return
        self._focused = max(0, min(index, len(self._messages) - 1))
        self.refresh()
        self._scroll_to_focused(navigating=True)

    def _scroll_to_focused(self, *, navigating: bool) -> None:
        """Keeps the focused message in view. Moving to a message taller than
        the view puts its first line at the top; toggling only scrolls when its
        sender line went out of sight (collapsing a long message read far down)."""
        self._update_layout()
        if not self._blocks or not self.scrollable_content_region:
            return
        start = self._starts[self._focused]
        height = self._blocks[self._focused].height - 1  # the blank line after it
        view = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if height > view:
            if navigating or not top <= start < top + view:
                self.scroll_to(y=start, animate=False, immediate=True, force=True)
            return
        self.scroll_to_region(
            Region(0, start, self._width, height), animate=False, immediate=True, force=True
        )

    # -- drawing --------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._update_layout()
        self._scroll_to_focused(navigating=False)

    def render_line(self, y: int) -> Strip:
        self._update_layout()
        width = self.scrollable_content_region.width
        base = self.get_visual_style()
        number = y + round(self.scroll_y)
        if not self._messages:
            # Before the case is loaded (or when it could not be) there is
            # nothing to say here; the header says why.
            if number == 0 and self._shown:
                return self._strip(Content(NO_MESSAGES), width, {})
            return Strip.blank(width, base.rich_style)
        if number >= self.virtual_size.height or not self._starts:
            return Strip.blank(width, base.rich_style)
        index = bisect_right(self._starts, number) - 1
        block = self._blocks[index]
        offset = number - self._starts[index]
        meta: dict[str, object] = {"message": index}
        if offset == 0:
            line = self._sender_line(index)
        elif offset <= len(block.body):
            line = safe_line(block.body[offset - 1])
        elif block.toggle and offset == len(block.body) + 1:
            line = Content(block.toggle).stylize(self.get_visual_style("contact-history--toggle"))
            meta["toggle"] = True
        else:
            return Strip.blank(width, base.rich_style).apply_meta(meta)
        return self._strip(line, width, meta, focused=index == self._focused)

    def _strip(
        self, line: Content, width: int, meta: dict[str, object], *, focused: bool = False
    ) -> Strip:
        base = self.get_visual_style()
        bar = FOCUS_BAR if focused else " " * GUTTER
        gutter = Content(bar).stylize(self.get_visual_style("contact-history--focused"))
        segments: list[Segment] = [
            *gutter.render_segments(base),
            *line.truncate(width - GUTTER, ellipsis=True).render_segments(base),
        ]
        strip = Strip(segments).extend_cell_length(width, base.rich_style).crop(0, width)
        return strip.apply_meta(meta) if meta else strip

    def _sender_line(self, index: int) -> Content:
        message = self._messages[index]
        side = "seller" if message.side is Side.SELLER else "support"
        label = Content(message.side.label).stylize(
            self.get_visual_style(f"contact-history--{side}")
        )
        when = Content(local_time(message.sent_at, self._tz)).stylize(
            self.get_visual_style("contact-history--time")
        )
        if message.author == message.side.label:  # "Seller Support · Seller Support"
            return Content.assemble(label, " · ", when)
        return Content.assemble(label, " · ", safe_line(message.author), " · ", when)

    # -- mouse ----------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("message")
        if not isinstance(index, int) or not 0 <= index < len(self._messages):
            return
        self._focused = index
        self.refresh()
        if event.style.meta.get("toggle"):
            self.toggle(index)
