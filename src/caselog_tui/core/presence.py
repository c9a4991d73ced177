"""Who else is here: the people of other running caselogs on the same case
log, what case each has open and whether they are writing to it, and the
words the case details and the case log say it in.

A session is heard from every BEAT_SECONDS; one not heard from for
GONE_AFTER_SECONDS has gone (a crashed or suspended laptop leaves no ghost
for longer than that)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from caselog_tui.core.text import clean_line, in_words

BEAT_SECONDS = 10.0
GONE_AFTER_SECONDS = 30.0
# The longest name a person is shown by (config `name`).
NAME_MAX = 40

# What a session can be doing on its case, as the sentence says it.
DOING = {
    "reply": "writing a reply",
    "reopen": "writing a re-open",
    "edit": "editing the short description",
    "resolve": "marking it resolved",
}


@dataclass(frozen=True, slots=True)
class Here:
    person: str
    case_id: int | None  # None: on the case log, no case open
    doing: str | None = None  # a key of DOING, or None when only reading


def on_case(others: Sequence[Here], case_id: int) -> list[Here]:
    """The others with this case open, one per person (a person writing
    counts over the same person only reading it in another terminal)."""
    found: dict[str, Here] = {}
    for here in others:
        if here.case_id != case_id:
            continue
        if here.person not in found or (here.doing and not found[here.person].doing):
            found[here.person] = here
    return list(found.values())


def presence_line(others: Sequence[Here], case_id: int) -> str:
    """ "ana is writing a reply · ben has this case open", or "" when nobody
    else has it open. Names are shown as plain text, whatever they hold."""
    parts = []
    readers = []
    for here in on_case(others, case_id):
        name = clean_line(here.person)[:NAME_MAX]
        if here.doing in DOING:
            parts.append(f"{name} is {DOING[here.doing]}")
        else:
            readers.append(name)
    if readers:
        verb = "has" if len(readers) == 1 else "have"
        parts.append(f"{in_words(readers)} {verb} this case open")
    return " · ".join(parts)
