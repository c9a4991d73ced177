"""The config file: good settings are used, a bad file or bad value never
stops start-up but is named in a sentence, and saving keeps comments."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from caselog_tui.config import (
    DEFAULT_REFRESH_SECONDS,
    DEFAULT_THEME,
    Config,
    load_config,
    save_account_email,
)
from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.view import DEFAULT_PAGE_SIZE
from caselog_tui.paths import config_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "missing.toml")
    assert config == Config(path=tmp_path / "missing.toml")
    assert config.page_size == DEFAULT_PAGE_SIZE and config.theme == DEFAULT_THEME


def test_a_valid_file_is_used(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        """
        account_email = "Seller@Example.com"
        page_size = 100
        theme = "nord"
        editor = "nano -w"

        [keys]
        quit = "q,ctrl+q"
        """.replace("        ", ""),
    )
    config = load_config(path)
    assert config.problems == []
    assert config.account_email == "seller@example.com"
    assert (config.page_size, config.theme, config.editor) == (100, "nord", "nano -w")
    assert config.keys == {"quit": "q,ctrl+q"}


def test_broken_toml_falls_back_with_a_sentence(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'page_size = 100\ntheme = "nord\n')
    config = load_config(path)
    assert config.page_size == DEFAULT_PAGE_SIZE and config.theme == DEFAULT_THEME
    [problem] = config.problems
    assert problem.startswith(f"The config file {path} is not valid TOML (")
    assert problem.endswith("); using defaults.")


def test_a_file_that_is_not_text_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00binary")
    config = load_config(path)
    assert config.page_size == DEFAULT_PAGE_SIZE
    [problem] = config.problems
    assert problem.startswith(f"The config file {path} cannot be read")


def test_each_bad_value_is_named_and_the_good_ones_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        'account_email = "not an address"\npage_size = 30\ntheme = ""\neditor = 5\nkeys = [1, 2]\n',
    )
    config = load_config(path)
    assert config.problems == [
        f"account_email in {path} is not a valid e-mail address.",
        f"page_size in {path} must be one of 25, 50, 100, 250.",
        f"theme in {path} must be a theme name.",
        f"editor in {path} must be a command.",
        f"[keys] in {path} must map binding ids to keys, as text.",
    ]
    assert config == Config(problems=config.problems, path=path)


@pytest.mark.parametrize("value", ["true", "100.0", '"100"'])
def test_a_page_size_must_be_a_whole_number(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "config.toml", f"page_size = {value}\n")
    config = load_config(path)
    assert config.page_size == DEFAULT_PAGE_SIZE
    assert config.problems == [f"page_size in {path} must be one of 25, 50, 100, 250."]


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("2", 2.0), ("0.5", 0.5)])
def test_refresh_seconds_is_taken_and_zero_switches_it_off(
    tmp_path: Path, value: str, seconds: float
) -> None:
    config = load_config(write(tmp_path / "config.toml", f"refresh_seconds = {value}\n"))
    assert config.problems == []
    assert config.refresh_seconds == seconds


@pytest.mark.parametrize("value", ["-1", "0.01", "86400", "true", '"1"', "nan"])
def test_a_bad_refresh_seconds_is_named_and_the_default_kept(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "config.toml", f"refresh_seconds = {value}\n")
    config = load_config(path)
    assert config.refresh_seconds == DEFAULT_REFRESH_SECONDS
    assert config.problems == [
        f"refresh_seconds in {path} must be a number of seconds from 0.1 to 3600, or 0 "
        "to switch live refresh off; refreshing every 1 second."
    ]


def test_saving_the_account_email_keeps_comments_and_settings(tmp_path: Path) -> None:
    original = (
        "# my caselog settings\n"
        "page_size = 100  # big screen\n"
        'account_email = "old@example.com"\n'
        "\n"
        "[keys]\n"
        '# j/k are fine\nquit = "ctrl+q"\n'
    )
    path = write(tmp_path / "config.toml", original)
    save_account_email(path, "new@example.com")
    saved = path.read_text(encoding="utf-8")
    assert saved == original.replace("old@example.com", "new@example.com")
    assert load_config(path).account_email == "new@example.com"


def test_saving_into_a_broken_file_leaves_it_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "nord\n')
    with pytest.raises(CaseLogError) as refused:
        save_account_email(path, "new@example.com")
    assert refused.value.message.startswith(f"The config file {path} is not valid TOML")
    assert "was not saved" in refused.value.message
    assert path.read_text(encoding="utf-8") == 'theme = "nord\n'


def test_saving_creates_the_file_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_account_email(path, "seller@example.com")
    assert load_config(path).account_email == "seller@example.com"


def test_the_config_file_naming_the_account_is_private(tmp_path: Path) -> None:
    new = tmp_path / "fresh" / "config.toml"
    save_account_email(new, "seller@example.com")
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert stat.S_IMODE(new.parent.stat().st_mode) == 0o700
    older = write(tmp_path / "config.toml", 'theme = "nord"\n')
    older.chmod(0o644)  # as an older caselog wrote it
    save_account_email(older, "seller@example.com")
    assert stat.S_IMODE(older.stat().st_mode) == 0o600
    assert load_config(older).theme == "nord"


def test_config_path_follows_the_environment(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "home" / "config" / "caselog.toml"
