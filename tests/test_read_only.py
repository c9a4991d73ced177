"""A case log this user cannot write is opened read-only: reads and exports
work, every write is refused up front with one sentence, the file is not
changed. Run as another user (nobody): root may write any file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store

NOBODY = 65534
pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0, reason="needs root to act as another user"
)

AS_NOBODY = """
import os, sys
# Everything imported first: nobody may not read this Python's files.
from caselog_tui.cli import main
import caselog_tui.services.caselog, caselog_tui.store.database, caselog_tui.services.export
import caselog_tui.core.machine, caselog_tui.core.validation, caselog_tui.services.files
os.setgid(65534); os.setuid(65534)
sys.exit(main(sys.argv[1:]))
"""


def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", AS_NOBODY, *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's private one, which nobody can enter."""
    base = Path(tempfile.mkdtemp())
    base.chmod(0o755)
    yield base
    shutil.rmtree(base)


def a_log(path: Path) -> int:
    log = CaseLog(open_store(path))
    case = log.submit_case(
        primary_email="seller@example.com", short_description="Lost units", message="Hello"
    )
    log.store.close()
    return case.case_id


def test_a_file_that_is_not_ours_to_write(shared_folder: Path) -> None:
    """The folder is nobody's (SQLite can make its -shm there), the file root's."""
    folder = shared_folder / "team"
    folder.mkdir()
    path = folder / "cases.db"
    case_id = a_log(path)
    path.chmod(0o644)
    os.chown(folder, NOBODY, NOBODY)
    before = path.read_bytes()
    exported = as_nobody("export", "--all", "--db", str(path))
    assert exported.returncode == 0, exported.stderr
    assert "Lost units" in exported.stdout
    refused = as_nobody(
        "respond", str(case_id), "--status", "answered", "--message", "x", "--db", str(path)
    )
    assert refused.returncode == 1
    assert refused.stderr == (
        f"caselog: The case log {path} is read-only for you (the file or its folder is not "
        "writable), so nothing can be changed; it can still be read and exported.\n"
    )
    assert path.read_bytes() == before


def test_a_folder_where_not_even_the_shared_memory_file_can_be_made(shared_folder: Path) -> None:
    folder = shared_folder / "archive"
    folder.mkdir()
    path = folder / "cases.db"
    a_log(path)
    for entry in (folder, path):
        entry.chmod(0o755 if entry.is_dir() else 0o644)
    exported = as_nobody("export", "--all", "--format", "jsonl", "--db", str(path))
    assert exported.returncode == 0, exported.stderr
    assert '"short_description":"Lost units"' in exported.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["cases.db"]
