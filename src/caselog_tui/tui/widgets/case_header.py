"""The top of the case details: ID, status in words, how long it can still
be re-opened, short description, creation date, primary e-mail and Cc list.

Fields sit side by side when the window is wide enough and move to the next
line whole when it is not, so a label never ends one line with its value on
the next, and two fields never run together. In a window too short for all of
them the header scrolls (with a scrollbar), so no field is silently cut off."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from caselog_tui.core.machine import reopen_window_text
from caselog_tui.core.records import CaseDetail
from caselog_tui.tui.safe import safe_line
from caselog_tui.tui.widgets.local_time import local_time

# Between two fields on one line. A segment of its own, unstyled, so no
# field's style (or an SVG renderer trimming a span's leading spaces) can
# make it disappear.
GAP = Content("   ")
MUTED = "$text-muted"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _field(label: str, value: Content | str, style: str = "") -> Content:
    value = value if isinstance(value, Content) else Content(value)
    return Content.assemble((f"{label}: ", MUTED), value.stylize(style) if style else value)


def pack(fields: list[Content], width: int) -> list[Content]:
    """`fields` in lines at most `width` cells wide, a gap between two on one
    line; a field wider than a line gets a line of its own (and wraps)."""
    lines: list[Content] = []
    line: Content | None = None
    for field in fields:
        if line is None:
            line = field
        elif line.cell_length + GAP.cell_length + field.cell_length <= width:
            line = line + GAP + field
        else:
            lines.append(line)
            line = field
    if line is not None:
        lines.append(line)
    return lines


class CaseHeader(VerticalScroll, can_focus=False):
    """What the case is and where it stands."""

    DEFAULT_CSS = """
    CaseHeader { height: auto; padding: 0 1; }
    CaseHeader > Static { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[CaseDetail, datetime, tzinfo] | None = None

    def compose(self) -> ComposeResult:
        yield Static()

    def update(self, content: Content) -> None:
        self.query_one(Static).update(content)

    def show_loading(self, case_id: int) -> None:
        self._shown = None
        self.update(Content(f"Loading case {case_id}…"))

    def show_problem(self, sentence: str) -> None:
        self._shown = None
        self.update(safe_line(sentence))

    def show(self, detail: CaseDetail, now: datetime, tz: tzinfo) -> None:
        self._shown = (detail, now, tz)
        self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:
            self._lay_out()

    def _lay_out(self) -> None:
        assert self._shown is not None
        detail, now, tz = self._shown
        case = detail.summary
        width = self.scrollable_content_region.width
        where = [Content(f"Case {case.case_id}").stylize("bold")]
        where.append(_field("Status", case.status.label, "bold"))
        if case.reopened_count:
            where.append(_field("Re-opened", _times(case.reopened_count)))
        window = reopen_window_text(case.status, case.last_activity_at, now)
        if window:
            where.append(Content(window).stylize("italic"))
        who = [
            _field("Created", local_time(case.created_at, tz)),
            _field("Primary e-mail", safe_line(case.primary_email)),
        ]
        cc = _field("Cc", safe_line(", ".join(detail.cc)) if detail.cc else "none")
        lines = [
            *pack(where, width),
            safe_line(case.short_description).stylize("bold"),
            *pack(who, width),
            cc,
        ]
        self.update(Content("\n").join(lines))
