"""Where caselog keeps its files: --db, else CASELOG_DB, else the platform's
user data folder. The config file lives in the user config folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_state_path

from caselog_tui.core.locations import Location, location

APP_NAME = "caselog-tui"


def data_folder() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def drafts_folder() -> Path:
    """Where a message being written in $EDITOR lives meanwhile: private to
    the user, and kept if caselog is stopped (a closed SSH session) while
    the editor runs, so the next start can offer it back."""
    return user_state_path(APP_NAME, appauthor=False) / "drafts"


def default_db_path() -> Path:
    return data_folder() / "caselog.db"


def demo_db_path() -> Path:
    """Demo data never goes into the seller's own log."""
    return data_folder() / "demo.db"


def config_path() -> Path:
    override = os.environ.get("CASELOG_CONFIG")
    if override:
        return Path(override).expanduser()
    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def resolve_db_path(cli_value: str | None) -> Location:
    """The case log: --db, else CASELOG_DB, else the default file. A
    `postgresql://` URL stays a URL (core.locations)."""
    if cli_value:
        return location(cli_value)
    env = os.environ.get("CASELOG_DB")
    if env:
        return location(env)
    return default_db_path()
