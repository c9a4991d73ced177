"""The reading half of `caselog import`: the file's records, checked and
turned into the rows the store takes, a batch at a time.

Reading and checking a line costs about as much as storing it, so a large
file is read in a second process while this one stores the batch before
(the machine's other core would otherwise sit idle): a million cases go in
in about 20 s instead of 31. Both ways run the same `read_batches`; a batch
crosses between the processes as one `marshal` message, which is several
times cheaper than pickling the same rows.
"""

from __future__ import annotations

import gc
import marshal
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Generator, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import IO, Any, BinaryIO, NamedTuple

from caselog_tui.domain.errors import CaseLogError
from caselog_tui.domain.files import FileProblem, open_for_reading
from caselog_tui.domain.import_formats import CsvCases, JsonCases, Read, Skipped

_BOM = b"\xef\xbb\xbf"

# Below this size a file is read in this process: starting another costs
# about half a second, more than it saves.
SEPARATE_READER_FROM_BYTES = 32 * 1024 * 1024


class RowBatch(NamedTuple):
    """Up to a batch of valid cases, as rows ready to store, and the lines
    skipped while reading them."""

    position: int  # bytes of the file read so far, for progress
    skipped: list[tuple[int, str]]  # (line, reason)
    lines: list[int]  # the line of each case row
    cases: list[tuple[Any, ...]]  # import_formats.CASE_COLUMNS
    messages: list[tuple[Any, ...]]  # MESSAGE_COLUMNS, each case's in its order
    events: list[tuple[Any, ...]]  # EVENT_COLUMNS


Batches = Generator[RowBatch, None, None]


class ImportFile(NamedTuple):
    path: Path
    size: int
    # Whether a record carries Cc, messages and events (the full export) or
    # only the summary columns (the CSV report): then the log keeps its own.
    full: bool


def inspect_file(path: Path) -> ImportFile:
    """What kind of file `path` is; a FileProblem if it cannot be read or
    holds nothing."""
    with open_for_reading(path, "the import file") as binary:
        size = os.fstat(binary.fileno()).st_size
        start = binary.read(1024)
    if len(start) == size and not start.strip():
        raise FileProblem(f"The import file {path} is empty; there is nothing to import.")
    return ImportFile(path, size, start.removeprefix(_BOM).lstrip().startswith(b"{"))


def read_batches(file: ImportFile, tz: tzinfo, batch_size: int) -> Batches:
    """The file's valid cases, `batch_size` at a time; a case ID met again
    further down is skipped with its line."""
    with open_for_reading(file.path, "the import file") as binary:
        records = _records(binary, file, tz)
        seen: set[int] = set()
        batch = _new_batch()
        for line, item in records:
            if isinstance(item, Skipped):
                batch.skipped.append((item.line, item.reason))
                continue
            case, messages, events = item
            if case[0] in seen:
                reason = f"case {case[0]} appears earlier in the file; this copy is skipped."
                batch.skipped.append((line, reason))
                continue
            seen.add(case[0])
            batch.lines.append(line)
            batch.cases.append(case)
            batch.messages.extend(messages)
            batch.events.extend(events)
            if len(batch.cases) >= batch_size:
                yield batch._replace(position=binary.tell())
                batch = _new_batch()
        yield batch._replace(position=file.size)


def _new_batch() -> RowBatch:
    return RowBatch(0, [], [], [], [], [])


def _records(binary: BinaryIO, file: ImportFile, tz: tzinfo) -> Iterator[Read]:
    if file.full:
        return JsonCases(tz).read(_lines(binary))
    return CsvCases(tz).read(binary)


def _lines(binary: BinaryIO) -> Iterator[bytes]:
    first = True
    for line in binary:
        yield line.removeprefix(_BOM) if first else line
        first = False


def read_batches_aside(file: ImportFile, tz: tzinfo, batch_size: int) -> Batches:
    """`read_batches`, run in a second Python process that stays a batch
    ahead. A plain child process rather than `multiprocessing`, whose way of
    starting one re-runs the caller's main script. The process ends with the
    generator, also when the import stops early; if no process can be
    started the file is read here."""
    try:
        reader = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        yield from read_batches(file, tz, batch_size)
        return
    assert reader.stdin is not None and reader.stdout is not None
    try:
        with reader.stdin:
            reader.stdin.write(pickle.dumps((file, tz, batch_size)))
        while True:
            kind, payload = _receive(reader.stdout)
            if kind == "batch":
                yield RowBatch(*payload)
            elif kind == "problem":
                raise FileProblem(payload)
            elif kind == "failed":
                raise CaseLogError(f"The import could not read the file: {payload}.")
            else:
                return
    finally:
        reader.stdout.close()
        if reader.poll() is None:
            reader.terminate()
        reader.wait()


_LENGTH = struct.Struct("<Q")


def _send(out: IO[bytes], kind: str, payload: Any) -> None:
    message = marshal.dumps((kind, payload))
    out.write(_LENGTH.pack(len(message)))
    out.write(message)
    out.flush()


def _receive(source: IO[bytes]) -> tuple[str, Any]:
    header = source.read(_LENGTH.size)
    message = source.read(_LENGTH.unpack(header)[0]) if len(header) == _LENGTH.size else b""
    if not message:
        raise CaseLogError(
            "The import's reading process stopped unexpectedly; what was imported before "
            "is kept, and importing the file again finishes it."
        )
    kind, payload = marshal.loads(message)
    return kind, payload


def _serve() -> None:
    """The reading process: its orders on stdin, batches on stdout, then
    "done" or what stopped it."""
    gc.disable()  # see importer._no_cycle_collection
    out = sys.stdout.buffer
    try:
        file, tz, batch_size = pickle.loads(sys.stdin.buffer.read())
        for batch in read_batches(file, tz, batch_size):
            _send(out, "batch", tuple(batch))
        _send(out, "done", None)
    except FileProblem as problem:
        _send(out, "problem", str(problem))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the import stopped: nobody is listening any more
    except Exception as error:  # reported by the importing process, in a sentence
        _send(out, "failed", f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    _serve()
