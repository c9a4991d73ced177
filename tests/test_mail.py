"""`caselog import-mail`: Seller Support's replies from real-world mail."""

from __future__ import annotations

import base64
import hashlib
import mailbox
from pathlib import Path

import pytest

from caselog_tui.cli import main
from caselog_tui.core.machine import Action
from caselog_tui.core.records import Side
from caselog_tui.core.status import Status
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.files import FileProblem
from caselog_tui.services.mail import (
    SupportMail,
    html_to_text,
    implied_action,
    import_mail,
    team_named_in,
    understand,
)
from tests.conftest import FakeClock

FIRST, SECOND = 10_004_217_303, 10_004_217_304


@pytest.fixture
def log(case_log: CaseLog, clock: FakeClock) -> CaseLog:
    for subject in ("Listing suppressed", "Inbound shipment short"):
        case_log.submit_case(
            primary_email="seller@example.com", short_description=subject, message="Help."
        )
    clock.advance(days=1)
    return case_log


def mail(
    body: bytes | str,
    *,
    subject: str = f"Re: Your case [CASE {FIRST}]",
    message_id: str = "<1@support.example>",
    date: str = "Thu, 26 Nov 2026 13:00:00 +0000",  # the cases are made at 12:00
    headers: str = 'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: 8bit\n',
) -> bytes:
    head = (
        "From: Seller Support <support@marketplace.example>\n"
        "To: seller@example.com\n"
        f"Subject: {subject}\n"
        f"Date: {date}\n"
        f"Message-ID: {message_id}\n"
        "MIME-Version: 1.0\n"
    )
    raw = body.encode() if isinstance(body, str) else body
    return (head + headers + "\n").encode() + raw


def encoded_word(text: str, charset: str) -> str:
    """A header value as RFC 2047 writes non-ASCII text: =?charset?B?...?="""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


ALTERNATIVE = mail(
    b"--b\nContent-Type: text/plain; charset=utf-8\n\nHello,\n\nPlease send the invoice.\n"
    b"--b\nContent-Type: text/html; charset=utf-8\n\n<p>HTML twin that must not win</p>\n"
    b"--b--\n",
    headers='Content-Type: multipart/alternative; boundary="b"\n',
)
HTML_ONLY = mail(
    "<html><head><title>t</title><style>p{}</style></head><body>"
    "<p>We have <b>reimbursed</b> 3 units &amp; closed it.</p>"
    '<ul><li>Ref: <a href="https://example.com/r/1">your refund</a></li></ul>'
    "<p>Regards,<br>Seller Support</p><script>alert(1)</script></body></html>",
    subject=f"Case ID: {SECOND} update",
    message_id="<2@support.example>",
    headers="Content-Type: text/html; charset=utf-8\n",
)
LATIN_1 = mail(
    b"Caf\xe9 refund of \x80 12 for the cr\xe8me.",
    subject=f"Case ID: {FIRST}",
    message_id="<3@support.example>",
    headers="Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n",
)
SHIFT_JIS = mail(
    base64.b64encode("お問い合わせありがとうございます。返金しました。".encode("shift_jis")),
    subject=encoded_word(f"ケース {SECOND}", "shift_jis"),
    message_id="<4@support.example>",
    headers="Content-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: base64\n",
)
ENCODED_SUBJECT = mail(
    "We are looking into this.",
    subject=encoded_word(f"Rückerstattung — Case ID: {FIRST}", "utf-8"),
    message_id="<5@support.example>",
    date="Thu, 26 Nov 2026 14:00:00 +0000",
)
UNKNOWN_CASE = mail("Answered.", subject="Case ID: 19999999999", message_id="<6@support.example>")
NO_CASE_ID = mail("Thanks for your feedback.", subject="Newsletter", message_id="<7@x>")
ATTACHED = mail(
    b"--m\nContent-Type: text/plain\n\nYour case has been transferred to the Seller Fees team.\n"
    b'--m\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="fees.pdf"\n'
    b"Content-Transfer-Encoding: base64\n\nJVBERi0=\n--m--\n",
    subject=f"[CASE {SECOND}]",
    message_id="<8@support.example>",
    date="Thu, 26 Nov 2026 15:00:00 +0000",
    headers='Content-Type: multipart/mixed; boundary="m"\n',
)


def an_mbox(path: Path, *mails: bytes) -> Path:
    box = mailbox.mbox(path)
    for raw in mails:
        box.add(raw)
    box.flush()
    box.close()
    return path


