"""The Textual application: screens, themes, key bindings, and the `run` entry point."""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.describe import profile_lines
from conseiller.engine import Engine, State
from conseiller.matching import LazyMatcher, matcher_for
from conseiller.paths import data_dir
from conseiller.recommend import recommend
from conseiller.unmatched import UnmatchedLog

THEMES = {
    "defaut": Theme(
        name="defaut", primary="#1F6F50", secondary="#2B5C8A", accent="#B85C00",
        warning="#B85C00", error="#B3261E", success="#1F6F50", background="#F7F5EF",
        surface="#FFFFFF", panel="#E4EFE9", foreground="#1B1B1B", dark=False,
    ),
    "contraste-eleve": Theme(
        name="contraste-eleve", primary="#FFFF00", secondary="#00FFFF", accent="#FFFF00",
        warning="#FFFF00", error="#FF5555", success="#00FF00", background="#000000",
        surface="#000000", panel="#1A1A1A", foreground="#FFFFFF", dark=True,
    ),
}


class ConseillerApp(App[None]):
    """The holder's conversation: welcome, chat, results."""

    CSS_PATH = "app.tcss"
    TITLE = strings.UI_TITLE
    SUB_TITLE = strings.UI_SUBTITLE
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1", "help", strings.KEY_HELP, id="help"),
        Binding("question_mark", "help", strings.KEY_HELP, show=False, id="help-2"),
        Binding("f2", "toggle_theme", strings.KEY_THEME, id="theme"),
        Binding("ctrl+q", "request_quit", strings.KEY_QUIT, id="quit", priority=True),
        Binding("ctrl+c", "request_quit", strings.KEY_QUIT, show=False, priority=True),
    ]

    def __init__(
        self,
        catalog: Catalog,
        *,
        theme_name: str = "defaut",
        data: Path | None = None,
        flow_id: str | None = None,
        log_unmatched: bool = False,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.flow = catalog.flows[flow_id] if flow_id else catalog.default_flow
        self.matcher = LazyMatcher(partial(matcher_for, catalog))
        self.start_theme = theme_name if theme_name in THEMES else "defaut"
        self.data = data_dir(str(data) if data else None)
        self.unmatched = UnmatchedLog(self.data) if log_unmatched else None

    @property
    def exports_dir(self) -> Path:
        """Where the take-aways are written."""
        return self.data / "exports"

    def new_engine(self) -> Engine:
        """An engine on the app's flow (engines hold no conversation state)."""
        return Engine(self.flow, self.catalog, self.matcher)

    def on_mount(self) -> None:
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = self.start_theme
        from conseiller.tui.screens.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen())
        self.run_worker(self.matcher.get, thread=True, exclusive=True, group="warm")

    # --- navigation --------------------------------------------------------------------

    def action_start(self, state: State | None = None) -> None:
        """Open the conversation."""
        from conseiller.tui.screens.chat import ChatScreen

        self.switch_screen(ChatScreen(self.new_engine(), state))

    def show_results(self, engine: Engine, state: State) -> None:
        """Show the recommendations for a finished conversation."""
        from conseiller.tui.screens.results import ResultsScreen

        rec = recommend(self.catalog, engine.profile(state))
        answers = profile_lines(self.catalog, engine.view(state).transcript)
        self.push_screen(ResultsScreen(self.catalog, rec, answers))

    def back_from_results(self) -> None:
        """Leave the results for the last question."""
        from conseiller.tui.screens.chat import ChatScreen

        self.pop_screen()
        chat = self.screen
        if isinstance(chat, ChatScreen):
            self.call_later(chat.action_back)

    def restart(self) -> None:
        """Forget everything and start a new conversation."""
        self.pop_screen()
        self.action_start()

    def on_answer(self, state: State) -> None:
        """Called after every accepted answer (the holder mode keeps nothing)."""

    def on_free_text(self, text: str, understood: bool) -> None:
        """A free text was matched; with --log-unmatched, keep the ones not understood."""
        if self.unmatched is not None and not understood:
            self.unmatched.record(text)

    def show_urgence(self) -> None:
        """Show the help lines first."""
        from conseiller.tui.screens.dialogs import UrgenceScreen

        self.push_screen(UrgenceScreen(self.catalog.about.urgence))

    # --- actions -----------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys."""
        from conseiller.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_about(self) -> None:
        """Where the content comes from."""
        from conseiller.tui.screens.dialogs import AboutScreen

        self.push_screen(AboutScreen(self.catalog.about))

    def action_toggle_theme(self) -> None:
        """Switch between the default and the high-contrast colours."""
        self.theme = "contraste-eleve" if self.theme == "defaut" else "defaut"

    def action_request_quit(self) -> None:
        """Quit after a confirmation."""
        from conseiller.tui.screens.dialogs import QuitScreen

        if isinstance(self.screen, QuitScreen):
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(QuitScreen(), done)


def make_app(
    catalog: Catalog,
    *,
    theme: str | None = None,
    data: Path | None = None,
    log_unmatched: bool = False,
) -> ConseillerApp:
    """Build the app on given content (tests use fixture content)."""
    return ConseillerApp(catalog, theme_name=theme or "defaut", data=data,
                         log_unmatched=log_unmatched)


def run(args: argparse.Namespace) -> int:
    """Load the content, then run the app in the terminal."""
    from conseiller.catalog import load_catalog
    from conseiller.loader import ContentError

    try:
        catalog = load_catalog(args.content, args.flows)
    except ContentError as exc:
        print("\n".join(str(p) for p in exc.problems))
        print(strings.CLI_CONTENT_BROKEN)
        return 2
    data = Path(args.data) if getattr(args, "data", None) else None
    make_app(catalog, theme=args.theme, data=data,
             log_unmatched=getattr(args, "log_unmatched", False)).run()
    return 0
