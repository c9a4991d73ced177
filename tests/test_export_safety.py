"""What `caselog export` must never do: pass a case's escape sequences to
the terminal, replace a device, a pipe or a link with a file, or leave a
half-written file behind when it is stopped."""

from __future__ import annotations

import gc
import io
import json
import os
import pty
import select
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from caselog_tui.cli import main
from caselog_tui.core.view import CaseQuery
from caselog_tui.services import export as export_module
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.files import ForTerminal
from caselog_tui.services.importer import import_cases
from caselog_tui.store.database import open_store

HOSTILE = [
    "\x1b]0;owned\x07 retitled window",
    "\x1b]52;c;ZWNobyBoaQ==\x07 clipboard",
    "\x1b[2J wiped screen",
    "\u009b31m C1 CSI",
    "\u202edesrever refund",
]
# What a terminal acts on: ESC, the C1 controls, and the bidi overrides.
ACTS = [chr(c) for c in (0x1B, *range(0x80, 0xA0))] + ["\u202e", "\u202d", "\u2066"]


def hostile_log(path: Path) -> Path:
    log = CaseLog(open_store(path))
    for description in HOSTILE:
        log.submit_case(
            primary_email="seller@example.com",
            short_description=description,
            message=f"Body: {description}",
        )
    log.store.close()
    return path


