"""The first screen: what this is, how long it takes, what happens to the answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from conseiller import strings
from conseiller.tui.protocols import is_kiosk
from conseiller.tui.widgets.bubble import literal
from conseiller.tui.widgets.footer import KeyBar
from conseiller.tui.widgets.titlebar import TitleBar


class WelcomeScreen(Screen[None]):
    """Welcome, and a big start button."""

    AUTO_FOCUS = "#start"  # focused once composed (a screen replaced at once has no button)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="welcome"):
            yield Static(literal(strings.UI_WELCOME_TITLE), classes="title")
            yield Static(literal(strings.UI_WELCOME_TEXT), classes="text")
            # The kiosk keeps nothing: the QR code of the results is the take-away.
            kiosk = is_kiosk(self.app)
            privacy = strings.UI_WELCOME_PRIVACY_KIOSK if kiosk else strings.UI_WELCOME_PRIVACY
            yield Static(literal(privacy), classes="privacy")
            with Center(), Horizontal(classes="buttons"):
                yield Button(literal(strings.UI_START), id="start", variant="primary")
                yield Button(literal(strings.UI_ABOUT), id="about")
        yield KeyBar()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.app.call_later(self.app.run_action, "start")
        elif event.button.id == "about":
            self.app.call_later(self.app.run_action, "about")
