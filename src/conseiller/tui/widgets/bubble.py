"""Chat bubbles: the advisor's messages and the person's answers, user text shown literally."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from conseiller import strings
from conseiller.normalize import strip_controls

MAX_SHOWN = 4000


def literal(text: str) -> Content:
    """User or content text as plain Content: never parsed as markup, controls removed."""
    clean = strip_controls(text)
    if len(clean) > MAX_SHOWN:
        clean = clean[:MAX_SHOWN] + "…"
    return Content(clean)


def literal_text(text: str) -> Text:
    """The same as `literal`, as Rich Text, for widgets that take Rich renderables (DataTable
    cells, Select options): a `str` there would be read as markup."""
    return Text(literal(text).plain, end="")


class AdvisorBubble(Static):
    """What the advisor says."""

    def __init__(self, text: str, *, classes: str = "") -> None:
        super().__init__(literal(text), classes=f"bubble advisor {classes}".strip())


class AnswerRow(Horizontal):
    """What the person answered, on the other side, with a button to change it."""

    def __init__(self, text: str, node_id: str | None, *, editable: bool = True) -> None:
        super().__init__(classes="answer-row")
        self._text = text
        self._node_id = node_id
        self._editable = editable

    def compose(self) -> ComposeResult:
        yield Static(literal(self._text), classes="bubble person")
        if self._editable and self._node_id:
            yield Button(
                literal(strings.UI_EDIT), id=f"edit--{self._node_id}", classes="edit", compact=True
            )
