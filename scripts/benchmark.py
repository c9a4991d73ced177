"""How fast caselog is on a big case log.

Builds a demo store with `caselog demo` (or reuses one that has cases),
then prints: the demo time, the file size and what of it the search index
takes, how long each view query takes through CaseLog, keyword searches
the way the case log screen asks for them beside the plain-SQL floor, the
real TUI's start-up and keys (headless, scripts/benchmark_keys.py) beside a
bare Textual app's, and the import cost of the TUI next to Textual's own.

    python scripts/benchmark.py --db /tmp/big.db --cases 1000000
    python scripts/benchmark.py --db /tmp/big.db --rebuild

With --postgres URL (an empty database, or one this script filled before),
the same demo cases go there too and the view queries are printed side by
side, SQLite beside PostgreSQL:

    python scripts/benchmark.py --db /tmp/big.db --postgres postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from caselog_tui.core.status import StatusGroup
from caselog_tui.core.view import CaseQuery, SortColumn
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.export import ExportFormat, export_cases
from caselog_tui.store.database import open_store

REPEATS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/big.db"))
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="delete and build it again")
    parser.add_argument(
        "--sizes",
        help="comma-separated case counts (e.g. 1000,100000,1000000): one store each, "
        "cases-N.db beside --db, and every figure per size",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also a case log on this PostgreSQL database, and the queries side by side",
    )
    args = parser.parse_args()
    if args.postgres:
        if not args.db.exists():
            build(args.db, args.cases, args.seed)
        build_on_server(args.postgres, args.cases, args.seed)
        side_by_side(args.db, args.postgres)
        return 0

    stores = [(args.db, args.cases)]
    if args.sizes:
        sizes = [int(size) for size in args.sizes.split(",")]
        stores = [(args.db.with_name(f"cases-{size}.db"), size) for size in sizes]
    for db, cases in stores:
        print(f"\n===== {cases:,} cases: {db}")
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        if not db.exists():
            build(db, cases, args.seed)
        else:
            print(f"reusing {db}")
        print(f"file size: {size_text(db)}")
        queries(db)
        searches(db)
        exports(db)
        screen(db)
    start_up()
    return 0


def build(db: Path, cases: int, seed: int) -> None:
    command = [sys.executable, "-m", "caselog_tui", "demo", "--cases", str(cases)]
    command += ["--seed", str(seed), "--no-open", "--db", str(db)]
    started = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    print(f"demo: {cases:,} cases in {seconds:.1f} s (caselog demo, end to end)")


def size_text(db: Path) -> str:
    files = [Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm")]
    total = sum(f.stat().st_size for f in files if f.exists())
    return (
        f"{db.stat().st_size / 1e6:,.0f} MB ({total / 1e6:,.0f} MB with -wal/-shm), "
        f"{search_index_size(db)}"
    )


def search_index_size(db: Path) -> str:
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        found = raw.execute("SELECT sum(length(block)) FROM cases_search_data").fetchone()
    except sqlite3.Error:
        return "no search index"
    finally:
        raw.close()
    return f"search index {int(found[0] or 0) / 1e6:,.0f} MB of it"


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(first run ms, median of the next runs ms, result)."""
    started = time.perf_counter()
    result = work()
    first = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        runs.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(runs), result


def build_on_server(url: str, cases: int, seed: int) -> None:
    """The same demo cases on the server, unless it holds cases already."""
    log = CaseLog(open_store(url))
    held = log.count(CaseQuery(include_expired=True))
    log.store.close()
    if held:
        print(f"reusing {held:,} cases on the server")
        return
    command = [sys.executable, "-m", "caselog_tui", "demo", "--cases", str(cases)]
    command += ["--seed", str(seed), "--no-open", "--db", url]
    started = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    print(f"demo on PostgreSQL: {cases:,} cases in {seconds:.1f} s (caselog demo, end to end)")


