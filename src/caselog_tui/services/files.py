"""Reading and writing the seller's own files (reports, exports, imports):
a report is written whole or not at all, and every failure is a sentence."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from caselog_tui.core.errors import CaseLogError


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


@contextmanager
def atomic_output(path: Path, doing: str = "write") -> Iterator[BinaryIO]:
    """A binary file that appears at `path` only when the block ends normally.

    The data goes to a hidden temporary file in the same folder, which is
    renamed over `path` at the end, so a full disk, an error or Ctrl-C never
    leaves a half-written report (or a damaged older one) behind.
    """
    path = path.expanduser()
    if path.is_dir():
        raise FileProblem(f"Could not {doing} {path}: it is a folder, not a file.")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise FileProblem(describe_os_error(error, path, doing)) from error
    done = False
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        done = True
    except OSError as error:
        raise FileProblem(describe_os_error(error, path, doing)) from error
    finally:
        if not done:
            Path(temporary).unlink(missing_ok=True)


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
