"""The reading half of `caselog import`: the file's records, checked and
turned into the rows the store takes, a batch at a time.

Reading and checking a line costs about as much as storing it, so a large
file is read in a second process while this one stores the batch before
(the machine's other core would otherwise sit idle): a million cases go in
in about 18 s instead of 31. Both ways run the same `read_batches`; a batch
crosses between the processes as one `marshal` message over a
multiprocessing connection, several times cheaper than pickling the same
rows. Wherever a second process cannot be had (a frozen app, a Python that
cannot start or cannot import us), the file is read in this process
instead: slower, never different.

The second process is multiprocessing's: like any, it imports the main
module of the program that started it, so a script that imports cases must
run its work under `if __name__ == "__main__":`, as caselog's own do.
"""

from __future__ import annotations

import gc
import io
import itertools
import marshal
import multiprocessing
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import tzinfo
from multiprocessing import reduction
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, Any, BinaryIO, NamedTuple

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.text import clean_line
from caselog_tui.services.files import FileProblem, open_for_reading
from caselog_tui.services.import_formats import CsvCases, Read, Skipped
from caselog_tui.services.import_jsonl import JsonCases

_BOM = b"\xef\xbb\xbf"

# Below this size a file is read in this process: starting another costs
# about half a second, more than it saves.
SEPARATE_READER_FROM_BYTES = 32 * 1024 * 1024
# A batch also ends after this much of the file, so that cases with huge
# messages never make one too big to hold (or to send as one message).
BATCH_BYTES = 256 * 1024 * 1024
# A reading process has this long to start and say it is ready.
READY_SECONDS = 30


class RowBatch(NamedTuple):
    """Up to a batch of valid cases, as rows ready to store, and the lines
    skipped while reading them."""

    position: int  # bytes of the file read so far, for progress
    skipped: list[tuple[int, str]]  # (line, reason)
    lines: list[int]  # the line of each case row
    cases: list[tuple[Any, ...]]  # models.CASE_COLUMNS
    messages: list[tuple[Any, ...]]  # loading.MESSAGE_COLUMNS, each case's in its order
    events: list[tuple[Any, ...]]  # loading.EVENT_COLUMNS


Batches = Generator[RowBatch, None, None]


class ImportFile(NamedTuple):
    path: Path
    size: int  # 0 when it cannot be known (a pipe)
    # Whether a record carries Cc, messages and events (the full export) or
    # only the summary columns (the CSV report): then the log keeps its own.
    full: bool
    # A file on disk, which another process can open again; not a pipe.
    regular: bool


@contextmanager
def open_import_file(path: Path) -> Iterator[tuple[ImportFile, BinaryIO]]:
    """`path` opened once, and what kind of file it is; a FileProblem if it
    cannot be read or holds nothing. Opened once, so that a pipe
    (`caselog import <(zcat backup.jsonl.gz)`) is read whole."""
    with open_for_reading(path, "the import file") as opened:
        found = os.fstat(opened.fileno())
        regular = stat.S_ISREG(found.st_mode)
        size = found.st_size if regular else 0
        start, binary = _start_of(opened, regular)
        whole = not regular or len(start) >= size  # `start` is all there is to it
        if whole and not start.removeprefix(_BOM).strip():
            raise FileProblem(f"The import file {path} is empty; there is nothing to import.")
        first = start.removeprefix(_BOM).lstrip()
        if first.startswith(b"["):  # read as a CSV it failed deep in the csv module
            raise FileProblem(
                f"The import file {path} starts with “[”: a JSON array, not JSON Lines. "
                "Import a file with one case per line, as 'caselog export --format jsonl' "
                "writes it, or a CSV report."
            )
        full = first.startswith(b"{")
        yield ImportFile(path, size, full, regular), binary


