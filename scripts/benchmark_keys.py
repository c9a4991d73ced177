"""The TUI half of scripts/benchmark.py, run in a fresh process per size.

    python scripts/benchmark_keys.py caselog /tmp/big.db SPAWNED_AT
    python scripts/benchmark_keys.py bare /tmp/big.db SPAWNED_AT

Drives the real app headless at 120x40 through Textual's Pilot and prints
one JSON object: how long after the process was spawned the first page was
painted, and for each key, how long from the key to the screen at rest
again (its workers done and the app idle). `bare` is the floor: a bare
Textual app with a 50-row DataTable read with plain sqlite3, which pages
with `]` and searches (enter in its input, focus back to the table, as
the app does) with the SQL the app runs for that word.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

SIZE = (120, 40)
REPEATS = 5


async def at_rest(app: Any) -> None:
    """Until the app's workers are done and it has painted what they sent."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await asyncio.sleep(0)
    pilot_pause = app._benchmark_pilot.pause
    await pilot_pause()


async def timed_keys(pilot: Any, keys: list[str], before: list[str] | None = None) -> float:
    """Median ms from pressing `keys` to rest, each run from `before`."""
    runs = []
    for _ in range(REPEATS):
        if before:
            await pilot.press(*before)
            await at_rest(pilot.app)
        started = time.perf_counter()
        await pilot.press(*keys)
        await at_rest(pilot.app)
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return runs[len(runs) // 2]


def typed(text: str) -> list[str]:
    return [("space" if ch == " " else ch) for ch in text]


async def caselog(db: Path, spawned: float) -> dict[str, float]:
    from caselog_tui.services.caselog import CaseLog
    from caselog_tui.store.database import open_store
    from caselog_tui.tui.app import make_app
    from caselog_tui.tui.widgets.case_table import CaseTable

    app = make_app(CaseLog(open_store(db, create=False)))
    figures: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        app._benchmark_pilot = pilot  # type: ignore[attr-defined]
        while not app.screen.query(CaseTable) or not app.screen.query_one(CaseTable).row_count:
            await pilot.pause(0.005)
        figures["start: first page painted"] = (time.time() - spawned) * 1000
        await at_rest(app)
        steps: list[tuple[str, list[str], list[str] | None]] = [
            ("next page ]", ["right_square_bracket"], ["left_square_bracket"]),
            ("sort s (next column)", ["s"], None),
            ("reverse S", ["S"], None),
            ("clear F", ["F"], None),
        ]
        for word in ("reimbursement", "ltn4", "zzzq", "on"):
            steps.append(
                (f"search '{word}' enter", ["enter"], ["F", "slash", *typed(word)]),
            )
        steps.append(("open a case enter, back escape", ["enter", "escape"], ["F"]))
        for name, keys, before in steps:
            figures[name] = await timed_keys(pilot, keys, before)
    return figures


async def bare(db: Path, spawned: float) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input

    conn = sqlite3.connect(db, check_same_thread=False)
    columns = "id, created_at, status, primary_email, short_description, last_activity_at"

    indexed = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'cases_search'").fetchone()

    def page(offset: int, word: str = "") -> list[tuple[Any, ...]]:
        """The page the app would show, by the SQL it runs for it: the
        search index for a word of three characters or more (its matches
        sorted), else a LIKE walking the creation-date index."""
        where, order = "", "created_at DESC, id DESC"
        args: tuple[Any, ...] = ()
        if word and indexed and len(word) >= 3:
            where = "WHERE id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH ?)"
            args, order = (f'"{word}"',), "+created_at DESC, +id DESC"
        elif word:
            where, args = "WHERE description_key LIKE ?", (f"%{word}%",)
        sql = f"SELECT {columns} FROM cases {where} ORDER BY {order}"
        return conn.execute(f"{sql} LIMIT 50 OFFSET {offset}", args).fetchall()

    class Bare(App[None]):
        BINDINGS = [("right_square_bracket", "next"), ("left_square_bracket", "previous")]
        offset = 0

        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(id="search")
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Case ID", "Created", "Status", "E-mail", "Description", "Last")
            self.show(page(0))
            table.focus()

        def show(self, rows: list[tuple[Any, ...]]) -> None:
            table = self.query_one(DataTable)
            table.clear()
            table.add_rows([tuple(str(v) for v in row) for row in rows])

        def action_next(self) -> None:
            self.offset += 50
            self.show(page(self.offset))

        def action_previous(self) -> None:
            self.offset = max(0, self.offset - 50)
            self.show(page(self.offset))

        def on_input_submitted(self, event: Input.Submitted) -> None:
            self.show(page(0, event.value))
            self.query_one(DataTable).focus()

    app = Bare()
    figures: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        app._benchmark_pilot = pilot  # type: ignore[attr-defined]
        while not app.query_one(DataTable).row_count:
            await pilot.pause(0.005)
        figures["start: first page painted"] = (time.time() - spawned) * 1000
        await at_rest(app)
        figures["next page ]"] = await timed_keys(
            pilot, ["right_square_bracket"], ["left_square_bracket"]
        )
        for word in ("reimbursement", "ltn4", "zzzq", "on"):
            runs = []
            for _ in range(REPEATS):
                app.query_one(Input).value = ""
                app.query_one(Input).focus()
                await pilot.press(*typed(word))
                started = time.perf_counter()
                await pilot.press("enter")
                await at_rest(app)
                runs.append((time.perf_counter() - started) * 1000)
            figures[f"search '{word}' enter"] = sorted(runs)[REPEATS // 2]
    return figures


def main() -> int:
    which, db, spawned = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    run = caselog if which == "caselog" else bare
    figures = asyncio.run(run(db, spawned))
    # Linux gives the peak resident set in KiB.
    figures["peak RSS, MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
