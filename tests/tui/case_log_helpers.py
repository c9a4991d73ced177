"""What the case log screen shows, read the way its tests need it."""

from __future__ import annotations

from caselog_tui.core.view import CaseQuery
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.widgets.case_table import CaseTable
from caselog_tui.tui.widgets.status_line import StatusLine


def case_query(app: CaseLogApp) -> CaseQuery:
    screen = app.screen
    assert isinstance(screen, CaseLogScreen)
    return screen.case_query


def shown_ids(app: CaseLogApp) -> list[int]:
    table = app.screen.query_one(CaseTable)
    return [int(str(row.key.value)) for row in table.ordered_rows]


def status_line(app: CaseLogApp) -> str:
    return str(app.screen.query_one(StatusLine).render())
