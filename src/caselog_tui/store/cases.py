"""The SQL of single cases: read one with its messages, and the writes a
seller or support action is made of. `services.caselog` decides what an
action does (the status machine, the field rules); these functions only
store it, inside the transaction the service opened."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select
from sqlmodel import Session

from caselog_tui.core.records import (
    CaseDetail,
    CaseSummary,
    Message,
    Side,
    from_epoch,
)
from caselog_tui.core.status import Status
from caselog_tui.core.validation import split_cc
from caselog_tui.core.view import fold
from caselog_tui.store import dialects
from caselog_tui.store.models import (
    CASE_COLUMNS,
    CASES,
    MESSAGES,
    META,
    CaseEventRow,
    CaseRow,
    MessageRow,
    MetaRow,
)

# -- reads -------------------------------------------------------------------


def read_case(conn: Connection, case_id: int) -> CaseDetail | None:
    """The case with its messages, oldest first; None if there is none."""
    row = conn.execute(select(CASES).where(CASES.c.id == case_id)).first()
    if row is None:
        return None
    m = MESSAGES.c
    found = conn.execute(
        select(m.id, m.side, m.author, m.sent_at, m.body)
        .where(m.case_id == case_id)
        .order_by(m.sent_at, m.id)
    )
    # Plain rows made into messages at once: a model validated per message
    # cost 81 ms of a 2,000-message case's opening.
    messages = [
        Message(message_id=id_, side=Side(side), author=author, sent_at=from_epoch(at), body=body)
        for id_, side, author, at, body in found
    ]
    return _detail(CaseRow.model_validate(row._mapping), messages)


def case_exists(conn: Connection, case_id: int) -> bool:
    return conn.execute(select(CASES.c.id).where(CASES.c.id == case_id)).first() is not None


def primary_emails(conn: Connection) -> list[str]:
    return dialects.of(conn).distinct_values(conn, CASES.c.primary_email)


def count_all(conn: Connection) -> int:
    """Every case the store holds, whatever its status or age."""
    return int(conn.execute(select(func.count()).select_from(CASES)).scalar_one())


def mail_recorded_on(conn: Connection | Session, mail_id: str) -> int | None:
    """The case a mail with this Message-ID was recorded on, if any."""
    found = conn.execute(select(MESSAGES.c.case_id).where(MESSAGES.c.mail_id == mail_id))
    return found.scalar()


# -- what changed, for live refresh -----------------------------------------
# Every write transaction that changes cases takes the next number of
# meta "change_seq" (writes go one at a time, so the numbers are in commit
# order) and stamps it on each case it changed (cases.changed_seq, indexed).
# A load that writes many cases at once stamps none: it sets "reload_seq"
# instead, which says "anything may have changed".

_CHANGE_SEQ, _RELOAD_SEQ = "change_seq", "reload_seq"
# Past this many changed cases, live refresh reads its page again instead.
CHANGES_LISTED = 200


def meta_value(conn: Connection | Session, key: str) -> str | None:
    """One of the store's own facts (table meta), or None if never written."""
    return conn.execute(select(META.c.value).where(META.c.key == key)).scalar()


def set_meta(conn: Connection | Session, key: str, value: str) -> None:
    """Writes one of the store's own facts, in the caller's transaction."""
    if meta_value(conn, key) is None:
        conn.execute(META.insert().values(key=key, value=value))
    else:
        conn.execute(META.update().where(META.c.key == key).values(value=value))


def last_change(conn: Connection) -> int:
    """The number of the last write transaction that changed cases."""
    return int(meta_value(conn, _CHANGE_SEQ) or 0)


def changes_since(conn: Connection, seen: int) -> tuple[int, frozenset[int] | None]:
    """The number of the last write that changed cases, and the cases
    changed by writes after `seen`: None when that is not known (a load
    wrote since, or more than CHANGES_LISTED cases changed)."""
    last = last_change(conn)
    if last <= seen:
        return last, frozenset()
    if int(meta_value(conn, _RELOAD_SEQ) or 0) > seen:
        return last, None
    found = conn.execute(
        select(CASES.c.id).where(CASES.c.changed_seq > seen).limit(CHANGES_LISTED + 1)
    )
    ids = frozenset(row[0] for row in found)
    return last, ids if len(ids) <= CHANGES_LISTED else None


def _next_change(conn: Connection | Session) -> int:
    number = int(meta_value(conn, _CHANGE_SEQ) or 0) + 1
    set_meta(conn, _CHANGE_SEQ, str(number))
    return number


