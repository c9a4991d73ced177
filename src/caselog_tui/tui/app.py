"""The caselog application: owns the case log service and the config, tells
every screen when the store changed, and opens the form of an action once
its case is read (tui/actions.py). Screens open each other themselves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from caselog_tui.config import Config, load_config, save_setting
from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.presence import Here
from caselog_tui.core.view import CaseQuery
from caselog_tui.paths import config_path
from caselog_tui.services.caselog import CaseLog
from caselog_tui.tui.commands import binding_commands
from caselog_tui.tui.live_refresh import LiveRefresh, offline_text
from caselog_tui.tui.messages import (
    CaseReady,
    CasesChanged,
    CaseUnavailable,
    PresenceChanged,
    StoreChanged,
    StoreReach,
)
from caselog_tui.tui.presence import PresenceWatch
from caselog_tui.tui.safe import tell
from caselog_tui.tui.themes import register_themes


class CaseLogApp(App[None]):
    """Case Log: the seller's cases with Seller Support."""

    TITLE = "Case Log"
    CSS_PATH = "caselog.tcss"
    BINDINGS = [
        Binding(
            "question_mark",
            "help",
            "Help",
            tooltip="Show help: every key, mark and term",
            id="app.help",
        ),
        # q quits from the case log and goes back one screen from any other
        # (as in lazygit or k9s); ctrl+q (Textual's) quits from anywhere.
        Binding("q", "back_or_quit", "Quit", id="app.quit"),
    ]

    def __init__(self, log: CaseLog, config: Config | None = None, new_log: bool = False) -> None:
        super().__init__()
        self.case_log = log
        self.config = config if config is not None else Config()
        self._new_log = new_log
        self._live_refresh: LiveRefresh | None = None
        self._presence: PresenceWatch | None = None
        register_themes(self)
        if self.config.theme in self.available_themes:
            # Before the first mount: a theme set later makes Textual parse
            # every stylesheet again and restyle every widget (about 8% of
            # the start-up's CPU).
            self.theme = self.config.theme
        if self.config.keys:
            self.set_keymap(self._checked_keys())

    def _checked_keys(self) -> dict[str, str]:
        """The config's [keys] that are safe to apply; the others join the
        config problems shown at start (tui/keymap.py says which and why)."""
        from caselog_tui.tui.binding_scopes import app_bindings, screen_scopes
        from caselog_tui.tui.keymap import checked_keymap

        kept, problems = checked_keymap(self.config.keys, app_bindings(self), screen_scopes())
        self.config.problems.extend(problems)
        return kept

    def on_mount(self) -> None:
        from caselog_tui.tui.screens.case_log import CaseLogScreen

        self._tell_of_an_unknown_theme()
        # From now on a theme the seller picks is remembered for next time.
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.case_log.store.read_only:
            self.title = f"{self.TITLE} (read-only)"  # screens set the sub-title
            tell(self, self.case_log.store.read_only_reason, title="Read-only", timeout=15)
        self._offer_kept_drafts()
        for problem in self.config.problems:
            tell(self, problem, severity="warning", title="Config")
        if self._new_log:  # a mistyped --db or CASELOG_DB should not go unnoticed
            tell(
                self,
                f"There was no case log at {self.case_log.store.where}, so a new, empty one "
                "was made there. If you meant another file, quit (q) and check --db or "
                "CASELOG_DB.",
                title="New case log",
                timeout=20,
            )
        self.push_screen(CaseLogScreen(self.config.page_size))
        self._live_refresh = LiveRefresh.start(self)
        self._presence = PresenceWatch(self)

    def on_unmount(self) -> None:
        if self._live_refresh is not None:
            self._live_refresh.stop()
        if self._presence is not None:
            self._presence.stop()

    def seller_is_at(self, case_id: int | None, doing: str | None = None) -> None:
        """Tells colleagues which case the seller has open (None: the case
        log) and what a form on it is doing (core.presence.DOING)."""
        if self._presence is not None:
            self._presence.here(case_id, doing)

    @property
    def others_here(self) -> tuple[Here, ...]:
        """Who else has the case log open, as last heard."""
        return self._presence.others if self._presence is not None else ()

    @on(PresenceChanged)
    def _presence_changed(self, message: PresenceChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(PresenceChanged(message.others))

    def _offer_kept_drafts(self) -> None:
        """A message that was in the editor when caselog stopped (a closed
        SSH session) is not lost: say where, and how to carry on with it."""
        from caselog_tui.tui.editor import kept_drafts

        for draft in kept_drafts():
            try:
                first = next((line for line in draft.text.splitlines() if line.strip()), "")
            except OSError:
                continue
            how = (
                "press n, then ctrl+e in the form"
                if draft.label == "new-case"
                else "open the case, start a reply (r), then press ctrl+e"
            )
            tell(
                self,
                f"A message you were writing in your editor for {draft.what} was kept when "
                f"caselog stopped: “{first[:60]}”. To carry on with it, {how}. "
                f"It is in {draft.path}.",
                title="Kept draft",
                timeout=30,
            )

    def _tell_of_an_unknown_theme(self) -> None:
        wanted = self.config.theme
        if wanted not in self.available_themes:
            names = ", ".join(sorted(self.available_themes))
            tell(
                self,
                f"The theme “{wanted}” in the config file is not known; using the default. "
                f"Known themes: {names}.",
                severity="warning",
                title="Config",
            )

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if not name or name == self.config.theme or self.config.path is None:
            return
        self.config.theme = name
        try:
            save_setting(self.config.path, "theme", name, what="the theme")
        except CaseLogError as error:  # a broken or unwritable config file
            tell(self, error.message, severity="warning", title="Config")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        ours = list(binding_commands(self, screen))
        yield from ours
        # Textual's own, less any ours already name ("Quit" would be listed twice).
        titles = {command.title for command in ours}
        yield from (c for c in super().get_system_commands(screen) if c.title not in titles)

    def action_help(self) -> None:
        from caselog_tui.tui.binding_scopes import binding_ids
        from caselog_tui.tui.screens.help import HelpScreen, keys_of

        if isinstance(self.screen, HelpScreen):
            return
        title = self.screen.title or self.title
        self.push_screen(HelpScreen(title, keys_of(self.screen), binding_ids(self)))

    # -- what screens ask of the app -------------------------------------------

    @on(CaseReady)
    def _case_ready(self, message: CaseReady) -> None:
        from caselog_tui.tui.actions import open_form

        open_form(self, message.detail, message.now, message.action)

    @on(CaseUnavailable)
    def _case_unavailable(self, message: CaseUnavailable) -> None:
        tell(self, message.sentence, severity="error")

    def case_log_query(self) -> CaseQuery | None:
        """The view the case log shows (filters, search), or None before it opened."""
        from caselog_tui.tui.screens.case_log import CaseLogScreen

        for screen in self.screen_stack:
            if isinstance(screen, CaseLogScreen):
                return screen.case_query
        return None

    def cases_changed(
        self,
        case_id: int | None = None,
        *,
        live: bool = False,
        news_at: datetime | None = None,
        case_ids: frozenset[int] | None = None,
    ) -> None:
        """Tell every screen on the stack to reload what it shows (see
        CasesChanged for `live`, `news_at` and `case_ids`)."""
        for screen in self.screen_stack:
            screen.post_message(CasesChanged(case_id, live, news_at, case_ids))

    @on(StoreReach)
    def _store_reach(self, message: StoreReach) -> None:
        """Says once that the store was lost (and why), and once that it
        is back; every screen shows it too (the case log's status line)."""
        if message.connected:
            tell(self, "Connected again: the case log is up to date.", title="Case log")
        else:
            shown = offline_text(message.loaded_at, self.case_log.tz)
            tell(
                self,
                f"{shown[0].upper()}{shown[1:]}. {message.sentence} Changes are refused until "
                "it is back; what you are writing is kept.",
                severity="warning",
                title="Case log",
                timeout=12,
            )
        for screen in self.screen_stack:
            screen.post_message(StoreReach(message.connected, message.loaded_at, message.sentence))

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        news_at = None if message.ours else self.case_log.clock()
        self.cases_changed(live=True, news_at=news_at, case_ids=message.case_ids)

    async def action_back_or_quit(self) -> None:
        """q: on the case log, quit; on a screen opened over it, what that
        screen's escape does (back, cancel, close: a form asks first when
        something was typed)."""
        from caselog_tui.tui.screens.case_log import CaseLogScreen

        screen = self.screen
        if isinstance(screen, CaseLogScreen) or len(self.screen_stack) <= 1:
            await self.action_quit()
            return
        for binding in screen._bindings.key_to_bindings.get("escape", []):
            if await self.run_action(binding.action, screen):
                return
        screen.dismiss()

    async def action_quit(self) -> None:
        """q, ctrl+q (Textual's own key) and the palette's Quit: all ask
        first when a form holds a draft that would be lost."""
        from caselog_tui.tui.screens.forms.confirm import ConfirmModal

        if isinstance(self.screen, ConfirmModal):
            return
        if not any(getattr(screen, "has_draft", False) for screen in self.screen_stack):
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(
            ConfirmModal(
                "Quit and lose your draft?",
                "A form has text you have not sent; it will be lost.",
                yes="Quit",
                no="Keep editing",
            ),
            answered,
        )


def make_app(log: CaseLog, config: Config | None = None, new_log: bool = False) -> CaseLogApp:
    """The app factory the command line and the tests share. `new_log`: the
    file was made just now, which the seller is told."""
    return CaseLogApp(log, config, new_log)


def run_app(log: CaseLog, *, mouse: bool = True, new_log: bool = False) -> int:
    """Runs the TUI; `mouse=False` leaves text selection to the terminal.
    The exit code is 1 when the app stopped on an error, not 0."""
    config = load_config(config_path())
    app = make_app(log, config, new_log)
    app.run(mouse=mouse)
    return app.return_code or 0
