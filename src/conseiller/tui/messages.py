"""What screens ask of the app, as messages that bubble up (screens never call the app)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from conseiller.engine import Engine, State


@dataclass
class ShowResults(Message):
    """The conversation reached its end: show what it came to."""

    engine: Engine
    state: State


@dataclass
class AnswerGiven(Message):
    """An answer was accepted (typed words and whether they were understood, if any)."""

    state: State
    text: str | None
    understood: bool


@dataclass
class ShowUrgence(Message):
    """Distress was read: the help lines first, those of these kinds at the top."""

    kinds: tuple[str, ...] = ()


@dataclass
class BackFromResults(Message):
    """Leave the results for the last question."""


@dataclass
class Restart(Message):
    """Forget this conversation and start again (the advisor: back to the sessions)."""


@dataclass
class RequestQuit(Message):
    """Quit, after a confirmation (the kiosk: wipe instead)."""


@dataclass
class ShowSessions(Message):
    """The advisor's list of saved sessions."""