def side_by_side(db: Path, url: str) -> None:
    """Every view query of `queries`, and opening a case, on both stores:
    the median of each, SQLite beside PostgreSQL."""
    logs = [CaseLog(open_store(db, create=False)), CaseLog(open_store(url, create=False))]
    columns = [view_checks(log) + open_case_check(log) for log in logs]
    every = logs[0].count(CaseQuery(include_expired=True))
    heading = f"median ms, {every:,} cases"
    print(f"\n{heading:40} {'SQLite':>9} {'PostgreSQL':>11}  result")
    for (name, on_file), (_, on_server) in zip(*columns, strict=True):
        _, file_ms, result = timed(on_file)
        _, server_ms, _ = timed(on_server)
        total = getattr(result, "total", result)
        if hasattr(result, "messages"):
            shown = f"{len(result.messages)} messages"
        elif isinstance(total, int):
            shown = f"{total:,} cases"
        else:
            shown = f"{len(total)} items"
        print(f"{name:40} {file_ms:7.1f}ms {server_ms:9.1f}ms  {shown}")
    for log in logs:
        log.store.close()


def open_case_check(log: CaseLog) -> list[tuple[str, Callable[[], Any]]]:
    first = log.page(CaseQuery()).cases[0].case_id
    return [("open a case (its messages)", partial(log.case, first))]


def queries(db: Path) -> None:
    log = CaseLog(open_store(db, create=False))
    print(f"\n{'query on ' + db.name:40} {'first':>9} {'median':>9}  result")
    for name, work in view_checks(log):
        first, median, result = timed(work)
        total = getattr(result, "total", result)
        shown = f"{total:,} cases" if isinstance(total, int) else f"{len(total)} items"
        print(f"{name:40} {first:7.1f}ms {median:7.1f}ms  {shown}")
    log.store.close()


def view_checks(log: CaseLog) -> list[tuple[str, Callable[[], Any]]]:
    """The view queries the benchmark times, by name."""
    default = CaseQuery()
    last = 10**9
    returns = default.changed(email="returns@northwind-goods.co.uk")
    everything = default.changed(include_expired=True)
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("default view, first page", lambda: log.page(default)),
        ("default view, last page", lambda: log.page(default.changed(page=last))),
        ("default view, middle page", lambda: log.page(default.changed(page=4000))),
    ]
    for column in SortColumn:
        for descending in (True, False):
            view = default.changed(sort=column, descending=descending)
            way = "desc" if descending else "asc"
            checks.append((f"sort {column.value} {way}, first page", partial(log.page, view)))
    answered = default.changed(statuses=frozenset({StatusGroup.ANSWERED}))
    open_group = default.changed(statuses=frozenset({StatusGroup.OPEN, StatusGroup.REOPENED}))
    search = default.changed(search="reimbursement")
    checks += [
        ("status answered, first page", lambda: log.page(answered)),
        ("status answered, last page", lambda: log.page(answered.changed(page=last))),
        ("status open+reopened, first page", lambda: log.page(open_group)),
        ("e-mail filter, first page", lambda: log.page(returns)),
        ("search 'reimbursement', first page", lambda: log.page(search)),
        ("search 'reimbursement', last page", lambda: log.page(search.changed(page=last))),
        ("search two words 'lost ltn4'", lambda: log.page(default.changed(search="lost ltn4"))),
        ("search case ID", lambda: log.page(default.changed(search="12005137221"))),
        ("all cases, last page", lambda: log.page(everything.changed(page=last))),
        ("attention_count()", log.attention_count),
        ("primary_emails()", log.primary_emails),
    ]
    return checks


SEARCH_WORDS = ("reimbursement", "order", "ltn4", "lost ltn4", "on", "zzzq", "12005137221")


