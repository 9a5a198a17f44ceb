"""Kiosk screens: the idle countdown, the staff PIN, and the always-visible erase button."""

from __future__ import annotations

import math
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from conseiller import strings
from conseiller.kiosk import FIELD_LENGTH, Lockout, check_pin
from conseiller.tui.widgets.bubble import literal


class KioskBar(Horizontal):
    """'Terminer et effacer', always on screen in kiosk mode."""

    def compose(self) -> ComposeResult:
        yield Button(literal(strings.KIOSK_END), id="kiosk-end", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "kiosk-end":
            event.stop()
            self.app.call_later(self.app.run_action, "wipe")


class QrScreen(ModalScreen[None]):
    """The take-away QR code alone on the screen, as large as it fits, to scan with a phone."""

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts  # the full summary first, then shorter ones for small screens
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="qr-view"):
            yield Static(id="qr-hint")
            yield Static(id="qr-big", classes="qr")
            yield Button(literal(strings.KIOSK_QR_CLOSE), id="qr-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#qr-close", Button).focus()
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        from conseiller.qr import qr_fitting

        # One line for the hint and one for the button; the code takes the rest. The screen
        # around it is white, so a one-module border inside the drawing is quiet zone enough.
        fitting = qr_fitting(self.texts, self.size.height - 2, self.size.width, border=1)
        hint, code = self.query_one("#qr-hint", Static), self.query_one("#qr-big", Static)
        if fitting is None:
            self.shown = None
            hint.update(literal(strings.KIOSK_QR_NO_ROOM))
            code.update("")
            code.display = False
            return
        self.shown, lines = fitting
        short = self.shown != self.texts[0]
        hint.update(literal(strings.KIOSK_QR_SHORT if short else strings.KIOSK_QR_AIM))
        code.update(literal("\n".join(lines)))
        code.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
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
        self.query_one("#pin-error", Static).update("")
        self.query_one("#pin", Input).focus()
