"""The caselog application: owns the case log service and the config, and is
the one place screens go to open a case, start a form or say the store
changed."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from caselog_tui.config import Config, load_config
from caselog_tui.domain.query import CaseQuery
from caselog_tui.domain.service import CaseLog
from caselog_tui.paths import config_path
from caselog_tui.tui.messages import CasesChanged
from caselog_tui.tui.safe import tell


class CaseLogApp(App[None]):
    """Case Log: the seller's cases with Seller Support."""

    TITLE = "Case Log"
    CSS_PATH = "caselog.tcss"
    BINDINGS = [
        Binding("q", "quit_app", "Quit", id="quit"),
    ]

    def __init__(self, log: CaseLog, config: Config | None = None) -> None:
        super().__init__()
        self.case_log = log
        self.config = config if config is not None else Config()

    def on_mount(self) -> None:
        from caselog_tui.tui.screens.case_log import CaseLogScreen

        if self.config.keys:
            self.set_keymap(self.config.keys)
        for problem in self.config.problems:
            tell(self, problem, severity="warning", title="Config")
        self.push_screen(CaseLogScreen())

    # -- the hooks screens use ---------------------------------------------

    def open_case(self, case_id: int) -> None:
        from caselog_tui.tui.screens.case_detail import CaseDetailScreen

        self.push_screen(CaseDetailScreen(case_id))

    # The seller's actions. The case details issue fills these in with the
    # forms (tui/actions.py); the export issue fills in start_export.
    def start_reply(self, case_id: int) -> None:
        raise NotImplementedError

    def start_reopen(self, case_id: int) -> None:
        raise NotImplementedError

    def start_edit(self, case_id: int) -> None:
        raise NotImplementedError

    def start_resolve(self, case_id: int) -> None:
        raise NotImplementedError

    def start_new_case(self) -> None:
        raise NotImplementedError

    def start_export(self, query: CaseQuery) -> None:
        from caselog_tui.tui.screens.export_dialog import ExportDialog

        self.push_screen(ExportDialog(query))

    def cases_changed(self, case_id: int | None = None) -> None:
        """Tell every screen on the stack to reload what it shows."""
        for screen in self.screen_stack:
            screen.post_message(CasesChanged(case_id))

    def action_quit_app(self) -> None:
        self.exit()


def make_app(log: CaseLog, config: Config | None = None) -> CaseLogApp:
    """The app factory the command line and the tests share."""
    return CaseLogApp(log, config)


def run_app(log: CaseLog) -> int:
    config = load_config(config_path())
    make_app(log, config).run()
    return 0
