"""Chat bubbles: the advisor's messages and the person's answers, user text shown literally."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from conseiller import strings
from conseiller.glossary import segments
from conseiller.normalize import strip_controls
from conseiller.schema import Term
from conseiller.typography import french

MAX_SHOWN = 4000


def literal(text: str) -> Content:
    """Content or UI text as plain Content, in French typography (no-break spaces before
    « ; : ! ? » and inside guillemets): never parsed as markup, controls removed."""
    return Content(french(verbatim(text).plain))


def verbatim(text: str) -> Content:
    """What a person typed, as typed: plain Content, never markup, controls removed."""
    clean = strip_controls(text)
    if len(clean) > MAX_SHOWN:
        clean = clean[:MAX_SHOWN] + "…"
    return Content(clean)


def literal_text(text: str) -> Text:
    """The same as `literal`, as Rich Text, for widgets that take Rich renderables (DataTable
    cells, Select options): a `str` there would be read as markup."""
    return Text(verbatim(text).plain, end="")


GLOSSARY_MARK = " (?)"


def with_glossary(text: str, terms: Sequence[Term], explained: set[str]) -> Content:
    """`literal(text)` where the first use of each glossary term not yet in `explained` is
    underlined and followed by « (?) »: F1 or ? explains it (the help lists the terms)."""
    shown = literal(text).plain
    pieces = segments(shown, terms, explained)
    return Content.assemble(
        *(
            (piece, "")
            if term is None
            else Content.assemble((piece, "underline"), (GLOSSARY_MARK, "bold"))
            for piece, term in pieces
        )
    )


class AdvisorBubble(Static):
    """What the advisor says (`shown`: the text already marked, e.g. by `with_glossary`)."""

    def __init__(self, text: str, *, classes: str = "", shown: Content | None = None) -> None:
        super().__init__(
            shown if shown is not None else literal(text),
            classes=f"bubble advisor {classes}".strip(),
        )


class AnswerRow(Horizontal):
    """What the person answered, on the other side, with a button to change it (`typed`:
    words the person typed, shown as typed; otherwise a label of the content, typeset)."""

    def __init__(
        self, text: str, node_id: str | None, *, editable: bool = True, typed: bool = True
    ) -> None:
        super().__init__(classes="answer-row")
        self._text = text
        self._node_id = node_id
        self._editable = editable
        self._typed = typed

    def compose(self) -> ComposeResult:
        shown = verbatim(self._text) if self._typed else literal(self._text)
        yield Static(shown, classes="bubble person")
        if self._editable and self._node_id:
            yield Button(
                literal(strings.UI_EDIT), id=f"edit--{self._node_id}", classes="edit", compact=True
            )
