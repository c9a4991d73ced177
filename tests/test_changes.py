"""Live refresh's change detector: a commit by another connection (another
caselog, `caselog respond`) is noticed once, on a real case log file."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from caselog_tui.core.errors import ActionRefused
from caselog_tui.core.machine import Action
from caselog_tui.core.view import CaseQuery
from caselog_tui.services import changes
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.changes import ChangeWatcher, News, OwnWrites
from caselog_tui.services.export import ExportFormat, export_cases
from caselog_tui.services.importer import import_cases
from caselog_tui.store.database import open_store
from tests.conftest import FakeClock

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases


@pytest.fixture
def colleague(case_log: CaseLog, clock: FakeClock) -> Iterator[CaseLog]:
    """A second store object on the same case log: another process, as far
    as the database can tell."""
    other = open_store(case_log.store.location, create=False)
    yield CaseLog(other, clock=clock, tz=UTC)
    other.close()


@pytest.fixture
def watcher(case_log: CaseLog) -> Iterator[ChangeWatcher]:
    opened = case_log.watch_changes()
    yield opened
    opened.close()


def submit(log: CaseLog) -> int:
    return log.submit_case(
        primary_email="seller@example.com", short_description="Lost units", message="Hi."
    ).case_id


def test_nothing_changed_is_no_change(watcher: ChangeWatcher, case_log: CaseLog) -> None:
    case_log.count(CaseQuery())  # reading is not changing
    assert watcher.poll() is False
    assert watcher.poll() is False


def test_a_colleagues_commit_is_seen_once(watcher: ChangeWatcher, colleague: CaseLog) -> None:
    case_id = submit(colleague)
    assert watcher.poll() is True
    assert watcher.poll() is False
    colleague.record_support_reply(case_id, Action.SUPPORT_ANSWERS, "Found them.")
    assert watcher.poll() is True
    assert watcher.poll() is False


def test_a_write_of_this_process_is_seen_too(watcher: ChangeWatcher, case_log: CaseLog) -> None:
    # The watch has a connection of its own: the store's pool is "another
    # connection" to it. Telling our own writes apart is the caller's part.
    submit(case_log)
    assert watcher.poll() is True


def test_a_refused_write_changes_nothing(watcher: ChangeWatcher, colleague: CaseLog) -> None:
    case_id = submit(colleague)
    colleague.record_support_reply(case_id, Action.SUPPORT_ANSWERS, "Found them.")
    watcher.poll()
    with pytest.raises(ActionRefused, match="Re-open it"):
        colleague.reply(case_id, "One more thing.")  # answered: refused, rolled back
    assert watcher.poll() is False


def test_news_of_a_colleague_is_not_ours(watcher: ChangeWatcher, colleague: CaseLog) -> None:
    case_id = submit(colleague)
    assert watcher.news() == News(maybe_ours=False, case_ids=frozenset({case_id}))
    assert watcher.news() is None


def test_news_after_our_own_write_may_be_ours(watcher: ChangeWatcher, case_log: CaseLog) -> None:
    first = submit(case_log)
    assert watcher.news() == News(maybe_ours=True, case_ids=frozenset({first}))
    assert watcher.news() is None
    # Counted once: a colleague's next write is theirs again.
    case_log_id = submit(case_log)
    watcher.news()
    case_log.reply(case_log_id, "More.")
    assert watcher.news() == News(maybe_ours=True, case_ids=frozenset({case_log_id}))


def test_a_write_under_way_at_a_poll_counts_as_ours_at_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = OwnWrites()
    # No store behind it: which cases changed is not known (any may have).
    monkeypatch.setattr(changes.cases, "last_change", lambda _conn: 0)
    monkeypatch.setattr(changes.cases, "changes_since", lambda _conn, seen: (0, None))

    class Commits:
        def __init__(self) -> None:
            self.pending = False

        def poll(self) -> bool:
            changed, self.pending = self.pending, False
            return changed

        def close(self) -> None: ...

    commits = Commits()

    class FakeStore:
        def errors(self) -> contextlib.nullcontext[None]:
            return contextlib.nullcontext()

        def reading(self) -> contextlib.nullcontext[None]:
            return contextlib.nullcontext()

        def watch_changes(self) -> Commits:
            return commits

    watcher = ChangeWatcher(FakeStore(), own)  # type: ignore[arg-type]
    with own.counting():
        assert watcher.news() is None  # started, not committed yet
        commits.pending = True  # it commits between two polls
    assert watcher.news() == News(maybe_ours=True)
    commits.pending = True  # a colleague's, with none of ours since
    assert watcher.news() == News(maybe_ours=False)


def test_closing_while_another_thread_polls_is_safe(case_log: CaseLog) -> None:
    # The TUI polls from a thread worker and closes from its main thread
    # when it quits: a sqlite3 connection closed under a running statement
    # would crash the whole process, not raise.
    watcher = case_log.watch_changes()
    stop = threading.Event()

    def keep_polling() -> None:
        while not stop.is_set():
            watcher.poll()

    pollers = [threading.Thread(target=keep_polling) for _ in range(2)]
    for poller in pollers:
        poller.start()
    watcher.close()
    stop.set()
    for poller in pollers:
        poller.join(timeout=5)
    assert watcher.poll() is False  # closed: no change will be seen again


def test_caselog_respond_in_another_process_is_seen(
    tmp_path: Path, watcher: ChangeWatcher, case_log: CaseLog
) -> None:
    case_id = submit(case_log)
    watcher.news()
    command = [sys.executable, "-m", "caselog_tui", "respond", str(case_id)]
    command += ["--db", str(case_log.store.location), "--status", "answered", "--message", "Done."]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    assert watcher.news() == News(maybe_ours=False, case_ids=frozenset({case_id}))
    assert watcher.news() is None


def test_news_names_the_cases_changed_since_the_last_poll(
    watcher: ChangeWatcher, case_log: CaseLog, colleague: CaseLog
) -> None:
    """One query for what changed since the last change seen: the cases a
    colleague's writes touched, each once, whatever the writes were."""
    first, second, third = submit(case_log), submit(case_log), submit(case_log)
    watcher.news()
    colleague.reply(first, "Any news?")
    colleague.edit_short_description(third, "Lost units (40)")
    colleague.record_support_reply(first, Action.SUPPORT_ASKS, "Which shipment?")
    news = watcher.news()
    assert news is not None and news.case_ids == frozenset({first, third})
    assert second not in news.case_ids


def test_after_an_import_any_case_may_have_changed(
    watcher: ChangeWatcher, case_log: CaseLog, tmp_path: Path
) -> None:
    """A load does not name the cases it wrote: the news says any may have
    changed, and the screens read again what they show."""
    case_id = submit(case_log)
    watcher.news()
    export = tmp_path / "log.jsonl"
    with export.open("wb") as out:
        export_cases(case_log, CaseQuery(include_expired=True), out, ExportFormat.JSONL)
    new_id = case_id + 1000  # the same case again, under a new ID: a new case
    export.write_text(export.read_text().replace(str(case_id), str(new_id)))
    assert import_cases(case_log, export).added == 1
    news = watcher.news()
    assert news is not None and news.case_ids is None
    assert new_id in {c.case_id for c in case_log.page(CaseQuery()).cases}
