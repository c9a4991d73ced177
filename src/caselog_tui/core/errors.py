"""Errors the seller sees. Every message is a sentence that says what went
wrong and, where there is one, what to do instead."""

from __future__ import annotations


class CaseLogError(Exception):
    """Base of every error this package raises on purpose."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class ValidationError(CaseLogError):
    """One or more fields are invalid. `fields` maps a field name to its sentence."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__(" ".join(self.fields.values()))


class CaseNotFound(CaseLogError):
    def __init__(self, case_id: int | str) -> None:
        self.case_id = case_id
        super().__init__(f"There is no case with ID {case_id} in this case log.")


class ActionRefused(CaseLogError):
    """The status machine refuses an action in the case's current state."""


class CaseChangedMeanwhile(ActionRefused):
    """A write prepared against an older version of the case: someone else
    changed it since it was read. Nothing was written; the form that sent it
    says what changed (core.meanwhile)."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        super().__init__(
            f"Case {case_id} was changed by someone else while you were writing; "
            "nothing was sent. Review the case and send again."
        )


class StoreError(CaseLogError):
    """The case log file cannot be opened, read or written."""
