"""A case log written by the first release (tests/fixtures/schema-1.db)
opens in this one: upgraded once, in one transaction, with a copy of the
old file kept beside it, even when several caselogs open it at once."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import backup_path, open_store
from caselog_tui.store.models import SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "schema-1.db"
FIXTURE_CASES = 40


def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "caselog.db"
    shutil.copy(FIXTURE, path)
    return path


def schema_version(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        (found,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    conn.close()
    return str(found)


def test_the_first_releases_file_opens_upgraded_with_a_backup(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    told: list[str] = []
    store = open_store(path, notice=told.append)
    log = CaseLog(store)
    assert log.count(CaseQuery(include_expired=True)) == FIXTURE_CASES
    assert told == [
        "This case log was made by an older caselog: building its indexes "
        "(a few seconds for a large case log)."
    ]
    store.close()
    assert schema_version(path) == str(SCHEMA_VERSION)
    backup = backup_path(path, 1)
    assert schema_version(backup) == "1"
    assert backup.read_bytes() != path.read_bytes()
    assert (backup.stat().st_mode & 0o777) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # Schema 3: every case starts counting its writes from 0.
        versions = conn.execute("SELECT DISTINCT version FROM cases").fetchall()
        assert versions == [(0,)]
    conn.close()
    told.clear()
    open_store(path, notice=told.append).close()
    assert told == []  # nothing left to do


OPEN_AND_COUNT = """
import sys
from pathlib import Path
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store
told = []
store = open_store(Path(sys.argv[1]), notice=told.append)
print(CaseLog(store).count(CaseQuery(include_expired=True)), len(told))
store.close()
"""


def test_several_caselogs_opening_an_old_file_at_once_upgrade_it_once(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_COUNT, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [opener.communicate(timeout=120) for opener in openers]
    for opener, (out, err) in zip(openers, results, strict=True):
        assert opener.returncode == 0, err
        assert "Traceback" not in err
        count, _notices = out.split()
        assert int(count) == FIXTURE_CASES
    assert schema_version(path) == str(SCHEMA_VERSION)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        columns = [row[1] for row in conn.execute("PRAGMA table_xinfo(cases)")]
    conn.close()
    assert columns.count("recent_at") == 1
    assert schema_version(backup_path(path, 1)) == "1"
