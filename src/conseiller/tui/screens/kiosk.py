"""Kiosk screens: the idle countdown, the staff PIN, and the always-visible erase button."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from conseiller import strings
from conseiller.kiosk import FIELD_LENGTH, Lockout, check_pin
from conseiller.tui.widgets.bubble import literal, verbatim


class KioskBar(Horizontal):
    """'Terminer et effacer', always on screen in kiosk mode."""

    def compose(self) -> ComposeResult:
        yield Button(literal(strings.KIOSK_END), id="kiosk-end", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "kiosk-end":
            event.stop()
            self.app.call_later(self.app.run_action, "wipe")


@dataclass(frozen=True)
class QrPage:
    """One code to scan: what it holds, in words, and the text it encodes."""

    title: str
    text: str


class QrScreen(ModalScreen[None]):
    """The take-away as QR codes alone on the screen, one page at a time: the whole summary
    first when the screen can hold it, then one code per contact website (a phone offers to
    open a code only when it is one address). ← and → turn the pages; nothing is ever cut."""

    BINDINGS = [
        Binding("left", "turn(-1)", strings.TUI_QR_PREVIOUS, show=False),
        Binding("right", "turn(1)", strings.TUI_QR_NEXT, show=False),
    ]

    def __init__(self, sites: list[QrPage], summary: QrPage | None = None) -> None:
        super().__init__()
        self.sites = sites
        self.summary = summary
        self.index = 0
        self.pages: list[QrPage] = list(sites)
        self.shown: str | None = None  # the text of the code on screen (None: no code)

    def compose(self) -> ComposeResult:
        with Vertical(id="qr-view"):
            yield Static(id="qr-hint")
            yield Static(id="qr-big", classes="qr")
            with Horizontal(id="qr-buttons"):
                yield Button(literal(strings.TUI_QR_PREVIOUS), id="qr-previous", compact=True)
                yield Button(literal(strings.TUI_QR_NEXT), id="qr-next", compact=True)
                yield Button(literal(strings.KIOSK_QR_CLOSE), id="qr-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#qr-close", Button).focus()
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def action_turn(self, step: int) -> None:
        """The previous or the next code."""
        if self.pages:
            self.index = (self.index + step) % len(self.pages)
            self._draw()

    def _hint(self, page: QrPage) -> str:
        lines = [strings.TUI_QR_PAGE.format(i=self.index + 1, n=len(self.pages), title=page.title)]
        if page is not self.summary:
            lines += [page.text, strings.TUI_QR_SITE]
        else:
            lines.append(strings.KIOSK_QR_AIM)
        return "\n".join(lines)

    def _draw(self) -> None:
        from conseiller.qr import qr_lines

        width, height = self.size.width, self.size.height
        hint, code = self.query_one("#qr-hint", Static), self.query_one("#qr-big", Static)
        # The whole summary comes first, but only where the screen holds its code.
        self.pages = list(self.sites)
        if self.summary is not None:
            try:
                lines = qr_lines(self.summary.text, border=1)
            except ValueError:  # too long for any QR code
                lines = []
            if lines and len(lines) + 3 + 1 <= height and len(lines[0]) <= width:
                self.pages.insert(0, self.summary)
        many = len(self.pages) > 1
        for button in self.query("#qr-previous, #qr-next").results(Button):
            button.display = many
        if not self.pages:
            self.shown = None
            hint.update(literal(strings.TUI_QR_NONE))
            code.display = False
            return
        self.index = min(self.index, len(self.pages) - 1)
        page = self.pages[self.index]
        text = self._hint(page)
        # Lines the hint takes once wrapped, the buttons' line: the code gets the rest.
        used = sum(max(1, -(-len(line) // max(width, 1))) for line in text.split("\n")) + 1
        lines = qr_lines(page.text, border=1)
        if len(lines) > height - used or len(lines[0]) > width:
            self.shown = None
            hint.update(literal(f"{text}\n{strings.KIOSK_QR_NO_ROOM}"))
            code.update("")
            code.display = False
            return
        # The screen around it is white: a one-module border inside the drawing is enough.
        self.shown = page.text
        hint.update(literal(text))
        code.update(verbatim("\n".join(lines)))
        code.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "qr-previous":
            self.action_turn(-1)
        elif event.button.id == "qr-next":
            self.action_turn(1)
        else:
            self.dismiss(None)


class IdleScreen(ModalScreen[bool]):
    """'Vous êtes toujours là ?' with a countdown; True when it runs out (then all is wiped)."""

    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.left = seconds
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(strings.KIOSK_IDLE_TITLE), classes="title")
            yield Static(literal(strings.KIOSK_IDLE_TEXT.format(n=self.left)), id="countdown")
            yield Button(literal(strings.KIOSK_IDLE_STAY), id="stay", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()
        self._timer = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            if self._timer is not None:
                self._timer.stop()
            self.dismiss(True)
            return
        self.query_one("#countdown", Static).update(
            literal(strings.KIOSK_IDLE_TEXT.format(n=self.left))
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss(False)


class PinScreen(ModalScreen[bool]):
    """Staff exit: the right PIN quits; a wrong one makes the next try wait longer.

    The wait belongs to the kiosk's `Lockout` (kept on disk), not to this screen: cancelling
    and pressing F12 again, or restarting the kiosk, shows the same wait.
    """

    def __init__(self, folder: Path, lockout: Lockout) -> None:
        super().__init__()
        self.folder = folder
        self.lockout = lockout
        self._timer: Timer | None = None
        self._wrong = False  # the last PIN tried here was wrong: say so once the wait ends

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(strings.KIOSK_STAFF_TITLE), classes="title")
            yield Static(literal(strings.KIOSK_STAFF_PROMPT))
            yield Input(password=True, id="pin", max_length=FIELD_LENGTH, restrict=r"[0-9]*")
            yield Static(id="pin-error", classes="error-text")
            with Horizontal(classes="buttons"):
                yield Button(literal(strings.KIOSK_STAFF_OK), id="ok", variant="error")
                yield Button(literal(strings.KIOSK_STAFF_CANCEL), id="cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()
        wait = self._wait()
        if wait > 0:
            self._show_wait(strings.KIOSK_STAFF_WAIT.format(n=wait))

    def _wait(self) -> int:
        """Whole seconds before a PIN may be tried (0: now)."""
        return math.ceil(self.lockout.remaining())

    def _show_wait(self, text: str) -> None:
        self.query_one("#pin-error", Static).update(literal(text))
        if self._timer is None:
            self._timer = self.set_interval(1.0, self._count_down)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(False)
        else:
            self._try()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try()

    def _try(self) -> None:
        field = self.query_one("#pin", Input)
        pin, field.value = field.value, ""
        wait = self._wait()
        if wait > 0:  # the PIN is not even checked
            self._show_wait(strings.KIOSK_STAFF_WAIT.format(n=wait))
            return
        if check_pin(self.folder, pin):
            self.lockout.reset()
            self.dismiss(True)
            return
        wait = math.ceil(self.lockout.fail())
        self._wrong = True
        self._show_wait(strings.KIOSK_STAFF_WRONG.format(n=wait))

    def _count_down(self) -> None:
        wait = self._wait()
        if wait > 0:
            self.query_one("#pin-error", Static).update(
                literal(strings.KIOSK_STAFF_WAIT.format(n=wait))
            )
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        # « Code incorrect » used to vanish after a second, leaving no trace of the failed try
        again = literal(strings.REVIEW5_PIN_AGAIN) if self._wrong else ""
        self.query_one("#pin-error", Static).update(again)
        self.query_one("#pin", Input).focus()
