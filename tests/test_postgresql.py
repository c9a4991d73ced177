"""A case log on a PostgreSQL server: the URL a seller gives is checked with
a sentence, case IDs never collide between machines, and the server's
errors are told in words. The tests that need a server run when
CASELOG_TEST_POSTGRES_URL names one (.ci/run sets it when one answers)."""

from __future__ import annotations

import json
import threading
from datetime import UTC
from pathlib import Path

import pytest

from caselog_tui.core.errors import StoreError
from caselog_tui.services.caselog import CaseLog
from caselog_tui.store.database import open_store
from caselog_tui.store.dialects.postgresql import describe_error
from caselog_tui.store.models import SCHEMA_VERSION
from tests import postgres
from tests.conftest import FakeClock
from tests.test_cli import caselog

needs_server = pytest.mark.skipif(
    not postgres.SERVER_URL, reason="CASELOG_TEST_POSTGRES_URL names no PostgreSQL server"
)


def refusal(where: str, create: bool = True) -> str:
    with pytest.raises(StoreError) as raised:
        open_store(where, create=create).close()
    return raised.value.message


def test_a_url_of_another_database_engine_is_refused_with_a_sentence() -> None:
    sentence = refusal("mysql://seller@db.example/cases")
    assert "mysql:// is neither" in sentence and "postgresql://user@host/dbname" in sentence


def test_an_unreachable_server_is_a_sentence_and_the_password_is_not_shown() -> None:
    # Port 1 on this machine: nothing listens, the refusal is immediate.
    sentence = refusal("postgresql://seller:s3cret@127.0.0.1:1/cases")
    assert sentence.startswith("Cannot reach the PostgreSQL server of postgresql://seller:***@")
    assert "s3cret" not in sentence


@pytest.mark.parametrize(
    ("driver_says", "sentence"),
    [
        (
            'connection failed: FATAL:  password authentication failed for user "ana"',
            "refused the password",
        ),
        ('connection failed: FATAL:  role "ana" does not exist', "no such user"),
        ("connection failed: timeout expired", "Cannot reach the PostgreSQL server"),
    ],
)
def test_what_the_server_says_at_connection_becomes_a_sentence(
    driver_says: str, sentence: str
) -> None:
    assert sentence in describe_error(Exception(driver_says), "postgresql://ana@db/cases")


@needs_server
def test_a_missing_database_is_named() -> None:
    base = postgres.SERVER_URL.rsplit("/", 1)[0]
    sentence = refusal(f"{base}/caselog_no_such_database")
    assert "no such database" in sentence and "createdb" in sentence


@needs_server
def test_a_database_of_another_program_is_left_alone() -> None:
    with postgres.own_schema() as url:
        schema = url.split("%3D", 1)[1].split("%2C", 1)[0]
        admin = postgres._admin_connection()
        admin.execute(f"CREATE TABLE {schema}.invoices (id int)")
        assert "is a database of another program" in refusal(url)
        tables = admin.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        assert tables == [("invoices",)]  # nothing was added beside it


@needs_server
def test_a_command_that_needs_cases_does_not_make_a_case_log() -> None:
    with postgres.own_schema() as url:
        assert "There is no case log in" in refusal(url, create=False)
        schema = url.split("%3D", 1)[1].split("%2C", 1)[0]
        tables = postgres._admin_connection().execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", (schema,)
        )
        assert tables.fetchone() == (0,)


@needs_server
def test_a_case_log_of_a_newer_caselog_is_refused() -> None:
    with postgres.own_schema() as url:
        open_store(url).close()
        schema = url.split("%3D", 1)[1].split("%2C", 1)[0]
        postgres._admin_connection().execute(
            f"UPDATE {schema}.meta SET value = '99' WHERE key = 'schema_version'"
        )
        assert "written by a newer caselog (schema 99)" in refusal(url)


