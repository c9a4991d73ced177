"""Who else is here: every running caselog keeps a heartbeat row on the case
log's presence board, naming its person, the case it has open and whether
it is writing to it. A session that stops without a word (killed, a closed
laptop) is dropped once it has not been heard from for 30 seconds, and a
board that cannot be written never stops anybody's work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from caselog_tui.config import load_config
from caselog_tui.core.presence import GONE_AFTER_SECONDS, Here, presence_line
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.changes import ChangeWatcher
from caselog_tui.services.presence import Presence
from caselog_tui.store.database import Store, open_store
from caselog_tui.store.dialects.sqlite_presence import presence_path

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_colleague_sees_where_this_session_is_and_what_it_writes(store: Store) -> None:
    clock = Clock()
    ana, ben = Presence(store, "ana", clock), Presence(store, "ben", clock)
    ana.here(12005137221)
    assert ben.others() == [Here("ana", 12005137221, None)]
    ana.here(12005137221, "reply")
    assert ben.others() == [Here("ana", 12005137221, "reply")]
    ana.here(None)
    assert ben.others() == [Here("ana", None, None)]
    assert ana.others() == [], "nobody else has been heard from yet"
    ana.leave()
    assert ben.others() == []
    ben.leave()


def test_a_session_gone_quiet_for_30_seconds_is_dropped(store: Store) -> None:
    clock = Clock()
    ana, ben = Presence(store, "ana", clock), Presence(store, "ben", clock)
    ana.here(1)
    clock.now += GONE_AFTER_SECONDS - 1
    assert [h.person for h in ben.others()] == ["ana"]
    clock.now += 2
    assert ben.others() == []
    ana.beat()  # back again (a laptop woken up): seen again
    assert [h.person for h in ben.others()] == ["ana"]


def test_a_killed_caselog_leaves_no_ghost(store: Store) -> None:
    """Killed with SIGKILL, it cannot say goodbye: its row stays until it is
    older than 30 seconds, then nobody shows it."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from caselog_tui.services.presence import Presence
        from caselog_tui.store.database import open_store
        Presence(open_store({str(store.location)!r}), "ana").here(7)
        print("here", flush=True)
        time.sleep(120)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline() == "here\n"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    clock = Clock()
    clock.now = time.time()
    ben = Presence(store, "ben", clock)
    assert ben.others() == [Here("ana", 7, None)]
    clock.now += GONE_AFTER_SECONDS + 1
    assert ben.others() == []


def test_heartbeats_do_not_wake_the_case_logs_live_refresh(store: Store) -> None:
    """A heartbeat is not news: the board is a file of its own, so the case
    log's change watch stays quiet while colleagues' sessions beat."""
    watcher = ChangeWatcher(store)
    ana, ben = Presence(store, "ana"), Presence(store, "ben")
    ben.changed()  # what the board held when ben started looking
    for _ in range(3):
        ana.beat()
    assert ben.changed(), "the board itself notices a colleague's heartbeat"
    assert not ben.changed()
    assert not watcher.poll()
    watcher.close()


def test_a_board_that_cannot_be_written_answers_nobody(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    store = open_store(folder / "cases.db")
    presence_path(folder / "cases.db").mkdir()  # something in the way of the board
    ana = Presence(store, "ana")
    ana.here(1, "reply")  # does not raise
    assert ana.others() == [] and not ana.changed()
    ana.leave()
    store.close()


def test_beside_a_read_only_case_log_nothing_is_made(store: Store) -> None:
    store.read_only = True  # as open_store finds a file not ours to write
    ana = Presence(store, "ana")
    ana.here(1)
    assert not presence_path(Path(store.where)).exists()
    assert ana.others() == []


def test_the_board_is_as_shared_as_the_case_log(tmp_path: Path) -> None:
    """A team's file (group-writable) gets a group-writable board."""
    path = tmp_path / "cases.db"
    open_store(path).close()
    path.chmod(0o660)
    store = open_store(path)
    Presence(store, "ana").here(None)
    assert presence_path(path).stat().st_mode & 0o777 == 0o660
    store.close()


def test_a_person_is_named_by_the_config_or_the_login(tmp_path: Path, case_log: CaseLog) -> None:
    config = tmp_path / "config.toml"
    config.write_text('name = "  Ana   Lopez "\n')
    assert load_config(config).name == "Ana Lopez"
    config.write_text("name = 7\n")
    loaded = load_config(config)
    assert loaded.name is None
    assert loaded.problems == [
        f"name in {config} must be your name as colleagues should see it, 1 to 40 "
        "characters; using the login name."
    ]
    assert Presence(case_log.store).person  # the login name, never empty


# -- the words ---------------------------------------------------------------------


def test_the_line_says_who_writes_and_who_reads() -> None:
    others = [
        Here("ben", 5, None),
        Here("ana", 5, "reply"),
        Here("cleo", 5, None),
        Here("dan", 6, "edit"),  # another case
        Here("ana", 5, None),  # ana's second terminal: writing counts
    ]
    assert presence_line(others, 5) == "ana is writing a reply · ben and cleo have this case open"
    assert presence_line(others, 6) == "dan is editing the short description"
    assert presence_line(others, 7) == ""


def test_a_name_is_shown_as_plain_text() -> None:
    line = presence_line([Here("\x1b]0;owned\x07[b]x[/b]", 5, None)], 5)
    assert "\x1b" not in line and "\x07" not in line
    assert line.endswith("[b]x[/b] has this case open")
