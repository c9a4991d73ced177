"""Renders the README screenshots from the real app, headless, on demo data.

    python scripts/screenshots.py [--out screenshots/]

Every picture is the current app driven by its own keys (docs/CONTRACT.md), on a
seeded demo store with a fixed clock, so re-running gives the same SVGs.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from caselog_tui.config import Config
from caselog_tui.services.caselog import CaseLog
from caselog_tui.services.demo import fill_demo
from caselog_tui.store.database import open_store
from caselog_tui.tui.app import make_app

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Scene:
    name: str
    keys: list[str] = field(default_factory=list)
    size: tuple[int, int] = (120, 40)
    theme: str = "textual-dark"


SCENES = [
    Scene("case-log"),
    Scene("filtered", ["f", "space", "escape"]),
    Scene("needing-attention", ["a"]),
    Scene("search", ["slash", *"reimbursement", "enter"]),
    Scene("case-detail", ["enter"]),
    Scene("case-detail-expanded", ["enter", "z"]),
    Scene("reply-form", ["a", "enter", "r", *"Invoice attached."]),
    Scene("help", ["question_mark"]),
    Scene("case-log-80x24", size=(80, 24)),
    Scene("case-log-light", theme="textual-light"),
    Scene("case-log-16-colours", theme="ansi-dark"),
]


async def shoot(log: CaseLog, scene: Scene, out: Path) -> Path:
    app = make_app(log, Config(theme=scene.theme))
    async with app.run_test(size=scene.size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for key in scene.keys:
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        return Path(app.save_screenshot(f"{scene.name}.svg", path=str(out)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "screenshots")
    parser.add_argument("--only", nargs="*", help="scene names to render (default: all)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "demo.db")
        fill_demo(store, 400, seed=7, now=NOW)
        log = CaseLog(store, clock=lambda: NOW, tz=UTC)
        for scene in SCENES:
            if args.only and scene.name not in args.only:
                continue
            path = asyncio.run(shoot(log, scene, args.out))
            print(f"wrote {path}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