def searches(db: Path) -> None:
    """Each search as the case log screen asks for it: the first page
    before the view is counted, and the count, each beside the plain SQL
    the store ran before the search index (a LIKE over every case)."""
    log = CaseLog(open_store(db, create=False))
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    header = f"{'cases':>9} {'page':>8} {'count':>8} {'LIKE count':>11}"
    print(f"\n{'search (median ms)':24} {header}")
    for words in SEARCH_WORDS:
        view = CaseQuery(search=words)
        _, page, _ = timed(partial(log.rows, view))
        _, count, total = timed(partial(log.count, view))
        floor = "—"
        if view.keywords:
            like = " AND ".join("description_key LIKE ?" for _ in view.keywords)
            patterns = [f"%{word}%" for word in view.keywords]
            statement = f"SELECT count(*) FROM cases WHERE {like}"
            floor = f"{timed(partial(_count_with, raw, statement, patterns))[1]:.1f}"
        print(f"{words:24} {total:>9,} {page:8.1f} {count:8.1f} {floor:>11}")
    raw.close()
    log.store.close()


def _count_with(raw: sqlite3.Connection, statement: str, patterns: list[str]) -> int:
    return int(raw.execute(statement, patterns).fetchone()[0])


def exports(db: Path) -> None:
    """Both exports of every case to /dev/null, beside the CSV floor: the
    same columns read with sqlite3 and written with the csv module."""
    log = CaseLog(open_store(db, create=False))
    every = CaseQuery(include_expired=True)
    print(f"\n{'export of every case':40} {'seconds':>9} {'cases/s':>10}")
    rates = []
    for name, export_format in (
        ("CSV report", ExportFormat.CSV),
        ("JSON Lines", ExportFormat.JSONL),
    ):
        with open(os.devnull, "wb") as out:
            started = time.perf_counter()
            count = export_cases(log, every, out, export_format)
            seconds = time.perf_counter() - started
        rates.append((name, seconds, count))
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    columns = "id, created_at, status, primary_email, short_description, last_activity_at"
    with open(os.devnull, "w", newline="") as out:
        started = time.perf_counter()
        writer = csv.writer(out)
        rows = raw.execute(f"SELECT {columns} FROM cases ORDER BY created_at DESC, id DESC")
        writer.writerows(rows)
        rates.append(("floor: sqlite3 + csv, raw columns", time.perf_counter() - started, count))
    raw.close()
    for name, seconds, count in rates:
        print(f"{name:40} {seconds:9.1f} {count / seconds:10,.0f}")
    log.store.close()


def screen(db: Path) -> None:
    """The real app and a bare Textual app, each in a fresh process."""
    results = {}
    for which in ("caselog", "bare"):
        command = [sys.executable, str(Path(__file__).with_name("benchmark_keys.py")), which]
        command += [str(db), repr(time.time())]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        results[which] = json.loads(done.stdout)
    ours, floor = results["caselog"], results["bare"]
    floor_key = floor["next page ]"]
    print(f"\n{'the TUI, headless 120x40 (median ms)':40} {'caselog':>9} {'floor':>9}  ratio")
    for name, value in ours.items():
        base = floor.get(name, floor_key if not name.startswith("start") else None)
        ratio = f"{value / base:5.1f}x" if base else ""
        shown = f"{base:9.0f}" if base else f"{'':>9}"
        print(f"{name:40} {value:9.0f} {shown}  {ratio}")
    print("(floor: a bare Textual app, a 50-row DataTable read with sqlite3: its own search,")
    print(" else its page flip)")


def start_up() -> None:
    print("\nimport cost (best of 5 wall clock; -X importtime cumulative)")
    base = min(wall(["pass"]) for _ in range(5))
    for module in ("textual.app", "caselog_tui.tui.app", "caselog_tui.cli"):
        best = min(wall([f"import {module}"]) for _ in range(5))
        print(
            f"  import {module:22} {best - base:6.0f} ms over bare python ({best:.0f} ms); "
            f"importtime {importtime(module):6.0f} ms"
        )


def wall(code: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "; ".join(code)], check=True)
    return (time.perf_counter() - started) * 1000


def importtime(module: str) -> float:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    pattern = re.compile(rf"^import time:\s+\d+ \|\s+(\d+) \|\s*{re.escape(module)}$")
    for line in result.stderr.splitlines():
        found = pattern.match(line)
        if found:
            return int(found.group(1)) / 1000
    return float("nan")


if __name__ == "__main__":
    raise SystemExit(main())
