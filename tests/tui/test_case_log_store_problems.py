"""When the store cannot answer (a damaged file, a disk error), the case log
says so once, in a notification and where the cases would be, and shows the
cases again as soon as the store answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Static

from caselog_tui.core.errors import StoreError
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.widgets.case_table import CaseTable
from tests.tui.detail_helpers import make_case, new_app, notifications, settle

DAMAGED = "/tmp/x.db is not a case log or it is damaged."


def failing(monkeypatch: pytest.MonkeyPatch, log: CaseLog) -> Callable[[], None]:
    """Makes every read of `log` fail; returns what makes them work again."""
    names = ("rows", "count", "primary_emails")
    originals = {name: getattr(log, name) for name in names}

    def fail(*_args: object, **_kwargs: object) -> object:
        raise StoreError(DAMAGED)

    for name in names:
        monkeypatch.setattr(log, name, fail)

    def heal() -> None:
        for name, original in originals.items():
            monkeypatch.setattr(log, name, original)

    return heal


async def test_a_store_that_cannot_answer_is_said_once_and_stays_said(
    case_log: CaseLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(case_log)
    heal = failing(monkeypatch, case_log)
    async with new_app(case_log).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert notifications(pilot).count(DAMAGED) == 1
        empty = pilot.app.screen.query_one("#case-log-empty", Static)
        assert empty.display and DAMAGED in str(empty.render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert notifications(pilot).count(DAMAGED) == 2  # asked again, said again, once
        heal()
        await pilot.press("ctrl+r")
        await settle(pilot)
        table = pilot.app.screen.query_one(CaseTable)
        assert [c.case_id for c in table.cases] == [case.case_id]
        assert not empty.display
