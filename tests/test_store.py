"""The store file: private to the user, shared safely by two processes (WAL),
honest about files it must not touch, and all-or-nothing transactions."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caselog_tui.core.errors import StoreError
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store import database
from caselog_tui.store.database import open_store
from caselog_tui.store.dialects import sqlite as dialect
from caselog_tui.store.models import CASES, META, SCHEMA_VERSION, CaseRow, MessageRow
from tests.conftest import FIXED_NOW


def add_case(log: CaseLog, description: str = "Lost units") -> int:
    return log.submit_case(
        primary_email="seller@example.com", short_description=description, message="Hi."
    ).case_id


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_store_is_private_and_its_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "cases.db"
    store = open_store(path)
    try:
        add_case(CaseLog(store))
        assert mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            side_file = Path(f"{path}{suffix}")
            assert side_file.exists()
            assert mode(side_file) & 0o077 == 0, f"{side_file} is readable by others"
        with store.reading() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == dialect.BUSY_TIMEOUT_MS
            version = conn.execute(select(META.c.value).where(META.c.key == "schema_version"))
            assert version.scalar() == str(SCHEMA_VERSION)
    finally:
        store.close()


def test_a_store_opens_again_with_its_cases(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    first = open_store(path)
    case_id = add_case(CaseLog(first))
    first.close()
    again = open_store(path)
    assert CaseLog(again).case(case_id).summary.short_description == "Lost units"
    assert add_case(CaseLog(again)) > case_id
    again.close()


def test_a_file_from_a_newer_caselog_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        conn.execute("CREATE TABLE future_things (x)")
    conn.close()
    with pytest.raises(StoreError) as refused:
        open_store(path)
    assert refused.value.message == (
        f"{path} was written by a newer caselog (schema 99); this one understands "
        f"schema {SCHEMA_VERSION}. Upgrade caselog-tui to open it."
    )
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (
            "99",
        )
    conn.close()


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"Shopping list\n" * 400
    path.write_bytes(content)
    with pytest.raises(StoreError) as refused:
        open_store(path)
    assert refused.value.message == (
        f"{path} is not a case log or it is damaged. "
        "Restore it from a backup or choose another file with --db."
    )
    assert path.read_bytes() == content


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    with pytest.raises(StoreError) as refused:
        open_store(path)
    assert refused.value.message == (
        f"{path} is a database of another program, not a case log. Choose another file with --db."
    )
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        journal = conn.execute("PRAGMA journal_mode").fetchone()
    conn.close()
    assert tables == [("invoices",)]
    assert journal == ("delete",)  # not switched to WAL behind the other program's back


def test_two_processes_creating_one_new_store_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    first = open_store(path)
    # The second process saw an empty file too, and creates the schema just after.
    database._create_schema(first)
    again = open_store(path)
    assert add_case(CaseLog(again)) > 10**9
    first.close()
    again.close()


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as refused:
        open_store(tmp_path)
    assert refused.value.message == f"{tmp_path} is a folder; --db needs a file name."


def test_a_folder_that_cannot_exist_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as refused:
        open_store(blocker / "cases.db")
    assert refused.value.message.startswith(f"Cannot create the case log {blocker / 'cases.db'}:")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Makes folders read-only for this process. Root ignores permissions, so
    as root the folder is also made immutable (chattr +i), or the test skips."""
    locked: list[Path] = []

    def lock(folder: Path) -> None:
        folder.chmod(0o555)
        locked.append(folder)
        if os.geteuid() == 0:
            chattr = shutil.which("chattr")
            done = chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True)
            if not done or done.returncode != 0:
                pytest.skip("root ignores folder permissions and chattr +i is not available")

    yield lock
    for folder in locked:
        if os.geteuid() == 0 and shutil.which("chattr"):
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def test_a_read_only_folder_says_so(tmp_path: Path, read_only: Callable[[Path], None]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    read_only(folder)
    with pytest.raises(StoreError) as refused:
        open_store(folder / "cases.db")
    assert refused.value.message == (
        f"Cannot create the case log {folder / 'cases.db'}: the folder is not writable. "
        "Choose another place with --db or CASELOG_DB."
    )


def test_an_existing_store_in_a_read_only_folder_is_read_but_not_written(
    tmp_path: Path, read_only: Callable[[Path], None]
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "cases.db"
    writable = CaseLog(open_store(path))
    case_id = add_case(writable)
    writable.store.close()
    read_only(folder)  # SQLite cannot make the -shm file its WAL needs
    before = path.read_bytes()
    log = CaseLog(open_store(path))
    assert log.store.read_only
    assert [c.case_id for c in log.page(CaseQuery()).cases] == [case_id]
    with pytest.raises(StoreError) as refused:
        log.reply(case_id, "Any news?")
    assert refused.value.message == (
        f"The case log {path} is read-only for you (the file or its folder is not writable), "
        "so nothing can be changed; it can still be read and exported."
    )
    log.store.close()
    assert path.read_bytes() == before


def test_two_connections_share_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    writer, reader = open_store(path), open_store(path)
    try:
        writer_log, reader_log = CaseLog(writer), CaseLog(reader)
        first = add_case(writer_log)
        with reader.reading() as snapshot:
            count = select(func.count()).select_from(CASES)
            assert snapshot.execute(count).scalar() == 1
            # A writer is not blocked by an open reader, and the reader keeps
            # its consistent snapshot until its transaction ends.
            second = add_case(writer_log)
            assert snapshot.execute(count).scalar() == 1
        assert reader_log.exists(second)
        assert reader_log.reply(first, "From the other window.").status.value == "pending"
        assert writer_log.case(first).messages[-1].body == "From the other window."
    finally:
        writer.close()
        reader.close()


def test_another_process_sees_the_change(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    store = open_store(path)
    log = CaseLog(store)
    case_id = add_case(log)
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from caselog_tui.core.machine import Action
        from caselog_tui.services.caselog import CaseLog
        from caselog_tui.store.database import open_store
        log = CaseLog(open_store(Path({str(path)!r})))
        log.record_support_reply({case_id}, Action.SUPPORT_ASKS, "Send the invoice.")
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert log.case(case_id).status.label == "Needs Your Attention"
    store.close()


def test_a_write_while_another_holds_the_lock_says_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialect, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "cases.db"
    holder, waiter = open_store(path), open_store(path)
    try:
        case_id = add_case(CaseLog(holder))
        waiting_log = CaseLog(waiter)
        with holder.writing() as session:
            session.execute(select(CASES.c.id))
            started = time.monotonic()
            with pytest.raises(StoreError) as busy:
                waiting_log.reply(case_id, "Me too.")
            assert time.monotonic() - started < 3
            assert busy.value.message == (
                "The case log is busy: another caselog is writing to it. "
                "Nothing was changed; try again in a moment."
            )
            assert waiting_log.case(case_id).status.value == "open"  # reads still work
        assert waiting_log.reply(case_id, "Me too.").status.value == "pending"
    finally:
        holder.close()
        waiter.close()


def test_a_transaction_that_raises_leaves_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "cases.db")
    log = CaseLog(store)
    with pytest.raises(RuntimeError), store.writing() as session:
        session.add(
            CaseRow(
                id=12345678901,
                created_at=0,
                status="open",
                primary_email="a@example.com",
                short_description="Half",
                description_key="half",
                last_activity_at=0,
            )
        )
        session.flush()
        session.add(MessageRow(case_id=12345678901, sent_at=0, side="seller", author="a", body="b"))
        session.flush()
        raise RuntimeError("power cut")
    with pytest.raises(RuntimeError), store.bulk_writing() as conn:
        dialect.bulk_insert(conn, "messages", ("case_id", "sent_at", "side", "author", "body"), [])
        conn.execute(META.update().values(value="0"))
        raise RuntimeError("power cut")
    assert not log.exists(12345678901)
    with store.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM messages").scalar() == 0
        assert "0" not in conn.execute(select(META.c.value)).scalars().all()
    store.close()


SCHEMA_1 = """
CREATE TABLE cases (id INTEGER NOT NULL, created_at INTEGER NOT NULL, status VARCHAR NOT NULL,
  primary_email VARCHAR NOT NULL, short_description VARCHAR NOT NULL,
  description_key VARCHAR NOT NULL, cc VARCHAR NOT NULL, last_activity_at INTEGER NOT NULL,
  answered_at INTEGER, reopened_count INTEGER NOT NULL, PRIMARY KEY (id));
CREATE INDEX ix_cases_primary_email ON cases (primary_email);
CREATE INDEX ix_cases_description_key ON cases (description_key);
CREATE INDEX ix_cases_created_at ON cases (created_at);
CREATE INDEX ix_cases_status ON cases (status);
CREATE INDEX ix_cases_answered_at ON cases (answered_at);
CREATE INDEX ix_cases_reopened_count ON cases (reopened_count);
CREATE INDEX ix_cases_last_activity_at ON cases (last_activity_at);
CREATE TABLE meta ("key" VARCHAR NOT NULL, value VARCHAR NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE messages (id INTEGER NOT NULL, case_id INTEGER NOT NULL, sent_at INTEGER NOT NULL,
  side VARCHAR NOT NULL, author VARCHAR NOT NULL, body VARCHAR NOT NULL, mail_id VARCHAR,
  PRIMARY KEY (id), FOREIGN KEY(case_id) REFERENCES cases (id), UNIQUE (mail_id));
CREATE INDEX ix_messages_case_id ON messages (case_id);
CREATE TABLE case_events (id INTEGER NOT NULL, case_id INTEGER NOT NULL, at INTEGER NOT NULL,
  kind VARCHAR NOT NULL, old VARCHAR NOT NULL, new VARCHAR NOT NULL, PRIMARY KEY (id),
  FOREIGN KEY(case_id) REFERENCES cases (id));
CREATE INDEX ix_case_events_case_id ON case_events (case_id);
INSERT INTO meta VALUES ('schema_version', '1'), ('next_case_id', '10004217303');
"""


def index_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    conn.close()
    return {name for (name,) in rows if not name.startswith("sqlite_autoindex")}


def test_a_schema_1_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    day = 86400
    now = int(FIXED_NOW.timestamp())
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_1)
        conn.executemany(
            "INSERT INTO cases VALUES (?, ?, 'answered', 'a@example.com', 'Old', 'old', '',"
            " ?, ?, 0)",
            [
                (10000000001, now - 40 * day, now - 10 * day, now - 10 * day),
                (10000000002, now - 40 * day, now - 35 * day, now - 35 * day),
            ],
        )
    conn.close()
    told: list[str] = []
    store = open_store(path, notice=told.append)
    assert told == [
        "This case log was made by an older caselog: building its indexes "
        "(a few seconds for a large case log)."
    ]
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC)
    assert [c.case_id for c in log.iter_cases(CaseQuery())] == [10000000001]
    assert log.count(CaseQuery(include_expired=True)) == 2
    with store.reading() as reading:
        version = reading.execute(select(META.c.value).where(META.c.key == "schema_version"))
        assert version.scalar() == str(SCHEMA_VERSION)
    store.close()
    indexes = index_names(path)
    assert "ix_cases_created_at" not in indexes
    assert {"ix_cases_by_created_at", "ix_cases_recent_at", "ux_messages_mail_id"} <= indexes


