"""Kiosk mode: the holder's app locked down, forgetting each visitor, reset when left idle."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding

from conseiller import strings
from conseiller.kiosk import Lockout
from conseiller.tui.app import ConseillerApp

if TYPE_CHECKING:
    from conseiller.catalog import Catalog
    from conseiller.engine import Engine, State
    from conseiller.stats import Stats

ACTIVITY = (events.Key, events.MouseDown, events.MouseUp, events.Click, events.Paste,
            events.MouseScrollDown, events.MouseScrollUp)


class KioskApp(ConseillerApp):
    """Nothing quits or escapes; F12 and the staff PIN are the only way out."""

    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f12", "staff", strings.KEY_STAFF, id="staff"),
        *(Binding(key, "nothing", show=False, priority=True, system=True)
          for key in ("ctrl+q", "ctrl+c", "ctrl+z", "ctrl+backslash", "ctrl+p", "escape",
                      "ctrl+s", "ctrl+d")),
    ]

    def __init__(
        self,
        source: Catalog | Callable[[], Catalog],
        *,
        data: Path | None = None,
        theme_name: str = "defaut",
        idle: float = 180.0,
        countdown: int = 30,
        stats: bool = False,
    ) -> None:
        super().__init__(source, theme_name=theme_name, data=data, mode="kiosk")
        self.idle = idle
        self.countdown = countdown
        self._last_input = time.monotonic()
        self._idle_shown = False
        self.lockout = Lockout()
        self._stats: Stats | None = None
        self._collect_stats = stats

    def on_mount(self) -> None:
        super().on_mount()
        self.add_class("-kiosk")
        self.set_interval(1.0, self._check_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            self._last_input = time.monotonic()
        await super().on_event(event)

    # --- idle reset --------------------------------------------------------------------

    def _check_idle(self) -> None:
        from conseiller.tui.screens.welcome import WelcomeScreen

        if self._idle_shown or isinstance(self.screen, WelcomeScreen):
            self._last_input = time.monotonic()
            return
        if time.monotonic() - self._last_input >= self.idle:
            self.show_idle()

    def show_idle(self) -> None:
        """Ask 'Vous êtes toujours là ?' and wipe everything if nobody answers."""
        from conseiller.tui.screens.kiosk import IdleScreen

        self._idle_shown = True

        def done(expired: bool | None) -> None:
            self._idle_shown = False
            self._last_input = time.monotonic()
            if expired:
                self.action_wipe()

        self.push_screen(IdleScreen(self.countdown), done)

    def action_wipe(self) -> None:
        """Forget this visitor: every screen goes, the welcome screen comes back."""
        from conseiller.tui.screens.welcome import WelcomeScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        # Textual's renderer records the screens on view in a context variable, and every
        # task started here copies it: the welcome screen would keep the last visitor's
        # screens (and their words) alive in memory. Start it from a context without them.
        from textual._context import visible_screen_stack

        fresh = contextvars.copy_context()
        fresh.run(visible_screen_stack.set, [])
        fresh.run(self.push_screen, WelcomeScreen())
        self._last_input = time.monotonic()

    # --- locked doors ------------------------------------------------------------------

    def action_nothing(self) -> None:
        """Keys that would quit, suspend or open tools do nothing at the kiosk."""

    async def action_quit(self) -> None:
        """Quitting is for staff only (F12)."""

    def action_request_quit(self) -> None:
        """The results' 'Quitter' button erases instead."""
        self.action_wipe()

    def action_suspend_process(self) -> None:
        """No suspending to a shell."""

    def action_command_palette(self) -> None:
        """No command palette."""

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """No browser is opened on the kiosk machine."""

    def action_staff(self) -> None:
        """F12: the staff PIN."""
        from conseiller.tui.screens.kiosk import PinScreen

        if isinstance(self.screen, PinScreen):
            return

        def done(ok: bool | None) -> None:
            if ok:
                self.exit()

        self.push_screen(PinScreen(self.data, self.lockout), done)

    # --- results -----------------------------------------------------------------------

    def show_results(self, engine: Engine, state: State) -> None:
        """Results as usual, plus an anonymous count when --stats was given."""
        super().show_results(engine, state)
        if self._collect_stats:
            from conseiller.recommend import recommend
            from conseiller.stats import Stats

            if self._stats is None:
                self._stats = Stats(self.data)
            profile = engine.profile(state)
            rec = recommend(engine.catalog, profile)
            dept = profile.get("departement")
            self._stats.record(rec.needs, [p.format.id for p in rec.formats],
                               dept if isinstance(dept, str) else None)

    def on_free_text(self, text: str, understood: bool) -> None:
        """The kiosk keeps no phrase."""
