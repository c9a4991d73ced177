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
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection, bindparam, select

from caselog_tui.domain.export import FULL_COLUMNS, case_histories
from caselog_tui.domain.files import FileProblem, open_for_reading
from caselog_tui.domain.import_formats import CaseRecord, CsvCases, JsonCases, Read, Skipped
from caselog_tui.domain.query import fold
from caselog_tui.domain.records import from_epoch
from caselog_tui.domain.service import CaseLog
from caselog_tui.store import sqlite as dialect
from caselog_tui.store.models import CASE_EVENTS, CASES, MESSAGES, META

BATCH_SIZE = 20_000
_LOOKUP_CHUNK = 10_000  # well below SQLite's limit of 32,766 values per statement
_BOM = b"\xef\xbb\xbf"

ImportProgress = Callable[[int, int], None]
"""Called after each batch with (bytes read, size of the file)."""

_CASE_COLUMNS = tuple(  # _case_values' order; computed columns are the store's own
    column.name for column in CASES.columns if column.computed is None
)
_MESSAGE_COLUMNS = ("case_id", "sent_at", "side", "author", "body", "mail_id")
_EVENT_COLUMNS = ("case_id", "at", "kind", "old", "new")
_TABLES = (CASES, MESSAGES, CASE_EVENTS)
_UPDATE_CASE = (
    CASES.update()
    .where(CASES.c.id == bindparam("case_id"))
    .values({name: bindparam(name) for name in _CASE_COLUMNS if name != "id"})
)


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
) -> ImportResult:
    """Imports the cases of the file at `path` (JSON Lines or CSV report)."""
    result = ImportResult()
    store = log.store
    with (
        open_for_reading(path, "the import file") as binary,
        dialect.store_errors(store.path),
        dialect.writer(store.engine).connect() as conn,
    ):
        size = os.fstat(binary.fileno()).st_size
        records = _records(binary, size, path, log.tz)
        dialect.ensure_indexes(conn, _TABLES)  # an earlier import may have been killed
        with _fastest_load(conn), _no_cycle_collection():
            for batch in _batches(records, result, batch_size):
                _write_batch(conn, batch, result)
                if progress:
                    progress(binary.tell(), size)
        if progress:
            progress(size, size)
    result.skipped.sort(key=lambda skipped: skipped.line)
    return result


def _batches(
    records: Iterator[Read], result: ImportResult, size: int
) -> Iterator[list[tuple[int, CaseRecord]]]:
    """The valid records, `size` at a time; the lines skipped while reading
    go straight into `result`."""
    seen: set[int] = set()
    batch: list[tuple[int, CaseRecord]] = []
    for line, item in records:
        if isinstance(item, Skipped):
            result.skipped.append(item)
        elif item.case_id in seen:
            reason = f"case {item.case_id} appears earlier in the file; this copy is skipped."
            result.skipped.append(Skipped(line, reason))
        else:
            seen.add(item.case_id)
            batch.append((line, item))
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


@contextmanager
def _fastest_load(conn: Connection) -> Iterator[None]:
    """Into an empty case log (a backup being restored) the indexes are
    built once at the end instead of kept up to date case by case; into a
    case log with cases, a large page cache keeps the indexes in memory."""
    with conn.begin():
        empty = conn.execute(select(CASES.c.id).limit(1)).first() is None
    speed_up = dialect.indexes_built_after(conn, _TABLES) if empty else dialect.large_cache(conn)
    with speed_up:
        yield


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


def _records(binary: BinaryIO, size: int, path: Path, tz: tzinfo) -> Iterator[Read]:
    """The file's records, read as JSON Lines if it starts with "{", else as
    a CSV report."""
    start = binary.read(1024)
    binary.seek(0)
    if len(start) == size and not start.strip():
        raise FileProblem(f"The import file {path} is empty; there is nothing to import.")
    if start.removeprefix(_BOM).lstrip().startswith(b"{"):
        return JsonCases(tz).read(_lines(binary))
    return CsvCases(tz).read(binary)


def _lines(binary: BinaryIO) -> Iterator[bytes]:
    first = True
    for line in binary:
        yield line.removeprefix(_BOM) if first else line
        first = False


@dataclass
class _Batch:
    """The rows one batch writes, and what it counts once committed."""

    cases: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)


def _write_batch(
    conn: Connection, batch: list[tuple[int, CaseRecord]], result: ImportResult
) -> None:
    """One transaction: the whole batch or, if anything fails, none of it."""
    with conn.begin():
        ids = [record.case_id for _, record in batch]
        stored = {
            row[0]: row for row in conn.execute(select(*FULL_COLUMNS).where(CASES.c.id.in_(ids)))
        }
        mail_owners = _mail_owners(conn, batch)
        rows = _Batch()
        changed: list[tuple[int, CaseRecord]] = []
        for line, record in batch:
            clash = _mail_clash(record, mail_owners)
            if clash:
                rows.result.skipped.append(Skipped(line, clash))
            elif record.case_id in stored:
                changed.append((line, record))
            else:
                _add(rows, record)
        if changed:
            _merge(conn, changed, stored, rows)
        if rows.cases:
            dialect.bulk_insert(conn, "cases", _CASE_COLUMNS, rows.cases)
            _keep_ids_unused(conn, max(row[0] for row in rows.cases))
        if rows.updates:
            conn.execute(_UPDATE_CASE, rows.updates)
        if rows.messages:
            dialect.bulk_insert(conn, "messages", _MESSAGE_COLUMNS, rows.messages)
        if rows.events:
            dialect.bulk_insert(conn, "case_events", _EVENT_COLUMNS, rows.events)
    result.added += rows.result.added
    result.updated += rows.result.updated
    result.unchanged += rows.result.unchanged
    result.skipped.extend(rows.result.skipped)


