"""The `caselog` command as a user runs it: output, exit codes (0 done,
1 refused, 2 usage) and one sentence on stderr, never a traceback.

Most tests call the command's `main` in this process, with its own
standard streams, which spares an interpreter start and every import per
call. What only a real process shows runs in one: the exit status,
arguments that are not UTF-8, standard input, and another process reading
what one wrote."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest

from caselog_tui import __version__, cli
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store

FIRST_DEMO_CASE = "12005137221"


def _text_stream() -> io.TextIOWrapper:
    """A standard stream as a pipe gives one: UTF-8, with bytes underneath."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)


def _written(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def caselog(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`caselog ARGS` in this process, as a shell would see it: the exit
    code, and what went to stdout and stderr (warnings too, which a real
    process prints there)."""
    out, err = _text_stream(), _text_stream()
    with (
        mock.patch.dict(os.environ, env or {}),
        redirect_stdout(out),
        redirect_stderr(err),
        warnings.catch_warnings(record=True) as caught,
    ):
        # The filters of a plain `python` run: what it would print, we see.
        warnings.simplefilter("default")
        for quiet in (DeprecationWarning, PendingDeprecationWarning, ImportWarning):
            warnings.simplefilter("ignore", quiet)
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse: --help, --version, usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
    shown = "".join(
        warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught
    )
    return subprocess.CompletedProcess(list(args), code, _written(out), _written(err) + shown)


def caselog_process(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`caselog ARGS` as a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "caselog_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def refused(result: subprocess.CompletedProcess[str], sentence: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == f"caselog: {sentence}\n"


def read_case(db: Path, case_id: str) -> tuple[str, str, str]:
    """The case as the store holds it: (status, last author, last body)."""
    store = open_store(db, create=False)
    try:
        case = CaseLog(store).case(int(case_id))
    finally:
        store.close()
    last = case.messages[-1]
    return case.status.label, last.author, last.body


def read_case_in_another_process(db: Path, case_id: str) -> tuple[str, str, str]:
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from caselog_tui.services.caselog import CaseLog
        from caselog_tui.store.database import open_store
        case = CaseLog(open_store(Path({str(db)!r}))).case({case_id})
        last = case.messages[-1]
        print(case.status.label, last.author, last.body, sep="|")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    status, author, body = result.stdout.rstrip("\n").split("|")
    return status, author, body


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.db"
    result = caselog("demo", "--cases", "40", "--seed", "7", "--no-open", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Wrote 40 demo cases (")
    assert result.stderr.endswith(f" messages) to {db}.\n")
    return db


def test_version_and_help() -> None:
    version = caselog_process("--version")
    assert (version.returncode, version.stdout) == (0, f"caselog {__version__}\n")
    for args in (["--help"], ["demo", "--help"], ["respond", "--help"]):
        result = caselog(*args)
        assert result.returncode == 0 and "usage: caselog" in result.stdout
    assert "--no-open" in caselog("demo", "--help").stdout
    assert "--message-file" in caselog("respond", "--help").stdout


def test_demo_then_respond_then_another_process_reads_it(demo_db: Path) -> None:
    result = caselog_process(
        "respond",
        FIRST_DEMO_CASE,
        "--status",
        "needs-attention",
        "--message",
        "Please send the invoice [PDF].",
        "--from",
        "Support@Marketplace.example",
        "--db",
        str(demo_db),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"Recorded the reply: case {FIRST_DEMO_CASE} is now Needs Your Attention.\n"
    )
    assert read_case_in_another_process(demo_db, FIRST_DEMO_CASE) == (
        "Needs Your Attention",
        "support@marketplace.example",
        "Please send the invoice [PDF].",
    )


def test_respond_reads_the_message_from_a_file_or_stdin(demo_db: Path, tmp_path: Path) -> None:
    message = tmp_path / "reply.txt"
    message.write_text("Reimbursed 4 units.\n", encoding="utf-8")
    args = ["respond", FIRST_DEMO_CASE, "--status", "answered", "--db", str(demo_db)]
    assert caselog(*args, "--message-file", str(message)).returncode == 0
    assert read_case(demo_db, FIRST_DEMO_CASE) == (
        "Answered",
        "Seller Support",
        "Reimbursed 4 units.",
    )
    piped = caselog_process(
        *args[:3], "pending", *args[4:], "--message-file", "-", stdin="Looking again."
    )
    assert piped.returncode == 0, piped.stderr
    assert read_case(demo_db, FIRST_DEMO_CASE)[0] == "Pending Amazon Action"


@pytest.mark.parametrize("message", ["", "  \n\t"])
def test_an_empty_message_tells_whoever_runs_respond_what_to_give(
    demo_db: Path, message: str
) -> None:
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "answered", "--message", message,
        "--db", str(demo_db),
    )  # fmt: skip
    refused(
        result,
        "The message is empty; give the text of Seller Support's reply with "
        "--message TEXT or --message-file F.",
    )


def test_a_transfer_needs_a_team(demo_db: Path) -> None:
    before = read_case(demo_db, FIRST_DEMO_CASE)
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "transferred", "--message", "Moved.",
        "--db", str(demo_db),
    )  # fmt: skip
    refused(
        result,
        "A transferred case needs the team it went to; add --team NAME "
        '(like --team "Seller Fees").',
    )
    assert read_case(demo_db, FIRST_DEMO_CASE) == before


def test_a_transfer_names_its_team_in_the_message(demo_db: Path) -> None:
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "transferred", "--team", "Seller Fees",
        "--message", "They will contact you.", "--db", str(demo_db),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    status, author, body = read_case(demo_db, FIRST_DEMO_CASE)
    assert (status, author) == ("Transferred", "Seller Support")
    assert body.startswith("Transferred to Seller Fees.")


def test_a_team_without_a_transfer_is_refused(demo_db: Path) -> None:
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "answered", "--team", "FBA",
        "--message", "Done.", "--db", str(demo_db),
    )  # fmt: skip
    refused(result, "--team goes with --status transferred only; leave it out here.")


@pytest.mark.parametrize("case_id", ["123", "abcdefghijk", "123456789012", "²²²²²²²²²²"])
def test_a_bad_case_id_is_refused(demo_db: Path, case_id: str) -> None:
    result = caselog(
        "respond", case_id, "--status", "answered", "--message", "x", "--db", str(demo_db)
    )
    refused(result, f"“{case_id}” is not a case ID; case IDs are 10 or 11 digits.")


def test_an_unknown_case_is_refused(demo_db: Path) -> None:
    result = caselog(
        "respond", "10000000000", "--status", "answered", "--message", "x", "--db", str(demo_db)
    )
    refused(result, "There is no case with ID 10000000000 in this case log.")


def test_a_bad_status_is_refused(demo_db: Path) -> None:
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "closed", "--message", "x", "--db", str(demo_db)
    )
    refused(
        result,
        "“closed” is not a status Seller Support can set; "
        "use one of pending, needs-attention, answered, transferred.",
    )


def test_a_bad_sender_is_refused(demo_db: Path) -> None:
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "answered", "--message", "x",
        "--from", "support", "--db", str(demo_db),
    )  # fmt: skip
    refused(result, "“support” is not a valid e-mail address (expected name@example.com).")


def test_an_empty_sender_is_refused_not_taken_for_seller_support(demo_db: Path) -> None:
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "answered", "--message", "x",
        "--from", "", "--db", str(demo_db),
    )  # fmt: skip
    refused(result, "--from is empty; give the sender's e-mail address or leave it out.")
    assert read_case(demo_db, FIRST_DEMO_CASE)[2] != "x"


def test_a_missing_message_file_is_refused(demo_db: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "answered",
        "--message-file", str(missing), "--db", str(demo_db),
    )  # fmt: skip
    refused(result, f"The message file {missing} does not exist.")


def test_a_missing_case_log_is_refused_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "answered", "--message", "x", "--db", str(missing)
    )
    refused(
        result,
        f"There is no case log at {missing}. Check --db or CASELOG_DB "
        "(run caselog once to create a new case log).",
    )
    assert not missing.exists()


def test_a_file_that_is_not_a_case_log_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, just words\n" * 200)
    for args in (["--db", str(notes)], ["demo", "--no-open", "--db", str(notes)]):
        refused(
            caselog(*args),
            f"{notes} is not a case log or it is damaged. "
            "Restore it from a backup or choose another file with --db.",
        )


def test_usage_errors_exit_2() -> None:
    for args in (["respond", FIRST_DEMO_CASE, "--message", "x"], ["demo", "--cases", "many"]):
        result = caselog_process(*args)
        assert result.returncode == 2
        assert "usage: caselog" in result.stderr and "Traceback" not in result.stderr


def test_demo_refuses_a_case_log_that_has_cases(demo_db: Path) -> None:
    result = caselog("demo", "--no-open", "--db", str(demo_db))
    assert result.returncode == 1
    assert "demo data goes only into an empty case log" in result.stderr
    refused(caselog("demo", "--cases", "-1", "--no-open", "--db", str(demo_db)),
            "--cases must be 0 or more.")  # fmt: skip


def test_demo_without_db_never_touches_the_users_own_log(tmp_path: Path) -> None:
    data = tmp_path / "home" / "data" / "caselog-tui"
    for _ in range(2):  # a second run replaces the demo store
        result = caselog("demo", "--cases", "5", "--no-open")
        assert result.returncode == 0, result.stderr
    assert (data / "demo.db").exists()
    assert not (data / "caselog.db").exists()


def test_caselog_db_environment_variable_is_used(tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    result = caselog("demo", "--cases", "3", "--no-open", env={"CASELOG_DB": str(db)})
    assert result.returncode == 0 and result.stderr.endswith(f"to {db}.\n")


def test_long_demo_runs_show_progress(tmp_path: Path) -> None:
    result = caselog("demo", "--cases", "20000", "--no-open", "--db", str(tmp_path / "p.db"))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0] == "Writing demo cases: 100% (20,000 of 20,000); building the indexes"
    assert lines[-1].startswith("Wrote 20,000 demo cases")


def test_a_refusal_quoting_control_characters_cannot_drive_the_terminal(demo_db: Path) -> None:
    """Sentences may quote what was given (an argument, a line of a file);
    control codes in it reach stderr as visible stand-ins."""
    result = caselog(
        "respond", FIRST_DEMO_CASE, "--status", "\x1b]0;owned\x07", "--message", "x",
        "--db", str(demo_db),
    )  # fmt: skip
    refused(
        result,
        "“␛]0;owned␇” is not a status Seller Support can set; "
        "use one of pending, needs-attention, answered, transferred.",
    )


def run_bytes(*args: bytes, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """`caselog` with arguments that are not UTF-8, as a Latin-1 terminal sends them."""
    command: list[bytes | str] = [sys.executable, "-m", "caselog_tui", *args]
    done = subprocess.run(command, input=stdin, capture_output=True, timeout=120)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (
            [
                b"respond",
                FIRST_DEMO_CASE.encode(),
                b"--status",
                b"answered",
                b"--message",
                b"\xe9t\xe9",
            ],
            "--message",
        ),
        (
            [
                b"respond",
                FIRST_DEMO_CASE.encode(),
                b"--status",
                b"answered",
                b"--message",
                b"x",
                b"--from",
                b"\xff@x.com",
            ],
            "--from",
        ),
        ([b"export", b"--search", b"caf\xe9"], "--search"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused_in_a_sentence(
    demo_db: Path, args: list[bytes], shown: str
) -> None:
    before = read_case(demo_db, FIRST_DEMO_CASE)
    result = run_bytes(*args, b"--db", bytes(demo_db))
    refused(
        result,
        f"{shown} is not UTF-8 text; check the terminal's character set (LANG or LC_ALL). "
        "Nothing was changed.",
    )
    assert read_case(demo_db, FIRST_DEMO_CASE) == before


def test_a_message_piped_in_that_is_not_utf8_is_kept_with_stand_ins(demo_db: Path) -> None:
    args = [b"respond", FIRST_DEMO_CASE.encode(), b"--status", b"pending", b"--db", bytes(demo_db)]
    result = run_bytes(*args, b"--message-file", b"-", stdin=b"Prix: 10 \xe4 la pi\xe8ce")
    assert result.returncode == 0, result.stderr
    assert read_case(demo_db, FIRST_DEMO_CASE)[2] == "Prix: 10 \ufffd la pi\ufffdce"
