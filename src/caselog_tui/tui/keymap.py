"""The `[keys]` of the config file, checked before Textual sees them.

A remap is kept only if every key in it parses, its binding id is one of
ours, and it takes no key that another action of the same screen (or of the
whole app) already has: such a remap would silently take that action's key
away, and the keys of CONTRACT.md with it. Anything else is reported as a
config problem, and the binding keeps its default key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from textual.binding import Binding
from textual.keys import Keys, _character_to_key

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# Key names Textual knows: its special keys ("escape", "f5", "pageup") and
# the names of the printable ASCII characters ("question_mark", "plus").
_NAMED_KEYS = {key.value.rpartition("+")[2] for key in Keys} | {
    _character_to_key(chr(code)) for code in range(0x21, 0x7F)
}

Scope = Sequence[Binding]
"""The bindings that are active together: one screen's (its widgets' too)."""


def key_problem(key: str) -> str | None:
    """Why `key` ("ctrl+s", "j", "question_mark") is not a key Textual can
    bind, or None if it is one."""
    *modifiers, base = key.strip().lower().split("+") if key.strip() else [""]
    if not base:
        return "is empty"
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"has “{unknown[0]}”, which is not ctrl, shift, alt, meta, super or hyper"
    if len(base) == 1 and unicodedata.category(base)[0] not in "CZ":
        return None
    if base in _NAMED_KEYS:
        return None
    return "is not the name of a key"


def _keys(binding: Binding) -> list[str]:
    return [_normal(key) for key in binding.key.split(",")]


def _normal(key: str) -> str:
    key = key.strip()
    return _character_to_key(key) if len(key) == 1 else key.lower()


def checked_keymap(
    requested: Mapping[str, str], app: Scope, screens: Iterable[Scope]
) -> tuple[dict[str, str], list[str]]:
    """The part of `requested` (binding id -> keys, "j,down") that is safe to
    apply, and a sentence for each remap left out."""
    scopes = [list(app) + list(screen) for screen in screens] or [list(app)]
    known = {b.id for scope in scopes for b in scope if b.id}
    kept: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in requested.items():
        if binding_id not in known:
            problems.append(
                f"[keys] names “{binding_id}”, which is not a binding id; the help screen "
                "(?) lists them. It was ignored."
            )
            continue
        wanted = [key.strip() for key in keys.split(",")]
        bad = next(((key, why) for key in wanted if (why := key_problem(key))), None)
        if bad is not None:
            problems.append(
                f"[keys] “{binding_id}” = “{keys}”: “{bad[0]}” {bad[1]}; its default key is kept."
            )
            continue
        taken = _taken_from(binding_id, {_normal(key) for key in wanted}, scopes, requested)
        if taken is not None:
            key, owner = taken
            named = f" ({owner.id})" if owner.id else ""
            problems.append(
                f"[keys] “{binding_id}” = “{keys}”: “{key}” is already the key of "
                f"“{owner.tooltip or owner.description or owner.action}”{named}; its default "
                "key is kept."
            )
            continue
        kept[binding_id] = keys
    return kept, problems


def _taken_from(
    binding_id: str, wanted: set[str], scopes: list[list[Binding]], requested: Mapping[str, str]
) -> tuple[str, Binding] | None:
    """A key of `wanted` that another binding active alongside `binding_id`
    keeps (it is not itself moved away by `requested`), and that binding."""
    for scope in scopes:
        if not any(b.id == binding_id for b in scope):
            continue
        for other in scope:
            if other.id == binding_id or other.action == _action_of(binding_id, scope):
                continue
            moved = requested.get(other.id) if other.id else None
            keys = {_normal(key) for key in moved.split(",")} if moved else set(_keys(other))
            clash = wanted & keys
            if clash:
                return min(clash), other
    return None


def _action_of(binding_id: str, scope: list[Binding]) -> str:
    return next(b.action for b in scope if b.id == binding_id)