def support_messages(log: CaseLog, case_id: int) -> list[str]:
    return [m.body for m in log.case(case_id).messages if m.side is Side.SUPPORT]


def test_an_mbox_of_real_world_mail(log: CaseLog, tmp_path: Path) -> None:
    box = an_mbox(
        tmp_path / "support.mbox",
        ALTERNATIVE,
        HTML_ONLY,
        LATIN_1,
        SHIFT_JIS,
        ENCODED_SUBJECT,
        UNKNOWN_CASE,
        NO_CASE_ID,
        ATTACHED,
    )
    result = import_mail(log, box)
    assert result.summary() == "Recorded 6 replies; 2 mails were not recorded."
    assert [str(p) for p in result.problems] == [
        "support.mbox mail 6: it is about case 19999999999, which is not in this case log.",
        "support.mbox mail 7: no case ID (like “Case ID: 12345678901”) in it.",
    ]
    assert support_messages(log, FIRST) == [
        "Hello,\n\nPlease send the invoice.",
        "Café refund of € 12 for the crème.",
        "We are looking into this.",
    ]
    assert support_messages(log, SECOND) == [
        "We have reimbursed 3 units & closed it.\n\n"
        "- Ref: your refund (https://example.com/r/1)\n\nRegards,\nSeller Support",
        "お問い合わせありがとうございます。返金しました。",
        "Your case has been transferred to the Seller Fees team.\n\n"
        "Attachments (not stored): fees.pdf",
    ]
    # Oldest first: each case ends in the status its newest reply implies.
    assert log.case(FIRST).status is Status.PENDING
    assert log.case(SECOND).status is Status.TRANSFERRED
    first = log.case(FIRST).messages[1]
    assert first.author == "support@marketplace.example"
    assert first.sent_at.isoformat() == "2026-11-26T13:00:00+00:00"


def test_each_mail_is_recorded_once(log: CaseLog, tmp_path: Path) -> None:
    box = an_mbox(tmp_path / "a.mbox", ALTERNATIVE, ALTERNATIVE, LATIN_1)
    first = import_mail(log, box)
    assert (len(first.recorded), first.duplicates) == (2, 1)
    again = import_mail(log, box)
    assert again.summary() == "Recorded 0 replies; 3 were already recorded."
    assert len(support_messages(log, FIRST)) == 2


def test_a_mail_without_message_id_is_known_by_its_bytes(log: CaseLog, tmp_path: Path) -> None:
    raw = mail("Answered.", message_id="").replace(b"Message-ID: \n", b"")
    (tmp_path / "one.eml").write_bytes(raw)
    assert len(import_mail(log, tmp_path / "one.eml").recorded) == 1
    assert import_mail(log, tmp_path / "one.eml").duplicates == 1


def test_a_folder_of_eml_files_and_a_maildir(log: CaseLog, tmp_path: Path) -> None:
    folder = tmp_path / "mails"
    folder.mkdir()
    (folder / "a.eml").write_bytes(ALTERNATIVE)
    (folder / "b.eml").write_bytes(HTML_ONLY)
    (folder / "notes.txt").write_text("not mail")
    assert len(import_mail(log, folder).recorded) == 2
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(LATIN_1)
    maildir.add(ATTACHED)
    result = import_mail(log, tmp_path / "Maildir")
    assert len(result.recorded) == 2 and result.recorded[0].source.startswith("Maildir/")


def test_status_flag_overrides_what_the_reply_implies(log: CaseLog, tmp_path: Path) -> None:
    (tmp_path / "ask.eml").write_bytes(ALTERNATIVE)
    import_mail(log, tmp_path / "ask.eml", Action.SUPPORT_ANSWERS)
    assert log.case(FIRST).status is Status.ANSWERED


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Your case has been transferred to the FBA team.", Action.SUPPORT_TRANSFERS),
        ("To continue, please provide the supplier invoice.", Action.SUPPORT_ASKS),
        ("We need the proof of delivery.", Action.SUPPORT_ASKS),
        ("We are investigating and will get back to you.", Action.SUPPORT_WORKING),
        ("We have reimbursed 3 units. Please reply if anything else.", Action.SUPPORT_ANSWERS),
    ],
)
def test_what_a_reply_implies(text: str, action: Action) -> None:
    assert implied_action(text) is action


