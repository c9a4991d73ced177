"""What the seller sees: the case details (collapsed and expanded) and each
form, at 120x40 and at 80x24, on seeded demo data and a fixed clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.store.models import CASES
from caselog_tui.tui.widgets.history_layout import is_long
from tests.tui.detail_helpers import new_app, open_case, settle, without_blink

FIXED_NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]

SnapCompare = Callable[..., bool]


class DemoCases:
    """Seeded demo cases picked for each screen: one with a long message and
    a reply from support, and one answered two days ago."""

    def __init__(self, case_log: CaseLog) -> None:
        fill_demo(case_log.store, 120, 7, FIXED_NOW)
        with case_log.store.reading() as conn:
            ids = [row[0] for row in conn.execute(select(CASES.c.id).order_by(CASES.c.id))]
        details = [case_log.case(case_id) for case_id in ids]
        self.long = next(
            d.case_id
            for d in details
            if d.status.is_active and len(d.messages) >= 2 and is_long(d.messages[0].body)
        )
        self.answered = next(
            d.case_id
            for d in details
            if d.status is Status.ANSWERED and d.can_reopen(FIXED_NOW) and len(d.messages) >= 2
        )


@pytest.fixture
def detail_demo(case_log: CaseLog) -> DemoCases:
    return DemoCases(case_log)


def opened(case_id: int, *keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_case(pilot, case_id)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        without_blink(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_detail_collapsed(
    snap_compare: SnapCompare, case_log: CaseLog, detail_demo: DemoCases, size: tuple[int, int]
) -> None:
    app = new_app(case_log)
    assert snap_compare(app, terminal_size=size, run_before=opened(detail_demo.long, "k"))


@pytest.mark.parametrize("size", SIZES)
def test_detail_expanded(
    snap_compare: SnapCompare, case_log: CaseLog, detail_demo: DemoCases, size: tuple[int, int]
) -> None:
    app = new_app(case_log)
    assert snap_compare(app, terminal_size=size, run_before=opened(detail_demo.long, "k", "z"))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["r", "e", "R"], ids=["reply", "edit", "resolve"])
def test_active_case_forms(
    snap_compare: SnapCompare,
    case_log: CaseLog,
    detail_demo: DemoCases,
    size: tuple[int, int],
    key: str,
) -> None:
    app = new_app(case_log)
    assert snap_compare(app, terminal_size=size, run_before=opened(detail_demo.long, key))


@pytest.mark.parametrize("size", SIZES)
def test_reopen_form(
    snap_compare: SnapCompare, case_log: CaseLog, detail_demo: DemoCases, size: tuple[int, int]
) -> None:
    app = new_app(case_log)
    assert snap_compare(app, terminal_size=size, run_before=opened(detail_demo.answered, "o"))


@pytest.mark.parametrize("size", SIZES)
def test_new_case_form(
    snap_compare: SnapCompare, case_log: CaseLog, detail_demo: DemoCases, size: tuple[int, int]
) -> None:
    app = new_app(case_log, account_email="seller@northwind-goods.co.uk")
    assert snap_compare(app, terminal_size=size, run_before=opened(detail_demo.long, "n"))


@pytest.mark.parametrize("size", SIZES)
def test_reply_form_with_refused_fields(
    snap_compare: SnapCompare, case_log: CaseLog, detail_demo: DemoCases, size: tuple[int, int]
) -> None:
    app = new_app(case_log)
    keys = ("r", "tab", *"ops@", "ctrl+s")
    assert snap_compare(app, terminal_size=size, run_before=opened(detail_demo.long, *keys))


def test_reply_to_answered_case_refused(
    snap_compare: SnapCompare, case_log: CaseLog, detail_demo: DemoCases
) -> None:
    app = new_app(case_log)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opened(detail_demo.answered, "r"))
