"""The lines at the top of a form about one case: which case, its status
(and the status it had when the form opened, once another process changed
it), and its short description (quoted literally)."""

from __future__ import annotations

from textual.content import Content

from caselog_tui.core.records import CaseDetail
from caselog_tui.core.status import Status
from caselog_tui.tui.safe import safe_line
from caselog_tui.tui.widgets.case_header import GAP


def case_intro(detail: CaseDetail, *extra: str, was: Status | None = None) -> Content:
    status = detail.status.label
    if was is not None and was is not detail.status:
        status = f"{status} (was {was.label})"
    lines = [
        Content.assemble(
            (f"Case {detail.case_id}", "bold"),
            GAP,
            ("Status: ", "$text-muted"),
            status,
        ),
        safe_line(detail.summary.short_description),
        *(Content(line) for line in extra),
    ]
    return Content("\n").join(lines)
