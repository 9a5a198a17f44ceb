"""The Textual application: screens, themes, key bindings, and the `run` entry point."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
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
    from conseiller.store import Store
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


def _load(source: Catalog | Callable[[], Catalog], flow_id: str | None) -> Loaded:
    from conseiller.catalog import Catalog
    from conseiller.matching import matcher_for

    catalog = source if isinstance(source, Catalog) else source()
    flow = catalog.flows[flow_id] if flow_id else catalog.default_flow
    return Loaded(catalog, flow, matcher_for(catalog))


class ConseillerApp(GuardedApp):
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
        source: Catalog | Callable[[], Catalog],
        *,
        theme_name: str = "defaut",
        data: Path | None = None,
        flow_id: str | None = None,
        log_unmatched: bool = False,
        mode: str = "holder",
        retention: dt.timedelta | None = None,
    ) -> None:
        super().__init__()
        install()  # Textual patches: lenient input decoding, no stale dismiss
        self.mode = mode
        if retention is None:
            from conseiller.store import DEFAULT_RETENTION

            retention = DEFAULT_RETENTION
        # Advisor mode: sessions not touched for this long are erased when the list opens.
        self.retention = retention
        self._store: Store | None = None
        self._source = source
        self._flow_id = flow_id
        self._loaded: Loaded | None = None
        self._content_ready = asyncio.Event()
        self.start_theme = theme_name if theme_name in THEMES else "defaut"
        self.data = data_dir(str(data) if data else None)
        self._log_unmatched = log_unmatched
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
        if self.mode == "advisor":
            self.show_sessions()

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
        from conseiller.tui.screens.welcome import WelcomeScreen

        if self.mode != "advisor":
            self.push_screen(WelcomeScreen())
        # Start reading the content once the welcome screen is painted, not before.
        self.call_after_refresh(
            self.run_worker, self._load_in_background, thread=True, exclusive=True, group="load"
        )

    # --- navigation --------------------------------------------------------------------

    async def action_start(self) -> None:
        """Open the conversation."""
        from conseiller.tui.screens.chat import ChatScreen

        await self.wait_loaded()
        self.switch_screen(ChatScreen(self.new_engine()))

    # --- what screens ask for (messages that bubble up) ---------------------------------

    @on(messages.ShowResults)
    def _show_results_asked(self, message: messages.ShowResults) -> None:
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
        self.back_from_results()

    @on(messages.Restart)
    def _restart_asked(self) -> None:
        """Like quitting, starting again forgets the answers: ask first."""
        from conseiller.tui.screens.sessions import ConfirmScreen

        def done(yes: bool | None) -> None:
            if yes:
                self.restart()

        self.push_screen(
            ConfirmScreen(strings.UI_RESTART_QUESTION, strings.UI_RESTART_YES, strings.UI_QUIT_NO),
            done,
        )

    @on(messages.RequestQuit)
    def _quit_asked(self) -> None:
        self.action_request_quit()

    @on(messages.ShowSessions)
    def _sessions_asked(self) -> None:
        self.show_sessions()

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

    def on_results(self, outcome: Outcome) -> None:
        """Called with what each shown result came to (the holder mode keeps nothing)."""

    def back_from_results(self) -> None:
        """Leave the results for the last question."""
        from conseiller.tui.widgets.chat import ChatView

        self.pop_screen()
        chats = list(self.screen.query(ChatView))
        if chats:
            self.call_later(chats[0].action_back)

    def restart(self) -> None:
        """Forget everything and start a new conversation (advisor: back to the sessions)."""
        from conseiller.tui.screens.chat import ChatScreen

        self.pop_screen()
        if self.mode == "advisor":
            self.show_sessions()
        else:
            self.switch_screen(ChatScreen(self.new_engine()))

    # --- advisor mode ------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The sessions store of the data folder (advisor mode)."""
        if self._store is None:
            from conseiller.store import Store

            # No file before the first consent: it is created with the first session.
            self._store = Store(self.data, create=False)
        return self._store

    def show_sessions(self) -> None:
        """The list of saved sessions (sessions past the retention are erased first)."""
        from conseiller.engine import AnswerError, FlowError
        from conseiller.schema import EndNode
        from conseiller.sessions import SessionUnreadable, open_session
        from conseiller.store import StoreError
        from conseiller.tui.screens.sessions import SessionRow, SessionsScreen

        try:
            store = self.store
        except StoreError as exc:
            self._exit_with(str(exc))
            return
        try:
            purged = store.purge_expired(self.retention)
        except StoreError as exc:
            self.notice(str(exc), error=True)
        else:
            if purged:
                self.notice(
                    strings.ADV_PURGED.format(n=len(purged), retention=self.retention_words)
                )
        try:
            records = store.list()
        except StoreError as exc:
            self._exit_with(str(exc))
            return
        rows = []
        for record in records:
            problem, where = record.problem, ""
            if problem is None:
                try:
                    view = open_session(self.catalog, record).view
                except (StoreError, AnswerError, FlowError) as exc:  # shown, not opened
                    problem = exc.reason if isinstance(exc, SessionUnreadable) else str(exc)
                else:
                    where = (
                        strings.SESSIONS_DONE
                        if isinstance(view.current, EndNode)
                        else view.current.text[:50]
                    )
            rows.append(SessionRow(record.id, record.label, record.updated, where, problem))
        screen = SessionsScreen(rows, self._session_chosen, self._delete_session)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

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

    @property
    def retention_words(self) -> str:
        """How long sessions are kept, in words (for the consent question)."""
        days = self.retention.days
        if days % 365 == 0:
            return strings.ADV_RETENTION_MONTHS.format(n=days // 365 * 12)
        if days % 30 == 0:
            return strings.ADV_RETENTION_MONTHS.format(n=days // 30)
        return strings.ADV_RETENTION_DAYS.format(n=days)

    def _delete_session(self, session_id: str) -> None:
        from conseiller.store import StoreError

        try:
            record = self.store.get(session_id)
            result = self.store.delete(session_id)
        except StoreError as exc:
            self.notice(strings.ADV_DELETE_FAILED.format(reason=exc), error=True)
            return
        if result.undeleted_files:
            self.notice(
                strings.ADV_DELETED_LEFT.format(paths=", ".join(result.undeleted_files)), error=True
            )
        elif record is not None and record.label:
            self.notice(strings.ADV_LIST_DELETED.format(label=record.label))
        else:
            self.notice(strings.SESSIONS_DELETED.format(id=session_id))
        self.show_sessions()

    def _session_chosen(self, session_id: str | None) -> None:
        from conseiller.engine import AnswerError, FlowError
        from conseiller.sessions import open_session
        from conseiller.store import StoreError
        from conseiller.tui.screens.advisor import AdvisorScreen, answers_of
        from conseiller.tui.screens.sessions import ConsentScreen

        if session_id is None:
            self.push_screen(ConsentScreen(self.retention_words), self._consented)
            return
        try:
            record = self.store.get(session_id)
            if record is None:
                raise StoreError(strings.SESSIONS_UNKNOWN.format(id=session_id))
            if record.problem:
                raise StoreError(record.problem)
            # Where the conversation is, not a question someone was looking back at.
            state = answers_of(open_session(self.catalog, record).state)
        except (StoreError, AnswerError, FlowError) as exc:
            self.notice(strings.ADV_OPEN_FAILED.format(reason=exc), error=True)
            return
        self.switch_screen(
            AdvisorScreen(
                self.new_engine(),
                self.store,
                record.id,
                state,
                record.notes,
                revision=record.revision,
            )
        )

    def _consented(self, answer: tuple[bool, str] | None) -> None:
        from conseiller.store import StoreError
        from conseiller.tui.screens.advisor import AdvisorScreen

        engine = self.new_engine()
        state = engine.start()
        agreed, label = answer or (False, "")
        session_id: str | None = None
        revision: int | None = None
        if agreed:
            try:
                session_id = self.store.create(engine.flow.id, state.to_json(), label=label)
                record = self.store.get(session_id)
                revision = record.revision if record is not None else None
            except StoreError as exc:
                self.notice(strings.ADV_CREATE_FAILED.format(reason=exc), error=True)
                session_id = None
        self.switch_screen(
            AdvisorScreen(
                engine, self.store if session_id else None, session_id, state, revision=revision
            )
        )

    def on_answer(self, state: State) -> None:
        """Called after every accepted answer (the holder mode keeps nothing)."""

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

        from conseiller.tui.screens.advisor import AdvisorScreen

        advisor = next((s for s in self.screen_stack if isinstance(s, AdvisorScreen)), None)
        if advisor is not None:  # answers may be kept: say what quitting means here
            self.push_screen(QuitScreen(strings.ADV_QUIT_QUESTION, advisor.quit_note), done)
        else:
            self.push_screen(QuitScreen(), done)


def make_app(
    catalog: Catalog | Callable[[], Catalog],
    *,
    theme: str | None = None,
    data: Path | None = None,
    log_unmatched: bool = False,
    mode: str = "holder",
    retention: dt.timedelta | None = None,
) -> ConseillerApp:
    """Build the app on given content (tests use fixture content)."""
    return ConseillerApp(
        catalog,
        theme_name=theme or "defaut",
        data=data,
        log_unmatched=log_unmatched,
        mode=mode,
        retention=retention,
    )


def run(args: argparse.Namespace) -> int:
    """Run the app in the terminal; the content loads while the welcome screen shows."""

    def load() -> Catalog:
        from conseiller.catalog import load_catalog

        return load_catalog(args.content, args.flows, getattr(args, "local", None) or [])

    data = Path(args.data) if getattr(args, "data", None) else None
    keep: dt.timedelta | None = None
    if getattr(args, "mode", "holder") == "advisor":
        from conseiller.store import retention

        raw = getattr(args, "retention", None)
        try:
            keep = raw if isinstance(raw, dt.timedelta) else retention(raw)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    app = make_app(
        load,
        theme=args.theme,
        data=data,
        log_unmatched=getattr(args, "log_unmatched", False),
        mode=getattr(args, "mode", "holder"),
        retention=keep,
    )
    app.run()
    return app.return_code or 0
