"""A new case that follows up an older one (offered when the old one can no
longer take a reply or be re-opened): the short description and message it
starts with, so the seller need not write the issue out again and support
can find the old case."""

from __future__ import annotations

from caselog_tui.core.records import CaseDetail, Side
from caselog_tui.core.validation import SHORT_DESCRIPTION_MAX


def follow_up_subject(detail: CaseDetail) -> str:
    """ "Follow-up to case N: <old short description>", cut with "…" to the
    length a short description may have."""
    subject = f"Follow-up to case {detail.case_id}: {detail.summary.short_description}"
    if len(subject) <= SHORT_DESCRIPTION_MAX:
        return subject
    return subject[: SHORT_DESCRIPTION_MAX - 1].rstrip() + "…"


def follow_up_message(detail: CaseDetail) -> str:
    """Names the old case, then the seller's first message on it (the
    description of the issue), for the seller to edit."""
    first = next((m.body for m in detail.messages if m.side is Side.SELLER), "")
    head = f"This follows up case {detail.case_id} ({detail.summary.short_description})."
    return f"{head}\n\n{first}" if first else head
