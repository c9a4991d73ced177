"""`caselog import-mail`: Seller Support's replies from e-mail.

Reads an .eml file, a folder of them, an mbox or a Maildir with the
standard library, finds the case ID in the subject or the text, and records
each mail as a support reply: the plain-text part (or the HTML part turned
into text), with attachments named but not stored. A mail is recorded once
(its Message-ID is kept); mail that names no known case is reported.
"""

from __future__ import annotations

import email.policy
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

from caselog_tui.core.errors import CaseNotFound, ValidationError
from caselog_tui.core.machine import Action
from caselog_tui.core.parsing import CASE_ID_PATTERN
from caselog_tui.core.records import CaseDetail
from caselog_tui.core.status import Status
from caselog_tui.core.validation import email_problem
from caselog_tui.services.caselog import SUPPORT_AUTHOR, CaseLog
from caselog_tui.services.files import FileProblem, describe_os_error

# "Case ID: 12345678901", "[CASE 12345678901]", "case #12345678901",
# "Case-ID 1234567890": the word "case", then the 10 or 11 digit ID.
_CASE_ID = re.compile(
    rf"\bcase[\s_-]*(?:id|number|no\.?)?\s*[:#]?\s*({CASE_ID_PATTERN})(?![0-9])", re.I
)

# A subject whose only long number is a case ID's length ("ケース 12345678901",
# "Ihr Fall 12345678901"): in the subject, in any language, that is the case.
_LONE_ID = re.compile(rf"[^0-9]*?(?<![0-9])({CASE_ID_PATTERN})(?![0-9])[^0-9]*", re.S)

# The team a transfer names: "transferred to the Seller Fees team",
# "routed to FBA Inventory." (the name ends at " team" or the sentence).
_TEAM = re.compile(
    r"\b(?:transferred|routed)\s+to\s+(?:the\s+)?([^.,;:!?\n]{1,80}?)(?:\s+team\b|[.,;:!?\n]|$)",
    re.I,
)

# What a reply implies, checked in this order; a reply that matches none is
# an answer. `--status` overrides the guess.
_IMPLIED: tuple[tuple[Action, re.Pattern[str]], ...] = (
    (
        Action.SUPPORT_TRANSFERS,
        re.compile(r"\b(?:has been|have been|was|been) (?:transferred|routed)\b", re.I),
    ),
    (
        Action.SUPPORT_ASKS,
        re.compile(
            r"\bplease (?:send|provide|upload|attach|submit|share|confirm|reply with)\b"
            r"|\bwe need\b|\b(?:needs|requires) your attention\b|\baction required\b",
            re.I,
        ),
    ),
    (
        Action.SUPPORT_WORKING,
        re.compile(
            r"\b(?:we are|we're) (?:looking into|investigating|reviewing|working on)\b"
            r"|\bpending amazon action\b|\bwill get back to you\b"
            r"|\bpassed your (?:request|case)\b",
            re.I,
        ),
    ),
)


@dataclass(frozen=True)
class SupportMail:
    """One mail, read and understood, ready to record."""

    source: str
    mail_id: str
    case_id: int | None
    author: str
    # Where replies go, when the mail names another address than its
    # sender (a mailing list that rewrote From to its own address).
    reply_to: str | None
    sent_at: datetime | None
    text: str
    implied: Action


