"""The holder's conversation screen: the chat, a header and the keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from conseiller.engine import Engine, State
from conseiller.tui.widgets.chat import ChatView
from conseiller.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from conseiller.tui.app import ConseillerApp


class ChatScreen(Screen[None]):
    """One question at a time, the answers so far above it."""

    def __init__(self, engine: Engine, state: State | None = None) -> None:
        super().__init__()
        self.chat = ChatView(engine, state)

    @property
    def engine(self) -> Engine:
        """The engine of the conversation."""
        return self.chat.engine

    @property
    def state(self) -> State:
        """The conversation so far."""
        return self.chat.state

    @property
    def conseiller(self) -> ConseillerApp:
        """The app, typed."""
        from conseiller.tui.app import ConseillerApp

        assert isinstance(self.app, ConseillerApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield TitleBar()
        if self.conseiller.mode == "kiosk":
            from conseiller.tui.screens.kiosk import KioskBar

            yield KioskBar(id="kiosk-bar")
        yield self.chat
        yield Footer()

    async def action_back(self) -> None:
        """Back one question (used when leaving the results)."""
        await self.chat.action_back()

    @on(ChatView.Answered)
    def _answered(self, event: ChatView.Answered) -> None:
        self.conseiller.on_answer(event.state)
        if event.text is not None:
            self.conseiller.on_free_text(event.text, event.understood)

    @on(ChatView.Finished)
    def _finished(self, event: ChatView.Finished) -> None:
        self.conseiller.show_results(self.engine, event.state)

    @on(ChatView.Urgent)
    def _urgent(self) -> None:
        self.conseiller.show_urgence()
