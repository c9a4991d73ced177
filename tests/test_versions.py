"""Nobody overwrites anybody: every write to a case counts one more on its
version, and a write prepared against an older version (a form opened
before a teammate, Seller Support or an import changed the case) is
refused whole, with nothing stored. A command that reads and writes in one
go passes no version and is not checked."""

from __future__ import annotations

import io
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from caselog_tui.core.errors import ActionRefused, CaseChangedMeanwhile
from caselog_tui.core.machine import Action
from caselog_tui.core.meanwhile import changed_meanwhile_sentence, what_changed
from caselog_tui.core.records import CaseDetail
from caselog_tui.core.view import CaseQuery
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.export import ExportFormat, export_cases
from caselog_tui.services.importer import import_cases
from caselog_tui.store.database import open_store
from tests.conftest import FakeClock

# Each test that takes a store runs on SQLite, and on PostgreSQL when there.
pytestmark = pytest.mark.both_databases


def new_case(log: CaseLog, description: str = "Lost units") -> CaseDetail:
    return log.submit_case(
        primary_email="seller@shop.example", short_description=description, message="Where?"
    )


def test_every_write_to_a_case_counts_on_its_version(case_log: CaseLog, clock: FakeClock) -> None:
    case = new_case(case_log)
    versions = [case.version]
    case = case_log.reply(case.case_id, "More detail.")
    versions.append(case.version)
    case = case_log.edit_short_description(case.case_id, "Lost units, 4 of them")
    versions.append(case.version)
    case = case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Reimbursed.")
    versions.append(case.version)
    case = case_log.reopen(case.case_id, "Only 3 were.")
    versions.append(case.version)
    case = case_log.resolve(case.case_id)
    versions.append(case.version)
    assert versions == sorted(set(versions)), f"each write must move the version: {versions}"
    assert case_log.case(case.case_id).version == versions[-1]


def test_a_write_against_an_older_version_is_refused_whole(case_log: CaseLog) -> None:
    case = new_case(case_log)
    seen = case.version
    case_log.record_support_reply(case.case_id, Action.SUPPORT_WORKING, "Checking.")
    before = case_log.case(case.case_id)
    with pytest.raises(CaseChangedMeanwhile) as refused:
        case_log.reply(
            case.case_id,
            "Here is the invoice.",
            add_cc="boss@shop.example",
            short_description="Lost units (invoice sent)",
            seen_version=seen,
        )
    assert refused.value.message == (
        f"Case {case.case_id} was changed by someone else while you were writing; "
        "nothing was sent. Review the case and send again."
    )
    assert case_log.case(case.case_id) == before, "nothing of the refused write may be stored"
    # Sent again against the case as it is now, it goes through.
    after = case_log.reply(case.case_id, "Here is the invoice.", seen_version=before.version)
    assert after.messages[-1].body == "Here is the invoice."


@pytest.mark.parametrize("write", ["reply", "reopen", "resolve", "edit"])
def test_each_form_write_checks_the_version(
    case_log: CaseLog, clock: FakeClock, write: str
) -> None:
    case = new_case(case_log)
    if write == "reopen":
        case = case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
    seen = case.version
    case_log.store.close()  # a teammate: another store on the same file
    teammate = CaseLog(open_store(case_log.store.location), clock=clock, tz=UTC)
    teammate.edit_short_description(case.case_id, "Lost units (teammate)")
    teammate.store.close()
    log = CaseLog(open_store(case_log.store.location), clock=clock, tz=UTC)
    calls = {
        "reply": lambda: log.reply(case.case_id, "x", seen_version=seen),
        "reopen": lambda: log.reopen(case.case_id, "x", seen_version=seen),
        "resolve": lambda: log.resolve(case.case_id, "x", seen_version=seen),
        "edit": lambda: log.edit_short_description(case.case_id, "mine", seen_version=seen),
    }
    with pytest.raises(CaseChangedMeanwhile):
        calls[write]()
    assert log.case(case.case_id).summary.short_description == "Lost units (teammate)"
    log.store.close()


def test_the_status_machine_speaks_before_the_version(case_log: CaseLog) -> None:
    """Answered meanwhile: the sentence says what to do instead (re-open)."""
    case = new_case(case_log)
    case_log.record_support_reply(case.case_id, Action.SUPPORT_ANSWERS, "Done.")
    with pytest.raises(ActionRefused) as refused:
        case_log.reply(case.case_id, "x", seen_version=case.version)
    assert not isinstance(refused.value, CaseChangedMeanwhile)
    assert "Re-open it instead" in refused.value.message


