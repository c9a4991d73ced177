"""The case details header at the sizes sellers use: every field keeps its
label and value on one line, and two fields never run together."""

from __future__ import annotations

import re

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from caselog_tui.core.machine import Action
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.widgets.case_header import CaseHeader, pack
from tests.tui.detail_helpers import new_app, open_case, screen_text, settle

LABELS = ("Status:", "Re-opened:", "Created:", "Primary e-mail:", "Cc:")


def header_lines(pilot: Pilot[None]) -> list[str]:
    text = pilot.app.screen.query_one(CaseHeader).query_one(Static)
    return [text.render_line(y).text.strip() for y in range(text.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_no_label_ends_a_line_and_fields_keep_apart(
    case_log: CaseLog, size: tuple[int, int]
) -> None:
    address = "sam.patel@northwind-goods.co.uk"
    case = case_log.submit_case(
        primary_email=address,
        short_description="VAT invoice missing for November fees",
        message="Please send it.",
        cc="lena.brandt@3pl-partners.de, finance@northwind-goods.co.uk",
    )
    case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Sent.")
    case_log.reopen(case.case_id, "It is the wrong month.")
    case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Sent again.")
    async with new_app(case_log).run_test(size=size) as pilot:
        await open_case(pilot, case.case_id)
        lines = header_lines(pilot)
    text = "\n".join(lines)
    for label in LABELS:
        assert label in text, label
        assert not any(line.endswith(label) for line in lines), (label, lines)
    assert f"Primary e-mail: {address}" in text
    assert "Re-opened: once" in text
    # Whatever precedes a label on its line is the end of another field,
    # kept apart by at least two spaces.
    for line in lines:
        for label in LABELS:
            for found in re.finditer(re.escape(label), line):
                before = line[: found.start()]
                assert before == "" or before.endswith("  "), (label, line)


def test_fields_move_to_the_next_line_whole() -> None:
    fields = [Content("Case 12005138417"), Content("Status: Pending Amazon Action")]
    assert [line.plain for line in pack(fields, 80)] == [
        "Case 12005138417   Status: Pending Amazon Action"
    ]
    assert [line.plain for line in pack(fields, 40)] == [
        "Case 12005138417",
        "Status: Pending Amazon Action",
    ]
    assert pack([], 80) == []


async def test_the_longest_fields_fit_at_80x24_and_scroll_below_it(case_log: CaseLog) -> None:
    cc = ", ".join(f"person{n:02d}@northwind-goods.co.uk" for n in range(9))
    case = case_log.submit_case(
        primary_email="a.very.long.address.for.testing@northwind-goods.co.uk",
        short_description=("Long description words " * 9)[:200],
        message="Please check.",
        cc=cc,
    )
    case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
    async with new_app(case_log).run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case.case_id)
        header = pilot.app.screen.query_one(CaseHeader)
        assert header.max_scroll_y == 0
        text = " ".join(header_lines(pilot))
        assert "person08@northwind-goods.co.uk" in text
        assert "Can be re-opened for 5 days" in text
        await pilot.resize_terminal(80, 16)
        await settle(pilot)
        assert header.max_scroll_y > 0  # scrolls, with a scrollbar: nothing cut off
        header.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        assert "person08@northwind-goods.co.uk" in screen_text(pilot)
