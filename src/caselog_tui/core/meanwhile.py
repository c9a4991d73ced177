"""What changed on a case while a seller was writing: the sentence a form
shows when the store refuses a write prepared against an older version of
the case (a teammate replied, Seller Support answered, a mail import came
in). Nothing is merged: the seller reads what happened, keeps the draft,
and sends again.

The two records are the case as the form opened it and as the store holds
it now; the sentence names what a seller would look for first: new
messages (who wrote, and the start of the newest), then the status, then
the short description."""

from __future__ import annotations

from caselog_tui.core.records import CaseDetail, Message, Side, new_messages
from caselog_tui.core.text import clean_line, in_words

# How much of the newest message the sentence quotes.
QUOTE_CHARACTERS = 60


def what_changed(before: CaseDetail, after: CaseDetail) -> str:
    """One clause, no full stop: "Seller Support answered this case: “…”"."""
    new = new_messages(before, after)
    parts = []
    if new:
        parts.append(f"{_writers(new)} {_verb(new)} this case: “{_quote(new[-1])}”")
    if after.status is not before.status:
        parts.append(f"it is now {after.status.label}")
    if after.summary.short_description != before.summary.short_description:
        parts.append("its short description was changed")
    return in_words(parts) or "someone else changed this case"


def changed_meanwhile_sentence(before: CaseDetail, after: CaseDetail, kept: str) -> str:
    """The whole refusal; `kept` says what of the seller's stays ("Your
    reply is kept")."""
    return (
        f"While you were writing, {what_changed(before, after)}. {kept} — review it and send again."
    )


def _writers(messages: list[Message]) -> str:
    names: list[str] = []
    for message in messages:
        name = "Seller Support" if message.side is Side.SUPPORT else clean_line(message.author)
        if name not in names:
            names.append(name)
    return in_words(names)


def _verb(messages: list[Message]) -> str:
    return "answered" if all(m.side is Side.SUPPORT for m in messages) else "wrote on"


def _quote(message: Message) -> str:
    text = " ".join(clean_line(message.body).split())
    if len(text) <= QUOTE_CHARACTERS:
        return text
    return text[: QUOTE_CHARACTERS - 1].rstrip() + "…"
