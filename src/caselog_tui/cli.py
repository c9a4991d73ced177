"""The `caselog` command. Thin: it parses arguments, opens the store, calls
the case log service and turns refusals into one plain sentence on stderr.

Exit codes (CONTRACT.md): 0 done, 1 the request was refused, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from caselog_tui import __version__
from caselog_tui.domain.errors import CaseLogError
from caselog_tui.domain.text import clean
from caselog_tui.paths import config_path, demo_db_path, resolve_db_path

if TYPE_CHECKING:
    from caselog_tui.domain.service import CaseLog
    from caselog_tui.store.database import Store

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]

# The stores this command opened: `main` closes them however it ends, so
# SQLite can tidy the query planner's statistics (see Store.close).
_opened: list[Store] = []


class Refused(CaseLogError):
    """A request the command line itself turns down (bad argument value)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caselog",
        description="Track the cases you raised with Seller Support, in a terminal. "
        "With no command, opens the case log.",
        epilog=(
            "Where things live: the case log is --db, else $CASELOG_DB, else "
            f"{resolve_db_path(None)}; the config file is {config_path()}. "
            "Run 'caselog CMD --help' for a command's options."
        ),
    )
    parser.add_argument("--version", action="version", version=f"caselog {__version__}")
    parser.add_argument(
        "--no-mouse",
        action="store_true",
        help="do not capture the mouse, so the terminal can select text",
    )
    _add_common(parser)
    parser.set_defaults(run=_run_tui)
    commands = parser.add_subparsers(title="commands", metavar="CMD")

    demo = commands.add_parser(
        "demo",
        help="fill a store with realistic demo cases and open it",
        description="Fills a case log with realistic demo cases (repeatable with --seed) "
        "and opens it. Without --db it uses a separate demo store, never your own.",
    )
    demo.add_argument("--cases", type=int, default=500, metavar="N", help="how many (default 500)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    demo.add_argument("--no-open", action="store_true", help="only write the cases")
    _add_common(demo)
    demo.set_defaults(run=_run_demo)

    respond = commands.add_parser(
        "respond",
        help="record a reply from Seller Support",
        description="Records a reply from Seller Support on a case and sets its status.",
    )
    respond.add_argument("case_id", metavar="CASE_ID")
    respond.add_argument(
        "--status",
        required=True,
        metavar="STATUS",
        help="answered, needs-attention, pending or transferred",
    )
    body = respond.add_mutually_exclusive_group(required=True)
    body.add_argument("--message", metavar="TEXT", help="the reply's text")
    body.add_argument(
        "--message-file", metavar="F", help="read the reply from a file (- for stdin)"
    )
    respond.add_argument("--from", dest="author", metavar="EMAIL", help="the sender's address")
    _add_common(respond)
    respond.set_defaults(run=_run_respond)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the case log file (default: $CASELOG_DB or the user data folder)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        run: Command = args.run
        return run(args)
    except CaseLogError as error:
        # The sentence may quote an argument or a line of a file.
        print(f"caselog: {clean(error.message)}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("caselog: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug in caselog: still a sentence, not a traceback
        print(
            f"caselog: an unexpected problem stopped the command "
            f"({type(error).__name__}: {clean(str(error))}). Please report it.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    finally:
        while _opened:
            _opened.pop().close()


def _db_path(args: argparse.Namespace) -> Path:
    return resolve_db_path(getattr(args, "db", None))


def _open_log(path: Path, create: bool = True) -> CaseLog:
    from caselog_tui.domain.service import CaseLog
    from caselog_tui.store.database import open_store

    store = open_store(path, create=create)
    _opened.append(store)
    return CaseLog(store)


def _run_tui(args: argparse.Namespace) -> int:
    from caselog_tui.tui.app import run_app

    return run_app(_open_log(_db_path(args)), mouse=not args.no_mouse)


def _run_demo(args: argparse.Namespace) -> int:
    from caselog_tui.domain.demo import fill_demo
    from caselog_tui.domain.service import utc_now

    if args.cases < 0:
        raise Refused("--cases must be 0 or more.")
    explicit = getattr(args, "db", None) or os.environ.get("CASELOG_DB")
    path = resolve_db_path(getattr(args, "db", None)) if explicit else demo_db_path()
    if not explicit:
        # The demo store is ours to replace: a re-run gives the same cases.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    log = _open_log(path)
    result = fill_demo(log.store, args.cases, args.seed, utc_now(), _progress_printer(args.cases))
    print(
        f"Wrote {result.cases:,} demo cases ({result.messages:,} messages) to {path}.",
        file=sys.stderr,
    )
    if args.no_open:
        return EXIT_OK
    from caselog_tui.tui.app import run_app

    return run_app(log, mouse=not args.no_mouse)


def _progress_printer(total: int) -> Callable[[int, int], None] | None:
    if total < 20_000:
        return None
    tty = sys.stderr.isatty()
    shown = {"step": -1}

    def show(done: int, total: int) -> None:
        percent = done * 100 // total
        line = f"Writing demo cases: {percent}% ({done:,} of {total:,})"
        if done == total:
            line += "; building the indexes"
        if tty:
            print(f"\r{line}", end="\n" if done == total else "", file=sys.stderr)
        elif percent // 10 != shown["step"]:
            shown["step"] = percent // 10
            print(line, file=sys.stderr)

    return show


def parse_case_id(text: str) -> int:
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit() and 10 <= len(cleaned) <= 11):
        raise Refused(f"“{text}” is not a case ID; case IDs are 10 or 11 digits.")
    return int(cleaned)


def read_text_file(name: str, what: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError as error:
        raise Refused(f"The {what} {name} does not exist.") from error
    except IsADirectoryError as error:
        raise Refused(f"The {what} {name} is a folder, not a file.") from error
    except OSError as error:
        raise Refused(f"Cannot read the {what} {name}: {error.strerror}.") from error


def _run_respond(args: argparse.Namespace) -> int:
    from caselog_tui.domain.machine import SUPPORT_RESULTS, Action
    from caselog_tui.domain.service import SUPPORT_AUTHOR
    from caselog_tui.domain.validation import normalise_email

    case_id = parse_case_id(args.case_id)
    choices = {a.value: a for a in SUPPORT_RESULTS}
    action = choices.get(args.status.strip().lower())
    if action is None:
        raise Refused(
            f"“{args.status}” is not a status Seller Support can set; "
            f"use one of {', '.join(choices)}."
        )
    text = (
        args.message
        if args.message is not None
        else read_text_file(args.message_file, "message file")
    )
    author = normalise_email(args.author, "from") if args.author else SUPPORT_AUTHOR
    log = _open_log(_db_path(args), create=False)
    case = log.record_support_reply(case_id, Action(action), text, author=author)
    print(f"Recorded the reply: case {case.case_id} is now {case.status.label}.", file=sys.stderr)
    return EXIT_OK
