"""The filter sidebar: status checkboxes, primary e-mail, creation dates.

A checkbox or a chosen address applies at once; a typed address applies on
`enter` or when the field is left; a date applies as soon as it is a whole
valid date (or emptied). An invalid entry is named in words under its field
and the filter keeps its last valid value.

Messages: `FilterSidebar.Changed` (the filters to apply).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Select, Static

from caselog_tui.core import parsing
from caselog_tui.core.status import StatusGroup
from caselog_tui.core.validation import email_problem
from caselog_tui.core.view import CaseQuery
from caselog_tui.tui.safe import safe_line
from caselog_tui.tui.widgets.address_choice import AddressChoice
from caselog_tui.tui.widgets.safe_fields import SafeInput

_DAY_LENGTH = len("2026-11-26")


def day_problem(text: str) -> str | None:
    """Why `text` is not a date typed as YYYY-MM-DD, or None if it is one
    (or empty)."""
    text = text.strip()
    problem = parsing.day_problem(text) if text else None
    if problem is None:
        return None
    if problem == parsing.NOT_A_CALENDAR_DAY:
        return f"{text} {problem}."
    return f"Type the date as {parsing.DAY_FORMAT}, for example 2026-11-26."


def _day(text: str) -> date | None:
    return parsing.parse_day(text) if text.strip() else None


@dataclass(frozen=True, slots=True)
class Filters:
    """What the sidebar asks the case log to show."""

    statuses: frozenset[StatusGroup]
    email: str | None
    created_from: date | None
    created_to: date | None


class StatusCheckbox(Checkbox):
    """A checkbox whose state is a character too ("X" on, blank off), not
    only a colour, so it reads in 16 colours and with NO_COLOR. Up and down
    move between the status boxes (down from the last one goes on to the
    e-mail), where the sidebar would only scroll."""

    BUTTON_INNER = " "
    BINDINGS = [
        Binding("down", "step(1)", "Next status box", show=False, id="filters.next_status"),
        Binding("up", "step(-1)", "Previous status box", show=False, id="filters.previous_status"),
    ]

    def action_step(self, step: int) -> None:
        boxes = list(self.screen.query(StatusCheckbox))
        index = boxes.index(self) + step
        if 0 <= index < len(boxes):
            self.screen.set_focus(boxes[index])
        elif step > 0:
            self.screen.focus_next()
        else:
            self.app.bell()

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


class FilterSidebar(VerticalScroll, can_focus=False):
    """Filters for the case log; any filter reaches expired cases too."""

    class Changed(Message):
        """The seller changed a filter; `filters` is the whole valid set."""

        def __init__(self, filters: Filters) -> None:
            super().__init__()
            self.filters = filters

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._filters = Filters(frozenset(), None, None, None)
        self._addresses: list[str] = []
        self._problems: dict[str, str | None] = {}

    def compose(self) -> ComposeResult:
        yield Label("Filter", classes="sidebar-title")
        yield Label("Status", classes="sidebar-heading")
        for group in StatusGroup:
            yield StatusCheckbox(group.label, id=f"filter-{group.value}", compact=True)
        yield Label("Primary e-mail", classes="sidebar-heading")
        yield AddressChoice([], prompt="Any address", id="filter-email-choice", compact=True)
        yield SafeInput(placeholder="or type an address", id="filter-email", compact=True)
        yield Static(id="filter-email-problem", classes="problem")
        yield Label("Created from", classes="sidebar-heading")
        yield SafeInput(placeholder="YYYY-MM-DD", id="filter-from", max_length=10, compact=True)
        yield Static(id="filter-from-problem", classes="problem")
        yield Label("Created to", classes="sidebar-heading")
        yield SafeInput(placeholder="YYYY-MM-DD", id="filter-to", max_length=10, compact=True)
        yield Static(id="filter-to-problem", classes="problem")
        yield Label("F clears every filter", classes="sidebar-hint")

    @property
    def filters(self) -> Filters:
        return self._filters

    def set_addresses(self, addresses: list[str]) -> None:
        """The primary e-mail addresses the case log holds, to choose from."""
        self._addresses = list(addresses)
        choice = self.query_one("#filter-email-choice", Select)
        with choice.prevent(Select.Changed):
            # Text, not Content: the list searches only Text and str prompts
            # as the seller types (and a Text is never read as markup).
            choice.set_options((Text(safe_line(a).plain), a) for a in addresses)
            if self._filters.email in addresses:
                choice.value = self._filters.email
        email = self.query_one("#filter-email", Input)
        # An Input draws its suggestion raw: addresses from an import were
        # never checked by a form.
        email.suggester = SuggestFromList(
            [safe_line(a).plain for a in addresses], case_sensitive=False
        )

    def show_query(self, query: CaseQuery) -> None:
        """Shows the filters of `query` (after F, or a view chosen elsewhere)."""
        self._filters = Filters(query.statuses, query.email, query.created_from, query.created_to)
        for group in StatusGroup:
            box = self.query_one(f"#filter-{group.value}", Checkbox)
            with box.prevent(Checkbox.Changed):
                box.value = group in query.statuses
        choice = self.query_one("#filter-email-choice", Select)
        with choice.prevent(Select.Changed):
            known = query.email in self._addresses
            choice.value = query.email if query.email and known else Select.NULL
        fields = {
            "#filter-email": query.email or "",
            "#filter-from": query.created_from.isoformat() if query.created_from else "",
            "#filter-to": query.created_to.isoformat() if query.created_to else "",
        }
        for selector, text in fields.items():
            field = self.query_one(selector, Input)
            with field.prevent(Input.Changed):
                field.value = text
        for name in ("email", "from", "to"):
            self._show_problem(name, None)

    def focus_first(self) -> None:
        # At once, not after a refresh: a space typed right after `f` ticks
        # the first box.
        self.screen.set_focus(self.query_one(Checkbox))

    @on(Checkbox.Changed)
    def _status_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        chosen = frozenset(
            group
            for group in StatusGroup
            if self.query_one(f"#filter-{group.value}", Checkbox).value
        )
        self._apply(replace(self._filters, statuses=chosen))

    @on(Select.Changed, "#filter-email-choice")
    def _address_chosen(self, event: Select.Changed) -> None:
        event.stop()
        address = event.value if isinstance(event.value, str) else ""
        field = self.query_one("#filter-email", Input)
        with field.prevent(Input.Changed):
            field.value = address
        self._show_problem("email", None)
        self._apply(replace(self._filters, email=address or None))

    @on(Input.Changed, "#filter-email")
    def _address_typing(self, event: Input.Changed) -> None:
        event.stop()
        self._show_problem("email", None)
        if not event.value.strip() and self._filters.email:
            self._apply_address("")

    @on(Input.Submitted, "#filter-email")
    @on(Input.Blurred, "#filter-email")
    def _address_typed(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        self._apply_address(event.value)

    @on(Input.Changed, "#filter-from, #filter-to")
    def _day_typing(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        if not text or len(text) >= _DAY_LENGTH:
            self._apply_day(event.input, text)
        else:
            self._show_problem(self._day_name(event.input), None)

    @on(Input.Submitted, "#filter-from, #filter-to")
    @on(Input.Blurred, "#filter-from, #filter-to")
    def _day_typed(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        self._apply_day(event.input, event.value.strip())

    def _apply_address(self, text: str) -> None:
        text = text.strip().lower()
        problem = email_problem(text) if text else None
        self._show_problem("email", problem)
        if problem:
            return
        choice = self.query_one("#filter-email-choice", Select)
        with choice.prevent(Select.Changed):
            choice.value = text if text in self._addresses else Select.NULL
        self._apply(replace(self._filters, email=text or None))

    def _apply_day(self, field: Input, text: str) -> None:
        name = self._day_name(field)
        problem = day_problem(text)
        day = _day(text)
        start = day if name == "from" else self._filters.created_from
        end = day if name == "to" else self._filters.created_to
        if not problem and start and end and start > end:
            problem = f"“From” ({start}) is after “To” ({end})."
        self._show_problem(name, problem)
        if problem:
            return
        self._show_problem("from" if name == "to" else "to", None)
        if name == "from":
            self._apply(replace(self._filters, created_from=day))
        else:
            self._apply(replace(self._filters, created_to=day))

    def _apply(self, filters: Filters) -> None:
        if filters != self._filters:
            self._filters = filters
            self.post_message(self.Changed(filters))

    def _day_name(self, field: Input) -> str:
        return "from" if field.id == "filter-from" else "to"

    def _show_problem(self, name: str, problem: str | None) -> None:
        if self._problems.get(name) == problem:
            return  # most keystrokes change nothing here: no relayout
        self._problems[name] = problem
        line = self.query_one(f"#filter-{name}-problem", Static)
        line.update(safe_line(problem or ""))
        line.set_class(bool(problem), "-shown")
