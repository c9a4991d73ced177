"""The case log service: every read a view needs and every seller and support
action, each action one transaction. The TUI, the CLI and the tests all go
through this class."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo

from caselog_tui.core import validation as rules
from caselog_tui.core.errors import (
    ActionRefused,
    CaseChangedMeanwhile,
    CaseNotFound,
    ValidationError,
)
from caselog_tui.core.localtime import SystemLocalTime
from caselog_tui.core.machine import SUPPORT_RESULTS, Action, next_status, transfer_team, with_team
from caselog_tui.core.records import CaseDetail, CasePage, CaseSummary, Side, from_epoch, to_epoch
from caselog_tui.core.status import Status
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.changes import ChangeWatcher, OwnWrites
from caselog_tui.store import cases
from caselog_tui.store.database import Store, WriteTransaction
from caselog_tui.store.models import CaseRow
from caselog_tui.store.queries import (
    count_cases,
    fetch_page,
    fetch_rows,
    iter_cases,
    rows_in_view,
    view_holds,
)

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
        # Counted so live refresh does not announce our own writes (services/changes.py).
        self._own_writes = OwnWrites()

    # -- reads -------------------------------------------------------------

    def page(self, query: CaseQuery) -> CasePage:
        with self.store.reading() as conn:
            return fetch_page(conn, query, self.clock(), self.tz)

    def rows(self, query: CaseQuery, total: int | None = None) -> list[CaseSummary]:
        """The cases of one page, without counting the view; with its
        `total` already known, a late page is read from the end (see
        `fetch_rows`)."""
        with self.store.reading() as conn:
            return fetch_rows(conn, query, self.clock(), self.tz, total)

    def count(self, query: CaseQuery) -> int:
        with self.store.reading() as conn:
            return count_cases(conn, query, self.clock(), self.tz)

    def shows(self, query: CaseQuery, case_id: int) -> bool:
        """Whether the view `query` describes holds the case, on any page
        (a new case the seller's filter or search would hide, for one)."""
        with self.store.reading() as conn:
            return view_holds(conn, query, case_id, self.clock(), self.tz)

    def rows_in_view(self, query: CaseQuery, case_ids: frozenset[int]) -> dict[int, CaseSummary]:
        """Those of `case_ids` the view holds, as they are now (live refresh
        patching the rows of a page)."""
        with self.store.reading() as conn:
            return rows_in_view(conn, query, self.clock(), self.tz, sorted(case_ids))

    def attention_count(self) -> int:
        return self.count(CaseQuery(attention_only=True))

    def iter_cases(self, query: CaseQuery) -> Iterator[CaseSummary]:
        """Every case of the view in its order, streamed (for the export)."""
        with self.store.reading() as conn:
            yield from iter_cases(conn, query, self.clock(), self.tz)

    def primary_emails(self) -> list[str]:
        with self.store.reading() as conn:
            return cases.primary_emails(conn)

    def case(self, case_id: int) -> CaseDetail:
        with self.store.reading() as conn:
            detail = cases.read_case(conn, case_id)
        if detail is None:
            raise CaseNotFound(case_id)
        return detail

    def exists(self, case_id: int) -> bool:
        with self.store.reading() as conn:
            return cases.case_exists(conn, case_id)

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
        with self._writing() as session:
            case_id = cases.take_case_id(session)
            case = cases.add_case(
                session,
                case_id=case_id,
                at=now,
                primary_email=email,
                short_description=description,
                cc=cc_list,
            )
            cases.add_message(session, case, Side.SELLER, email, body, now)
        return self.case(case_id)

    def reply(
        self,
        case_id: int,
        message: str,
        *,
        add_cc: str = "",
        short_description: str | None = None,
        author: str | None = None,
        seen_version: int | None = None,
    ) -> CaseDetail:
        """Reply to an active case; it becomes Pending Amazon Action.

        Like every action on a case, a refusal of the action itself (unknown
        case, answered case) comes before the fields: the seller learns what
        to do instead before fixing a message that could not be sent anyway.

        `seen_version` is the case's version when the reply was begun (a form
        passes it; a command that reads and writes in one go need not): if
        the case was written since, the reply is refused whole."""
        with self._writing() as session:
            case, now = self._act(session, case_id, Action.REPLY, seen_version)
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
                cases.edit_description(session, case, description, now)
            cases.add_message(session, case, Side.SELLER, author or case.primary_email, body, now)
            cases.set_status(session, case, Status.PENDING, now)
        return self.case(case_id)

    def reopen(
        self,
        case_id: int,
        message: str,
        *,
        author: str | None = None,
        seen_version: int | None = None,
    ) -> CaseDetail:
        """Re-open an answered case within 5 days of its last activity."""
        with self._writing() as session:
            case, now = self._act(session, case_id, Action.REOPEN, seen_version)
            body = rules.normalise_message(message)
            case.reopened_count += 1
            cases.add_message(session, case, Side.SELLER, author or case.primary_email, body, now)
            cases.set_status(session, case, Status.PENDING, now)
        return self.case(case_id)

    def resolve(
        self,
        case_id: int,
        note: str = "",
        *,
        author: str | None = None,
        seen_version: int | None = None,
    ) -> CaseDetail:
        """The seller tells support the issue is resolved: Answered."""
        body = note.replace("\r\n", "\n").rstrip() if note.strip() else RESOLVED_NOTE
        with self._writing() as session:
            case, now = self._act(session, case_id, Action.RESOLVE, seen_version)
            cases.add_message(session, case, Side.SELLER, author or case.primary_email, body, now)
            cases.set_status(session, case, Status.ANSWERED, now)
        return self.case(case_id)

    def edit_short_description(
        self, case_id: int, text: str, *, seen_version: int | None = None
    ) -> CaseDetail:
        with self._writing() as session:
            case, now = self._act(session, case_id, Action.EDIT, seen_version)
            description = rules.normalise_short_description(text)
            if description != case.short_description:
                cases.edit_description(session, case, description, now)
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
        team: str | None = None,
    ) -> CaseDetail:
        """A reply from Seller Support (from `caselog respond` or a mail). A
        transfer names the `team` the case went to, in its message too."""
        if action not in SUPPORT_RESULTS:
            raise ActionRefused(f"{action.value} is not something Seller Support does.")
        if team is not None and action is not Action.SUPPORT_TRANSFERS:
            raise ActionRefused("A team is named only when the case is transferred.")
        with self._writing() as session:
            case, now = self._act(session, case_id, action)
            if not message.strip():
                raise ValidationError({"message": "The reply from Seller Support has no text."})
            body = rules.normalise_message(message)
            if action is Action.SUPPORT_TRANSFERS:
                body = with_team(body, transfer_team(team))
            if mail_id is not None and (known := cases.mail_recorded_on(session, mail_id)):
                raise ActionRefused(f"This mail is already recorded on case {known}.")
            # Never before the case itself: it would show above its first message.
            at = max(to_epoch(sent_at), case.created_at) if sent_at is not None else now
            cases.add_message(session, case, Side.SUPPORT, author, body, at, mail_id=mail_id)
            cases.set_status(session, case, SUPPORT_RESULTS[action], max(at, now))
        return self.case(case_id)

    def has_mail(self, mail_id: str) -> bool:
        with self.store.reading() as conn:
            return cases.mail_recorded_on(conn, mail_id) is not None

    # -- live refresh ------------------------------------------------------

    def watch_changes(self) -> ChangeWatcher:
        """A watcher whose `poll()` says when the case log changed; the
        caller closes it."""
        return ChangeWatcher(self.store, self._own_writes)

    # -- helpers -----------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[WriteTransaction]:
        with self._own_writes.counting(), self.store.writing() as session:
            yield session

    def _act(
        self,
        session: WriteTransaction,
        case_id: int,
        action: Action,
        seen_version: int | None = None,
    ) -> tuple[CaseRow, int]:
        """The case, checked for the action. The status machine speaks first
        (its sentence says what to do instead); then a case written since
        `seen_version` is refused whole."""
        case = cases.case_for_update(session, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        now = self.clock()
        next_status(case_id, Status(case.status), from_epoch(case.last_activity_at), action, now)
        if seen_version is not None and case.version != seen_version:
            raise CaseChangedMeanwhile(case_id)
        return case, to_epoch(now)


def _check(fields: dict[str, str], name: str, rule: Callable[[str, str], str], value: str) -> str:
    """Runs one field rule, collecting its sentence so a form can show them all."""
    try:
        return rule(value, name)
    except ValidationError as error:
        fields.update(error.fields)
        return ""