def _start_of(opened: BinaryIO, regular: bool) -> tuple[bytes, BinaryIO]:
    """The first bytes of the file, up to its first that is not blank (or
    its end), and the file to read from its start. A file on disk is looked
    at without reading (peek); a pipe hands over what it has so far, maybe
    only a BOM or a blank line, so it is read until it shows more, and what
    was read is replayed before the rest."""
    if regular:
        return opened.peek(1024), opened  # type: ignore[attr-defined]
    start = b""
    while not start.removeprefix(_BOM).strip():
        more = opened.read1(65536)  # type: ignore[attr-defined]
        if not more:
            break
        start += more
    return start, io.BufferedReader(_Replayed(start, opened))


class _Replayed(io.RawIOBase):
    """`start`, then the rest of `rest`: a pipe's beginning, read to see
    what it is, put back in front of it."""

    def __init__(self, start: bytes, rest: BinaryIO) -> None:
        self._start = memoryview(start)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._start:
            count = min(len(buffer), len(self._start))
            buffer[:count] = self._start[:count]
            self._start = self._start[count:]
            return count
        return self._rest.readinto(buffer)  # type: ignore[attr-defined]


def read_batches(file: ImportFile, tz: tzinfo, batch_size: int, binary: BinaryIO) -> Batches:
    """The valid cases `binary` holds, `batch_size` at a time; a case ID met
    again further down is skipped with its line."""
    records = _records(binary, file, tz)
    seen: set[int] = set()
    batch = _new_batch()
    begun = 0  # where in the file the batch began
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
        if len(batch.cases) >= batch_size or (
            file.regular and len(batch.cases) % 512 == 0 and binary.tell() - begun > BATCH_BYTES
        ):
            begun = binary.tell() if file.regular else 0
            yield batch._replace(position=begun)
            batch = _new_batch()
    yield batch._replace(position=file.size)


def _new_batch() -> RowBatch:
    return RowBatch(0, [], [], [], [], [])


def _records(binary: BinaryIO, file: ImportFile, tz: tzinfo) -> Iterator[Read]:
    if file.full:
        # The first line less its BOM, then the rest as they come (chain, not
        # a generator of our own: a million lines pass through here).
        first = binary.readline().removeprefix(_BOM)
        return JsonCases(tz).read(itertools.chain([first], binary))
    return CsvCases(tz).read(binary)


# -- reading in a second process ---------------------------------------------

# A fresh interpreter (spawn), not a copy of this one (fork): this process
# may hold threads and an open case log, which a fork would copy mid-use.
_SPAWN = multiprocessing.get_context("spawn")
_READY = b"caselog import reader ready"
_LARGEST_MESSAGE = 4 * BATCH_BYTES  # anything longer is not a message of ours
_STOPPED = (
    "The import's reading process stopped unexpectedly{why}. What was imported before "
    "is kept, and importing the file again finishes it."
)


def read_batches_aside(file: ImportFile, tz: tzinfo, batch_size: int, binary: BinaryIO) -> Batches:
    """`read_batches`, run in a second Python process that stays a batch
    ahead; the process ends with the generator, also when the import stops
    early. Where none can be started, `binary` is read here."""
    reader = _Reader.start(file, tz, batch_size, binary)
    if reader is None:
        yield from read_batches(file, tz, batch_size, binary)
        return
    try:
        while True:
            kind, payload = reader.receive()
            if kind == "batch":
                yield RowBatch(*payload)
            elif kind == "problem":
                raise FileProblem(payload)
            elif kind == "failed":
                raise CaseLogError(f"The import could not read the file: {payload}.")
            else:
                return
    finally:
        reader.stop()


