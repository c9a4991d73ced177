"""Realistic, repeatable demo cases: the same --seed gives the same case log.

Written for speed as much as realism: a million cases with about three
messages each go in as plain tuples through the store's bulk insert, in
batches, so `caselog demo --cases 1000000` takes about a minute.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.records import to_epoch
from caselog_tui.core.status import Status
from caselog_tui.core.view import fold
from caselog_tui.services.demo_texts import (
    ASIN_CHARACTERS,
    CC_POOL,
    CHOICES,
    EMAILS,
    FIRST_ID,
    LONG_PARAGRAPHS,
    SELLER_FOLLOWUPS,
    SHORT_MONTHS,
    SUPPORT_ANSWERS,
    SUPPORT_ASKS,
    SUPPORT_TRANSFERS,
    SUPPORT_WORKING,
    TOPICS,
)
from caselog_tui.store.cases import count_all as cases_held, insert_cases
from caselog_tui.store.database import Store

Progress = Callable[[int, int], None]

_MESSAGE_COLUMNS = ("case_id", "sent_at", "side", "author", "body")
BATCH = 20_000
T = TypeVar("T")


@dataclass
class DemoResult:
    cases: int
    messages: int


class _Maker:
    """Draws one case at a time from a seeded random generator.

    `between` and `pick` scale one random() each: several times cheaper than
    randint and choice, which is most of the time a million cases take."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self._random = self.rng.random
        self.now = to_epoch(now)
        self.next_id = FIRST_ID

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + int(self._random() * (high - low + 1))

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self._random() * len(items))]

    def values(self) -> _Details:
        return _Details(self)

    def detail(self, name: str) -> str:
        """One made-up detail a template names, e.g. an ASIN or a shipment."""
        between, pick = self.between, self.pick
        if name == "asin":
            return "B0" + "".join([pick(ASIN_CHARACTERS) for _ in range(8)])
        if name == "n":
            return str(between(2, 60))
        if name == "ship":
            return f"FBA15{between(10**6, 10**7 - 1):07d}"
        if name == "order":
            return f"{between(200, 206)}-{between(10**6, 10**7 - 1)}-{between(10**6, 10**7 - 1)}"
        if name == "tm":
            return f"UK{between(10**7, 10**8 - 1)}"
        if name == "removal":
            return f"R{between(10**5, 10**6 - 1)}"
        if name == "amount":
            return f"{between(5, 900)}.{between(0, 99):02d}"
        if name == "day":
            return f"{between(1, 28)} {pick(SHORT_MONTHS)}"
        return pick(CHOICES[name])

    def case(self) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
        r = self.rng
        case_id = self.next_id
        self.next_id += self.between(1, 40)  # IDs are not consecutive in real logs
        v = self.values()
        recent = r.random() < 0.35
        age = self.between(0, 30 * 86400) if recent else self.between(30 * 86400, 730 * 86400)
        created = self.now - age
        email = self.pick(EMAILS)
        subject_text, opening_text, long_story_fits = self.pick(TOPICS)
        subject = subject_text.format_map(v)
        cc = ", ".join(r.sample(CC_POOL, self.between(1, 3))) if r.random() < 0.2 else ""
        opening = opening_text.format_map(v)
        if long_story_fits and r.random() < 0.3:  # long enough for "See more"
            paragraphs = r.sample(LONG_PARAGRAPHS, self.between(3, 5))
            opening += "\n\n" + "\n\n".join(p.format_map(v) for p in paragraphs)
        messages: list[tuple[object, ...]] = [(case_id, created, "seller", email, opening)]
        status, reopened, t = self._history(v, case_id, email, created, age, messages)
        answered_at = t if status == Status.ANSWERED.value else None
        row = (
            case_id,
            created,
            status,
            email,
            subject,
            fold(subject),
            cc,
            t,
            answered_at,
            reopened,
        )
        return row, messages

    def _history(
        self,
        v: _Details,
        case_id: int,
        email: str,
        created: int,
        age: int,
        messages: list[tuple[object, ...]],
    ) -> tuple[str, int, int]:
        r = self.rng
        t = created
        span = max(age, 3600)

        def later() -> int:
            nonlocal t
            t = min(self.now, t + self.between(600, max(601, span // 4)))
            return t

        roll = r.random()
        young = age < 7 * 86400
        if young and roll < 0.2:
            return Status.OPEN.value, 0, t
        working = self.pick(SUPPORT_WORKING)
        messages.append((case_id, later(), "support", "Seller Support", working))
        reopened = 0
        if young and roll < 0.45:
            return Status.PENDING.value, 0, t
        if roll < (0.6 if young else 0.05):
            body = self.pick(SUPPORT_ASKS).format_map(v)
            messages.append((case_id, later(), "support", "Seller Support", body))
            return Status.NEEDS_ATTENTION.value, 0, t
        if roll < (0.68 if young else 0.07):
            body = SUPPORT_TRANSFERS.format_map(v)
            messages.append((case_id, later(), "support", "Seller Support", body))
            return Status.TRANSFERRED.value, 0, t
        body = self.pick(SUPPORT_ANSWERS).format_map(v)
        messages.append((case_id, later(), "support", "Seller Support", body))
        if r.random() < 0.15:  # re-opened once, then worked on or answered again
            reopened = 1
            messages.append((case_id, later(), "seller", email, self.pick(SELLER_FOLLOWUPS)))
            if young and r.random() < 0.5:
                return Status.PENDING.value, reopened, t
            body = self.pick(SUPPORT_ANSWERS).format_map(v)
            messages.append((case_id, later(), "support", "Seller Support", body))
        return Status.ANSWERED.value, reopened, t


class _Details(dict[str, str]):
    """The details of one case, each drawn the first time a template uses it
    (str.format_map), so the case's texts agree and unused ones cost nothing."""

    def __init__(self, maker: _Maker) -> None:
        super().__init__()
        self.maker = maker

    def __missing__(self, name: str) -> str:
        value = self[name] = self.maker.detail(name)
        return value


def _batches(
    maker: _Maker, count: int
) -> Iterator[tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    made = 0
    while made < count:
        cases: list[tuple[object, ...]] = []
        messages: list[tuple[object, ...]] = []
        for _ in range(min(BATCH, count - made)):
            row, case_messages = maker.case()
            cases.append(row)
            messages.extend(case_messages)
        made += len(cases)
        yield cases, messages


def fill_demo(
    store: Store, count: int, seed: int, now: datetime, progress: Progress | None = None
) -> DemoResult:
    """Writes `count` demo cases into an empty store."""
    if count < 0:
        raise CaseLogError("The number of demo cases cannot be negative.")
    with store.reading() as conn:
        existing = cases_held(conn)
    if existing:
        raise CaseLogError(
            f"{store.where} already holds {existing:,} case{'s' if existing != 1 else ''}; "
            "demo data goes only into an "
            "empty case log. Choose another file with --db."
        )
    maker = _Maker(seed, now)
    done = 0
    messages = 0
    with store.loading() as conn:
        for cases, case_messages in _batches(maker, count):
            # Each batch is one transaction: an interrupted run leaves whole cases.
            with conn.begin():
                insert_cases(conn, cases, _MESSAGE_COLUMNS, case_messages, maker.next_id)
            done += len(cases)
            messages += len(case_messages)
            if progress:
                progress(done, count)
    return DemoResult(done, messages)
