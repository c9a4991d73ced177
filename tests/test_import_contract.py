"""The rules, the store and the services are a plain Python library: importing them must
not pull in Textual or Rich (the CLI's export and import stay fast, and a
future server can use them)."""

import subprocess
import sys


def test_rules_store_and_services_import_no_ui() -> None:
    code = (
        "import sys\n"
        "import caselog_tui.services.caselog, caselog_tui.services.demo, caselog_tui.config\n"
        "import caselog_tui.store.queries, caselog_tui.store.database\n"
        "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(ui))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
