"""The search index (FTS5 trigrams of the short descriptions): it finds what
reading every case finds, stays in step with every write, and a case log
that lacks it gets it when opened, saying so."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from caselog_tui.core.status import StatusGroup
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.store import database, queries
from caselog_tui.store.database import Store, open_store
from caselog_tui.store.dialects import sqlite_search
from caselog_tui.store.models import CASES
from tests.conftest import FIXED_NOW, FakeClock

NOW = int(FIXED_NOW.timestamp())
# Letters in both cases, what LIKE and FTS5 queries treat specially (%, _,
# quotes, brackets, *, ^, -, :), and letters whose case-folding changes
# their length (ß → ss), so words of one or two characters become three.
LETTERS = "abAB%_[]'\"*^-:.éÉßẞΣσς09"


def fill(store: Store, descriptions: list[str]) -> list[int]:
    """One case per description, newest first by case ID; their IDs."""
    ids = [10_000_000_000 + n for n in range(len(descriptions))]
    with store.bulk_writing() as conn:
        conn.execute(CASES.delete())
        conn.execute(
            CASES.insert(),
            [
                {
                    "id": case_id,
                    "created_at": NOW - n,
                    "status": "answered" if n % 3 == 0 else "open",
                    "primary_email": "seller@example.com",
                    "short_description": text,
                    "description_key": text.casefold(),
                    "last_activity_at": NOW - n,
                }
                for n, (case_id, text) in enumerate(zip(ids, descriptions, strict=True))
            ],
        )
    return ids


def index_ready(store: Store) -> bool:
    with store.reading() as conn:
        return store.dialect.search_index_ready(conn)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    descriptions=st.lists(st.text(LETTERS + " ", min_size=1, max_size=16), min_size=1, max_size=30),
    words=st.lists(st.text(LETTERS, min_size=1, max_size=5), min_size=1, max_size=3),
    indexed=st.booleans(),
    with_statistics=st.booleans(),
    size=st.sampled_from([1, 2, 5]),
    lookups_limit=st.sampled_from([0, 60_000]),
)
def test_the_index_finds_what_reading_every_case_finds(
    store: Store,
    descriptions: list[str],
    words: list[str],
    indexed: bool,
    with_statistics: bool,
    size: int,
    lookups_limit: int,
) -> None:
    ids = fill(store, descriptions)
    with store.bulk_writing() as conn:
        if not indexed:  # an older file, or one a load is filling
            store.dialect.drop_search_index(conn)
        elif not store.dialect.search_index_ready(conn):
            store.dialect.build_search_index(conn)
        # The planner's statistics say how many cases there are: with them,
        # a search whose words are common walks the sort index instead.
        conn.exec_driver_sql("ANALYZE" if with_statistics else "DROP TABLE IF EXISTS sqlite_stat1")
    expected = [
        case_id
        for case_id, text in zip(ids, descriptions, strict=True)
        if all(word.casefold() in text.casefold() for word in words)
    ]
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC)
    view = CaseQuery(search=" ".join(words), page_size=size)
    total = log.count(view)
    assert total == len(expected)
    pages = -(-total // size)
    seen = [c.case_id for n in range(pages) for c in log.rows(view.changed(page=n), total=total)]
    assert seen == expected
    # The first page as the case log asks for it, before the count is in.
    assert [c.case_id for c in log.rows(view)] == expected[:size]
    assert [c.case_id for c in log.iter_cases(view)] == expected
    # Oldest first, and a filter beside the search, give the same cases.
    oldest_first = view.changed(descending=False, email="seller@example.com")
    assert [c.case_id for c in log.page(oldest_first.changed(page_size=50)).cases] == (
        expected[::-1][:50]
    )
    # A status filter beside the search: counted by looking up the cases the
    # index found, or (past the limit) by reading the description index.
    answered = [case_id for case_id in expected if (case_id - ids[0]) % 3 == 0]
    with patch.object(queries, "_LOOKUPS_LIMIT", lookups_limit):
        assert log.count(view.changed(statuses=frozenset({StatusGroup.ANSWERED}))) == len(answered)


def test_the_index_follows_new_and_edited_cases(case_log: CaseLog) -> None:
    first = case_log.submit_case(
        primary_email="seller@example.com",
        short_description="Damaged inventory at LTN4",
        message="Twelve units arrived broken.",
    )
    search = CaseQuery(search="inventory")
    assert [c.case_id for c in case_log.page(search).cases] == [first.case_id]
    case_log.edit_short_description(first.case_id, "Lost shipment at BHX4")
    assert case_log.page(search).cases == []
    assert [c.case_id for c in case_log.page(CaseQuery(search="SHIPMENT")).cases] == [first.case_id]


def test_a_case_log_without_the_index_gets_it_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    store = open_store(path)
    log = CaseLog(store, clock=FakeClock(), tz=UTC)
    case = log.submit_case(
        primary_email="seller@example.com",
        short_description="Reimbursement for lost units",
        message="Units were lost in the warehouse.",
    )
    with store.bulk_writing() as conn:  # as a file of an older caselog
        store.dialect.drop_search_index(conn)
    assert log.count(CaseQuery(search="reimburse")) == 1  # still found, the slow way
    store.close()

    told: list[str] = []
    store = open_store(path, notice=told.append)
    assert any("search index" in sentence for sentence in told)
    assert index_ready(store)
    found = CaseLog(store, clock=FakeClock(), tz=UTC).page(CaseQuery(search="reimburse"))
    assert [c.case_id for c in found.cases] == [case.case_id]
    store.close()

    told.clear()
    store = open_store(path, notice=told.append)
    assert told == []  # once is enough
    store.close()


def test_a_demo_load_leaves_the_index_whole(store: Store) -> None:
    fill_demo(store, 300, seed=3, now=FIXED_NOW)
    assert index_ready(store)
    log = CaseLog(store, clock=lambda: FIXED_NOW, tz=UTC)
    with store.reading() as conn:
        texts = [
            row[0]
            for row in conn.execute(CASES.select().with_only_columns(CASES.c.description_key))
        ]
    for word in ("order", "lost", "inventory", "on", "zzz"):
        assert log.count(CaseQuery(search=word)) == sum(word in text for text in texts)


def test_building_the_index_of_a_large_case_log_says_how_far_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "_PROGRESS_FROM", 10)
    monkeypatch.setattr(sqlite_search, "_BUILD_BATCH", 7)
    path = tmp_path / "cases.db"
    store = open_store(path)
    fill(store, [f"Lost units {n}" for n in range(30)])
    with store.bulk_writing() as conn:
        store.dialect.drop_search_index(conn)
    store.close()
    told: list[str] = []
    store = open_store(path, notice=told.append)
    assert told[0].startswith("Building the search index of this case log, once")
    assert told[1:] == [
        "Building the search index: 23% (7 of 30 cases).",
        "Building the search index: 46% (14 of 30 cases).",
        "Building the search index: 70% (21 of 30 cases).",
        "Building the search index: 93% (28 of 30 cases).",
        "Building the search index: 100% (30 of 30 cases).",
    ]
    assert CaseLog(store, clock=FakeClock(), tz=UTC).count(CaseQuery(search="units")) == 30
    store.close()
