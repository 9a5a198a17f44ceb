"""Advisor mode: the holder's chat on the left, the advisor's panel on the right; autosave."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button

from conseiller import strings
from conseiller.engine import AnswerError, Engine, State
from conseiller.normalize import strip_controls
from conseiller.schema import ConfirmNode, EndNode
from conseiller.tui.messages import AnswerGiven, ShowResults, ShowSessions
from conseiller.tui.screens.base import ConversationScreen
from conseiller.tui.widgets.chat import ChatView
from conseiller.tui.widgets.footer import KeyBar
from conseiller.tui.widgets.panel import AdvisorPanel
from conseiller.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from conseiller.store import Store


def answers_of(state: State) -> State:
    """The state to keep: every answer given, wherever the chat is looking.

    Going back (Escape, "Retour", "Modifier") only moves the cursor; answers after it stay
    valid until one is changed. Saving the cursor would make the saved profile, the fiche
    de liaison and the "finished" flag stop at the question being looked at.
    """
    return state if state.cursor is None else state.model_copy(update={"cursor": None})


class AdvisorScreen(ConversationScreen):
    """A session run side by side; every accepted answer is saved (with consent)."""

    BINDINGS = [Binding("f3", "sessions", strings.KEY_SESSIONS, id="sessions")]
    NOTES_DELAY = 0.5  # seconds without typing before the notes are saved (shorter in tests)

    # Notices go to the top, under the title line: at the bottom (Textual's default) they
    # covered the panel's export and delete buttons.
    DEFAULT_CSS = """
    AdvisorScreen > ToastRack { dock: top; align: right top; margin: 1 0 0 0; }
    """

    def __init__(
        self,
        engine: Engine,
        store: Store | None,
        session_id: str | None,
        state: State | None = None,
        notes: str = "",
        *,
        revision: int | None = None,
    ) -> None:
        super().__init__(engine, state)
        self.store = store
        self.session_id = session_id
        self.revision = revision
        self.panel = AdvisorPanel(engine, notes, saved=session_id is not None)
        self.notes = notes
        self._notes_saved = notes
        self._notes_timer: Timer | None = None
        self._correcting = False
        self._unsaved = False
        self._leave_asked = False

    def compose(self) -> ComposeResult:
        yield TitleBar(strings.ADV_TITLE)
        with Horizontal(id="advisor"):
            yield self.chat
            yield self.panel
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.panel.refresh_from(self.state)

    @property
    def saving(self) -> bool:
        """True while answers are kept (consent given, session not deleted)."""
        return self.store is not None and self.session_id is not None

    @property
    def quit_note(self) -> str:
        """What quitting means for this session, said in the quit dialog."""
        if not self.saving:
            return strings.ADV_QUIT_NOT_KEPT
        return strings.ADV_SAVE_FAILED_HEADER if self._unsaved else strings.ADV_QUIT_KEPT

    # --- saving ------------------------------------------------------------------------

    def _write(self, write: Callable[[Store, str], int], failed: str) -> bool:
        """Run one store write with the revision this screen last saw; say if it failed."""
        from conseiller.store import ConflictError, StoreError

        if self.store is None or self.session_id is None:
            return False
        try:
            self.revision = write(self.store, self.session_id)
        except ConflictError:
            self._failed(strings.ADV_CONFLICT)
            return False
        except StoreError as exc:
            self._failed(failed.format(reason=exc))
            return False
        if self._unsaved:
            self._unsaved = False
            self._leave_asked = False
            if self.panel.is_attached:
                self.panel.set_saved_state(strings.ADV_SAVED, saved=True)
                self.panel.set_status("")
        return True

    def _failed(self, message: str) -> None:
        """Nothing on screen is lost; the advisor is told what was not saved."""
        self._unsaved = True
        if self.panel.is_attached:
            self.panel.set_saved_state(strings.ADV_SAVE_FAILED_HEADER, saved=False)
            self.panel.set_status(message, error=True)
        self.notify(strip_controls(message), severity="error", markup=False, timeout=10)

    def _save(self, state: State) -> bool:
        if not self.saving:
            return False
        kept = answers_of(state)
        finished = isinstance(self.engine.view(kept).current, EndNode)
        notes = self.notes
        saved = self._write(
            lambda store, sid: store.save(
                sid, kept.to_json(), finished=finished, notes=notes, revision=self.revision
            ),
            strings.ADV_SAVE_FAILED,
        )
        if saved:
            self._notes_saved = notes
        return saved

    def _save_notes(self) -> None:
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        notes = self.notes
        if not self.saving or notes == self._notes_saved:
            return
        if self._write(
            lambda store, sid: store.save_notes(sid, notes, revision=self.revision),
            strings.ADV_NOTES_FAILED,
        ):
            self._notes_saved = notes

    @on(ChatView.Answered)
    async def _answered(self, event: ChatView.Answered) -> None:
        self._save(event.state)
        # Without consent (or once deleted) nothing typed is kept, not even in the log of
        # phrases not understood.
        if event.text is not None and self.saving:
            self.post_message(AnswerGiven(event.state, event.text, event.understood))
        await self.panel.refresh_from(event.state)

    @on(ChatView.Finished)
    def _finished(self, event: ChatView.Finished) -> None:
        self._save(event.state)
        if not self._correcting:  # a correction from the panel updates it, no screen jump
            self.post_message(ShowResults(self.engine, event.state))

    @on(AdvisorPanel.NotesChanged)
    def _notes(self, event: AdvisorPanel.NotesChanged) -> None:
        self.notes = event.notes
        if self._notes_timer is not None:
            self._notes_timer.stop()
        self._notes_timer = self.set_timer(self.NOTES_DELAY, self._save_notes)

    @on(ChatView.Moved)
    async def _moved(self, event: ChatView.Moved) -> None:
        """Looking back changes no answer: the panel keeps showing all of them."""
        await self.panel.refresh_from(_every_answer(event.state))

    @on(AdvisorPanel.NeedsChanged)
    async def _needs(self, event: AdvisorPanel.NeedsChanged) -> None:
        confirm = next((n for n in self.engine.flow.nodes if isinstance(n, ConfirmNode)), None)
        if confirm is None:
            return
        try:  # wherever the chat is looking, the correction applies to every answer given
            base = _every_answer(self.state)
            state = self.engine.answer(self.engine.edit(base, confirm.id), event.needs)
        except AnswerError:
            return
        self._save(state)
        self._correcting = True
        try:
            await self.chat.replace_state(state)
            await self.panel.refresh_from(state)
        finally:
            self.call_after_refresh(setattr, self, "_correcting", False)

    # --- actions -----------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id
        if bid not in ("handoff", "export-mine", "delete"):
            return
        event.stop()
        if bid == "delete":
            self.ask_delete()
        else:
            self._export(with_notes=bid == "export-mine")

    def ask_delete(self) -> None:
        """Delete the session once the advisor has said yes."""
        from conseiller.tui.screens.sessions import ConfirmScreen

        if not self.saving:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._delete()

        self.app.push_screen(
            ConfirmScreen(
                strings.ADV_DELETE_QUESTION, strings.ADV_DELETE_YES, strings.ADV_DELETE_NO
            ),
            done,
        )

    def _delete(self) -> None:
        from conseiller.store import StoreError

        if self.store is None or self.session_id is None:
            return
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        try:
            result = self.store.delete(self.session_id)
        except StoreError as exc:
            message = strings.ADV_DELETE_FAILED.format(reason=exc)
            self.panel.set_status(message, error=True)
            self.notify(strip_controls(message), severity="error", markup=False)
            return
        self.store = None
        self.session_id = None
        self.revision = None
        self._unsaved = False
        self.panel.set_saved_state(strings.ADV_DELETED_HEADER, saved=False)
        self.panel.disable_actions()
        if result.undeleted_files:
            self.panel.set_status(
                strings.ADV_DELETED_LEFT.format(paths=", ".join(result.undeleted_files)), error=True
            )
        else:
            self.panel.set_status("")  # the line at the top says it

    def _export(self, *, with_notes: bool) -> None:
        """Write the fiche from every answer on screen, recorded with the session."""
        from conseiller.sessions import export_handoff, open_session
        from conseiller.store import StoreError

        if self.store is None or self.session_id is None:
            return
        self._save_notes()
        self._save(self.state)
        try:
            record = self.store.get(self.session_id)
            if record is None:
                raise StoreError(strings.SESSIONS_UNKNOWN.format(id=self.session_id))
            # What is on screen, even if the last save failed: the fiche drops nothing.
            record = dataclasses.replace(
                record, state=answers_of(self.state).to_json(), notes=self.notes
            )
            opened = open_session(self.engine.catalog, record)
            # Recorded with the session: deleting the session deletes the files.
            md, _ = export_handoff(
                self.engine.catalog,
                opened,
                self.conseiller.exports_dir,
                with_notes=with_notes,
                store=self.store,
            )
        except (StoreError, OSError) as exc:
            if isinstance(exc, StoreError):
                message = strings.ADV_EXPORT_FAILED.format(reason=exc)
            else:
                message = strings.ADV_EXPORT_OS_FAILED.format(
                    folder=self.conseiller.exports_dir, reason=exc.strerror or exc
                )
            self.panel.set_status(message, error=True)
            self.notify(strip_controls(message), severity="error", markup=False)
            return
        # Shown in the panel, above the buttons: a notice there would cover them.
        self.panel.set_status(strings.ADV_EXPORTED.format(md=md))

    def action_sessions(self) -> None:
        """Back to the list of sessions (asks twice if something is not saved)."""
        self._save_notes()
        if self._unsaved and not self._leave_asked:
            self._leave_asked = True
            self.notify(strings.ADV_LEAVE_UNSAVED, severity="warning", markup=False)
            return
        self.post_message(ShowSessions())

    def on_unmount(self) -> None:
        self._save_notes()


def _every_answer(state: State) -> State:
    """The same answers, read to the end rather than where the chat is looking."""
    return state.model_copy(update={"cursor": None})
