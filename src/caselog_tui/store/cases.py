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


# -- writes (inside a `Store.writing()` transaction) -------------------------
# Each write counts one more on the case's version, so a form prepared
# against the case as it was can tell that it changed.


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
