"""Shared fixtures: a private store per test, a clock the test controls, and
an environment that never touches the real user's files."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from caselog_tui.core.locations import Location
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import Store, open_store
from tests import postgres

FIXED_NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` starts one and a half workers per CPU, not one: a Pilot
    test spends part of its wall time asleep while the app goes idle after
    each key (Textual waits at least 20 ms per key), and some tests wait on
    child processes. On the 2-core CI machine, whole suite: 3 workers took
    174.7 s and 282 s of CPU, 4 workers 177.5 s and 318 s (more workers
    than that only fight over the two cores). PYTEST_XDIST_AUTO_NUM_WORKERS
    still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    # On Linux, the CPUs this process may use.
    linux = hasattr(os, "sched_getaffinity")
    cpus = len(os.sched_getaffinity(0)) if linux else (os.cpu_count() or 1)
    return max(1, cpus + cpus // 2)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is imported and collected lives until the session ends: take it
    out of the garbage collector's sight, so the full collections that a
    Pilot test's churn of objects sets off walk only what the tests made.
    Measured serially on tests/tui/test_forms.py (CPU, two runs each):
    34.0 and 37.0 s before, 28.9 and 30.6 s after."""
    gc.collect()
    gc.freeze()


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("CASELOG_CONFIG", str(home / "config" / "caselog.toml"))
    monkeypatch.delenv("CASELOG_DB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# A module that marks itself `both_databases` runs each of its tests that
# takes `store` (or `case_log`, `store_location`) once per database: on a
# SQLite file always, and on PostgreSQL when CASELOG_TEST_POSTGRES_URL names
# a server (.ci/run sets it when one answers on 127.0.0.1:5432).
BACKENDS = ["sqlite", *(["postgresql"] if postgres.SERVER_URL else [])]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_databases: run on SQLite, and on PostgreSQL when the server is there"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_databases"
    ):
        metafunc.parametrize("backend", BACKENDS)


@pytest.fixture
def backend() -> str:
    """The database a test's store is on: SQLite, unless the test's module
    is marked `both_databases` (then each in turn)."""
    return "sqlite"


@pytest.fixture
def store_location(backend: str, tmp_path: Path) -> Iterator[Location]:
    """Where the test's case log is: a file in the test's folder, or this
    test process's case log on the PostgreSQL server, emptied first."""
    if backend == "sqlite":
        yield tmp_path / "cases.db"
        return
    yield postgres.emptied_case_log()


@pytest.fixture
def store(store_location: Location) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


@pytest.fixture
def case_log(store: Store, clock: FakeClock) -> CaseLog:
    return CaseLog(store, clock=clock, tz=UTC)
