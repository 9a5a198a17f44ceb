"""The apps' shared base (BaseApp), the holder's app, themes, keys, and the `run` entry point."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypedDict, Unpack

from textual import on
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from conseiller import strings
from conseiller.paths import data_dir
from conseiller.tui import messages
from conseiller.tui.compat import GuardedApp, install

if TYPE_CHECKING:
    from conseiller.catalog import Catalog
    from conseiller.conversation import Outcome
    from conseiller.engine import Engine, State
    from conseiller.matching import Matcher
    from conseiller.schema import Flow
    from conseiller.unmatched import UnmatchedLog

THEMES = {
    "defaut": Theme(
        name="defaut",
        primary="#1F6F50",
        secondary="#2B5C8A",
        accent="#B85C00",
        warning="#B85C00",
        error="#B3261E",
        success="#1F6F50",
        background="#F7F5EF",
        surface="#FFFFFF",
        panel="#E4EFE9",
        foreground="#1B1B1B",
        dark=False,
    ),
    "contraste-eleve": Theme(
        name="contraste-eleve",
        primary="#FFFF00",
        secondary="#00FFFF",
        accent="#FFFF00",
        warning="#FFFF00",
        error="#FF5555",
        success="#00FF00",
        background="#000000",
        surface="#000000",
        panel="#1A1A1A",
        foreground="#FFFFFF",
        dark=True,
    ),
}


@dataclass(frozen=True)
class Loaded:
    """What the app needs once the content is read: loaded after the first paint."""

    catalog: Catalog
    flow: Flow
    matcher: Matcher


class AppOptions(TypedDict, total=False):
    """What the app of every mode takes besides its content (all may be left out)."""

    theme: str | None  # a name of THEMES; none or unknown: « defaut »
    data: Path | None  # the data folder; none: CONSEILLER_DATA or the user's
    flow_id: str | None  # the flow to run; none: the content's default flow
    log_unmatched: bool  # keep the phrases not understood (--log-unmatched)


def _load(source: Catalog | Callable[[], Catalog], flow_id: str | None) -> Loaded:
    from conseiller.catalog import Catalog
    from conseiller.matching import matcher_for

    catalog = source if isinstance(source, Catalog) else source()
    flow = catalog.flows[flow_id] if flow_id else catalog.default_flow
    return Loaded(catalog, flow, matcher_for(catalog))


class BaseApp(GuardedApp):
    """What every mode shares: content loaded after the first paint, themes, keys, the
    conversation's messages, results, help lines. A mode is a subclass (HolderApp,
    AdvisorApp, KioskApp) that overrides the hooks below; screens read `kiosk` through
    the protocol (tui/protocols.py), never the class."""

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

    kiosk: ClassVar[bool] = False
    """True at a kiosk: nothing is written, the keys are locked, the take-away is a QR code."""

    def __init__(
        self, source: Catalog | Callable[[], Catalog], **options: Unpack[AppOptions]
    ) -> None:
        """`source` is the content, or what loads it (read after the first paint)."""
        super().__init__()
        install()  # Textual patches: lenient input decoding, no stale dismiss
        self._source = source
        self._flow_id = options.get("flow_id")
        self._loaded: Loaded | None = None
        self._content_ready = asyncio.Event()
        theme = options.get("theme")
        self.start_theme = theme if theme in THEMES else "defaut"
        data = options.get("data")
        self.data = data_dir(str(data) if data else None)
        self._log_unmatched = options.get("log_unmatched", False)
        self._unmatched: UnmatchedLog | None = None

    @property
    def loaded(self) -> Loaded:
        """The content, matcher and flow (available once the welcome screen is shown)."""
        if self._loaded is None:
            raise RuntimeError("content not loaded yet")
        return self._loaded

    @property
    def catalog(self) -> Catalog:
        """The loaded content."""
        return self.loaded.catalog

    async def wait_loaded(self) -> Loaded:
        """Wait until the content is loaded."""
        await self._content_ready.wait()
        return self.loaded

    def _set_loaded(self, loaded: Loaded) -> None:
        self._loaded = loaded
        self._content_ready.set()
        self.on_content_loaded()

    def _load_in_background(self) -> None:
        from conseiller.loader import ContentError

        try:
            loaded = _load(self._source, self._flow_id)
        except ContentError as exc:
            message = "\n".join([*(str(p) for p in exc.problems), strings.CLI_CONTENT_BROKEN])
            self.call_from_thread(self.exit, None, 2, message)
            return
        self.call_from_thread(self._set_loaded, loaded)

    @property
    def exports_dir(self) -> Path:
        """Where the take-aways are written."""
        return self.data / "exports"

    def new_engine(self) -> Engine:
        """An engine on the app's flow (engines hold no conversation state)."""
        from conseiller.engine import Engine

        loaded = self.loaded
        return Engine(loaded.flow, loaded.catalog, loaded.matcher)

    def on_mount(self) -> None:
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = self.start_theme
        first = self.opening_screen()
        if first is not None:
            self.push_screen(first)
        # Start reading the content once the first screen is painted, not before.
        self.call_after_refresh(
            self.run_worker, self._load_in_background, thread=True, exclusive=True, group="load"
        )

    # --- what a mode changes -----------------------------------------------------------

    def opening_screen(self) -> Screen[None] | None:
        """The screen shown while the content loads (the welcome screen)."""
        from conseiller.tui.screens.welcome import WelcomeScreen

        return WelcomeScreen()

    def on_content_loaded(self) -> None:
        """Called once the content is loaded."""

    def start_over(self) -> None:
        """After « Recommencer » was confirmed: a new conversation."""
        from conseiller.tui.screens.chat import ChatScreen

        self.switch_screen(ChatScreen(self.new_engine()))

    def quit_screen(self) -> Screen[bool]:
        """The question asked before quitting."""
        from conseiller.tui.screens.dialogs import QuitScreen

        return QuitScreen()

    def on_answer(self, state: State) -> None:
        """Called after every accepted answer (the holder mode keeps nothing)."""

    def on_results(self, outcome: Outcome) -> None:
        """Called with what each shown result came to (the holder mode keeps nothing)."""

    def on_free_text(self, text: str, understood: bool) -> None:
        """A free text was matched; with --log-unmatched, keep the ones not understood."""
        if not self._log_unmatched or understood:
            return
        if self._unmatched is None:
            from conseiller.unmatched import UnmatchedLog

            self._unmatched = UnmatchedLog(self.data)
        try:
            self._unmatched.record(text)
        except (sqlite3.Error, OSError) as exc:  # a full or read-only disk: say it, go on
            self.notice(strings.ADV_UNMATCHED_FAILED.format(reason=exc), error=True)

    # --- navigation --------------------------------------------------------------------

    async def action_start(self) -> None:
        """Open the conversation."""
        from conseiller.tui.screens.chat import ChatScreen

        await self.wait_loaded()
        self.switch_screen(ChatScreen(self.new_engine()))

    # --- what screens ask for (messages that bubble up) ---------------------------------

    @on(messages.ShowResults)
    def _show_results_asked(self, message: messages.ShowResults) -> None:
        if self._results_on_top():  # a second end from the same turn
            return
        self.show_results(message.engine, message.state)

    @on(messages.AnswerGiven)
    def _answer_given(self, message: messages.AnswerGiven) -> None:
        self.on_answer(message.state)
        if message.text is not None:
            self.on_free_text(message.text, message.understood)

    @on(messages.ShowUrgence)
    def _urgence_asked(self, message: messages.ShowUrgence) -> None:
        self.show_urgence(message.kinds)

    @on(messages.BackFromResults)
    def _back_asked(self) -> None:
        if self._results_on_top():  # not a second press already handled
            self.back_from_results()

    @on(messages.Restart)
    def _restart_asked(self) -> None:
        """Like quitting, starting again forgets the answers: ask first."""
        from conseiller.tui.screens.sessions import ConfirmScreen

        if not self._results_on_top():  # already asking, or already started again
            return

        def done(yes: bool | None) -> None:
            if yes and self._results_on_top():
                self.restart()

        self.push_screen(
            ConfirmScreen(strings.UI_RESTART_QUESTION, strings.UI_RESTART_YES, strings.UI_QUIT_NO),
            done,
        )

    @on(messages.RequestQuit)
    def _quit_asked(self) -> None:
        self.action_request_quit()

    def _results_on_top(self) -> bool:
        """Whether the results are what the person sees (stale presses find them gone)."""
        from conseiller.tui.screens.results import ResultsScreen

        return isinstance(self.screen, ResultsScreen) and len(self.screen_stack) > 2

    def outcome(self, engine: Engine, state: State) -> Outcome:
        """What a conversation came to, from the one front door."""
        from conseiller.conversation import Conversation

        return Conversation(engine.catalog, engine.flow, engine.matcher).outcome(state)

    def show_results(self, engine: Engine, state: State) -> None:
        """Show the recommendations for a finished conversation."""
        from conseiller.tui.screens.results import ResultsScreen

        outcome = self.outcome(engine, state)
        self.push_screen(ResultsScreen(self.catalog, outcome.recommendation, list(outcome.answers)))
        self.on_results(outcome)

    def back_from_results(self) -> None:
        """Leave the results for the last question."""
        from conseiller.tui.widgets.chat import ChatView

        self.pop_screen()
        chats = list(self.screen.query(ChatView))
        if chats:
            self.call_later(chats[0].action_back)

    def restart(self) -> None:
        """Forget everything and start again (a new conversation; advisor: the sessions)."""
        self.pop_screen()
        self.start_over()

    def _exit_with(self, message: str) -> None:
        """Stop with code 2 and a message (no control character goes to the terminal)."""
        from conseiller.normalize import strip_controls

        self.exit(None, 2, strip_controls(message))

    def notice(self, text: str, *, error: bool = False) -> None:
        """A notice with text shown as it is (never markup, no control characters)."""
        from conseiller.normalize import strip_controls

        self.notify(
            strip_controls(text),
            severity="error" if error else "information",
            markup=False,
            timeout=10 if error else 5,
        )

    def show_urgence(self, kinds: tuple[str, ...] = ()) -> None:
        """Show the help lines first, those for this kind of distress at the top."""
        from conseiller.tui.screens.dialogs import UrgenceScreen

        self.push_screen(UrgenceScreen(self.catalog.about.urgence, kinds))

    # --- actions -----------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys."""
        from conseiller.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_about(self) -> None:
        """Where the content comes from."""
        from conseiller.tui.screens.dialogs import AboutScreen

        loaded = await self.wait_loaded()
        self.push_screen(AboutScreen(loaded.catalog.about))

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

        self.push_screen(self.quit_screen(), done)


