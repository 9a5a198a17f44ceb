"""Small modal screens: help, quit confirmation, help lines, about."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.scalar import Scalar
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Static

from conseiller import strings
from conseiller.glossary import explain
from conseiller.schema import AboutFile, Term, Urgence
from conseiller.tui.protocols import is_kiosk
from conseiller.tui.widgets.bubble import literal


class _Dialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "dismiss(False)", strings.UI_CLOSE),
        # The focus sits on a button: the keys that scroll still move the body.
        Binding("pagedown", "scroll_body('page_down')", strings.REVIEW_KEY_SCROLL, show=False),
        Binding("pageup", "scroll_body('page_up')", strings.REVIEW_KEY_SCROLL, show=False),
        Binding("down", "scroll_body('down')", strings.REVIEW_KEY_SCROLL, show=False),
        Binding("up", "scroll_body('up')", strings.REVIEW_KEY_SCROLL, show=False),
    ]

    def action_scroll_body(self, how: str) -> None:
        """Scroll the dialog's text (help, about…), wherever the focus is."""
        for body in self.query(".body").results(VerticalScroll):
            getattr(body, f"scroll_{how}")()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """The scrolling body gets what the screen has left, so the dialog's buttons are
        always on screen (at 60×20 too) and the body scrolls instead."""
        for body in self.query(".body"):
            dialog = body.parent
            if not isinstance(dialog, Widget):
                continue
            others = sum(
                w.outer_size.height + w.styles.margin.height
                for w in dialog.children
                if w is not body and w.display
            )
            frame = dialog.styles.gutter.height
            room = int(self.size.height * 0.9) - others - frame
            if body.styles.max_height != Scalar.from_number(max(3, room)):
                body.styles.max_height = max(3, room)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class HelpScreen(_Dialog):
    """The keys, in plain words."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            with VerticalScroll(classes="body"):
                # First the words marked « (?) » on the screen below, explained.
                terms = self._terms_below()
                if terms:
                    yield Static(literal(strings.TUI_GLOSSARY_TITLE), classes="title glossary")
                    for term in terms:
                        yield Static(literal(explain(term)), classes="term")
                yield Static(literal(strings.UI_HELP_TITLE), classes="title")
                # The kiosk lists only what works there: no Échap, no Ctrl+Q.
                kiosk = is_kiosk(self.app)
                for keys, what in strings.UI_HELP_KEYS_KIOSK if kiosk else strings.UI_HELP_KEYS:
                    yield Static(literal(f"{keys} : {what}"))
                    if keys == "Entrée":  # right after Enter: Space ticks a need
                        yield Static(literal(" : ".join(strings.TUI_HELP_TICK)), id="help-tick")
                yield Static(literal(strings.UI_HELP_MOUSE))
            yield Button(literal(strings.UI_CLOSE), id="no", variant="primary")

    def _terms_below(self) -> list[Term]:
        below = [s for s in self.app.screen_stack if s is not self and not isinstance(s, _Dialog)]
        terms = getattr(below[-1], "glossary_shown", None) if below else None
        return list(terms) if isinstance(terms, list) else []

    def on_mount(self) -> None:
        self.query_one(Button).focus()


class QuitScreen(_Dialog):
    """Quit only after a clear yes (with a word on what is kept, in advisor mode)."""

    def __init__(self, question: str = strings.UI_QUIT_QUESTION, note: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question), classes="title")
            if self.note:
                yield Static(literal(self.note), id="quit-note")
            with Horizontal(classes="buttons"):
                yield Button(literal(strings.UI_QUIT_NO), id="no", variant="primary")
                yield Button(literal(strings.UI_QUIT_YES), id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()


class UrgenceScreen(_Dialog):
    """The national help lines, shown first when a message speaks of danger."""

    def __init__(self, urgence: Urgence, kinds: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.urgence = urgence
        self.kinds = kinds

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog urgence"):
            with VerticalScroll(classes="body"):
                yield Static(literal(self.urgence.title), classes="title")
                yield Static(literal(self.urgence.intro), classes="intro")
                for line in self.urgence.lines_for(self.kinds):
                    yield Static(literal(f"{line.number}  —  {line.label}"), classes="helpline")
            yield Button(literal(strings.UI_CONTINUE), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()


class AboutScreen(_Dialog):
    """Where the content comes from and how to report an error."""

    def __init__(self, about: AboutFile) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog about"):
            yield Static(literal(self.about.title), classes="title")
            with VerticalScroll(classes="body"):
                yield Static(literal(self.about.text))
                yield Static(literal(self.about.report), classes="privacy")
            yield Button(literal(strings.UI_CLOSE), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()
