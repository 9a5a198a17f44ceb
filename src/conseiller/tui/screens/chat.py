"""The holder's conversation screen: the chat, a header and the keys."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult

from conseiller.tui.messages import AnswerGiven, ShowResults
from conseiller.tui.screens.base import ConversationScreen
from conseiller.tui.widgets.chat import ChatView
from conseiller.tui.widgets.footer import KeyBar
from conseiller.tui.widgets.titlebar import TitleBar


class ChatScreen(ConversationScreen):
    """One question at a time, the answers so far above it."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        if self.conseiller.kiosk:
            from conseiller.tui.screens.kiosk import KioskBar

            yield KioskBar(id="kiosk-bar")
        yield self.chat
        yield KeyBar()

    async def action_back(self) -> None:
        """Back one question (used when leaving the results)."""
        await self.chat.action_back()

    @on(ChatView.Answered)
    def _answered(self, event: ChatView.Answered) -> None:
        self.post_message(AnswerGiven(event.state, event.text, event.understood))

    @on(ChatView.Finished)
    def _finished(self, event: ChatView.Finished) -> None:
        self.post_message(ShowResults(self.engine, event.state))
