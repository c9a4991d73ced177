"""The `caselog` command. Thin: it parses arguments, opens the store, calls
the case log service and turns refusals into one plain sentence on stderr.

Exit codes (docs/CONTRACT.md): 0 done, 1 the request was refused, 2 usage error.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from caselog_tui import __version__
from caselog_tui.core import parsing
from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.locations import Location
from caselog_tui.core.text import clean, is_text
from caselog_tui.core.view import SORT_NAMES
from caselog_tui.paths import config_path, demo_db_path, resolve_db_path

if TYPE_CHECKING:
    from caselog_tui.core.machine import Action
    from caselog_tui.core.view import CaseQuery
    from caselog_tui.services.caselog import CaseLog
    from caselog_tui.store.database import Store

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
# How many skipped lines or mails an import lists before "and N more".
SHOWN_PROBLEMS = 50
# Imports of files this big (about 8,000 cases) show their progress.
IMPORT_PROGRESS_BYTES = 10_000_000

Command = Callable[[argparse.Namespace], int]

# The stores this command opened: `main` closes them however it ends, so
# SQLite can tidy the query planner's statistics (see Store.close).
_opened: list[Store] = []


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed SSH session) arrived: the command stops as
    it does for Ctrl-C, so what is half-written (an export's temporary file,
    an import's open batch) is removed or rolled back on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signum)


_TERMINATION = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def _stopping_on_termination() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Stopped` while the block runs (only the main
    thread can take signals; a caller on another thread keeps its own)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, _stop) for signum in _TERMINATION}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _terminal_app_handles_termination() -> None:
    """The TUI is stopped the ordinary way: a Python exception raised in the
    middle of drawing would leave the terminal in the app's modes."""
    if threading.current_thread() is threading.main_thread():
        for signum in _TERMINATION:
            signal.signal(signum, signal.SIG_DFL)


def _interrupted_exit(error: KeyboardInterrupt) -> int:
    return error.exit_code if isinstance(error, Stopped) else EXIT_INTERRUPTED


class Refused(CaseLogError):
    """A request the command line itself turns down (bad argument value)."""


# Arguments that name files may hold any bytes the file system allows; the
# others are text that goes into the case log or a query.
_FILE_ARGUMENTS = frozenset({"db", "file", "path", "message_file", "output"})
_SHOWN_AS = {
    "author": "--from",
    "created_from": "--from",
    "created_to": "--to",
    "case_id": "CASE_ID",
}


def _check_text_arguments(args: argparse.Namespace) -> None:
    """Python hands over bytes of the command line that are not UTF-8 as
    lone surrogates, which no text can hold: such an argument is refused
    with a sentence rather than failing deep inside the store."""
    for name, value in vars(args).items():
        if isinstance(value, str) and name not in _FILE_ARGUMENTS and not is_text(value):
            shown = _SHOWN_AS.get(name, "--" + name.replace("_", "-"))
            raise Refused(
                f"{shown} is not UTF-8 text; check the terminal's character set (LANG or "
                "LC_ALL). Nothing was changed."
            )


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
    respond.add_argument(
        "--team",
        metavar="NAME",
        help="the team the case went to (required with --status transferred)",
    )
    _add_common(respond)
    respond.set_defaults(run=_run_respond)
    _add_transfer_commands(commands)
    return parser


