"""One writer of the load test (tests/test_load.py), run as its own process:
for a few seconds it picks one of the given cases at random, reads it, and
sends what a seller would send next (a reply, a resolve, a re-open or an
edit) against the version it read. It prints one JSON object: the writes
that were accepted (case, the version they were prepared against, what and
the text), how many were refused because the case changed meanwhile, and
any other error.

python -m tests.load_writer LOCATION SECONDS SEED CASE_ID..."""

from __future__ import annotations

import json
import random
import sys
import time
from typing import Any

from caselog_tui.core.errors import ActionRefused, CaseChangedMeanwhile, StoreError
from caselog_tui.core.locations import location
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store


def write_one(log: CaseLog, rng: random.Random, case_id: int, n: int) -> dict[str, Any]:
    """Reads the case and sends one write against the version it read."""
    case = log.case(case_id)
    seen = case.version
    if case.summary.status is Status.ANSWERED:
        action = rng.choice(["reopen", "edit"])
    else:
        action = rng.choices(["reply", "resolve", "edit"], weights=[5, 2, 3])[0]
    text = f"{action} {n} from writer {rng.random():.6f}"
    if action == "reply":
        log.reply(case_id, text, seen_version=seen)
    elif action == "resolve":
        log.resolve(case_id, text, seen_version=seen)
    elif action == "reopen":
        log.reopen(case_id, text, seen_version=seen)
    else:
        log.edit_short_description(case_id, text[:60], seen_version=seen)
    return {"case_id": case_id, "seen": seen, "action": action, "text": text}


def main(argv: list[str]) -> int:
    where, seconds, seed, *case_ids = argv
    rng = random.Random(int(seed))
    ids = [int(i) for i in case_ids]
    log = CaseLog(open_store(location(where), create=False))
    accepted: list[dict[str, Any]] = []
    refused = not_allowed = 0
    errors: list[str] = []
    deadline = time.monotonic() + float(seconds)
    n = 0
    while time.monotonic() < deadline:
        n += 1
        case_id = rng.choice(ids)
        try:
            accepted.append(write_one(log, rng, case_id, n))
        except CaseChangedMeanwhile:
            refused += 1
        except ActionRefused:
            not_allowed += 1
        except StoreError as error:
            errors.append(error.message)
    log.store.close()
    report = {"accepted": accepted, "refused": refused, "not_allowed": not_allowed}
    print(json.dumps({**report, "errors": errors, "seconds": float(seconds)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