@dataclass(frozen=True)
class MailProblem:
    """A mail that was not recorded, and why (shown to the seller)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class RecordedMail:
    source: str
    case_id: int
    status: Status

    def __str__(self) -> str:
        return f"{self.source}: case {self.case_id} is now {self.status.label}"


@dataclass
class MailImportResult:
    recorded: list[RecordedMail] = field(default_factory=list)
    duplicates: int = 0
    # The seller's own mails (sent copies in the same mailbox): not replies,
    # and nothing wrong either.
    yours: list[MailProblem] = field(default_factory=list)
    # Recorded, but dated before their case was created (a sender's wrong
    # clock): recorded at the case's creation instead, said here.
    clamped: list[MailProblem] = field(default_factory=list)
    problems: list[MailProblem] = field(default_factory=list)

    def summary(self) -> str:
        """ "Recorded 3 replies; 1 was already recorded; 2 were your own mails;
        1 mail was not recorded." """
        replies = len(self.recorded)
        parts = [f"Recorded {replies:,} {'reply' if replies == 1 else 'replies'}"]
        if self.duplicates:
            verb = "was" if self.duplicates == 1 else "were"
            parts.append(f"{self.duplicates:,} {verb} already recorded")
        if self.clamped:
            verb = "was" if len(self.clamped) == 1 else "were"
            parts.append(
                f"{len(self.clamped):,} {verb} dated before its case was created and "
                f"{'is' if len(self.clamped) == 1 else 'are'} recorded at the case's creation time"
            )
        if self.yours:
            count = len(self.yours)
            parts.append(
                f"{count:,} {'was your own mail' if count == 1 else 'were your own mails'}"
            )
        if self.problems:
            count = len(self.problems)
            parts.append(f"{count:,} {'mail was' if count == 1 else 'mails were'} not recorded")
        return "; ".join(parts) + "."


def import_mail(log: CaseLog, path: Path, status: Action | None = None) -> MailImportResult:
    """Records the support replies in the mail at `path`, oldest first (so a
    case ends in the status its newest reply implies). `status` overrides
    what each reply implies."""
    result = MailImportResult()
    mails: list[SupportMail] = []
    for item in read_mail(path):
        if isinstance(item, MailProblem):
            result.problems.append(item)
        else:
            mails.append(item)
    now = log.clock()
    mails.sort(key=lambda mail: mail.sent_at or now)
    for mail in mails:
        _record(log, mail, status, now, result)
    return result


def _record(
    log: CaseLog, mail: SupportMail, status: Action | None, now: datetime, result: MailImportResult
) -> None:
    if mail.case_id is None:
        result.problems.append(
            MailProblem(mail.source, "no case ID (like “Case ID: 12345678901”) in it.")
        )
        return
    if log.has_mail(mail.mail_id):
        result.duplicates += 1
        return
    clamp_note: MailProblem | None = None
    try:
        case_now = log.case(mail.case_id)
        author = _support_author(mail, case_now)
        if author is None:
            reason = f"sent from {mail.author}, an address of the case itself: yours, not a reply."
            result.yours.append(MailProblem(mail.source, reason))
            return
        # A mail dated in the future (a sender's wrong clock) counts as now.
        sent_at = min(mail.sent_at, now) if mail.sent_at else None
        # One dated before the case (a wrong clock the other way) would show
        # above the seller's first message: it counts as the case's creation.
        created = case_now.summary.created_at
        if sent_at is not None and sent_at < created:
            clamp_note = MailProblem(
                mail.source,
                f"dated {_utc(sent_at)}, before case {mail.case_id} was created "
                f"({_utc(created)}); recorded at {_utc(created)}.",
            )
            sent_at = created
        action = status or mail.implied
        team = None
        if action is Action.SUPPORT_TRANSFERS:
            team = team_named_in(mail.text)
            if team is None:
                reason = (
                    "it says the case was transferred but names no team; record it with "
                    "caselog respond --status transferred --team NAME."
                )
                result.problems.append(MailProblem(mail.source, reason))
                return
        case = log.record_support_reply(
            mail.case_id,
            action,
            mail.text,
            author=author,
            sent_at=sent_at,
            mail_id=mail.mail_id,
            team=team,
        )
    except CaseNotFound:
        reason = f"it is about case {mail.case_id}, which is not in this case log."
        result.problems.append(MailProblem(mail.source, reason))
    except ValidationError:
        result.problems.append(MailProblem(mail.source, "it has no text to record."))
    else:
        result.recorded.append(RecordedMail(mail.source, case.case_id, case.status))
        if clamp_note is not None:
            result.clamped.append(clamp_note)


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _support_author(mail: SupportMail, case: CaseDetail) -> str | None:
    """Who at Seller Support sent `mail`, or None if the seller did (a sent
    copy in the same mailbox): it came from an address of the case and
    names no other to reply to. A mailing list at the case's address that
    rewrote From to its own keeps the real sender in Reply-To."""
    ours = {address.lower() for address in (case.summary.primary_email, *case.cc)}
    if mail.author not in ours:
        return mail.author
    if mail.reply_to is None or mail.reply_to in ours:
        return None
    return mail.reply_to