def _add_transfer_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export",
        help="write the CSV report of a view (or a full export as JSON Lines)",
        description="Writes the cases of the view the filters describe, all pages, in its "
        "order: as the CSV report (summary columns, safe to open in a spreadsheet) or, with "
        "--format jsonl, as a full export with every field and message, which "
        "'caselog import' reads back. With no filter the CSV report holds the default view "
        "(open and recently answered cases) and the full export every case, by case ID.",
    )
    filters = export.add_argument_group("filters (as in the case log)")
    filters.add_argument(
        "--status",
        metavar="GROUPS",
        help="comma-separated: open, answered, attention, reopened",
    )
    filters.add_argument("--email", metavar="ADDR", help="only cases with this primary e-mail")
    filters.add_argument(
        "--from", dest="created_from", metavar="YYYY-MM-DD", help="created on or after this day"
    )
    filters.add_argument(
        "--to", dest="created_to", metavar="YYYY-MM-DD", help="created on or before this day"
    )
    filters.add_argument("--search", metavar="TEXT", help="a case ID, or words of the subject")
    filters.add_argument(
        "--attention", action="store_true", help="only cases that need your attention"
    )
    filters.add_argument("--all", action="store_true", help="every case, expired ones too")
    filters.add_argument(
        "--sort",
        metavar="COLUMN[:asc|:desc]",
        help=f"order by {', '.join(SORT_NAMES)}; ascending unless :desc "
        "(default: created:desc; for jsonl, id)",
    )
    export.add_argument(
        "--format", choices=("csv", "jsonl"), default="csv", help="csv (default) or jsonl"
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="the file to write; - or none for stdout"
    )
    _add_common(export)
    export.set_defaults(run=_run_export)

    load = commands.add_parser(
        "import",
        help="load cases from a full export (JSON Lines) or a CSV report",
        description="Loads cases from a JSON Lines full export or a CSV report written by "
        "'caselog export'. Cases are matched by case ID: importing a file twice adds nothing "
        "the second time, and a case is updated only from a copy with newer activity. "
        "A CSV report's times are read in this computer's time zone, as it wrote them. "
        "Exit code 1 when some lines were skipped (each is listed); the rest is imported.",
    )
    load.add_argument("file", metavar="FILE", help="the file to import (- for standard input)")
    _add_common(load)
    load.set_defaults(run=_run_import)

    mail = commands.add_parser(
        "import-mail",
        help="record Seller Support replies from e-mail",
        description="Records Seller Support's replies from an .eml file, a folder of them, "
        "an mbox or a Maildir, matched by the case ID in the subject or text. Each mail is "
        "recorded once. The case's status follows what the reply says (asks for something: "
        "needs attention; transferred; still working: pending; otherwise answered) unless "
        "--status sets it. Exit code 1 when some mails could not be recorded (each is listed).",
    )
    mail.add_argument("path", metavar="PATH")
    mail.add_argument(
        "--status",
        metavar="STATUS",
        help="answered, needs-attention, pending or transferred, for every mail",
    )
    _add_common(mail)
    mail.set_defaults(run=_run_import_mail)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=(
            "the case log: a file, or a PostgreSQL server as postgresql://user@host/dbname "
            "(default: $CASELOG_DB or the user data folder)"
        ),
    )


