"""Four processes write to the same 100 cases at once, as a busy team would:
replies, resolves, re-opens and edits, each sent against the version of
the case it read. Nothing may be lost or silently overwritten: every write
is either accepted or refused with the "changed meanwhile" sentence, no two
accepted writes were prepared against the same version of a case, and the
final case log equals a serial replay of the accepted writes (each replayed
against the version it was prepared on, so the replay proves the writes
form one chain per case).

The suite runs it for CASELOG_LOAD_SECONDS (2 s by default; the closing
figures of the team case log issue come from a 20-second run), on SQLite
and, when there, on PostgreSQL. It prints the counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from caselog_tui.core.locations import Location
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store

pytestmark = pytest.mark.both_databases

WRITERS = 4
CASES = 100
SECONDS = float(os.environ.get("CASELOG_LOAD_SECONDS", "2"))
ROOT = Path(__file__).resolve().parent.parent


def fill(log: CaseLog) -> list[int]:
    return [
        log.submit_case(
            primary_email="team@shop.example",
            short_description=f"Case {n} of the load test",
            message=f"The first message of case {n}.",
        ).case_id
        for n in range(CASES)
    ]


def replay(log: CaseLog, writes: list[dict[str, Any]]) -> None:
    """Each accepted write again, one at a time, against the version it was
    prepared on: the replay refuses one (CaseChangedMeanwhile) if the
    accepted writes of a case do not form one chain."""
    for write in sorted(writes, key=lambda w: (w["case_id"], w["seen"])):
        case_id, seen, text = write["case_id"], write["seen"], write["text"]
        if write["action"] == "reply":
            log.reply(case_id, text, seen_version=seen)
        elif write["action"] == "resolve":
            log.resolve(case_id, text, seen_version=seen)
        elif write["action"] == "reopen":
            log.reopen(case_id, text, seen_version=seen)
        else:
            log.edit_short_description(case_id, text[:60], seen_version=seen)


def state(log: CaseLog, case_id: int) -> tuple[object, ...]:
    case = log.case(case_id)
    s = case.summary
    bodies = tuple(m.body for m in case.messages)
    return (s.status, s.short_description, s.reopened_count, case.version, bodies)


def test_four_writers_lose_nothing_and_equal_a_serial_replay(
    store_location: Location, backend: str, tmp_path: Path
) -> None:
    log = CaseLog(open_store(store_location))
    case_ids = fill(log)
    command = [sys.executable, "-m", "tests.load_writer", str(store_location), str(SECONDS)]
    writers = [
        subprocess.Popen(
            [*command, str(seed), *map(str, case_ids)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(WRITERS)
    ]
    reports = []
    for writer in writers:
        out, err = writer.communicate(timeout=SECONDS + 120)
        assert writer.returncode == 0, err
        reports.append(json.loads(out))

    accepted = [write for report in reports for write in report["accepted"]]
    refused = sum(report["refused"] for report in reports)
    errors = [error for report in reports for error in report["errors"]]
    print(
        f"\nload on {backend}: {WRITERS} writers, {SECONDS:g} s, {CASES} cases: "
        f"{len(accepted)} accepted ({len(accepted) / SECONDS:.0f}/s), {refused} refused "
        f"as changed meanwhile, "
        f"{sum(r['not_allowed'] for r in reports)} not allowed, {len(errors)} errors"
    )
    assert errors == []  # a colleague's write waits for the lock; none fails busy
    assert len(accepted) > WRITERS  # every writer got through, more than once
    prepared_on: dict[int, list[int]] = defaultdict(list)
    for write in accepted:
        prepared_on[write["case_id"]].append(write["seen"])
    # No two accepted writes of a case were prepared against the same version.
    assert all(len(seen) == len(set(seen)) for seen in prepared_on.values())

    serial = CaseLog(open_store(tmp_path / "replay.db"), tz=UTC)
    assert fill(serial) == case_ids
    replay(serial, accepted)
    for case_id in case_ids:
        assert state(log, case_id) == state(serial, case_id), case_id
    log.store.close()
    serial.store.close()
