"""Field rules with the sentences a seller reads: e-mail addresses, the Cc
list's 300 characters (commas and spaces count, spaces after commas
optional), the 1-200 character short description and the message."""

from __future__ import annotations

import pytest

from caselog_tui.core.errors import ValidationError
from caselog_tui.core.validation import (
    cc_problem,
    email_problem,
    message_problem,
    normalise_cc,
    normalise_email,
    normalise_message,
    normalise_short_description,
    short_description_problem,
)
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog


def cc_of_length(length: int, separator: str = ", ") -> str:
    """Distinct valid addresses joined by `separator`, exactly `length` long."""
    parts: list[str] = []
    number = 0
    while True:
        address = f"team{number:03d}@example.com"
        text = separator.join([*parts, address])
        if len(text) + len(separator) + len("team000@example.com") > length:
            break
        parts.append(address)
        number += 1
    rest = length - len(separator.join(parts)) - len(separator)
    local = "x" * (rest - len("@example.com"))
    cc = separator.join([*parts, f"{local}@example.com"])
    assert len(cc) == length
    return cc


@pytest.mark.parametrize(
    "address",
    ["seller@example.com", "Sam.Patel+returns@mail.example.co.uk", "a@b.c", "o'neil@example.ie"],
)
def test_valid_addresses(address: str) -> None:
    assert email_problem(address) is None
    assert normalise_email(f"  {address} ") == address.lower()


NOT_AN_ADDRESS = "is not a valid e-mail address (expected name@example.com)."


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("", "The e-mail address is empty."),
        ("   ", "The e-mail address is empty."),
        ("seller", f"“seller” {NOT_AN_ADDRESS}"),
        ("seller@", f"“seller@” {NOT_AN_ADDRESS}"),
        (
            "seller@example",
            f"“seller@example” {NOT_AN_ADDRESS}",
        ),
        (
            "sel ler@example.com",
            f"“sel ler@example.com” {NOT_AN_ADDRESS}",
        ),
        ("a@@example.com", f"“a@@example.com” {NOT_AN_ADDRESS}"),
        (".a@example.com", f"“.a@example.com” {NOT_AN_ADDRESS}"),
        ("a..b@example.com", f"“a..b@example.com” {NOT_AN_ADDRESS}"),
        ("a@-x.com", f"“a@-x.com” {NOT_AN_ADDRESS}"),
        ("a@x..com", f"“a@x..com” {NOT_AN_ADDRESS}"),
        (
            "a" * 250 + "@x.com",
            "The e-mail address is 256 characters; the limit is 254.",
        ),
    ],
)
def test_invalid_addresses_say_why(address: str, sentence: str) -> None:
    assert email_problem(address) == sentence
    with pytest.raises(ValidationError) as invalid:
        normalise_email(address, "primary_email")
    assert invalid.value.fields == {"primary_email": sentence}


def test_cc_of_exactly_300_characters_is_accepted() -> None:
    for separator in (", ", ","):
        cc = cc_of_length(300, separator)
        assert cc_problem(cc) is None
        assert len(normalise_cc(cc)) <= 300


def test_cc_of_301_characters_is_refused() -> None:
    for separator in (", ", ","):
        cc = cc_of_length(301, separator)
        assert cc_problem(cc) == (
            "The Cc list is 301 characters; the limit is 300 including commas and spaces."
        )
        with pytest.raises(ValidationError) as invalid:
            normalise_cc(cc)
        assert set(invalid.value.fields) == {"cc"}


def test_spaces_after_commas_count() -> None:
    compact = cc_of_length(299, ",")
    assert cc_problem(compact) is None
    with_spaces = compact.replace(",", ", ")
    assert cc_problem(with_spaces) is not None


def test_cc_spaces_after_commas_are_optional() -> None:
    assert normalise_cc("a@example.com,b@example.com") == "a@example.com, b@example.com"
    assert normalise_cc("a@example.com,   B@Example.com") == "a@example.com, b@example.com"
    assert normalise_cc("  ") == ""
    assert normalise_cc("a@example.com, A@EXAMPLE.COM") == "a@example.com"


@pytest.mark.parametrize(
    ("cc", "sentence"),
    [
        (
            "a@example.com, nope",
            "In the Cc list: “nope” is not a valid e-mail address (expected name@example.com).",
        ),
        (
            "a@example.com,,b@example.com",
            "The Cc list has an empty address: two commas in a row, "
            "or a comma at the start or end.",
        ),
        (
            "a@example.com; b@example.com",
            "In the Cc list: “a@example.com; b@example.com” is not a valid e-mail address "
            "(expected name@example.com).",
        ),
    ],
)
def test_bad_cc_lists_say_why(cc: str, sentence: str) -> None:
    assert cc_problem(cc) == sentence


def test_short_description_of_1_and_200_characters_after_trimming() -> None:
    assert normalise_short_description("  x  ") == "x"
    assert normalise_short_description(" " + "d" * 200 + " ") == "d" * 200
    assert short_description_problem("d" * 201) == (
        "The short description is 201 characters; the limit is 200."
    )
    assert short_description_problem(" \t\n") == (
        "The short description is empty; write a few words about the issue."
    )
    with pytest.raises(ValidationError) as invalid:
        normalise_short_description("d" * 201)
    assert set(invalid.value.fields) == {"short_description"}


def test_message_keeps_its_layout_but_not_trailing_blank_space() -> None:
    assert normalise_message("Hello,\r\n\r\n  indented\r\n\n  ") == "Hello,\n\n  indented"
    assert message_problem("  \n") == (
        "The message is empty; write what you need from Seller Support."
    )


def test_a_form_gets_every_problem_at_once(case_log: CaseLog) -> None:
    with pytest.raises(ValidationError) as invalid:
        case_log.submit_case(primary_email="nope", short_description=" ", message="", cc="x" * 301)
    assert set(invalid.value.fields) == {"primary_email", "short_description", "message", "cc"}
    assert "not a valid e-mail address" in invalid.value.message
    assert case_log.count(CaseQuery(include_expired=True)) == 0
