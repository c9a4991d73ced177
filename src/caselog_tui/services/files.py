"""Reading and writing the seller's own files (reports, exports, imports):
a report is written whole or not at all, and every failure is a sentence."""

from __future__ import annotations

import codecs
import contextlib
import errno
import glob
import io
import os
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.text import clean


class FileProblem(CaseLogError):
    """A file cannot be read or written; the message says which and why."""


def describe_os_error(error: OSError, path: Path, doing: str) -> str:
    """A sentence for an operating-system error while `doing` ("write the
    report") with `path`."""
    code = error.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return f"The disk is full, so could not {doing} {path}. Free some space and try again."
    if code == errno.ENOENT:
        return f"Could not {doing} {path}: the folder {path.parent} does not exist."
    if code in (errno.EACCES, errno.EPERM):
        return f"Could not {doing} {path}: permission denied."
    if code == errno.EROFS:
        return f"Could not {doing} {path}: the disk is read-only."
    if code == errno.EISDIR:
        return f"Could not {doing} {path}: it is a folder, not a file."
    return f"Could not {doing} {path}: {error.strerror or error}."


# A report being written is a hidden file beside it, named for the report
# and the process writing it: ".report.csv.myhost-4242.caselog-partial-x1y2".
# One left by a process that was killed (kill -9, a power cut) is
# recognisable, and the next export from this machine to the same folder
# removes it (a folder shared with other machines keeps theirs).
_PARTIAL = ".caselog-partial-"
_HOST = socket.gethostname()


@contextmanager
def atomic_output(path: Path, doing: str = "write") -> Iterator[BinaryIO]:
    """A binary file that appears at `path` only when the block ends normally.

    The data goes to a hidden temporary file in the same folder, which is
    renamed over `path` at the end, so a full disk, an error or Ctrl-C never
    leaves a half-written report (or a damaged older one) behind. A symbolic
    link is followed: the file it points to is replaced, the link stays.
    What is not a file at all (a FIFO, a process substitution like
    `>(gzip > x.gz)`, /dev/stdout, a terminal, /dev/null) is written to
    directly: replacing it would swap a device or a pipe for a file.
    """
    path = path.expanduser()
    if path.is_dir():
        raise FileProblem(f"Could not {doing} {path}: it is a folder, not a file.")
    if _is_stream(path):
        with _opened_stream(path, doing) as out:
            yield out
        return
    target = path.resolve() if path.is_symlink() else path
    _remove_stale_partials(target)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.{this_process()}{_PARTIAL}", dir=target.parent
        )
    except OSError as error:
        raise FileProblem(describe_os_error(error, path, doing)) from error
    done = False
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        done = True
    except OSError as error:
        raise FileProblem(describe_os_error(error, path, doing)) from error
    finally:
        if not done:
            Path(temporary).unlink(missing_ok=True)


def _is_stream(path: Path) -> bool:
    """Whether `path` (followed if a link) exists and is not a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False  # a new name, or a link to nothing: a new file
    return not stat.S_ISREG(mode)


@contextmanager
def _opened_stream(path: Path, doing: str) -> Iterator[BinaryIO]:
    try:
        with path.open("wb") as out:
            yield out
            out.flush()
    except OSError as error:
        raise FileProblem(describe_os_error(error, path, doing)) from error


def _remove_stale_partials(target: Path) -> None:
    """Removes the temporary files of earlier exports to `target` whose
    process is gone (killed before it could clean up). Best effort."""
    try:
        found = list(target.parent.glob(f".{glob.escape(target.name)}.*{_PARTIAL}*"))
    except OSError:
        return
    for partial in found:
        writer = partial.name[len(target.name) + 2 :].partition(_PARTIAL)[0]
        if writer_is_gone(writer):
            with contextlib.suppress(OSError):
                partial.unlink()


def this_process() -> str:
    """How a file left behind names the process that wrote it: "host-pid"."""
    return f"{_HOST}-{os.getpid()}"


def writer_is_gone(writer: str) -> bool:
    """Whether the process `writer` ("host-pid", see `this_process`) was on
    this machine and has ended. One on another machine is never called gone:
    a folder shared between machines keeps what their processes write."""
    host, _, pid = writer.rpartition("-")
    if host != _HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # sends nothing: is there such a process?
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's, alive
    return False


def open_for_reading(path: Path, what: str) -> BinaryIO:
    """`path` opened in binary, or FileProblem naming `what` ("the import file")."""
    path = path.expanduser()
    try:
        return path.open("rb")
    except FileNotFoundError as error:
        raise FileProblem(f"{what.capitalize()} {path} does not exist.") from error
    except IsADirectoryError as error:
        raise FileProblem(f"{what.capitalize()} {path} is a folder, not a file.") from error
    except OSError as error:
        raise FileProblem(describe_os_error(error, path, f"read {what}")) from error


class ForTerminal(io.RawIOBase):
    """Bytes on their way to a terminal, made safe as the TUI makes text
    safe (`core.text.clean`): an export to the screen shows the ESC of a
    hostile short description as ␛ instead of letting it retitle the
    window, write the clipboard or wipe the screen. UTF-8 split between two
    writes is put back together; bytes that are not UTF-8 show as U+FFFD.
    Only for a terminal: a file or a pipe gets the data byte for byte."""

    def __init__(self, out: BinaryIO) -> None:
        super().__init__()
        self._out = out
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._held_cr = False  # a CR at the end of one write may start a CRLF

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._emit(self._decoder.decode(view.tobytes()))
        return len(view)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(self._decoder.decode(b"", final=True), final=True)
            self._out.flush()
        super().close()

    def _emit(self, text: str, final: bool = False) -> None:
        if self._held_cr:
            text = "\r" + text
        self._held_cr = text.endswith("\r") and not final
        if self._held_cr:
            text = text[:-1]
        if text:
            self._out.write(clean(text).encode("utf-8"))