class HolderApp(BaseApp):
    """The holder's conversation: welcome, chat, results (`conseiller`)."""


def make_app(catalog: Catalog | Callable[[], Catalog], **options: Unpack[AppOptions]) -> HolderApp:
    """The holder's app on given content (tests use fixture content)."""
    return HolderApp(catalog, **options)


def run(args: argparse.Namespace) -> int:
    """Run the holder's app, or the advisor's (`args.mode == "advisor"`), in the terminal;
    the content loads while the first screen shows."""

    def load() -> Catalog:
        from conseiller.catalog import load_catalog

        return load_catalog(args.content, args.flows, getattr(args, "local", None) or [])

    data = Path(args.data) if getattr(args, "data", None) else None
    log_unmatched = getattr(args, "log_unmatched", False)
    app: BaseApp
    if getattr(args, "mode", None) == "advisor":
        from conseiller.store import retention
        from conseiller.tui.advisor_app import make_advisor_app

        raw = getattr(args, "retention", None)
        try:
            keep = raw if isinstance(raw, dt.timedelta) else retention(raw)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        app = make_advisor_app(
            load, theme=args.theme, data=data, log_unmatched=log_unmatched, retention=keep
        )
    else:
        app = make_app(load, theme=args.theme, data=data, log_unmatched=log_unmatched)
    app.run()
    return app.return_code or 0
