"""The user's settings, from a TOML file in the platform's config folder.

A bad file never stops start-up: every problem becomes a sentence in
`Config.problems` (the TUI shows them as a notification) and the setting
falls back to its default. Saving keeps the user's comments (tomlkit).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.presence import NAME_MAX
from caselog_tui.core.validation import email_problem
from caselog_tui.core.view import DEFAULT_PAGE_SIZE, PAGE_SIZES

DEFAULT_THEME = "textual-dark"
# Live refresh: how often the TUI asks the store whether a colleague (or
# `caselog respond`, an import) changed it; 0 switches it off. One poll
# costs microseconds, so once a second is the default.
DEFAULT_REFRESH_SECONDS = 1.0
REFRESH_SECONDS_RANGE = (0.1, 3600.0)


@dataclass
class Config:
    account_email: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    theme: str = DEFAULT_THEME
    editor: str | None = None
    refresh_seconds: float = DEFAULT_REFRESH_SECONDS
    # How colleagues on the same case log see this person (None: the login name).
    name: str | None = None
    # Binding id -> keys, as App.set_keymap takes them.
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


def load_config(path: Path) -> Config:
    config = Config(path=path)
    if not path.exists():
        return config
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        config.problems.append(f"The config file {path} cannot be read ({error}); using defaults.")
        return config
    except tomllib.TOMLDecodeError as error:
        config.problems.append(
            f"The config file {path} is not valid TOML ({error}); using defaults."
        )
        return config
    _apply(config, data, path)
    return config


def _apply(config: Config, data: dict[str, Any], path: Path) -> None:
    email = data.get("account_email")
    if email is not None:
        if isinstance(email, str) and not email_problem(email):
            config.account_email = email.strip().lower()
        else:
            config.problems.append(f"account_email in {path} is not a valid e-mail address.")
    size = data.get("page_size")
    if size is not None:
        if isinstance(size, int) and not isinstance(size, bool) and size in PAGE_SIZES:
            config.page_size = size
        else:
            sizes = ", ".join(str(s) for s in PAGE_SIZES)
            config.problems.append(f"page_size in {path} must be one of {sizes}.")
    theme = data.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme.strip():
            config.theme = theme.strip()
        else:
            config.problems.append(f"theme in {path} must be a theme name.")
    editor = data.get("editor")
    if editor is not None:
        if isinstance(editor, str) and editor.strip():
            config.editor = editor.strip()
        else:
            config.problems.append(f"editor in {path} must be a command.")
    refresh = data.get("refresh_seconds")
    if refresh is not None:
        low, high = REFRESH_SECONDS_RANGE
        number = isinstance(refresh, int | float) and not isinstance(refresh, bool)
        if number and (refresh == 0 or low <= refresh <= high):
            config.refresh_seconds = float(refresh)
        else:
            config.problems.append(
                f"refresh_seconds in {path} must be a number of seconds from {low:g} to "
                f"{high:g}, or 0 to switch live refresh off; refreshing every "
                f"{DEFAULT_REFRESH_SECONDS:g} second."
            )
    name = data.get("name")
    if name is not None:
        if isinstance(name, str) and name.strip() and len(name.strip()) <= NAME_MAX:
            config.name = " ".join(name.split())
        else:
            config.problems.append(
                f"name in {path} must be your name as colleagues should see it, "
                f"1 to {NAME_MAX} characters; using the login name."
            )
    keys = data.get("keys")
    if keys is not None:
        if isinstance(keys, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
        ):
            config.keys = dict(keys)
        else:
            config.problems.append(f"[keys] in {path} must map binding ids to keys, as text.")


def save_account_email(path: Path, email: str) -> None:
    """Remembers the account e-mail, keeping the rest of the file as written.
    A file it cannot read or parse is left alone (CaseLogError says why)."""
    save_setting(path, "account_email", email, what="the account e-mail")


def _write_private(path: Path, text: str) -> None:
    """Writes the config file readable by its owner alone (it names the
    account e-mail), in a folder only its owner can open."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)  # one written before by an older caselog
        out.write(text)


def save_setting(path: Path, key: str, value: str, what: str = "the setting") -> None:
    """Writes one top-level setting, keeping the rest of the file and its
    comments as written (tomlkit). A broken file is left alone."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = tomlkit.parse(text)
        document[key] = value
        _write_private(path, tomlkit.dumps(document))
    except TOMLKitError as error:
        raise CaseLogError(
            f"The config file {path} is not valid TOML ({error}), so {what} "
            "was not saved. Fix or remove the file and try again."
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise CaseLogError(
            f"{what.capitalize()} could not be saved in {path} ({error})."
        ) from error