@needs_server
def test_case_ids_from_many_writers_at_once_never_collide(clock: FakeClock) -> None:
    """Four people (four store objects, as four machines would have) submit
    cases at the same moment: every case gets its own ID, one after
    another, none lost."""
    with postgres.own_schema() as url:
        open_store(url).close()
        logs = [CaseLog(open_store(url), clock=clock, tz=UTC) for _ in range(4)]
        ids: list[int] = []
        lock = threading.Lock()

        def submit(log: CaseLog) -> None:
            for n in range(10):
                case = log.submit_case(
                    primary_email="ana@shop.example",
                    short_description=f"Lost units {n}",
                    message="Three units never arrived.",
                )
                with lock:
                    ids.append(case.case_id)

        threads = [threading.Thread(target=submit, args=(log,)) for log in logs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for log in logs:
            log.store.close()
        assert len(ids) == 40 and len(set(ids)) == 40
        assert sorted(ids) == list(range(min(ids), min(ids) + 40))


@needs_server
def test_a_whole_log_moves_onto_a_server_and_back_unchanged(tmp_path: Path) -> None:
    """What the README shows a team: export the file's log as JSON Lines,
    import it into PostgreSQL; exported again, it is the same, byte for
    byte, and the CLI works on the server as on the file."""
    file_log = str(tmp_path / "caselog.db")
    assert (
        caselog("demo", "--cases", "40", "--seed", "7", "--no-open", "--db", file_log).returncode
        == 0
    )
    backup, again = tmp_path / "log.jsonl", tmp_path / "again.jsonl"
    exported = caselog("export", "--format", "jsonl", "-o", str(backup), "--db", file_log)
    assert exported.returncode == 0, exported.stderr
    with postgres.own_schema() as url:
        moved = caselog("import", str(backup), "--db", url)
        assert moved.returncode == 0, moved.stderr
        back = caselog("export", "--format", "jsonl", "-o", str(again), "--db", url)
        assert back.returncode == 0, back.stderr
        assert again.read_bytes() == backup.read_bytes()
        case_id = json.loads(backup.read_text().splitlines()[0])["case_id"]
        answered = caselog(
            "respond", str(case_id), "--status", "answered", "--message", "Done.", "--db", url
        )
        assert answered.returncode == 0, answered.stderr
        store = open_store(url)
        assert CaseLog(store).case(case_id).messages[-1].body == "Done."
        store.close()


@needs_server
def test_a_case_log_of_an_older_schema_is_upgraded_in_one_transaction(clock: FakeClock) -> None:
    """Schema 2 had no versions (nor change numbers, schema 4): opened by
    this caselog, the case log gains them (every case at 0), keeps its
    cases, and says this caselog's schema."""
    with postgres.own_schema() as url:
        log = CaseLog(open_store(url), clock=clock, tz=UTC)
        case_id = log.submit_case(
            primary_email="ana@shop.example", short_description="Lost units", message="Where?"
        ).case_id
        log.store.close()
        schema = url.split("%3D", 1)[1].split("%2C", 1)[0]
        admin = postgres._admin_connection()
        admin.execute(f"ALTER TABLE {schema}.cases DROP COLUMN version, DROP COLUMN changed_seq")
        admin.execute(f"UPDATE {schema}.meta SET value = '2' WHERE key = 'schema_version'")

        told: list[str] = []
        upgraded = CaseLog(open_store(url, notice=told.append), clock=clock, tz=UTC)
        assert upgraded.case(case_id).version == 0
        assert upgraded.case(case_id).summary.short_description == "Lost units"
        assert any("made by an older caselog" in sentence for sentence in told)
        version = admin.execute(
            f"SELECT value FROM {schema}.meta WHERE key = 'schema_version'"
        ).fetchone()
        assert version == (str(SCHEMA_VERSION),)
        upgraded.store.close()


@needs_server
def test_a_nul_character_is_kept_as_a_replacement_mark_not_refused(clock: FakeClock) -> None:
    """PostgreSQL's text cannot hold a NUL (a SQLite file's can, and a mail
    or an imported file may bring one): the reply is kept, the NUL shown
    as U+FFFD, instead of the whole write failing."""
    with postgres.own_schema() as url:
        log = CaseLog(open_store(url), clock=clock, tz=UTC)
        case = log.submit_case(
            primary_email="ana@shop.example", short_description="Lost\0units", message="Hi\0!"
        )
        assert case.summary.short_description == "Lost\ufffdunits"
        assert case.messages[0].body == "Hi\ufffd!"
        log.store.close()


def test_a_refusal_of_the_data_is_not_told_as_a_lost_connection() -> None:
    import psycopg

    sentence = describe_error(psycopg.DataError("value too long"), "postgresql://db/cases")
    assert sentence == "The case log postgresql://db/cases could not be used: value too long."
