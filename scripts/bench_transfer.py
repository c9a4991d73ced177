"""How fast cases get out of and into a case log, and how much memory it takes.

Builds a store of demo cases (or uses --db), then times, each in a fresh
process so its peak memory is its own:
  csv     the export report of every case (the view "All cases")
  jsonl   the full export, every case with its messages, by case ID
  import  that full export into an empty case log
and prints cases per second, CPU seconds (the import's reading process
included) and peak memory (RSS) of the process and of that reading process.

    python scripts/bench_transfer.py                 # 200,000 demo cases
    python scripts/bench_transfer.py --cases 1000000 # about a minute to build
    python scripts/bench_transfer.py --db big.db     # an existing case log

The targets of the export issue: CSV at least 150,000 cases/s with memory
flat in the number of cases; import at least 50,000 cases/s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHASES = ("csv", "jsonl", "import")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200_000, help="demo cases to build")
    parser.add_argument("--db", type=Path, help="use this case log instead of building one")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.db, args.folder)))
        return 0
    with tempfile.TemporaryDirectory(prefix="caselog-bench-") as temporary:
        folder = Path(temporary)
        db = args.db or build(folder / "bench.db", args.cases, args.seed)
        print(
            f"{'':8} {'cases':>10} {'seconds':>8} {'cases/s':>9} {'CPU s':>7} {'peak MB':>8} "
            f"{'reader MB':>9}"
        )
        for phase in PHASES:
            command = [sys.executable, __file__, "--phase", phase, "--db", str(db)]
            done = subprocess.run(
                [*command, "--folder", str(folder)], capture_output=True, text=True, check=True
            )
            result = json.loads(done.stdout)
            rate = result["cases"] / result["seconds"]
            reader = f"{result['reader_mb']:.0f}" if result["reader_mb"] else "-"
            print(
                f"{phase:8} {result['cases']:>10,} {result['seconds']:>8.2f} {rate:>9,.0f} "
                f"{result['cpu']:>7.2f} {result['peak_mb']:>8.0f} {reader:>9}"
            )
    return 0


def build(path: Path, cases: int, seed: int) -> Path:
    from caselog_tui.services.caselog import utc_now
    from caselog_tui.services.demo import fill_demo
    from caselog_tui.store.database import open_store

    started = time.perf_counter()
    store = open_store(path)
    fill_demo(store, cases, seed, utc_now())
    store.close()
    print(f"Built {cases:,} demo cases in {time.perf_counter() - started:.1f} s ({path}).")
    return path


def run_phase(phase: str, db: Path, folder: Path) -> dict[str, float]:
    from caselog_tui.core.view import CaseQuery, SortColumn
    from caselog_tui.services.caselog import CaseLog
    from caselog_tui.services.export import ExportFormat, export_to_file
    from caselog_tui.services.importer import import_cases
    from caselog_tui.store.database import open_store

    every_case = CaseQuery(include_expired=True)
    full_export = folder / "cases.jsonl"
    wall, cpu = time.perf_counter(), time.process_time()
    if phase == "csv":
        count = export_to_file(CaseLog(open_store(db)), every_case, folder / "cases.csv")
    elif phase == "jsonl":
        by_id = every_case.changed(sort=SortColumn.CASE_ID, descending=False)
        count = export_to_file(CaseLog(open_store(db)), by_id, full_export, ExportFormat.JSONL)
    else:
        target = CaseLog(open_store(folder / "imported.db"))
        wall, cpu = time.perf_counter(), time.process_time()
        result = import_cases(target, full_export)
        target.store.close()  # the last checkpoint is part of the import
        count = result.added + result.updated + result.unchanged
    reader = resource.getrusage(resource.RUSAGE_CHILDREN)  # the import's reading process
    return {
        "cases": count,
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu + reader.ru_utime + reader.ru_stime,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "reader_mb": reader.ru_maxrss / 1024,
    }


if __name__ == "__main__":
    sys.exit(main())
