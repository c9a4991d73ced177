"""The rules, the store and the services are a plain Python library: importing them must
not pull in Textual or Rich (the CLI's export and import stay fast, and a
future server can use them). The case log screen's state is plain Python
too, so its tests need no Pilot."""

import subprocess
import sys


def ui_modules_after(imports: str) -> str:
    """The Textual and Rich modules a fresh interpreter holds after `imports`."""
    code = (
        "import sys\n"
        f"{imports}\n"
        "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(ui))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_rules_store_and_services_import_no_ui() -> None:
    imports = (
        "import caselog_tui.services.caselog, caselog_tui.services.demo, caselog_tui.config\n"
        "import caselog_tui.store.queries, caselog_tui.store.database"
    )
    assert ui_modules_after(imports) == ""


def test_the_case_log_state_imports_no_ui() -> None:
    assert ui_modules_after("import caselog_tui.tui.case_log_view") == ""


def test_the_settings_and_the_command_line_parser_import_no_sql_library() -> None:
    """`caselog --help`, a usage error and the config file are answered
    without SQLAlchemy, SQLModel or pydantic (about half a second to import);
    only a command that opens the store pays for them."""
    code = (
        "import sys\n"
        "import caselog_tui.config, caselog_tui.paths, caselog_tui.core.view\n"
        "import caselog_tui.core.parsing, caselog_tui.core.machine, caselog_tui.core.records\n"
        "from caselog_tui.cli import build_parser\n"
        "build_parser().parse_args(['export', '--sort', 'created:desc', '--from', '2026-01-01'])\n"
        "caselog_tui.config.load_config(__import__('pathlib').Path('/nonexistent/c.toml'))\n"
        "sql = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'pydantic', 'sqlite3'))\n"
        "print(','.join(sql))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
