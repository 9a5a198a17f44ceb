"""Needs to tick: « [x] » or « [ ] » before each label, seen without colour, arrows between."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox

from conseiller import strings

TICKED = "[x]"
UNTICKED = "[ ]"


class NeedBox(Checkbox):
    """A checkbox whose state is a shape and a text (« [x] » / « [ ] »), not only a colour.

    Textual's draws ▐X▌ both ways, a pale X when unticked; in a Linux console and with
    NO_COLOR the two looked the same. Brackets and an x render everywhere.
    """

    DEFAULT_CSS = """
    NeedBox { width: 100%; }
    NeedBox > .toggle--button { color: $foreground; background: transparent; text-style: bold; }
    NeedBox.-on > .toggle--button { color: $foreground; background: transparent; }
    """

    BINDINGS = [Binding("enter,space", "toggle_button", strings.TUI_KEY_TICK, show=False)]

    @property
    def _button(self) -> Content:
        return Content.styled(
            TICKED if self.value else UNTICKED, self.get_visual_style("toggle--button")
        )


class NeedsList(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The list of needs: never a focus stop of its own, and the arrow keys go to the boxes
    (a scrolling list took them to scroll instead); it scrolls to the focused box."""

    DEFAULT_CSS = "NeedsList { height: auto; }"