def test_a_write_without_a_version_is_not_checked(case_log: CaseLog) -> None:
    """`caselog respond` reads and writes in one transaction."""
    case = new_case(case_log)
    case_log.reply(case.case_id, "First.")
    assert case_log.reply(case.case_id, "Second.").messages[-1].body == "Second."


def test_an_import_that_replaces_a_case_moves_its_version(
    case_log: CaseLog, clock: FakeClock, tmp_path: Path
) -> None:
    def backup() -> Path:
        out = io.BytesIO()
        export_cases(case_log, CaseQuery(include_expired=True), out, ExportFormat.JSONL)
        path = tmp_path / f"backup-{clock.now:%H%M}.jsonl"
        path.write_bytes(out.getvalue())
        return path

    case = new_case(case_log)
    older = backup()
    clock.advance(hours=1)
    case_log.reply(case.case_id, "Newer message.")
    newer = backup()
    target = CaseLog(open_store(tmp_path / "target.db"), clock=clock, tz=UTC)
    import_cases(target, older)
    seen = target.case(case.case_id).version  # a form opens on the older case
    assert import_cases(target, newer).updated == 1
    with pytest.raises(CaseChangedMeanwhile):
        target.reply(case.case_id, "Mine.", seen_version=seen)
    assert target.case(case.case_id).messages[-1].body == "Newer message."
    target.store.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writers=st.lists(st.sampled_from(["ana", "ben", "support"]), min_size=1, max_size=12))
def test_no_write_is_lost_or_merged(case_log: CaseLog, writers: list[str]) -> None:
    """Three people each hold the case as they last read it and write in
    any order: a write goes through exactly when nobody wrote since its
    writer read, every write that went through is stored once, and a refused
    one left no trace."""
    case = new_case(case_log)
    read = {name: case.version for name in ("ana", "ben", "support")}
    current = case.version
    stored = [m.body for m in case.messages]
    for turn, name in enumerate(writers):
        body = f"{name} {turn}"
        try:
            if name == "support":
                after = case_log.record_support_reply(case.case_id, Action.SUPPORT_WORKING, body)
                # Seller Support's replies come by mail or `caselog respond`:
                # recorded whatever the case is now, so no version to check.
            else:
                after = case_log.reply(
                    case.case_id, body, author=f"{name}@shop.example", seen_version=read[name]
                )
        except CaseChangedMeanwhile:
            assert read[name] != current
            read[name] = current  # the form reads the case again
            continue
        assert name == "support" or read[name] == current
        stored.append(body)
        current = after.version
        read[name] = current
    assert [m.body for m in case_log.case(case.case_id).messages] == stored


# -- the sentence a form shows ----------------------------------------------------


def test_the_sentence_names_who_wrote_and_what_changed(case_log: CaseLog) -> None:
    before = new_case(case_log)
    case_log.reply(before.case_id, "I attached the invoice.", author="ana@shop.example")
    case_log.record_support_reply(before.case_id, Action.SUPPORT_ASKS, "Which shipment?")
    after = case_log.edit_short_description(before.case_id, "Lost units, FBA15")
    assert what_changed(before, after) == (
        "ana@shop.example and Seller Support wrote on this case: “Which shipment?”, "
        "it is now Needs Your Attention and its short description was changed"
    )


def test_the_sentence_quotes_a_long_message_short_and_plain(case_log: CaseLog) -> None:
    before = new_case(case_log)
    body = "\x1b[31mPlease\x1b[0m send " + "the invoice and the proof of delivery " * 4
    after = case_log.record_support_reply(before.case_id, Action.SUPPORT_WORKING, body)
    sentence = changed_meanwhile_sentence(before, after, "Your reply is kept")
    quoted = sentence.split("“")[1].split("”")[0]
    assert len(quoted) <= 60 and quoted.endswith("…")
    assert "\x1b" not in sentence
    assert sentence.startswith("While you were writing, Seller Support answered this case: “")
    assert sentence.endswith(
        "and it is now Pending Amazon Action. Your reply is kept — review it and send again."
    )


def test_a_change_with_nothing_to_name_still_reads_as_a_sentence(case_log: CaseLog) -> None:
    before = new_case(case_log)
    assert what_changed(before, before) == "someone else changed this case"