def test_a_transfer_mail_records_the_team_it_names(log: CaseLog, tmp_path: Path) -> None:
    assert team_named_in("Your case has been transferred to the Seller Fees team.") == (
        "Seller Fees"
    )
    assert team_named_in("It was routed to FBA Inventory.") == "FBA Inventory"
    (tmp_path / "moved.eml").write_bytes(mail("Your case was routed to FBA Inventory."))
    result = import_mail(log, tmp_path / "moved.eml")
    assert [r.status for r in result.recorded] == [Status.TRANSFERRED]


def test_a_transfer_mail_that_names_no_team_is_reported(log: CaseLog, tmp_path: Path) -> None:
    (tmp_path / "moved.eml").write_bytes(mail("Your case has been transferred."))
    result = import_mail(log, tmp_path / "moved.eml")
    assert result.recorded == []
    assert [p.reason for p in result.problems] == [
        "it says the case was transferred but names no team; record it with "
        "caselog respond --status transferred --team NAME."
    ]
    assert log.case(FIRST).status is Status.OPEN


def test_a_reply_dated_before_its_case_is_recorded_at_the_cases_creation(
    log: CaseLog, tmp_path: Path
) -> None:
    """A sender's wrong clock must not put support's reply above the
    seller's first message: it is clamped to the case's creation, and the
    report says so."""
    (tmp_path / "early.eml").write_bytes(mail("Answered.", date="Wed, 25 Nov 2026 10:00:00 +0000"))
    result = import_mail(log, tmp_path / "early.eml")
    assert result.summary() == (
        "Recorded 1 reply; 1 was dated before its case was created and is recorded at "
        "the case's creation time."
    )
    assert [str(m) for m in result.clamped] == [
        f"early.eml: dated 2026-11-25 10:00 UTC, before case {FIRST} was created "
        "(2026-11-26 12:00 UTC); recorded at 2026-11-26 12:00 UTC."
    ]
    case = log.case(FIRST)
    assert [m.side.value for m in case.messages] == ["seller", "support"]
    assert case.messages[1].sent_at == case.summary.created_at


def test_hostile_mail_is_data(log: CaseLog, tmp_path: Path) -> None:
    text = "[/b] [@click=app.quit]x[/] \x1b]0;title\x07 done"
    (tmp_path / "h.eml").write_bytes(mail(text, subject=f"Case ID: {FIRST} [TODO]"))
    import_mail(log, tmp_path / "h.eml")
    assert support_messages(log, FIRST) == [text]


def test_malformed_mail_is_read_as_far_as_it_goes(log: CaseLog, tmp_path: Path) -> None:
    garbage = understand(b"\x00\xff garbage\n\n\x1b", "junk.eml")
    assert isinstance(garbage, SupportMail) and garbage.case_id is None
    broken = (
        b"Message-ID: <<<>>>@@\nDate: not a date\nFrom: nobody\n"
        b"Subject: =?x-unknown?B?AAAA?= [CASE 10004217303]\n"
        b'Content-Type: multipart/mixed; boundary="x"\n\n--x\n'
        b"Content-Type: text/plain; charset=x-klingon\n\nhello \xff\n"
    )
    (tmp_path / "broken.eml").write_bytes(broken)
    result = import_mail(log, tmp_path / "broken.eml")
    assert result.summary() == "Recorded 1 reply."
    (message,) = [m for m in log.case(FIRST).messages if m.side is Side.SUPPORT]
    assert message.body == "hello ÿ" and message.author == "Seller Support"
    assert log.has_mail("<<<>>>@@")


def test_html_to_text_keeps_words_not_markup() -> None:
    assert html_to_text("<div>a&nbsp;b</div><div>c</div><p>d<br>e</p>f") == "a b\nc\n\nd\ne\n\nf"
    assert html_to_text('<a href="mailto:x@y.z">x@y.z</a>') == "x@y.z"


def test_a_missing_path_is_refused(log: CaseLog, tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="There is no mail file or folder"):
        import_mail(log, tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileProblem, match=r"holds no \.eml files and is not a Maildir"):
        import_mail(log, tmp_path / "empty")