def _refuse_empty_db(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """An empty --db or CASELOG_DB is a script's unset variable, not a wish
    for the seller's own case log: writing there would be the worst guess."""
    if getattr(args, "db", None) is not None and not args.db.strip():
        parser.error("--db is empty; name the case log file, or leave --db out for your own.")
    from_environment = os.environ.get("CASELOG_DB")
    if "db" not in args and from_environment is not None and not from_environment.strip():
        parser.error(
            "CASELOG_DB is set but empty; name the case log file in it, or unset it "
            "for your own case log."
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _refuse_empty_db(parser, args)
    try:
        _check_text_arguments(args)
        run: Command = args.run
        with _stopping_on_termination():
            return run(args)
    except CaseLogError as error:
        # The sentence may quote an argument or a line of a file.
        print(f"caselog: {clean(error.message)}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt as error:
        print("caselog: interrupted; nothing half-written was kept.", file=sys.stderr)
        return _interrupted_exit(error)
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


def _db_path(args: argparse.Namespace) -> Location:
    return resolve_db_path(getattr(args, "db", None))


def _open_log(path: Location, create: bool = True) -> CaseLog:
    from caselog_tui.services.caselog import CaseLog
    from caselog_tui.store.database import open_store

    store = open_store(path, create=create, notice=_tell)
    _opened.append(store)
    return CaseLog(store)


def _tell(sentence: str) -> None:
    print(f"caselog: {sentence}", file=sys.stderr)


def _tell_if_a_load_runs(log: CaseLog, what: str) -> None:
    """Says why a write may take a while: it waits for a load to finish."""
    loader = log.store.dialect.loading_process(log.store.engine)
    if loader:
        _tell(
            f"Another caselog ({loader}) is loading cases into this case log; "
            f"{what.lower()} is saved when it is done."
        )


def _run_tui(args: argparse.Namespace) -> int:
    from caselog_tui.tui.app import run_app

    log = _open_log(_db_path(args))
    _terminal_app_handles_termination()
    return run_app(log, mouse=not args.no_mouse, new_log=log.store.created)


def _run_demo(args: argparse.Namespace) -> int:
    from caselog_tui.services.caselog import utc_now
    from caselog_tui.services.demo import fill_demo

    if args.cases < 0:
        raise Refused("--cases must be 0 or more.")
    explicit = getattr(args, "db", None) or os.environ.get("CASELOG_DB")
    path = resolve_db_path(getattr(args, "db", None)) if explicit else demo_db_path()
    if not explicit:
        # The demo store is ours to replace: a re-run gives the same cases.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    log = _open_log(path)
    progress = _progress_printer("Writing demo cases", finishing="building the indexes")
    result = fill_demo(log.store, args.cases, args.seed, utc_now(), progress)
    print(
        f"Wrote {result.cases:,} demo cases ({result.messages:,} messages) to {log.store.where}.",
        file=sys.stderr,
    )
    if args.no_open:
        return EXIT_OK
    from caselog_tui.tui.app import run_app

    _terminal_app_handles_termination()
    return run_app(log, mouse=not args.no_mouse)


def _progress_printer(
    doing: str, minimum: int = 20_000, counts: bool = True, finishing: str = ""
) -> Callable[[int, int], None]:
    """Progress on stderr for runs of at least `minimum` (cases, or bytes
    without `counts`): one line redrawn on a terminal, every 10% otherwise."""
    tty = sys.stderr.isatty()
    shown = {"percent": -1}

    def show(done: int, total: int) -> None:
        if total < minimum:
            return
        percent = done * 100 // total
        step = percent if tty else percent // 10 * 10
        if step == shown["percent"]:
            return
        shown["percent"] = step
        text = f"{doing}: {percent}%" + (f" ({done:,} of {total:,})" if counts else "")
        if done >= total and finishing:
            text += f"; {finishing}"
        if tty:
            print(f"\r{text}", end="\n" if done >= total else "", file=sys.stderr)
        else:
            print(text, file=sys.stderr)

    return show


def parse_case_id(text: str) -> int:
    case_id = parsing.parse_case_id(text)
    if case_id is None:
        raise Refused(f"“{text}” is not a case ID; case IDs are {parsing.CASE_ID_RULE}.")
    return case_id


def read_text_file(name: str, what: str) -> str:
    """The text of a file or, for "-", of stdin; bytes that are not UTF-8
    become U+FFFD, as an editor would show them."""
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        return Path(name).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError as error:
        raise Refused(f"The {what} {name} does not exist.") from error
    except IsADirectoryError as error:
        raise Refused(f"The {what} {name} is a folder, not a file.") from error
    except OSError as error:
        raise Refused(f"Cannot read the {what} {name}: {error.strerror}.") from error


def _support_action(status: str) -> Action:
    from caselog_tui.core.machine import SUPPORT_RESULTS

    choices = {a.value: a for a in SUPPORT_RESULTS}
    action = choices.get(status.strip().lower())
    if action is None:
        raise Refused(
            f"“{status}” is not a status Seller Support can set; use one of {', '.join(choices)}."
        )
    return action


def _run_respond(args: argparse.Namespace) -> int:
    from caselog_tui.core.machine import Action
    from caselog_tui.core.validation import normalise_email
    from caselog_tui.services.caselog import SUPPORT_AUTHOR

    case_id = parse_case_id(args.case_id)
    action = _support_action(args.status)
    text = (
        args.message
        if args.message is not None
        else read_text_file(args.message_file, "message file")
    )
    if not text.strip():
        # Said to whoever runs the command, not to the seller: name the flags.
        raise Refused(
            "The message is empty; give the text of Seller Support's reply with "
            "--message TEXT or --message-file F."
        )
    team = args.team
    if action is Action.SUPPORT_TRANSFERS and not (team or "").strip():
        raise Refused(
            "A transferred case needs the team it went to; add --team NAME "
            '(like --team "Seller Fees").'
        )
    if team is not None and action is not Action.SUPPORT_TRANSFERS:
        raise Refused("--team goes with --status transferred only; leave it out here.")
    author = SUPPORT_AUTHOR
    if args.author is not None:  # an empty --from is a mistake, not "Seller Support"
        if not args.author.strip():
            raise Refused("--from is empty; give the sender's e-mail address or leave it out.")
        author = normalise_email(args.author, "from")
    log = _open_log(_db_path(args), create=False)
    _tell_if_a_load_runs(log, "The reply")
    case = log.record_support_reply(case_id, action, text, author=author, team=team)
    print(f"Recorded the reply: case {case.case_id} is now {case.status.label}.", file=sys.stderr)
    return EXIT_OK


def _day(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    day = parsing.parse_day(text)
    if day is None:
        raise Refused(
            f"{flag} {text} is not a date; write it as {parsing.DAY_FORMAT}, like 2026-11-01."
        )
    return day


def _export_query(args: argparse.Namespace) -> CaseQuery:
    """The view the export filters describe, as the TUI describes its views."""
    from caselog_tui.core.status import StatusGroup
    from caselog_tui.core.validation import normalise_email
    from caselog_tui.core.view import CaseQuery, SortColumn, parse_sort

    full_export = args.format == "jsonl"
    groups: set[StatusGroup] = set()
    if args.status is not None:
        names = {g.value: g for g in StatusGroup}
        wanted = [name.strip().lower() for name in args.status.split(",")]
        if not all(name in names for name in wanted):
            raise Refused(
                f"--status {args.status} is not a status filter; use open, answered, "
                "attention or reopened, separated by commas."
            )
        groups = {names[name] for name in wanted}
    created_from = _day(args.created_from, "--from")
    created_to = _day(args.created_to, "--to")
    if created_from and created_to and created_from > created_to:
        raise Refused(f"--from {created_from} is after --to {created_to}; no case can match.")
    query = CaseQuery(
        attention_only=args.attention,
        statuses=frozenset(groups),
        email=normalise_email(args.email, "email") if args.email is not None else None,
        created_from=created_from,
        created_to=created_to,
        search=args.search or "",
        include_expired=args.all,
    )
    if full_export and query.recent_only:
        # A full export with no filter is a backup: every case.
        query = query.changed(include_expired=True)
    if args.sort is None:
        if full_export:  # case ID order: a backup imports fastest in it
            query = query.changed(sort=SortColumn.CASE_ID, descending=False)
        return query
    sort = parse_sort(args.sort)
    if sort is None:
        raise Refused(
            f"--sort {args.sort} is not a sort order; use a column ({', '.join(SORT_NAMES)}) "
            "with :asc or :desc, like created:desc."
        )
    column, descending = sort
    return query.changed(sort=column, descending=descending)


def _run_export(args: argparse.Namespace) -> int:
    from caselog_tui.services.export import ExportFormat, export_cases, export_to_file

    query = _export_query(args)
    export_format = ExportFormat(args.format)
    log = _open_log(_db_path(args))
    if args.output in (None, "-"):
        try:
            with _stdout_for_data() as out:
                count = export_cases(log, query, out, export_format)
        except BrokenPipeError:
            # The reader (head, a pager) stopped early; that is not a failure.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        where = "standard output"
    else:
        progress = _progress_printer("Exporting cases")
        count = export_to_file(log, query, Path(args.output), export_format, progress)
        where = args.output
    noun = "case" if count == 1 else "cases"
    print(f"Exported {count:,} {noun} ({query.view_name}) to {where}.", file=sys.stderr)
    return EXIT_OK


@contextmanager
def _stdout_for_data() -> Iterator[BinaryIO]:
    """Standard output for case data: byte for byte into a file or a pipe,
    but on a terminal through the same sanitising as the TUI, so text in a
    case can never act as a terminal command."""
    from caselog_tui.services.files import ForTerminal

    if not sys.stdout.isatty():
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with io.BufferedWriter(ForTerminal(sys.stdout.buffer)) as screen:
        yield cast("BinaryIO", screen)


def _existing(name: str, what: str) -> Path:
    path = Path(name).expanduser()
    if not path.exists():
        raise Refused(f"The {what} {name} does not exist.")
    return path


def _print_list(lines: Sequence[object], what: str) -> None:
    """Lists skipped lines or mails on stderr, up to SHOWN_PROBLEMS. They
    quote the file, so they are cleaned of control characters first."""
    from caselog_tui.core.text import clean_line

    for line in lines[:SHOWN_PROBLEMS]:
        print(f"  {clean_line(str(line))}", file=sys.stderr)
    if len(lines) > SHOWN_PROBLEMS:
        print(f"  … and {len(lines) - SHOWN_PROBLEMS:,} more {what}.", file=sys.stderr)


def _run_import(args: argparse.Namespace) -> int:
    from caselog_tui.services.importer import import_cases

    # "-" is standard input, as for --message-file: `zcat backup.gz | caselog import -`.
    path = Path("/dev/stdin") if args.file == "-" else _existing(args.file, "import file")
    log = _open_log(_db_path(args))
    progress = _progress_printer(
        "Importing cases", IMPORT_PROGRESS_BYTES, counts=False, finishing="finishing up"
    )
    try:
        result = import_cases(log, path, progress)
    except KeyboardInterrupt as error:
        print(
            "\ncaselog: import interrupted. The cases imported so far are kept; run the same "
            "import again to finish it (it adds each case once).",
            file=sys.stderr,
        )
        return _interrupted_exit(error)
    print(f"Imported {args.file}: {result.summary()}.", file=sys.stderr)
    _print_list(result.skipped, "skipped lines")
    return EXIT_REFUSED if result.skipped else EXIT_OK


def _run_import_mail(args: argparse.Namespace) -> int:
    from caselog_tui.services.mail import import_mail

    action = _support_action(args.status) if args.status is not None else None
    path = _existing(args.path, "mail file or folder")
    log = _open_log(_db_path(args))
    _tell_if_a_load_runs(log, "Each reply")
    result = import_mail(log, path, action)
    print(result.summary(), file=sys.stderr)
    _print_list(result.recorded, "recorded mails")
    _print_list(result.clamped, "mails dated before their case")
    _print_list(result.yours, "mails of your own")
    _print_list(result.problems, "mails not recorded")
    return EXIT_REFUSED if result.problems else EXIT_OK
