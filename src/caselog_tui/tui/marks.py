"""Every mark the screens draw that is not a word, in the seller's words,
for the help screen's "Marks on screen". A new mark belongs here too
(tests/tui/test_help_reads.py looks for each on the help screen)."""

from __future__ import annotations

from caselog_tui.core.status import Status
from caselog_tui.tui.widgets.case_table import HERE_MARK, REOPENED_MARK
from caselog_tui.tui.widgets.contact_history import FOCUS_BAR, SEE_LESS, SEE_MORE


def _short_words() -> str:
    shortened = [s for s in Status if s.short_label != s.label]
    return "; ".join(f"{s.short_label} is {s.label}" for s in shortened)


MARKS: list[tuple[str, str]] = [
    (
        f"{REOPENED_MARK}2",
        "After a status: the case was re-opened that many times (here twice). "
        "s sorts by it: the Status header then shows ↻▼ (most first) or ↻▲.",
    ),
    (
        HERE_MARK,
        "Before a short description: someone else has that case open. The case "
        "details name them (◆ Also here:) and say who is writing to it.",
    ),
    ("▼  ▲", "In a column header: the cases are sorted by that column, ▼ descending, ▲ ascending."),
    (
        "(hidden)",
        "In the status line after the sort: the sorted column is not drawn at this "
        "window width, so no header shows the arrow.",
    ),
    (
        "Short status words",
        f"A narrow table shortens two statuses: {_short_words()}.",
    ),
    (
        "…",
        "Text cut to fit: enter opens the case with all of it. In the status line "
        '"of …" means the cases are still being counted.',
    ),
    ("→", 'In "Filtered:": a creation date range, from → to, both days included.'),
    ("X", "In a status box of the filter sidebar: that status is shown."),
    (
        FOCUS_BAR.strip(),
        "At the left edge of a field: it has the focus, and what you type goes there. "
        "Beside a message of the history: the message j, k, space and enter act on.",
    ),
    (f"{SEE_MORE}  {SEE_LESS}", "A long message, shortened or whole: space or enter toggles it."),
    ("✗", "Beside a field of a form: what is wrong with it; nothing is sent until it is fixed."),
]
