"""A damaged or odd case log file gets its own sentence, never "an
unexpected problem" or SQLite's words, and nothing is changed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from caselog_tui.core.errors import StoreError, ValidationError
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store
from caselog_tui.store.dialects.sqlite import describe_error


def a_log(tmp_path: Path) -> Path:
    path = tmp_path / "cases.db"
    log = CaseLog(open_store(path))
    log.submit_case(primary_email="seller@example.com", short_description="Lost", message="Hi")
    log.store.close()
    return path


def change(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def refusal(path: Path) -> str:
    with pytest.raises(StoreError) as refused:
        open_store(path)
    return refused.value.message


def test_a_version_that_is_not_a_number(tmp_path: Path) -> None:
    path = a_log(tmp_path)
    change(path, "UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    assert refusal(path) == (
        f"{path} is damaged: its version “two” is not a number. "
        "Restore it from a backup or choose another file with --db."
    )


def test_an_emptied_meta_table(tmp_path: Path) -> None:
    path = a_log(tmp_path)
    change(path, "DELETE FROM meta")
    assert refusal(path) == (
        f"{path} is damaged: it does not say which version of the case log it is. "
        "Restore it from a backup or choose another file with --db."
    )
    with sqlite3.connect(path) as conn:  # nothing was changed, no column added
        columns = [row[1] for row in conn.execute("PRAGMA table_xinfo(cases)")]
    conn.close()
    assert columns.count("recent_at") == 1


def test_a_dropped_column(tmp_path: Path) -> None:
    path = a_log(tmp_path)
    change(path, "DROP INDEX ix_cases_by_reopened_count", "ALTER TABLE cases DROP COLUMN cc")
    told: list[str] = []
    with pytest.raises(StoreError) as refused:
        open_store(path, notice=told.append)
    assert refused.value.message == (
        f"{path} is damaged: its cases table lacks cc. "
        "Restore it from a backup or choose another file with --db."
    )
    assert told == []  # no false "an earlier import stopped"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_a_folder_on_the_way_that_cannot_be_entered() -> None:
    """As a user who may not enter a folder on the way (root may enter any)."""
    base = Path(tempfile.mkdtemp())  # outside pytest's folder, which is private
    try:
        base.chmod(0o755)
        locked = base / "locked"
        locked.mkdir(mode=0o700)
        script = (
            "import os, sys\n"
            # Everything imported first: nobody may not read this Python's files.
            "from caselog_tui.cli import main\n"
            "import caselog_tui.services.caselog, caselog_tui.store.database\n"
            "import caselog_tui.core.machine, caselog_tui.core.validation\n"
            "os.setgid(65534); os.setuid(65534)\n"  # nobody
            "sys.exit(main(['respond', '12005137221', '--status', 'answered', '--message',"
            f" 'x', '--db', {str(locked / 'inner' / 'cases.db')!r}]))\n"
        )
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    finally:
        shutil.rmtree(base)
    assert result.returncode == 1, result.stderr
    assert "unexpected problem" not in result.stderr
    assert "permission denied for a folder on the way to it" in result.stderr


def test_an_empty_file_given_with_db_is_announced_as_a_new_case_log(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    store = open_store(path)
    assert store.created
    store.close()
    assert not open_store(path).created


def test_a_search_word_longer_than_any_short_description(tmp_path: Path) -> None:
    log = CaseLog(open_store(a_log(tmp_path)))
    with pytest.raises(ValidationError) as refused:
        log.page(CaseQuery(search="x" * 50_000))
    assert refused.value.message == (
        "Search for words of at most 200 characters, the longest a short description can "
        "be; one word here has 50,000."
    )
    assert log.page(CaseQuery(search="l" * 200)).total == 0


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (5, "The case log is busy"),
        (261, "The case log is busy"),  # SQLITE_BUSY_RECOVERY
        (8, "is read-only"),
        (1032, "is read-only"),  # SQLITE_READONLY_DBMOVED
        (13, "The disk is full"),
        (26, "is not a case log or it is damaged"),
        (11, "is not a case log or it is damaged"),
        (14, "cannot be opened"),
        (10, "The disk reported an error"),
    ],
)
def test_sqlite_errors_are_told_by_their_code_not_their_words(code: int, sentence: str) -> None:
    error = sqlite3.OperationalError("words SQLite may change")
    error.sqlite_errorcode = code
    assert sentence in describe_error(error, Path("cases.db"))


def test_import_dash_reads_standard_input(tmp_path: Path) -> None:
    source = a_log(tmp_path)
    backup = subprocess.run(
        [sys.executable, "-m", "caselog_tui", "export", "--format", "jsonl", "--db", str(source)],
        capture_output=True,
        check=True,
    ).stdout
    target = tmp_path / "restored.db"
    result = subprocess.run(
        [sys.executable, "-m", "caselog_tui", "import", "-", "--db", str(target)],
        input=backup,
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b"Imported -: added 1, updated 0, skipped 0.\n"
    assert CaseLog(open_store(target)).count(CaseQuery(include_expired=True)) == 1
