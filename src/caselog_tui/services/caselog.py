"""The case log service: every read a view needs and every seller and support
action, each action one transaction. The TUI, the CLI and the tests all go
through this class."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, tzinfo

from sqlalchemy import func, select
from sqlmodel import Session

from caselog_tui.core import validation as rules
from caselog_tui.core.errors import ActionRefused, CaseNotFound, ValidationError
from caselog_tui.core.localtime import SystemLocalTime
from caselog_tui.core.machine import SUPPORT_RESULTS, Action, next_status
from caselog_tui.core.records import (
    CaseDetail,
    CasePage,
    CaseSummary,
    Message,
    Side,
    from_epoch,
    to_epoch,
)
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery, fold
from caselog_tui.store.database import Store
from caselog_tui.store.models import CASES, MESSAGES, CaseEventRow, CaseRow, MessageRow, MetaRow
from caselog_tui.store.queries import count_cases, fetch_page, fetch_rows, iter_cases

SUPPORT_AUTHOR = "Seller Support"
RESOLVED_NOTE = "The issue is resolved; no further action is needed."

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_timezone() -> tzinfo:
    """The computer's time zone, summer time included."""
    return SystemLocalTime()


class CaseLog:
    """A case log on an open store. `clock` and `tz` are injectable so tests
    can stand at any moment (the 5-day re-open boundary) and any timezone."""

    def __init__(self, store: Store, clock: Clock = utc_now, tz: tzinfo | None = None) -> None:
        self.store = store
        self.clock = clock
        self.tz = tz if tz is not None else local_timezone()

    # -- reads -------------------------------------------------------------

    def page(self, query: CaseQuery) -> CasePage:
        with self.store.reading() as conn:
            return fetch_page(conn, query, self.clock(), self.tz)

    def rows(self, query: CaseQuery) -> list[CaseSummary]:
        """The cases of one page, without the view's total (see `fetch_rows`)."""
        with self.store.reading() as conn:
            return fetch_rows(conn, query, self.clock(), self.tz)

    def count(self, query: CaseQuery) -> int:
        with self.store.reading() as conn:
            return count_cases(conn, query, self.clock(), self.tz)

    def attention_count(self) -> int:
        return self.count(CaseQuery(attention_only=True))

    def iter_cases(self, query: CaseQuery) -> Iterator[CaseSummary]:
        """Every case of the view in its order, streamed (for the export)."""
        with self.store.reading() as conn:
            yield from iter_cases(conn, query, self.clock(), self.tz)

    def primary_emails(self) -> list[str]:
        with self.store.reading() as conn:
            column = CASES.c.primary_email
            rows = conn.execute(select(column).distinct().order_by(column))
            return [r[0] for r in rows]

    def case(self, case_id: int) -> CaseDetail:
        with self.store.reading() as conn:
            row = conn.execute(select(CASES).where(CASES.c.id == case_id)).first()
            if row is None:
                raise CaseNotFound(case_id)
            messages = conn.execute(
                select(MESSAGES)
                .where(MESSAGES.c.case_id == case_id)
                .order_by(MESSAGES.c.sent_at, MESSAGES.c.id)
            ).all()
        case = CaseRow.model_validate(row._mapping)
        return _detail(case, [MessageRow.model_validate(m._mapping) for m in messages])

    def exists(self, case_id: int) -> bool:
        with self.store.reading() as conn:
            found = conn.execute(select(CASES.c.id).where(CASES.c.id == case_id))
            return found.first() is not None

    # -- seller actions ----------------------------------------------------

    def submit_case(
        self, *, primary_email: str, short_description: str, message: str, cc: str = ""
    ) -> CaseDetail:
        """The Contact Us form: a new case, Open."""
        fields: dict[str, str] = {}
        email = _check(fields, "primary_email", rules.normalise_email, primary_email)
        description = _check(
            fields, "short_description", rules.normalise_short_description, short_description
        )
        body = _check(fields, "message", rules.normalise_message, message)
        cc_list = _check(fields, "cc", rules.normalise_cc, cc)
        if fields:
            raise ValidationError(fields)
        now = to_epoch(self.clock())
        with self.store.writing() as session:
            case_id = _take_case_id(session)
            session.add(
                CaseRow(
                    id=case_id,
                    created_at=now,
                    status=Status.OPEN.value,
                    primary_email=email,
                    short_description=description,
                    description_key=fold(description),
                    cc=cc_list,
                    last_activity_at=now,
                )
            )
            session.flush()
            session.add(
                MessageRow(
                    case_id=case_id, sent_at=now, side=Side.SELLER.value, author=email, body=body
                )
            )
        return self.case(case_id)

    def reply(
        self,
        case_id: int,
        message: str,
        *,
        add_cc: str = "",
        short_description: str | None = None,
        author: str | None = None,
    ) -> CaseDetail:
        """Reply to an active case; it becomes Pending Amazon Action.

        Like every action on a case, a refusal of the action itself (unknown
        case, answered case) comes before the fields: the seller learns what
        to do instead before fixing a message that could not be sent anyway."""
        with self.store.writing() as session:
            case, now = self._act(session, case_id, Action.REPLY)
            fields: dict[str, str] = {}
            body = _check(fields, "message", rules.normalise_message, message)
            new_cc = _check(fields, "cc", rules.normalise_cc, add_cc)
            description = None
            if short_description is not None:  # None keeps it; blank is refused
                description = _check(
                    fields,
                    "short_description",
                    rules.normalise_short_description,
                    short_description,
                )
            if fields:
                raise ValidationError(fields)
            merged = rules.join_cc(rules.split_cc(f"{case.cc},{new_cc}"))
            if len(merged) > rules.CC_MAX:
                raise ValidationError(
                    {
                        "cc": f"With these addresses the case's Cc list would be {len(merged)} "
                        f"characters; the limit is {rules.CC_MAX}."
                    }
                )
            case.cc = merged
            if description is not None and description != case.short_description:
                _edit_description(session, case, description, now)
            _add_message(session, case, Side.SELLER, author or case.primary_email, body, now)
            _set_status(session, case, Status.PENDING, now)
        return self.case(case_id)

    def reopen(self, case_id: int, message: str, *, author: str | None = None) -> CaseDetail:
        """Re-open an answered case within 5 days of its last activity."""
        with self.store.writing() as session:
            case, now = self._act(session, case_id, Action.REOPEN)
            body = rules.normalise_message(message)
            case.reopened_count += 1
            _add_message(session, case, Side.SELLER, author or case.primary_email, body, now)
            _set_status(session, case, Status.PENDING, now)
        return self.case(case_id)

    def resolve(self, case_id: int, note: str = "", *, author: str | None = None) -> CaseDetail:
        """The seller tells support the issue is resolved: Answered."""
        body = note.replace("\r\n", "\n").rstrip() if note.strip() else RESOLVED_NOTE
        with self.store.writing() as session:
            case, now = self._act(session, case_id, Action.RESOLVE)
            _add_message(session, case, Side.SELLER, author or case.primary_email, body, now)
            _set_status(session, case, Status.ANSWERED, now)
        return self.case(case_id)

    def edit_short_description(self, case_id: int, text: str) -> CaseDetail:
        with self.store.writing() as session:
            case, now = self._act(session, case_id, Action.EDIT)
            description = rules.normalise_short_description(text)
            if description != case.short_description:
                _edit_description(session, case, description, now)
        return self.case(case_id)

    # -- support actions ---------------------------------------------------

    def record_support_reply(
        self,
        case_id: int,
        action: Action,
        message: str,
        *,
        author: str = SUPPORT_AUTHOR,
        sent_at: datetime | None = None,
        mail_id: str | None = None,
    ) -> CaseDetail:
        """A reply from Seller Support (from `caselog respond` or a mail)."""
        if action not in SUPPORT_RESULTS:
            raise ActionRefused(f"{action.value} is not something Seller Support does.")
        with self.store.writing() as session:
            case, now = self._act(session, case_id, action)
            body = rules.normalise_message(message)
            if mail_id is not None:
                _refuse_known_mail(session, mail_id)
            at = to_epoch(sent_at) if sent_at is not None else now
            _add_message(session, case, Side.SUPPORT, author, body, at, mail_id=mail_id)
            _set_status(session, case, SUPPORT_RESULTS[action], max(at, now))
        return self.case(case_id)

    def has_mail(self, mail_id: str) -> bool:
        with self.store.reading() as conn:
            found = conn.execute(select(MESSAGES.c.id).where(MESSAGES.c.mail_id == mail_id))
            return found.first() is not None

    # -- helpers -----------------------------------------------------------

    def _act(self, session: Session, case_id: int, action: Action) -> tuple[CaseRow, int]:
        case = session.get(CaseRow, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        now = self.clock()
        next_status(case_id, Status(case.status), from_epoch(case.last_activity_at), action, now)
        return case, to_epoch(now)


def _check(fields: dict[str, str], name: str, rule: Callable[[str, str], str], value: str) -> str:
    """Runs one field rule, collecting its sentence so a form can show them all."""
    try:
        return rule(value, name)
    except ValidationError as error:
        fields.update(error.fields)
        return ""


def _refuse_known_mail(session: Session, mail_id: str) -> None:
    recorded_on = session.execute(
        select(MESSAGES.c.case_id).where(MESSAGES.c.mail_id == mail_id)
    ).scalar()
    if recorded_on is not None:
        raise ActionRefused(f"This mail is already recorded on case {recorded_on}.")


def _take_case_id(session: Session) -> int:
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


def _add_message(
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


def _set_status(session: Session, case: CaseRow, status: Status, at: int) -> None:
    if case.status != status.value:
        session.add(
            CaseEventRow(case_id=case.id, at=at, kind="status", old=case.status, new=status.value)
        )
        case.status = status.value
    if status is Status.ANSWERED:
        case.answered_at = at
    case.last_activity_at = max(case.last_activity_at, at)


def _edit_description(session: Session, case: CaseRow, text: str, at: int) -> None:
    session.add(
        CaseEventRow(
            case_id=case.id, at=at, kind="short_description", old=case.short_description, new=text
        )
    )
    case.short_description = text
    case.description_key = fold(text)


def _detail(case: CaseRow, messages: list[MessageRow]) -> CaseDetail:
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
        cc=rules.split_cc(case.cc),
        answered_at=from_epoch(case.answered_at) if case.answered_at is not None else None,
        messages=[
            Message(
                message_id=m.id or 0,
                side=Side(m.side),
                author=m.author,
                sent_at=from_epoch(m.sent_at),
                body=m.body,
            )
            for m in messages
        ],
    )