def test_missing_indexes_are_rebuilt_when_the_store_opens(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    open_store(path).close()
    complete = index_names(path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ix_cases_by_status")
        conn.execute("DROP INDEX ux_messages_mail_id")
    conn.close()
    told: list[str] = []
    open_store(path, notice=told.append).close()
    assert index_names(path) == complete
    assert told == [
        "An earlier import or demo load stopped before it finished: building its indexes "
        "(a few seconds for a large case log)."
    ]
    open_store(path, notice=told.append).close()
    assert len(told) == 1  # a complete file opens without a word


def test_an_interrupted_load_keeps_whole_batches_and_its_indexes(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    store = open_store(path)
    complete = index_names(path)
    columns: tuple[str, ...] = ("id", "created_at", "status", "primary_email", "short_description")
    columns += ("description_key", "cc", "last_activity_at", "reopened_count")
    rows = [(10000000000 + n, 0, "open", "a@example.com", "x", "x", "", 0, 0) for n in range(3)]
    with pytest.raises(KeyboardInterrupt), store.loading() as conn:
        with conn.begin():
            dialect.bulk_insert(conn, "cases", columns, rows[:2])
        assert "ix_cases_by_created_at" not in index_names(path)  # built at the end
        with conn.begin():
            dialect.bulk_insert(conn, "cases", columns, rows[2:])
            raise KeyboardInterrupt
    assert CaseLog(store).count(CaseQuery(include_expired=True)) == 2
    assert index_names(path) == complete
    store.close()


def statistics_of(path: Path) -> list[str]:
    raw = sqlite3.connect(path)
    try:
        if not raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return []
        return [row[0] for row in raw.execute("SELECT DISTINCT tbl FROM sqlite_stat1")]
    finally:
        raw.close()


def test_closing_a_store_gives_the_query_planner_statistics(tmp_path: Path) -> None:
    """A case log the seller fills by hand never goes through a demo load's
    ANALYZE; closing it runs SQLite's cheap `PRAGMA optimize` instead."""
    path = tmp_path / "cases.db"
    store = open_store(path)
    log = CaseLog(store)
    for number in range(30):
        add_case(log, f"Lost units {number}")
    log.page(CaseQuery(email="seller@example.com"))
    assert statistics_of(path) == []
    store.close()
    assert "cases" in statistics_of(path)


def test_closing_while_another_caselog_writes_is_quick_and_quiet(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    holder, closing = open_store(path), open_store(path)
    try:
        log = CaseLog(closing)
        for number in range(30):
            add_case(log, f"Lost units {number}")
        log.page(CaseQuery(email="seller@example.com"))
        with holder.writing() as session:
            session.execute(select(CASES.c.id))
            started = time.monotonic()
            closing.close()
            assert time.monotonic() - started < 2
    finally:
        holder.close()


def test_a_caselog_opened_during_a_load_leaves_the_indexes_to_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    store = open_store(path)
    complete = index_names(path)
    told: list[str] = []
    with store.loading():
        open_store(path, notice=told.append).close()  # a colleague starts caselog
        assert "ix_cases_by_created_at" not in index_names(path)  # not built under the load
    assert told == [
        f"Another caselog (process {os.getpid()} on {socket.gethostname()}) is loading cases "
        "into this case log and builds its indexes when it is done; until then views may be "
        "slow."
    ]
    assert index_names(path) == complete


def test_a_second_load_into_the_same_case_log_is_refused_while_one_runs(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    store = open_store(path)
    other = open_store(path)
    with store.loading(), pytest.raises(StoreError) as refused, other.loading():
        pass
    assert refused.value.message == (
        f"Another caselog (process {os.getpid()} on {socket.gethostname()}) is loading cases "
        f"into {path}; try again when it is done."
    )
    with other.loading():  # once the first is done
        pass
    store.close()
    other.close()


KILLED_LOAD = """
import os, sys
from pathlib import Path
from caselog_tui.store.database import open_store
store = open_store(Path(sys.argv[1]))
with store.loading():
    print("loading", flush=True)
    sys.stdin.read()  # until killed
"""


def test_a_load_killed_with_sigkill_is_called_stopped_even_if_its_pid_lives_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cases.db"
    open_store(path).close()
    loader = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert loader.stdout is not None and loader.stdout.readline() == "loading\n"
    assert "ix_cases_by_status" not in index_names(path)
    loader.kill()
    loader.wait(timeout=30)
    with sqlite3.connect(path) as conn:
        # What the old marker looked like, naming a process that is alive
        # (this one): a reused PID must not make the stopped load look alive.
        conn.execute(
            "INSERT INTO meta VALUES ('bulk_load', ?)", (f"{socket.gethostname()} {os.getpid()}",)
        )
    conn.close()
    told: list[str] = []
    open_store(path, notice=told.append).close()
    assert told[0].startswith("An earlier import or demo load stopped before it finished")
    assert "ix_cases_by_status" in index_names(path)
