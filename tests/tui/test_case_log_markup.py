"""Short descriptions come from people: text that looks like markup shows
exactly as written in the table and does nothing when clicked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.app import CaseLogApp
from caselog_tui.tui.screens.case_log import CaseLogScreen
from caselog_tui.tui.widgets.case_table import CaseTable
from caselog_tui.tui.widgets.status_line import StatusLine

Build = Callable[..., CaseLogApp]
Settle = Callable[[Pilot[None]], Awaitable[None]]

MARKUP_LIKE = ["[TODO] refund", "[/b]", "[link=https://x]y", "[@click=app.quit]z"]


async def test_markup_like_descriptions_show_literally_and_are_inert(
    case_log_app: Build, case_log_demo: CaseLog, case_log_settle: Settle
) -> None:
    for text in MARKUP_LIKE:
        case_log_demo.submit_case(
            primary_email="seller@northwind-goods.co.uk", short_description=text, message="x"
        )
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        table = app.screen.query_one(CaseTable)
        # The newest first: the four cases are the first rows, last one on top.
        lines = {text: table.render_line(1 + row) for row, text in enumerate(reversed(MARKUP_LIKE))}
        for text, strip in lines.items():
            assert text in strip.text, strip.text
            for segment in strip:
                style = segment.style
                assert style is None or (not style.link and "@click" not in style.meta)

        x = next(
            table.get_column_index(column.key)
            for column in table.ordered_columns
            if column.label.plain.startswith("Short Description")
        )
        left = sum(c.get_render_width(table) for c in table.ordered_columns[:x])
        await pilot.click(CaseTable, offset=(left + 1, 1))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, CaseLogScreen)
        assert app.return_code is None


async def test_a_markup_like_search_term_shows_literally(
    case_log_app: Build, case_log_settle: Settle
) -> None:
    app = case_log_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case_log_settle(pilot)
        await pilot.press("slash", *"[/b]", "enter")
        await case_log_settle(pilot)
        line = app.screen.query_one(StatusLine).render()
        assert str(line).startswith("Search: [/b] · ")
