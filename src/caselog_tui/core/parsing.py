"""The one reading of each thing a seller types or a file holds: a case ID
and a day (a sort order is `view.parse_sort`). The CLI, the filter sidebar,
the search, mail and import all parse with these, so they cannot disagree
about what is valid. Each front end words its own sentence around them."""

from __future__ import annotations

import re
from datetime import date

# 10 or 11 ASCII digits, the first not a zero: "0000000001" would become
# case 1, which no file could give back. `\d` would also take any script's
# digits (Arabic-Indic, Devanagari…), which no case ID has.
CASE_ID_PATTERN = r"[1-9][0-9]{9,10}"
_CASE_ID = re.compile(CASE_ID_PATTERN)
CASE_ID_RULE = "10 or 11 digits"

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAY_FORMAT = "YYYY-MM-DD"
NOT_WRITTEN_AS_A_DAY = f"is not written {DAY_FORMAT}"
NOT_A_CALENDAR_DAY = "is not a day of the calendar"


def parse_case_id(text: str) -> int | None:
    """The case ID `text` is (spaces around it allowed), or None."""
    cleaned = text.strip()
    return int(cleaned) if _CASE_ID.fullmatch(cleaned) else None


def day_problem(text: str) -> str | None:
    """Why `text` is not a day written YYYY-MM-DD, or None if it is one.
    The answer is the end of a sentence: "is not written YYYY-MM-DD" or "is
    not a day of the calendar"."""
    cleaned = text.strip()
    if not _DAY.fullmatch(cleaned):
        return NOT_WRITTEN_AS_A_DAY
    try:
        date.fromisoformat(cleaned)
    except ValueError:
        return NOT_A_CALENDAR_DAY
    return None


def parse_day(text: str) -> date | None:
    """The day `text` names as YYYY-MM-DD, or None."""
    return None if day_problem(text) else date.fromisoformat(text.strip())
