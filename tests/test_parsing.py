"""The one reading of a case ID and a day, which the CLI, the sidebar, the
search, mail and import share."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from caselog_tui.core.parsing import day_problem, parse_case_id, parse_day
from caselog_tui.core.view import CaseQuery, SortColumn, parse_sort
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.importer import import_cases
from caselog_tui.store.database import open_store


@given(st.integers(min_value=1_000_000_000, max_value=99_999_999_999))
def test_every_10_or_11_digit_number_is_a_case_id(number: int) -> None:
    assert parse_case_id(str(number)) == number
    assert parse_case_id(f"  {number}\n") == number


@pytest.mark.parametrize(
    "text",
    [
        "999999999",  # 9 digits
        "100000000000",  # 12
        "0000000001",  # would become case 1, which no export gives back
        "01234567890",
        "\u0661" * 11,  # Arabic-Indic digits
        "\uff11" * 10,  # full-width digits
        "1234567890a",
        "12345 67890",
        "+1234567890",
        "",
    ],
)
def test_what_is_not_a_case_id(text: str) -> None:
    assert parse_case_id(text) is None


def test_the_search_and_the_cli_read_case_ids_alike() -> None:
    assert CaseQuery(search=" 12005137522 ").search_case_id == 12005137522
    assert CaseQuery(search="0000000001").search_case_id is None
    assert CaseQuery(search="0000000001").keywords == ["0000000001"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-11-26", None),
        (" 2026-02-28 ", None),
        ("2026-02-30", "is not a day of the calendar"),
        ("2026-13-01", "is not a day of the calendar"),
        ("26-11-2026", "is not written YYYY-MM-DD"),
        ("2026-1-1", "is not written YYYY-MM-DD"),
        ("yesterday", "is not written YYYY-MM-DD"),
        ("\u0662\u0660\u0662\u0666-11-26", "is not written YYYY-MM-DD"),
        ("20261126", "is not written YYYY-MM-DD"),
    ],
)
def test_days(text: str, problem: str | None) -> None:
    assert day_problem(text) == problem
    assert parse_day(text) == (date.fromisoformat(text.strip()) if problem is None else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("created", (SortColumn.CREATED, False)),
        ("created:desc", (SortColumn.CREATED, True)),
        (" ID:ASC ", (SortColumn.CASE_ID, False)),
        ("activity:desc", (SortColumn.LAST_ACTIVITY, True)),
        ("colour", None),
        ("created:sideways", None),
        ("", None),
    ],
)
def test_sort_orders(text: str, expected: tuple[SortColumn, bool] | None) -> None:
    assert parse_sort(text) == expected


@pytest.mark.parametrize("case_id", ["0000000001", "01234567890", 1])
def test_an_import_refuses_a_case_id_no_export_could_give_back(
    tmp_path: Path, case_id: object
) -> None:
    """ "0000000001" was stored as case 1, exported as 1, and refused when
    the export was imported back: a backup lost it."""
    from tests.test_import import a_case, write

    log = CaseLog(open_store(tmp_path / "log.db"))
    record = {**a_case(), "case_id": case_id}
    source = write(tmp_path / "cases.jsonl", [json.dumps(record)])
    result = import_cases(log, source)
    assert result.added == 0
    assert [(s.line, s.reason) for s in result.skipped] == [
        (1, f"“{case_id}” is not a case ID (10 or 11 digits).")
    ]


def test_respond_refuses_a_case_id_with_a_leading_zero(tmp_path: Path) -> None:
    from caselog_tui.cli import main

    assert (
        main(
            [
                "respond",
                "0000000001",
                "--status",
                "answered",
                "--message",
                "x",
                "--db",
                str(tmp_path / "log.db"),
            ]
        )
        == 1
    )