def through_a_terminal(*args: str) -> str:
    """What `caselog ARGS` writes to a terminal (a pseudo-terminal here)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "caselog_tui", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed (EIO on Linux)
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return received.decode("utf-8")


@pytest.mark.parametrize("format_", ["csv", "jsonl"])
def test_an_export_to_a_terminal_sends_no_escape_sequence(tmp_path: Path, format_: str) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    shown = through_a_terminal("export", "--all", "--format", format_, "--db", str(db))
    assert "retitled window" in shown and "clipboard" in shown
    assert not [c for c in ACTS if c in shown]
    # The ESC is shown: as the TUI shows it in the report, escaped in JSON.
    assert ("␛]0;owned" if format_ == "csv" else "\\u001b]0;owned") in shown


def test_an_export_to_a_pipe_or_a_file_keeps_the_data_byte_exact(tmp_path: Path) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    piped = subprocess.run(
        [sys.executable, "-m", "caselog_tui", "export", "--all", "--db", str(db)],
        capture_output=True,
        check=True,
    ).stdout
    assert b"\x1b]0;owned\x07" in piped
    assert main(["export", "--all", "--db", str(db), "-o", str(tmp_path / "r.csv")]) == 0
    assert (tmp_path / "r.csv").read_bytes() == piped


def test_json_lines_escape_c1_and_bidi_controls_and_still_round_trip(tmp_path: Path) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    out = tmp_path / "backup.jsonl"
    assert main(["export", "--all", "--format", "jsonl", "--db", str(db), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert not [c for c in ACTS if c in text]
    assert "\\u009b31m" in text and "\\u202e" in text and "\\u001b" in text
    restored = CaseLog(open_store(tmp_path / "restored.db"))
    assert import_cases(restored, out).added == len(HOSTILE)
    every = CaseQuery(include_expired=True)
    descriptions = sorted(c.short_description for c in restored.iter_cases(every))
    assert descriptions == sorted(HOSTILE)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), max_size=5), st.integers(min_value=1, max_value=7))
def test_nothing_written_for_a_terminal_acts_on_it(texts: list[str], cut: int) -> None:
    """However the bytes are split between writes, nothing a terminal acts
    on gets through, and the words do."""
    import io

    screen = io.BytesIO()
    writer = ForTerminal(screen)
    data = "\r\n".join(texts).encode("utf-8", errors="surrogatepass")
    for start in range(0, len(data), cut):
        writer.write(data[start : start + cut])
    writer.close()
    shown = screen.getvalue().decode("utf-8")
    assert not [c for c in ACTS if c in shown]
    plain = [t for t in texts if t.isalnum() and t.isascii()]
    assert all(t in shown for t in plain)


def test_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert main(["export", "--all", "--db", str(db), "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"Case ID" in received[0]


def test_a_process_substitution_is_written_to(tmp_path: Path) -> None:
    """`-o >(gzip > x.gz)` hands caselog a /dev/fd/N path to a pipe."""
    db = hostile_log(tmp_path / "hostile.db")
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "caselog_tui",
            "export",
            "--all",
            "--db",
            str(db),
            "-o",
            f"/dev/fd/{write_end}",
        ],
        pass_fds=[write_end],
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    assert data.startswith("\ufeffCase ID".encode()) or b"Case ID" in data[:20]


def test_a_character_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("making a device node needs root")
    assert main(["export", "--all", "--db", str(db), "-o", str(device)]) == 0
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_symlink_is_followed_and_the_file_it_names_replaced(tmp_path: Path) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "latest.csv"
    target.write_text("old report")
    link = tmp_path / "report.csv"
    link.symlink_to(target)
    assert main(["export", "--all", "--db", str(db), "-o", str(link)]) == 0
    assert link.is_symlink() and link.resolve() == target
    assert b"Case ID" in target.read_bytes()
    assert sorted(p.name for p in reports.iterdir()) == ["latest.csv"]


def test_a_killed_exports_leftover_is_removed_by_the_next_export(tmp_path: Path) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    host = socket.gethostname()
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = finished.stdout.strip()  # the pid of a process that has ended
    stale = tmp_path / f".r.csv.{host}-{dead}.caselog-partial-abc123"
    stale.write_bytes(b"half a report")
    mine = tmp_path / f".r.csv.{host}-{os.getpid()}.caselog-partial-def456"
    mine.write_bytes(b"a report being written right now")
    elsewhere = tmp_path / f".r.csv.another-host-{dead}.caselog-partial-ghi789"
    elsewhere.write_bytes(b"another machine's export in progress")
    assert main(["export", "--all", "--db", str(db), "-o", str(tmp_path / "r.csv")]) == 0
    assert not stale.exists()
    assert mine.exists() and elsewhere.exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_an_export_stopped_by_a_signal_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    db = hostile_log(tmp_path / "hostile.db")
    written = export_module.write_report

    def stopped_half_way(*args: object, **kwargs: object) -> int:
        out = args[1]
        out.write(b"half a report")  # type: ignore[attr-defined]
        # The handler runs at the next step of Python code; with the garbage
        # collector paused that is this function, not a collector callback
        # (which would swallow the exception, as it would a Ctrl-C).
        gc.disable()
        try:
            os.kill(os.getpid(), signum)
        finally:
            gc.enable()
        return written(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export_module, "write_report", stopped_half_way)
    before = signal.getsignal(signum)
    out = tmp_path / "report.csv"
    assert main(["export", "--all", "--db", str(db), "-o", str(out)]) == 128 + signum
    assert sorted(p.name for p in tmp_path.iterdir() if "report" in p.name) == []
    assert signal.getsignal(signum) == before  # the caller's handler is back


def test_export_json_lines_keep_plain_text_readable(tmp_path: Path) -> None:
    log = CaseLog(open_store(tmp_path / "log.db"))
    log.submit_case(
        primary_email="seller@example.com",
        short_description="Remboursement — 12 £ pour l'été",
        message="Merci",
    )
    out = tmp_path / "backup.jsonl"
    assert (
        main(["export", "--all", "--format", "jsonl", "--db", str(log.store.path), "-o", str(out)])
        == 0
    )
    record = out.read_text(encoding="utf-8")
    assert "Remboursement — 12 £ pour l'été" in record
    assert json.loads(record)["short_description"] == "Remboursement — 12 £ pour l'été"


@settings(max_examples=200, deadline=None)
@given(
    description=st.text(min_size=1, max_size=30),
    body=st.text(max_size=60),
    author=st.text(max_size=10),
)
def test_json_lines_are_what_the_standard_json_encoder_writes(
    description: str, body: str, author: str
) -> None:
    """The fast encoder (msgspec) writes the very bytes of the standard
    one, escapes included, so exports made before and after it compare."""
    case = (10000000001, 0, "open", "seller@example.com", description, "", 60, None, 0)
    message = (10000000001, 30, "seller", author, body, None)
    out = io.BytesIO()
    export_module.write_full_export([([case], {case[0]: [message]}, {case[0]: []})], out)
    line = out.getvalue().decode("utf-8").removesuffix("\n")
    standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    assert line == export_module.escape_invisible(standard.encode(json.loads(line)))
    assert json.loads(line)["short_description"] == description
    assert json.loads(line)["messages"][0]["body"] == body