def read_mail(path: Path) -> Iterator[SupportMail | MailProblem]:
    """Every mail at `path`: an .eml file, a folder of .eml files, an mbox
    or a Maildir."""
    path = path.expanduser()
    try:
        for source, raw in _raw_mails(path):
            yield understand(raw, source)
    except OSError as error:
        raise FileProblem(describe_os_error(error, path, "read the mail in")) from error


def _raw_mails(path: Path) -> Iterator[tuple[str, bytes]]:
    if not path.exists():
        raise FileProblem(f"There is no mail file or folder {path}.")
    if path.is_dir():
        if (path / "cur").is_dir() and (path / "new").is_dir():
            maildir = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(maildir.iterkeys()):
                yield f"{path.name}/{key}", maildir.get_bytes(key)
            return
        files = sorted(path.glob("*.eml"))
        if not files:
            raise FileProblem(f"The folder {path} holds no .eml files and is not a Maildir.")
        for file in files:
            yield file.name, file.read_bytes()
        return
    with path.open("rb") as handle:
        is_mbox = handle.read(5) == b"From "
    if not is_mbox:
        yield path.name, path.read_bytes()
        return
    box = mailbox.mbox(path, factory=None, create=False)
    for number, key in enumerate(box.iterkeys(), 1):
        yield f"{path.name} mail {number}", box.get_bytes(key)


def understand(raw: bytes, source: str) -> SupportMail | MailProblem:
    """One mail's case ID, sender, date and text. Mail is hostile input: a
    mail the email package cannot make sense of is reported, not fatal."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        subject = _header(message, "subject")
        text, attachments = _text_and_attachments(message)
        found = _CASE_ID.search(subject) or _CASE_ID.search(text) or _LONE_ID.fullmatch(subject)
        body = text.strip()
        if attachments:
            body += f"\n\nAttachments (not stored): {', '.join(attachments)}"
        return SupportMail(
            source=source,
            mail_id=_mail_id(message, raw),
            case_id=int(found.group(1)) if found else None,
            author=_author(message),
            reply_to=_address(message, "reply-to"),
            sent_at=_sent_at(message),
            text=body.strip(),
            implied=implied_action(f"{subject}\n{text}"),
        )
    except Exception as error:  # any parser failure costs one mail, not the import
        return MailProblem(source, f"it could not be read as an e-mail ({error}).")


def team_named_in(text: str) -> str | None:
    """The team a transfer mail says the case went to, or None."""
    found = _TEAM.search(text)
    return " ".join(found.group(1).split()) if found else None


def implied_action(text: str) -> Action:
    """What a reply's words imply: transferred, asks the seller for
    something, still being worked on, or (otherwise) answered."""
    for action, pattern in _IMPLIED:
        if pattern.search(text):
            return action
    return Action.SUPPORT_ANSWERS


def _header(message: Message, name: str) -> str:
    """A header's text, decoded. Python's parser raises on some malformed
    headers (a Message-ID like <<<>>>@@); those read as written."""
    try:
        return str(message.get(name, "")).strip()
    except Exception:  # the header parser's errors are not one family
        found = (value for key, value in message.raw_items() if key.lower() == name)
        return str(next(found, "")).strip()


# A Message-ID longer than this is not one a mailer made: the mail's bytes
# identify it instead.
MAIL_ID_MAX = 998


def _mail_id(message: Message, raw: bytes) -> str:
    """The Message-ID as written. Not the parsed header: Python's parser cuts
    an ID with a space at the space, so "<reply one@mailer>" and "<reply
    two@mailer>" would both be "<reply", and the second mail would count as
    recorded already. Without a usable ID the mail's own bytes identify it."""
    written = (value for key, value in message.raw_items() if key.lower() == "message-id")
    found = " ".join(str(next(written, "")).split())
    if found and len(found) <= MAIL_ID_MAX:
        return found
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def _author(message: Message) -> str:
    """The sender; the original one where a mailing list (Google Groups)
    rewrote From to its own address and kept it in X-Original-From."""
    return _address(message, "x-original-from") or _address(message, "from") or SUPPORT_AUTHOR


