"""Advisor mode: the holder's chat on the left, the advisor's panel on the right; autosave."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button

from conseiller import strings
from conseiller.engine import AnswerError, Engine, State
from conseiller.schema import ConfirmNode, EndNode
from conseiller.tui.screens.base import ConversationScreen
from conseiller.tui.widgets.chat import ChatView
from conseiller.tui.widgets.footer import KeyBar
from conseiller.tui.widgets.panel import AdvisorPanel
from conseiller.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from conseiller.store import Store


class AdvisorScreen(ConversationScreen):
    """A session run side by side; every accepted answer is saved (with consent)."""

    BINDINGS = [Binding("f3", "sessions", strings.KEY_SESSIONS, id="sessions")]

    def __init__(
        self,
        engine: Engine,
        store: Store | None,
        session_id: str | None,
        state: State | None = None,
        notes: str = "",
    ) -> None:
        super().__init__(engine, state)
        self.store = store
        self.session_id = session_id
        self.panel = AdvisorPanel(engine, notes, saved=session_id is not None)
        self.notes = notes
        self._notes_timer: Timer | None = None
        self._correcting = False

    def compose(self) -> ComposeResult:
        yield TitleBar(strings.ADV_TITLE)
        with Horizontal(id="advisor"):
            yield self.chat
            yield self.panel
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.panel.refresh_from(self.state)

    # --- saving ------------------------------------------------------------------------

    def _save(self, state: State) -> None:
        if self.store is not None and self.session_id is not None:
            finished = isinstance(self.engine.view(state).current, EndNode)
            self.store.save(self.session_id, state.to_json(), finished=finished,
                            notes=self.notes)

    def _save_notes(self) -> None:
        if self.store is not None and self.session_id is not None:
            self.store.save_notes(self.session_id, self.notes)

    @on(ChatView.Answered)
    async def _answered(self, event: ChatView.Answered) -> None:
        self._save(event.state)
        if event.text is not None:
            self.conseiller.on_free_text(event.text, event.understood)
        await self.panel.refresh_from(event.state)

    @on(ChatView.Finished)
    def _finished(self, event: ChatView.Finished) -> None:
        self._save(event.state)
        if not self._correcting:  # a correction from the panel updates it, no screen jump
            self.conseiller.show_results(self.engine, event.state)

    @on(AdvisorPanel.NotesChanged)
    def _notes(self, event: AdvisorPanel.NotesChanged) -> None:
        self.notes = event.notes
        if self._notes_timer is not None:
            self._notes_timer.stop()
        self._notes_timer = self.set_timer(0.5, self._save_notes)

    @on(AdvisorPanel.NeedsChanged)
    async def _needs(self, event: AdvisorPanel.NeedsChanged) -> None:
        confirm = next((n for n in self.engine.flow.nodes if isinstance(n, ConfirmNode)), None)
        if confirm is None:
            return
        try:
            state = self.engine.answer(self.engine.edit(self.state, confirm.id), event.needs)
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
            self._delete()
        else:
            self._export(with_notes=bid == "export-mine")

    def _delete(self) -> None:
        if self.store is not None and self.session_id is not None:
            self.store.delete(self.session_id)
        self.session_id = None
        self.notify(strings.ADV_DELETED, markup=False)
        for bid in ("#handoff", "#export-mine", "#delete"):
            self.query_one(bid, Button).disabled = True

    def _export(self, *, with_notes: bool) -> None:
        from conseiller.sessions import export_handoff, open_session

        if self.store is None or self.session_id is None:
            return
        self._save(self.state)
        record = self.store.get(self.session_id)
        if record is None:
            return
        opened = open_session(self.engine.catalog, record)
        md, _ = export_handoff(self.engine.catalog, opened, self.conseiller.exports_dir,
                               with_notes=with_notes)
        self.notify(strings.ADV_EXPORTED.format(md=md), markup=False, timeout=8)

    def action_sessions(self) -> None:
        """Back to the list of sessions (this one is already saved)."""
        self._save_notes()
        self.conseiller.show_sessions()

    def on_unmount(self) -> None:
        self._save_notes()
