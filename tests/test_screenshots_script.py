"""The README's screenshots come from the real app: the script must run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "scripts" / "screenshots.py"


def test_screenshots_script_renders_the_real_screens(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path), "--only", "case-log", "help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    case_log = (tmp_path / "case-log.svg").read_text(encoding="utf-8")
    help_screen = (tmp_path / "help.svg").read_text(encoding="utf-8")
    assert case_log.startswith("<svg")
    assert "Open&#160;and&#160;recently&#160;answered" in case_log
    assert "Glossary" in help_screen or "Help&#160;—" in help_screen
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case-log.svg", "help.svg"]
