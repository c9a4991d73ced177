"""The lines at the top of a form about one case: which case, its status,
and its short description (quoted literally)."""

from __future__ import annotations

from textual.content import Content

from caselog_tui.core.records import CaseDetail
from caselog_tui.tui.safe import safe_line
from caselog_tui.tui.widgets.case_header import GAP


def case_intro(detail: CaseDetail, *extra: str) -> Content:
    lines = [
        Content.assemble(
            (f"Case {detail.case_id}", "bold"),
            GAP,
            ("Status: ", "$text-muted"),
            detail.status.label,
        ),
        safe_line(detail.summary.short_description),
        *(Content(line) for line in extra),
    ]
    return Content("\n").join(lines)