def test_cli_import_mail(log: CaseLog, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(log.store.path)
    box = an_mbox(tmp_path / "in.mbox", ALTERNATIVE, UNKNOWN_CASE)
    assert main(["import-mail", "--db", db, str(box)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Recorded 1 reply; 1 mail was not recorded.\n")
    assert f"  in.mbox mail 1: case {FIRST} is now Needs Your Attention\n" in err
    assert "  in.mbox mail 2: it is about case 19999999999" in err
    assert main(["import-mail", "--db", db, str(box), "--status", "answered"]) == 1
    assert "1 was already recorded" in capsys.readouterr().err
    (tmp_path / "ok.eml").write_bytes(LATIN_1)
    assert main(["import-mail", "--db", db, str(tmp_path / "ok.eml"), "--status", "pending"]) == 0
    assert log.case(FIRST).status is Status.PENDING
    assert main(["import-mail", "--db", db, str(box), "--status", "closed"]) == 1
    assert "“closed” is not a status Seller Support can set" in capsys.readouterr().err
    assert main(["import-mail", "--db", db, str(tmp_path / "none")]) == 1
    assert "does not exist" in capsys.readouterr().err


def from_(sender: str, extra: str = "") -> bytes:
    """A support mail, but sent from `sender`, with `extra` header lines."""
    raw = mail("Any news on this?", message_id=f"<{len(sender)}.{len(extra)}@mail.example>")
    return raw.replace(
        b"From: Seller Support <support@marketplace.example>\n",
        f"From: {sender}\n{extra}".encode(),
    )


def test_the_sellers_own_mail_is_not_recorded_as_a_support_reply(
    log: CaseLog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sent.eml").write_bytes(from_("Seller <Seller@Example.com>"))
    result = import_mail(log, tmp_path / "sent.eml")
    assert result.problems == [] and result.recorded == []
    assert [str(p) for p in result.yours] == [
        "sent.eml: sent from seller@example.com, an address of the case itself: yours, not a reply."
    ]
    assert result.summary() == "Recorded 0 replies; 1 was your own mail."
    assert support_messages(log, FIRST) == []
    assert log.case(FIRST).status is Status.OPEN
    # Nothing is wrong with a mailbox that holds sent copies: exit 0.
    assert main(["import-mail", "--db", str(log.store.path), str(tmp_path / "sent.eml")]) == 0
    assert "  sent.eml: sent from seller@example.com" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("sender", "extra"),
    [
        # Google Groups rewrites From to the group and keeps the sender here.
        (
            "'Seller Support' via Team <seller@example.com>",
            "X-Original-From: Seller Support <support@marketplace.example>\n",
        ),
        # Mailman-style lists put the real sender in Reply-To.
        ("Team <seller@example.com>", "Reply-To: support@marketplace.example\n"),
    ],
    ids=["x-original-from", "reply-to"],
)
def test_a_reply_through_a_list_at_the_cases_address_is_recorded(
    log: CaseLog, tmp_path: Path, sender: str, extra: str
) -> None:
    (tmp_path / "list.eml").write_bytes(from_(sender, extra))
    result = import_mail(log, tmp_path / "list.eml")
    assert len(result.recorded) == 1 and result.yours == []
    [reply] = [m for m in log.case(FIRST).messages if m.side is Side.SUPPORT]
    assert reply.author == "support@marketplace.example"


def test_two_replies_whose_message_ids_hold_a_space_are_both_recorded(
    log: CaseLog, tmp_path: Path
) -> None:
    (tmp_path / "one.eml").write_bytes(mail("First answer.", message_id="<reply one@mailer>"))
    (tmp_path / "two.eml").write_bytes(mail("Second answer.", message_id="<reply two@mailer>"))
    result = import_mail(log, tmp_path)
    assert result.summary() == "Recorded 2 replies."
    assert support_messages(log, FIRST) == ["First answer.", "Second answer."]
    assert log.has_mail("<reply one@mailer>") and log.has_mail("<reply two@mailer>")
    again = import_mail(log, tmp_path)
    assert support_messages(log, FIRST) == ["First answer.", "Second answer."]
    assert again.summary() == "Recorded 0 replies; 2 were already recorded."


def test_an_absurdly_long_message_id_is_replaced_by_the_mails_hash(
    log: CaseLog, tmp_path: Path
) -> None:
    raw = mail("Answered.", message_id="<" + "x" * 5000 + "@mailer>")
    (tmp_path / "long.eml").write_bytes(raw)
    assert import_mail(log, tmp_path / "long.eml").summary() == "Recorded 1 reply."
    assert log.has_mail(f"sha256:{hashlib.sha256(raw).hexdigest()}")
