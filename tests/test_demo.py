"""Demo data: realistic, repeatable by seed, and only into an empty log."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.records import Side
from caselog_tui.core.status import Status, StatusGroup
from caselog_tui.core.validation import cc_problem, email_problem
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.store.database import Store, open_store
from caselog_tui.store.models import CASES, MESSAGES
from tests.conftest import FIXED_NOW, FakeClock

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases

ALL = CaseQuery(include_expired=True)


def every_case(log: CaseLog) -> list[tuple[object, ...]]:
    with log.store.reading() as conn:
        cases = conn.execute(select(CASES).order_by(CASES.c.id)).all()
        messages = conn.execute(select(MESSAGES).order_by(MESSAGES.c.id)).all()
    return [tuple(r) for r in cases] + [tuple(m) for m in messages]


def test_the_same_seed_gives_the_same_case_log(tmp_path: Path) -> None:
    logs = []
    for name in ("a.db", "b.db", "c.db"):
        store = open_store(tmp_path / name)
        fill_demo(store, 300, seed=11 if name != "c.db" else 12, now=FIXED_NOW)
        logs.append(every_case(CaseLog(store)))
        store.close()
    assert logs[0] == logs[1]
    assert logs[0] != logs[2]


def test_demo_cases_look_like_a_real_case_log(case_log: CaseLog) -> None:
    result = fill_demo(case_log.store, 2000, seed=3, now=FIXED_NOW)
    assert result.cases == 2000
    assert 2.5 <= result.messages / result.cases <= 4
    assert case_log.count(ALL) == 2000
    cases = list(case_log.iter_cases(ALL))
    statuses = Counter(c.status for c in cases)
    assert set(statuses) == set(Status)
    assert statuses[Status.ANSWERED] > statuses[Status.OPEN]
    assert any(c.reopened_count for c in cases)
    assert all(10 <= len(str(c.case_id)) <= 11 for c in cases)
    assert all(email_problem(c.primary_email) is None for c in cases)
    assert all(1 <= len(c.short_description) <= 200 for c in cases)
    assert all(c.created_at <= c.last_activity_at <= FIXED_NOW for c in cases)
    # Both recent and expired cases, so the default view hides some.
    assert 0 < case_log.count(CaseQuery()) < 2000
    assert case_log.attention_count() > 0


def test_demo_cases_open_in_details(case_log: CaseLog) -> None:
    fill_demo(case_log.store, 200, seed=5, now=FIXED_NOW)
    long_ones = 0
    for summary in case_log.iter_cases(ALL):
        case = case_log.case(summary.case_id)
        assert case.messages[0].side is Side.SELLER
        times = [m.sent_at for m in case.messages]
        assert times == sorted(times) and times[0] == case.summary.created_at
        assert cc_problem(", ".join(case.cc)) is None
        if case.status is Status.ANSWERED:
            assert case.answered_at == case.summary.last_activity_at
        long_ones += len(case.messages[0].body) > 800
    assert long_ones > 0  # some need "See more"


def test_new_cases_after_the_demo_get_new_ids(case_log: CaseLog) -> None:
    fill_demo(case_log.store, 50, seed=1, now=FIXED_NOW)
    with case_log.store.reading() as conn:
        highest = conn.execute(select(func.max(CASES.c.id))).scalar_one()
    new = case_log.submit_case(
        primary_email="seller@example.com", short_description="After the demo", message="Hi."
    )
    assert new.case_id > highest


def test_some_demo_cases_can_still_be_reopened(case_log: CaseLog, clock: FakeClock) -> None:
    fill_demo(case_log.store, 300, seed=2, now=FIXED_NOW)
    answered = case_log.iter_cases(CaseQuery(statuses=frozenset({StatusGroup.ANSWERED})))
    reopenable = [c for c in answered if clock.now - c.last_activity_at <= timedelta(days=5)]
    assert reopenable
    assert case_log.reopen(reopenable[0].case_id, "Again.").status is Status.PENDING


def test_demo_goes_only_into_an_empty_log(case_log: CaseLog) -> None:
    case_log.submit_case(primary_email="a@example.com", short_description="Mine", message="Hi.")
    with pytest.raises(CaseLogError) as refused:
        fill_demo(case_log.store, 10, seed=1, now=FIXED_NOW)
    assert "already holds 1 case;" in refused.value.message
    assert case_log.count(ALL) == 1


def test_progress_is_reported_per_batch(store: Store) -> None:
    seen: list[tuple[int, int]] = []
    fill_demo(store, 45_000, seed=1, now=FIXED_NOW, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (45_000, 45_000)
    assert len(seen) >= 3 and all(t == 45_000 for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
