"""What every screen of the app shares: the typed app, and for chats the conversation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen

from conseiller.engine import Engine, State
from conseiller.tui.widgets.chat import ChatView

if TYPE_CHECKING:
    from conseiller.tui.app import ConseillerApp


class AppScreen(Screen[None]):
    """A screen of conseiller's app."""

    @property
    def conseiller(self) -> ConseillerApp:
        """The app, typed."""
        from conseiller.tui.app import ConseillerApp

        assert isinstance(self.app, ConseillerApp)
        return self.app


class ConversationScreen(AppScreen):
    """A screen holding a ChatView; help lines are shown first when it raises urgence."""

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

    @on(ChatView.Urgent)
    def _urgent(self, message: ChatView.Urgent) -> None:
        self.conseiller.show_urgence(message.kinds)
