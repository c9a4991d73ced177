"""Field rules of docs/PRODUCT.md with the sentences a seller reads when one fails."""

from __future__ import annotations

import re

from caselog_tui.core.errors import ValidationError

SHORT_DESCRIPTION_MAX = 200
CC_MAX = 300
EMAIL_MAX = 254

# Deliberately plain: one "@", no spaces, a dot in the domain, no empty labels.
# Full RFC 5322 accepts addresses no mail form would; this is what sellers type.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def email_problem(address: str) -> str | None:
    """The sentence saying why `address` is not a usable e-mail, or None."""
    text = address.strip()
    if not text:
        return "The e-mail address is empty."
    if len(text) > EMAIL_MAX:
        return f"The e-mail address is {len(text)} characters; the limit is {EMAIL_MAX}."
    local = text.rpartition("@")[0]
    if not _EMAIL.match(text) or local.startswith(".") or local.endswith(".") or ".." in local:
        return f"“{text}” is not a valid e-mail address (expected name@example.com)."
    return None


def normalise_email(address: str, field: str = "email") -> str:
    """Trimmed, lower-cased address, or ValidationError naming `field`."""
    problem = email_problem(address)
    if problem:
        raise ValidationError({field: problem})
    return address.strip().lower()


def cc_problem(cc: str) -> str | None:
    """Checks a Cc field as typed: at most 300 characters including commas and
    spaces, addresses separated by commas (spaces after them optional)."""
    text = cc.strip()
    if not text:
        return None
    if len(text) > CC_MAX:
        return (
            f"The Cc list is {len(text)} characters; the limit is {CC_MAX} "
            "including commas and spaces."
        )
    for part in text.split(","):
        address = part.strip()
        if not address:
            return (
                "The Cc list has an empty address: two commas in a row, "
                "or a comma at the start or end."
            )
        problem = email_problem(address)
        if problem:
            return f"In the Cc list: {problem}"
    return None


def split_cc(cc: str) -> list[str]:
    """The addresses of a valid Cc field, lower-cased, duplicates removed."""
    seen: list[str] = []
    for part in cc.split(","):
        address = part.strip().lower()
        if address and address not in seen:
            seen.append(address)
    return seen


def join_cc(addresses: list[str]) -> str:
    """The stored Cc field: ", " between addresses when that fits the limit,
    else "," (spaces are optional), so a list the seller typed within 300
    characters without spaces is still within 300 once stored."""
    spaced = ", ".join(addresses)
    return spaced if len(spaced) <= CC_MAX else ",".join(addresses)


def normalise_cc(cc: str, field: str = "cc") -> str:
    problem = cc_problem(cc)
    if problem:
        raise ValidationError({field: problem})
    return join_cc(split_cc(cc))


def short_description_problem(text: str) -> str | None:
    trimmed = text.strip()
    if not trimmed:
        return "The short description is empty; write a few words about the issue."
    if len(trimmed) > SHORT_DESCRIPTION_MAX:
        return (
            f"The short description is {len(trimmed)} characters; "
            f"the limit is {SHORT_DESCRIPTION_MAX}."
        )
    return None


def normalise_short_description(text: str, field: str = "short_description") -> str:
    problem = short_description_problem(text)
    if problem:
        raise ValidationError({field: problem})
    return text.strip()


def message_problem(text: str) -> str | None:
    if not text.strip():
        return "The message is empty; write what you need from Seller Support."
    return None


def normalise_message(text: str, field: str = "message") -> str:
    problem = message_problem(text)
    if problem:
        raise ValidationError({field: problem})
    # Keep the seller's own layout; drop only trailing blank space.
    return text.replace("\r\n", "\n").rstrip()