def _change_number(session: Session) -> int:
    """This write transaction's number among those that changed cases,
    taken at its first change."""
    number = session.info.get(_CHANGE_SEQ)
    if number is None:
        number = session.info[_CHANGE_SEQ] = _next_change(session)
    return int(number)


def _changed(session: Session, case: CaseRow) -> None:
    case.changed_seq = _change_number(session)


def anything_may_have_changed(conn: Connection) -> None:
    """A load wrote many cases without stamping them: live refresh reads
    everything again."""
    set_meta(conn, _RELOAD_SEQ, str(_next_change(conn)))


# -- writes (inside a `Store.writing()` transaction) -------------------------
# Each write counts one more on the case's version, so a form prepared
# against the case as it was can tell that it changed, and stamps the
# transaction's change number on it (see above).


def case_for_update(session: Session, case_id: int) -> CaseRow | None:
    """The case's row, to change in this transaction; None if there is none."""
    return session.get(CaseRow, case_id)


def take_case_id(session: Session) -> int:
    """The next case ID: above every ID ever handed out or imported, so none
    is ever reused."""
    meta = session.get(MetaRow, "next_case_id")
    highest = session.execute(select(func.max(CASES.c.id))).scalar() or 0
    case_id = max(int(meta.value) if meta else 0, highest + 1)
    if meta is None:
        session.add(MetaRow(key="next_case_id", value=str(case_id + 1)))
    else:
        meta.value = str(case_id + 1)
    return case_id


def add_case(
    session: Session,
    *,
    case_id: int,
    at: int,
    primary_email: str,
    short_description: str,
    cc: str,
) -> CaseRow:
    """A new case, Open."""
    case = CaseRow(
        id=case_id,
        created_at=at,
        status=Status.OPEN.value,
        primary_email=primary_email,
        short_description=short_description,
        description_key=fold(short_description),
        cc=cc,
        last_activity_at=at,
        changed_seq=_change_number(session),
    )
    session.add(case)
    session.flush()  # the case exists before its first message refers to it
    return case


def add_message(
    session: Session,
    case: CaseRow,
    side: Side,
    author: str,
    body: str,
    at: int,
    mail_id: str | None = None,
) -> None:
    session.add(
        MessageRow(
            case_id=case.id, sent_at=at, side=side.value, author=author, body=body, mail_id=mail_id
        )
    )
    case.last_activity_at = max(case.last_activity_at, at)
    case.version += 1
    _changed(session, case)


def set_status(session: Session, case: CaseRow, status: Status, at: int) -> None:
    """The case's new status, with the change in its history."""
    if case.status != status.value:
        session.add(
            CaseEventRow(case_id=case.id, at=at, kind="status", old=case.status, new=status.value)
        )
        case.status = status.value
        case.version += 1
    if status is Status.ANSWERED:
        case.answered_at = at
    case.last_activity_at = max(case.last_activity_at, at)
    _changed(session, case)


def edit_description(session: Session, case: CaseRow, text: str, at: int) -> None:
    """The case's new short description, with the old one in its history."""
    session.add(
        CaseEventRow(
            case_id=case.id, at=at, kind="short_description", old=case.short_description, new=text
        )
    )
    case.short_description = text
    case.description_key = fold(text)
    case.version += 1
    _changed(session, case)


def insert_cases(
    conn: Connection,
    cases: Sequence[Sequence[object]],
    message_columns: Sequence[str],
    messages: Sequence[Sequence[object]],
    next_case_id: int,
) -> None:
    """Many new cases at once (rows of `models.CASE_COLUMNS`) and their
    messages, in the caller's transaction: the demo's bulk path."""
    dialect = dialects.of(conn)
    dialect.bulk_insert(conn, "cases", CASE_COLUMNS, cases)
    dialect.bulk_insert(conn, "messages", message_columns, messages)
    conn.execute(META.update().where(META.c.key == "next_case_id").values(value=str(next_case_id)))
    anything_may_have_changed(conn)


def _detail(case: CaseRow, messages: list[Message]) -> CaseDetail:
    summary = CaseSummary(
        case_id=case.id,
        created_at=from_epoch(case.created_at),
        status=Status(case.status),
        primary_email=case.primary_email,
        short_description=case.short_description,
        last_activity_at=from_epoch(case.last_activity_at),
        reopened_count=case.reopened_count,
    )
    return CaseDetail(
        summary=summary,
        cc=split_cc(case.cc),
        answered_at=from_epoch(case.answered_at) if case.answered_at is not None else None,
        messages=messages,
        version=case.version,
    )
