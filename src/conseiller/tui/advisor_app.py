"""Advisor mode: the sessions list, consent, and the advisor's screen, on the shared base."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Unpack

from textual import on
from textual.screen import Screen

from conseiller import strings
from conseiller.tui import messages
from conseiller.tui.app import AppOptions, BaseApp
from conseiller.typography import plural, shorten

if TYPE_CHECKING:
    from conseiller.catalog import Catalog
    from conseiller.store import Store


class AdvisorApp(BaseApp):
    """`conseiller accompagnement`: saved sessions first, then the chat beside the panel."""

    def __init__(
        self,
        source: Catalog | Callable[[], Catalog],
        *,
        retention: dt.timedelta | None = None,
        **options: Unpack[AppOptions],
    ) -> None:
        super().__init__(source, **options)
        if retention is None:
            from conseiller.store import DEFAULT_RETENTION

            retention = DEFAULT_RETENTION
        # Sessions not touched for this long are erased when the list opens.
        self.retention = retention
        self._store: Store | None = None

    # --- the base's hooks --------------------------------------------------------------

    def opening_screen(self) -> Screen[None] | None:
        """No welcome screen: the sessions list comes once the content is loaded."""
        return None

    def on_content_loaded(self) -> None:
        self.show_sessions()

    def start_over(self) -> None:
        """« Recommencer »: back to the sessions list."""
        self.show_sessions()

    def quit_screen(self) -> Screen[bool]:
        """Answers may be kept: say what quitting means here."""
        from conseiller.tui.screens.advisor import AdvisorScreen
        from conseiller.tui.screens.dialogs import QuitScreen

        advisor = next((s for s in self.screen_stack if isinstance(s, AdvisorScreen)), None)
        if advisor is not None:
            return QuitScreen(strings.ADV_QUIT_QUESTION, advisor.quit_note)
        return QuitScreen()

    # --- sessions ----------------------------------------------------------------------

    @on(messages.ShowSessions)
    def _sessions_asked(self) -> None:
        self.show_sessions()

    @property
    def store(self) -> Store:
        """The sessions store of the data folder."""
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
                self.notice(plural(strings.ADV_PURGED, len(purged), retention=self.retention_words))
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
                        else shorten(view.current.text, 50)
                    )
            rows.append(SessionRow(record.id, record.label, record.updated, where, problem))
        screen = SessionsScreen(rows, self._session_chosen, self._delete_session)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

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
        from conseiller.sessions import content_version
        from conseiller.store import StoreError
        from conseiller.tui.screens.advisor import AdvisorScreen

        engine = self.new_engine()
        state = engine.start()
        agreed, label = answer or (False, "")
        session_id: str | None = None
        revision: int | None = None
        if agreed:
            try:
                # Which program, content and packs the session is made with, kept with it.
                session_id = self.store.create(
                    engine.flow.id,
                    state.to_json(),
                    label=label,
                    content_version=content_version(self.catalog),
                )
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


def make_advisor_app(
    catalog: Catalog | Callable[[], Catalog],
    *,
    retention: dt.timedelta | None = None,
    **options: Unpack[AppOptions],
) -> AdvisorApp:
    """The advisor's app on given content (tests use fixture content)."""
    return AdvisorApp(catalog, retention=retention, **options)
