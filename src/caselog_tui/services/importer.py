"""`caselog import`: cases from a full export (JSON Lines) or a CSV report
into the case log.

Matched by case ID, so importing a file twice adds nothing the second time.
A case the log already holds is updated only when the file's copy has newer
activity (its messages are merged, none is lost); otherwise it is kept and
the line is reported. Cases go in batches, each one transaction: an
interrupted import leaves whole cases only, and running it again finishes it.
Into an empty case log (a backup restored) the indexes are built once at the
end; should the import be killed before that, the next import builds them.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caselog_tui.core.records import from_epoch
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.import_formats import Skipped
from caselog_tui.services.import_reading import (
    SEPARATE_READER_FROM_BYTES,
    RowBatch,
    open_import_file,
    read_batches,
    read_batches_aside,
)
from caselog_tui.store import loading
from caselog_tui.store.histories import case_histories
from caselog_tui.store.models import CASE_COLUMNS

if TYPE_CHECKING:
    from sqlalchemy import Connection

BATCH_SIZE = 20_000

ImportProgress = Callable[[int, int], None]
"""Called after each batch with (bytes read, size of the file)."""


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        """ "added 120, updated 3, skipped 2 (40 already up to date)" """
        text = f"added {self.added:,}, updated {self.updated:,}, skipped {len(self.skipped):,}"
        if self.unchanged:
            text += f" ({self.unchanged:,} already up to date)"
        return text


def import_cases(
    log: CaseLog,
    path: Path,
    progress: ImportProgress | None = None,
    batch_size: int = BATCH_SIZE,
    separate_reader: bool | None = None,
) -> ImportResult:
    """Imports the cases of the file at `path` (JSON Lines or CSV report).
    `separate_reader` reads the file in a second process (see
    import_reading); by default only a large file is."""
    result = ImportResult()
    with open_import_file(path) as (file, binary), loading.loading_into(log.store) as conn:
        if separate_reader is None:
            separate_reader = file.size >= SEPARATE_READER_FROM_BYTES
        reading = read_batches_aside if separate_reader else read_batches
        batches = reading(file, log.tz, batch_size, binary)
        try:
            with _no_cycle_collection():
                for batch in batches:
                    _write_batch(conn, batch, file.full, result)
                    if progress:  # a file that grows while it is read stops at 100%
                        progress(min(batch.position, file.size), file.size)
        finally:
            batches.close()  # the reading process, if any, ends here
    result.skipped.sort(key=lambda skipped: skipped.line)
    return result


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while the cases go in: reading makes no
    reference cycles, but the collector would still walk every object each
    batch holds, over and over (a seventh of the import's time). It is back
    on, as it was, when the import ends or fails."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@dataclass
class _Writes:
    """What one batch writes besides its new cases, and what it counts."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)


def _write_batch(conn: Connection, batch: RowBatch, full: bool, result: ImportResult) -> None:
    """One transaction: the whole batch or, if anything fails, none of it.
    `full`: the records carry Cc, messages and events (see ImportFile)."""
    with conn.begin():
        stored = loading.stored_cases(conn, [c[0] for c in batch.cases])
        refused = _mail_clashes(conn, batch)
        writes = _Writes()
        writes.result.skipped.extend(Skipped(line, reason) for line, reason in batch.skipped)
        left_out = set(stored) | set(refused)
        if left_out:
            _merge(conn, batch, full, stored, refused, writes)
            new_cases = [case for case in batch.cases if case[0] not in left_out]
            new_messages = [m for m in batch.messages if m[0] not in left_out]
            new_events = [e for e in batch.events if e[0] not in left_out]
        else:  # the usual case: every row goes in as it came
            new_cases, new_messages, new_events = batch.cases, batch.messages, batch.events
        loading.write_rows(
            conn,
            new_cases,
            writes.updates,
            new_messages + writes.messages,
            new_events + writes.events,
        )
    result.added += len(new_cases)
    result.updated += writes.result.updated
    result.unchanged += writes.result.unchanged
    result.skipped.extend(writes.result.skipped)


