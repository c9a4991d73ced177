"""The keys of the case log (docs/CONTRACT.md, "Keys: case log"); the command
palette offers the same actions (tui/commands.py).

Each binding's id is "case_log.<action>", so a config file can move it
(`[keys]` in the config, applied with App.set_keymap). Its description is
the footer's, kept short for 80 columns; its tooltip names the action in
the command palette and on hover.
"""

from __future__ import annotations

from textual.binding import Binding

# (key, action, footer text, what it does, shown in the footer)
_KEYS = [
    ("enter", "open_case", "Open", "Open the highlighted case", True),
    ("slash", "search", "Search", "Search by case ID or words of the short description", True),
    ("f", "filters", "Filter", "Filter by status, primary e-mail or creation date", True),
    ("F", "clear_filters", "Clear filters", "Clear every filter and the search", False),
    ("a", "attention", "Attention", "Show or leave Cases Needing Attention", True),
    ("s", "sort_next", "Sort", "Sort by the next column", True),
    ("S", "sort_reverse", "Reverse sort", "Reverse the sort direction", False),
    ("right_square_bracket", "next_page", "Next page", "Next page of cases", True),
    ("left_square_bracket", "previous_page", "Previous page", "Previous page of cases", False),
    ("home,g", "first_page", "First page", "First page of cases", False),
    ("end,G", "last_page", "Last page", "Last page of cases", False),
    ("plus", "more_per_page", "More per page", "More cases per page (25, 50, 100, 250)", False),
    ("minus", "fewer_per_page", "Fewer per page", "Fewer cases per page", False),
    ("b", "toggle_sidebar", "Sidebar", "Show or hide the filter sidebar", False),
    ("escape", "leave_filters", "Back", "Leave the filters for the cases", True),
    ("n", "new_case", "New case", "Submit a new case", True),
    ("r", "reply", "Reply", "Reply to the highlighted case", False),
    ("o", "reopen", "Re-open", "Re-open the highlighted case", False),
    ("e", "edit", "Edit", "Edit the highlighted case's short description", False),
    ("R", "resolve", "Resolve", "Tell Support the highlighted case's issue is resolved", False),
    ("x", "export", "Export", "Export the cases of this view as a CSV report", False),
    ("y", "copy_case_id", "Copy ID", "Copy the highlighted case ID", False),
    ("ctrl+r", "refresh", "Refresh", "Read the case log again from the store", False),
]

CASE_LOG_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding(key, action, text, show=shown, tooltip=about, id=f"case_log.{action}")
    for key, action, text, about, shown in _KEYS
]