def _address(message: Message, header: str) -> str | None:
    """The e-mail address a header names, lower-case, if it names a valid one."""
    address = parseaddr(_header(message, header))[1].strip().lower()
    return address if address and not email_problem(address) else None


def _sent_at(message: Message) -> datetime | None:
    try:
        moment = parsedate_to_datetime(_header(message, "date"))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _leaves(part: Message) -> Iterator[Message]:
    """The non-multipart parts, in order; an attached mail is one leaf."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub)
    else:
        yield part


def _text_and_attachments(message: Message) -> tuple[str, list[str]]:
    plain: str | None = None
    html: str | None = None
    attachments: list[str] = []
    for part in _leaves(message):
        kind = part.get_content_type()
        name = part.get_filename()
        if name or part.get_content_disposition() == "attachment":
            attachments.append(name or kind)
        elif kind == "text/plain" and plain is None:
            plain = decode_text(part)
        elif kind == "text/html" and html is None:
            html = decode_text(part)
        elif not kind.startswith("text/"):
            attachments.append(kind)
    if plain is not None and plain.strip():
        return plain, attachments
    return (html_to_text(html) if html else plain or ""), attachments


# Mail that says ISO-8859-1 is very often Windows-1252 (curly quotes, €), as
# browsers assume too; 1252 is tried first and latin-1 catches the rest.
_WIDER_CHARSET = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}


def decode_text(part: Message) -> str:
    """A text part's content; a wrong or unknown charset degrades to
    replacement characters, never to an error."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    declared = (part.get_content_charset() or "utf-8").lower()
    for charset in (_WIDER_CHARSET.get(declared, declared), declared, "utf-8"):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


_LINE, _PARAGRAPH = "\0L", "\0P"
_BREAKS = re.compile(r"(?:[ \t]*\0[LP])+[ \t]*")


class _HtmlText(HTMLParser):
    """HTML to plain text, as a mail reader would show it: blocks on their
    own lines, list items with a dash, links followed by their address,
    scripts and styles dropped."""

    _PARAGRAPHS = frozenset({"p", "table", "ul", "ol", "blockquote", "pre", "hr", "section"})
    _PARAGRAPHS |= {"h1", "h2", "h3", "h4", "h5", "h6", "article", "header", "footer"}
    _LINES = frozenset({"div", "tr", "li", "dd", "dt"})
    _HIDDEN = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._link: tuple[str, int] | None = None

    def _breaks(self, tag: str) -> str:
        """Where a block starts or ends: a stand-in that `text` merges with
        its neighbours (two blocks in a row are one break, not two)."""
        return _PARAGRAPH if tag in self._PARAGRAPHS else _LINE if tag in self._LINES else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append(_LINE + "- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self._link = (href, len(self.parts)) if href.startswith(("http", "mailto:")) else None
        else:
            self.parts.append(self._breaks(tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "a" and self._link:
            href, start = self._link
            shown = "".join(self.parts[start:])
            if href.removeprefix("mailto:") not in shown:
                self.parts.append(f" ({href})")
            self._link = None
        else:
            self.parts.append(self._breaks(tag))

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(re.sub(r"\s+", " ", data.replace("\0", "")))

    def text(self) -> str:
        def merge(run: re.Match[str]) -> str:
            return "\n\n" if _PARAGRAPH in run.group() else "\n"

        text = _BREAKS.sub(merge, "".join(self.parts))
        return "\n".join(line.strip() for line in text.splitlines()).strip()


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser.text()
