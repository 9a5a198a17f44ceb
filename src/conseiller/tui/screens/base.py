"""What every screen of the app shares: the typed app, and for chats the conversation."""

from __future__ import annotations

from typing import cast

from textual import on
from textual.screen import Screen

from conseiller.engine import Engine, State
from conseiller.schema import Term
from conseiller.tui.messages import ShowUrgence
from conseiller.tui.protocols import ConseillerAppLike
from conseiller.tui.widgets.chat import ChatView


class AppScreen(Screen[None]):
    """A screen of conseiller's app; it asks the app for things by posting messages."""

    @property
    def conseiller(self) -> ConseillerAppLike:
        """What a screen may read of the app (kiosk or not, data folder, content)."""
        return cast(ConseillerAppLike, self.app)


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

    @property
    def glossary_shown(self) -> list[Term]:
        """The glossary terms marked « (?) » in the conversation (the help explains them)."""
        return self.chat.terms_shown

    @on(ChatView.Urgent)
    def _urgent(self, message: ChatView.Urgent) -> None:
        self.post_message(ShowUrgence(message.kinds))