class _Reader:
    """The reading process, seen from the importing one."""

    def __init__(self, process: BaseProcess, connection: Connection, errors: IO[bytes]) -> None:
        self.process = process
        self.connection = connection
        self.errors = errors  # its stderr, for the sentence if it fails

    @classmethod
    def start(
        cls, file: ImportFile, tz: tzinfo, batch_size: int, binary: BinaryIO
    ) -> _Reader | None:
        """A reading process that has said it is ready, or None. It reads
        the file this process opened (its descriptor is handed over): the
        same file even if the path now names another, or names something
        only this process can open (/dev/stdin)."""
        if getattr(sys, "frozen", False) or not sys.executable or not file.regular:
            return None
        if os.name != "posix":  # descriptors are handed over the POSIX way
            return None
        mine, theirs = _SPAWN.Pipe()  # a socket pair, which can carry descriptors
        errors = tempfile.TemporaryFile()  # noqa: SIM115  (closed by stop())
        process = _SPAWN.Process(
            target=_serve,
            args=(theirs, file, tz, batch_size),
            name="caselog import reader",
            daemon=True,  # ended by multiprocessing if this process exits first
        )
        try:
            with _inherited_by_a_reading_process(errors):
                process.start()
        except OSError:  # no Python to start (FileNotFoundError, PermissionError)
            mine.close()
            errors.close()
            return None
        finally:
            theirs.close()
        reader = cls(process, mine, errors)
        try:
            reduction.send_handle(mine, binary.fileno(), process.pid)
            if mine.poll(READY_SECONDS) and mine.recv_bytes(len(_READY)) == _READY:
                return reader
        except (OSError, EOFError):  # it stopped before it was ready
            pass
        except BaseException:  # Ctrl-C while it starts: never leave it behind
            reader.stop()
            raise
        reader.stop()
        return None

    def receive(self) -> tuple[str, Any]:
        """The next message; a sentence if the process died, even half-way
        through sending one."""
        try:
            kind, payload = marshal.loads(self.connection.recv_bytes(_LARGEST_MESSAGE))
            return kind, payload
        except (OSError, EOFError, ValueError, TypeError):  # OSError: no length of ours
            pass
        self._end()
        why = self._last_words()
        self.stop()
        raise CaseLogError(_STOPPED.format(why=why))

    def stop(self) -> None:
        self._end()
        self.errors.close()

    def _end(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()

    def _last_words(self) -> str:
        """The last line it wrote to stderr, as " (MemoryError)", if any."""
        self.errors.seek(0)
        lines = self.errors.read().decode(errors="replace").strip().splitlines()
        return f" ({clean_line(lines[-1][:200])})" if lines else ""


@contextmanager
def _inherited_by_a_reading_process(errors: IO[bytes]) -> Iterator[None]:
    """What a reading process inherits from this one as it starts:
    `errors` for its stderr, from its first line on (whatever it says, a
    traceback too, ends in a sentence, never on the seller's terminal).
    Python's safe path (-P): the current folder stays off its import path,
    so a csv.py or socket.py there never runs. Ctrl-C blocked, as
    multiprocessing does for its own helper process: the importing process
    ends the reader itself."""
    sys.stderr.flush()
    stderr = os.dup(2)
    os.dup2(errors.fileno(), 2)
    safe_path = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        os.dup2(stderr, 2)
        os.close(stderr)
        if safe_path is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = safe_path
        # Last: a Ctrl-C held back meanwhile is raised here, all else restored.
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _serve(connection: Connection, file: ImportFile, tz: tzinfo, batch_size: int) -> None:
    """The reading process: the file's descriptor arrives, it says it is
    ready, sends the file's batches, then "done" or what stopped it. A
    batch goes as one `marshal` message, several times cheaper to make
    than pickling the same rows."""
    gc.disable()  # see importer._no_cycle_collection
    descriptor = reduction.recv_handle(connection)
    try:
        connection.send_bytes(_READY)
        os.lseek(descriptor, 0, os.SEEK_SET)  # the importing process looked at its start
        with open(descriptor, "rb") as binary:
            for batch in read_batches(file, tz, batch_size, binary):
                connection.send_bytes(marshal.dumps(("batch", tuple(batch))))
        connection.send_bytes(marshal.dumps(("done", None)))
    except FileProblem as problem:
        connection.send_bytes(marshal.dumps(("problem", str(problem))))
    except BrokenPipeError:
        pass  # the import stopped: nobody is listening any more
    except Exception as error:  # reported by the importing process, in a sentence
        connection.send_bytes(marshal.dumps(("failed", f"{type(error).__name__}: {error}")))