def _mail_clashes(conn: Connection, batch: RowBatch) -> dict[int, str]:
    """The cases of the batch refused whole for their e-mail, and why. A
    Message-ID may be recorded once in the whole log (mail import relies on
    it): a case whose mail another case holds is refused, and each case's
    mail IDs are claimed for the rest of the batch."""
    mine: dict[int, list[str]] = defaultdict(list)
    for message in batch.messages:
        if message[5] is not None:  # most cases: no e-mail at all
            mine[message[0]].append(message[5])
    if not mine:
        return {}
    owners = loading.mail_owners(conn, [m for mail_ids in mine.values() for m in mail_ids])
    refused: dict[int, str] = {}
    for case_id, mail_ids in mine.items():
        clash = next((m for m in mail_ids if owners.get(m, case_id) != case_id), None)
        if clash is not None:
            refused[case_id] = (
                f"the e-mail {clash[:60]} of case {case_id} is already recorded "
                f"on case {owners[clash]}."
            )
        elif len(set(mail_ids)) != len(mail_ids):
            refused[case_id] = f"case {case_id} holds the same e-mail (Message-ID) twice."
        else:
            owners.update(dict.fromkeys(mail_ids, case_id))
    return refused


def _merge(
    conn: Connection,
    batch: RowBatch,
    full: bool,
    stored: dict[int, Any],
    refused: dict[int, str],
    writes: _Writes,
) -> None:
    """Cases refused for their e-mail are reported; cases the log already
    holds are unchanged, updated from a newer copy (messages and events
    merged), or kept because the log's copy is newer."""
    changed = [case[0] for case in batch.cases if case[0] in stored and case[0] not in refused]
    old_messages, old_events = case_histories(conn, changed)
    messages = _by_case(batch.messages, stored)
    events = _by_case(batch.events, stored)
    for line, case in zip(batch.lines, batch.cases, strict=True):
        case_id = case[0]
        if case_id in refused:
            writes.result.skipped.append(Skipped(line, refused[case_id]))
        elif case_id in stored:
            _merge_case(
                line,
                case,
                stored[case_id],
                (messages[case_id], [tuple(m[1:]) for m in old_messages[case_id]]),
                (events[case_id], [tuple(e[1:]) for e in old_events[case_id]]),
                full,
                writes,
            )


def _by_case(rows: list[tuple[Any, ...]], wanted: dict[int, Any]) -> dict[int, list[Any]]:
    """The rows of the cases in `wanted`, without their case ID, by case."""
    by_case: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row[0] in wanted:
            by_case[row[0]].append(row[1:])
    return by_case


def _merge_case(
    line: int,
    case: Sequence[Any],
    old: Sequence[Any],
    messages: tuple[list[Any], list[Any]],
    events: tuple[list[Any], list[Any]],
    full: bool,
    writes: _Writes,
) -> None:
    (case_id, created, status, email, description, _key, cc, activity, answered, reopened) = case
    (_, old_created, old_status, old_email, old_description, old_cc) = old[:6]
    (old_activity, old_answered, old_reopened) = old[6:]
    (new_messages, old_messages), (new_events, old_events) = messages, events
    same = (created, status, email, description, activity, reopened) == (
        old_created,
        old_status,
        old_email,
        old_description,
        old_activity,
        old_reopened,
    )
    if full:  # a full record: every field counts
        same = same and (cc, answered) == (old_cc, old_answered)
        same = same and new_messages == old_messages and new_events == old_events
    if same:
        writes.result.unchanged += 1
        return
    if activity <= old_activity:
        writes.result.skipped.append(
            Skipped(
                line,
                f"case {case_id} differs from the one in the case log, whose last "
                f"activity ({from_epoch(old_activity):%Y-%m-%d %H:%M} UTC) is as new or newer; "
                "the case log's copy was kept.",
            )
        )
        return
    values = list(case)
    if not full:  # a CSV row has no Cc and no history: the log's are kept
        values[CASE_COLUMNS.index("cc")] = old_cc
        if answered is None:
            values[CASE_COLUMNS.index("answered_at")] = old_answered
    writes.updates.append(
        {"case_id": case_id, **dict(zip(CASE_COLUMNS[1:], values[1:], strict=True))}
    )
    # A message is the same one when its time, side, author and text match,
    # or when it is the same e-mail.
    known = {m[:4] for m in old_messages}
    known_mail = {m[4] for m in old_messages if m[4] is not None}
    writes.messages.extend(
        (case_id, *m)
        for m in new_messages
        if m[:4] not in known and (m[4] is None or m[4] not in known_mail)
    )
    known_events = set(old_events)
    writes.events.extend((case_id, *e) for e in new_events if e not in known_events)
    writes.result.updated += 1
