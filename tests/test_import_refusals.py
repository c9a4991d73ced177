"""Import files that look almost right get a sentence of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.files import FileProblem
from caselog_tui.services.importer import import_cases
from caselog_tui.store.database import open_store
from tests.test_import import a_case, write


def test_a_json_array_is_named_not_read_as_a_csv(tmp_path: Path) -> None:
    log = CaseLog(open_store(tmp_path / "log.db"))
    source = tmp_path / "cases.json"
    source.write_text(json.dumps([a_case()]), encoding="utf-8")
    with pytest.raises(FileProblem) as refused:
        import_cases(log, source)
    assert refused.value.message.startswith(
        f"The import file {source} starts with “[”: a JSON array, not JSON Lines."
    )


def test_a_case_without_messages_is_skipped(tmp_path: Path) -> None:
    log = CaseLog(open_store(tmp_path / "log.db"))
    source = write(tmp_path / "cases.jsonl", [json.dumps({**a_case(), "messages": []})])
    result = import_cases(log, source)
    assert result.added == 0
    assert [(s.line, s.reason) for s in result.skipped] == [
        (1, "“messages” is empty; a case has at least its first message.")
    ]
