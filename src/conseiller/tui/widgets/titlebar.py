"""A one-line title bar (Textual's Header watches the app and outlives its screen)."""

from __future__ import annotations

from textual.widgets import Static

from conseiller import strings
from conseiller.tui.widgets.bubble import literal


class TitleBar(Static):
    """The app's name and what this screen is for; holds no reference outside its screen."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top; width: 100%; height: 1; content-align: center middle;
        background: $panel; color: $foreground; text-style: bold;
    }
    """

    def __init__(self, subtitle: str = strings.UI_SUBTITLE) -> None:
        super().__init__(literal(f"{strings.UI_TITLE} — {subtitle}"), classes="titlebar")