def _mail_owners(conn: Connection, batch: list[tuple[int, CaseRecord]]) -> dict[str, int]:
    """Which case already holds each e-mail Message-ID the batch mentions."""
    mail_ids = [m[4] for _, r in batch for m in r.messages or () if m[4] is not None]
    owners: dict[str, int] = {}
    for start in range(0, len(mail_ids), _LOOKUP_CHUNK):
        wanted = MESSAGES.c.mail_id.in_(mail_ids[start : start + _LOOKUP_CHUNK])
        found = conn.execute(select(MESSAGES.c.mail_id, MESSAGES.c.case_id).where(wanted))
        owners.update({mail_id: case_id for mail_id, case_id in found})
    return owners


def _mail_clash(record: CaseRecord, owners: dict[str, int]) -> str | None:
    """A Message-ID may be recorded once in the whole log (mail import relies
    on it): a record whose mail another case holds is refused whole. The
    record's own mail IDs are then claimed for the rest of the batch."""
    mine = [m[4] for m in record.messages or () if m[4] is not None]
    if not mine:  # most cases: no e-mail at all
        return None
    for mail_id in mine:
        owner = owners.get(mail_id, record.case_id)
        if owner != record.case_id:
            return (
                f"the e-mail {mail_id[:60]} of case {record.case_id} is already recorded "
                f"on case {owner}."
            )
    if len(set(mine)) != len(mine):
        return f"case {record.case_id} holds the same e-mail (Message-ID) twice."
    owners.update(dict.fromkeys(mine, record.case_id))
    return None


def _case_values(record: CaseRecord, cc: str, answered_at: int | None) -> tuple[Any, ...]:
    return (
        record.case_id,
        record.created_at,
        record.status,
        record.primary_email,
        record.short_description,
        fold(record.short_description),
        cc,
        record.last_activity_at,
        answered_at,
        record.reopened_count,
    )


def _add(rows: _Batch, record: CaseRecord) -> None:
    case_id = record.case_id
    rows.cases.append(_case_values(record, record.cc or "", record.answered_at))
    rows.messages.extend((case_id, *m) for m in record.messages or ())
    rows.events.extend((case_id, *e) for e in record.events or ())
    rows.result.added += 1


def _merge(
    conn: Connection,
    changed: list[tuple[int, CaseRecord]],
    stored: dict[int, Any],
    rows: _Batch,
) -> None:
    """Cases the log already holds: unchanged, updated from a newer copy
    (messages and events merged), or kept because the log's copy is newer."""
    messages, events = case_histories(conn, [record.case_id for _, record in changed])
    for line, record in changed:
        old = stored[record.case_id]
        (_, created, status, email, description, cc, activity, answered, reopened) = old
        old_messages = [tuple(m[1:]) for m in messages[record.case_id]]
        old_events = [tuple(e[1:]) for e in events[record.case_id]]
        same = (
            record.created_at,
            record.status,
            record.primary_email,
            record.short_description,
            record.last_activity_at,
            record.reopened_count,
        ) == (created, status, email, description, activity, reopened)
        if record.messages is not None:  # a full record: every field counts
            same = same and (record.cc, record.answered_at) == (cc, answered)
            same = same and list(record.messages) == old_messages
            same = same and list(record.events or ()) == old_events
        if same:
            rows.result.unchanged += 1
            continue
        if record.last_activity_at <= activity:
            rows.result.skipped.append(
                Skipped(
                    line,
                    f"case {record.case_id} differs from the one in the case log, whose last "
                    f"activity ({from_epoch(activity):%Y-%m-%d %H:%M} UTC) is as new or newer; "
                    "the case log's copy was kept.",
                )
            )
            continue
        if record.messages is None:  # a CSV row has no Cc and no history
            answered_at = record.answered_at if record.answered_at is not None else answered
            values = _case_values(record, cc, answered_at)
        else:
            values = _case_values(record, record.cc or "", record.answered_at)
        rows.updates.append(
            {"case_id": record.case_id, **dict(zip(_CASE_COLUMNS[1:], values[1:], strict=True))}
        )
        # A message is the same one when its time, side, author and text
        # match, or when it is the same e-mail.
        known = {m[:4] for m in old_messages}
        known_mail = {m[4] for m in old_messages if m[4] is not None}
        rows.messages.extend(
            (record.case_id, *m)
            for m in record.messages or ()
            if m[:4] not in known and (m[4] is None or m[4] not in known_mail)
        )
        known_events = set(old_events)
        rows.events.extend(
            (record.case_id, *e) for e in record.events or () if e not in known_events
        )
        rows.result.updated += 1


def _keep_ids_unused(conn: Connection, highest: int) -> None:
    """New cases get IDs above every imported one, so none is ever reused."""
    key = META.c.key == "next_case_id"
    current = conn.execute(select(META.c.value).where(key)).scalar()
    if current is None:
        conn.execute(META.insert().values(key="next_case_id", value=str(highest + 1)))
    elif int(current) <= highest:
        conn.execute(META.update().where(key).values(value=str(highest + 1)))
