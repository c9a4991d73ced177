"""A colleague's write during a long load (an import, a restore) waits for
it instead of failing after the usual busy timeout."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from caselog_tui.cli import main
from caselog_tui.core.locations import Location
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import Store, open_store
from caselog_tui.store.dialects import postgresql as postgresql_dialect, sqlite as sqlite_dialect

# On SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases


def holding_a_load(loader: Store) -> tuple[threading.Thread, threading.Event]:
    """A load into `loader`'s case log, holding the write lock until the
    event it returns is set."""
    holding, release = threading.Event(), threading.Event()

    def load() -> None:
        with loader.loading() as conn, conn.begin():
            conn.exec_driver_sql("UPDATE meta SET value = value")  # takes the write lock
            holding.set()
            release.wait(60)

    thread = threading.Thread(target=load)
    thread.start()
    assert holding.wait(30)
    return thread, release


@pytest.fixture
def held_load(
    store_location: Location, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Location, CaseLog, int]]:
    """A case log, and a load into it that holds the write lock until told.
    The usual busy timeout is cut to 0.2 s, and the load goes on for 1 s."""
    monkeypatch.setattr(sqlite_dialect, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(postgresql_dialect, "BUSY_TIMEOUT_MS", 200)
    path = store_location
    log = CaseLog(open_store(path))
    case = log.submit_case(
        primary_email="seller@example.com", short_description="Lost units", message="Hello"
    )
    loader = open_store(path)
    thread, release = holding_a_load(loader)
    timer = threading.Timer(1.0, release.set)  # 5x the usual timeout
    timer.start()
    yield path, log, case.case_id
    release.set()
    thread.join(60)
    log.store.close()
    loader.close()


def test_a_reply_during_a_load_waits_for_it(held_load: tuple[Location, CaseLog, int]) -> None:
    _path, log, case_id = held_load
    assert log.reply(case_id, "Any news?").messages[-1].body == "Any news?"


def test_respond_says_it_waits_for_the_load(
    held_load: tuple[Location, CaseLog, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _log, case_id = held_load
    argv = ["respond", str(case_id), "--status", "answered", "--message", "Done."]
    assert main([*argv, "--db", str(path)]) == 0
    told = capsys.readouterr().err
    assert "is loading cases into this case log; the reply is saved when it is done." in told
    assert "Recorded the reply" in told


def test_a_caselog_opened_during_a_load_does_not_wait_for_it(
    store_location: Location,
) -> None:
    """It opens (and reads) while the load still holds the write lock: the
    load is released only after it did."""
    log = CaseLog(open_store(store_location))
    case_id = log.submit_case(
        primary_email="seller@example.com", short_description="Lost units", message="Hello"
    ).case_id
    loader = open_store(store_location)
    thread, release = holding_a_load(loader)
    try:
        opened = CaseLog(open_store(store_location))
        assert not release.is_set() and thread.is_alive()  # the load still holds it
        assert opened.case(case_id).case_id == case_id
        opened.store.close()
    finally:
        release.set()
        thread.join(60)
        log.store.close()
        loader.close()
