"""What the command palette (ctrl+p) offers: the seller's actions in words
a seller would type, never the widgets' own movement keys."""

from __future__ import annotations

from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.screens.case_log import CaseLogScreen
from tests.tui.detail_helpers import make_case, new_app, open_case, settle

TABLE_INTERNALS = {
    "Cursor up",
    "Cursor down",
    "Cursor left",
    "Cursor right",
    "Page up",
    "Page down",
    "Page Left",
    "Page Right",
    "Top",
    "Bottom",
    "Home",
    "End",
    "Select",
    "Focus Next",
    "Focus Previous",
    "Copy selected text",
}


def palette_titles(app: object) -> list[str]:
    return [c.title for c in app.get_system_commands(app.screen)]  # type: ignore[attr-defined]


async def test_the_case_log_palette_holds_no_table_internals(case_log: CaseLog) -> None:
    make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CaseLogScreen)
        titles = palette_titles(app)
        assert not TABLE_INTERNALS & {t.strip() for t in titles}, titles
        assert not [t for t in titles if t.lower().startswith(("cursor", "page ", "scroll"))]
        for wanted in (
            "Open the highlighted case",
            "First page of cases",
            "Last page of cases",
            "Tell Support the highlighted case's issue is resolved",
            "Sort by Re-opened",
        ):
            assert wanted in titles, titles


async def test_the_case_details_palette_holds_no_scrolling_internals(case_log: CaseLog) -> None:
    case = make_case(case_log)
    app = new_app(case_log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case(pilot, case.case_id)
        titles = palette_titles(app)
        assert not [t for t in titles if t.lower().startswith(("cursor", "page ", "scroll"))]
