"""Kiosk mode: the shared base locked down, forgetting each visitor, reset when left idle."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Unpack

from textual import events
from textual.binding import Binding

from conseiller import strings
from conseiller.kiosk import Lockout
from conseiller.tui.app import AppOptions, BaseApp
from conseiller.tui.compat import (
    Failure,
    describe,
    forget_rendered_text,
    without_visible_screens,
)

if TYPE_CHECKING:
    from conseiller.catalog import Catalog
    from conseiller.conversation import Outcome
    from conseiller.stats import Stats

ACTIVITY = (
    events.Key,
    events.MouseDown,
    events.MouseUp,
    events.Click,
    events.Paste,
    events.MouseScrollDown,
    events.MouseScrollUp,
)


class KioskApp(BaseApp):
    """Nothing quits or escapes; F12 and the staff PIN are the only way out."""

    ENABLE_COMMAND_PALETTE = False
    kiosk: ClassVar[bool] = True
    guard_errors = True  # no error ends the kiosk: it is logged, then all is wiped
    BINDINGS = [
        Binding("f12", "staff", strings.KEY_STAFF, id="staff"),
        *(
            Binding(key, "nothing", show=False, priority=True, system=True)
            for key in (
                "ctrl+q",
                "ctrl+c",
                "ctrl+z",
                "ctrl+backslash",
                "ctrl+p",
                "escape",
                "ctrl+s",
                "ctrl+d",
            )
        ),
    ]

    def __init__(
        self,
        source: Catalog | Callable[[], Catalog],
        *,
        idle: float = 180.0,
        countdown: int = 30,
        stats: bool = False,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        **options: Unpack[AppOptions],
    ) -> None:
        """`idle` seconds without a touch ask « Vous êtes toujours là ? », `countdown`
        seconds later all is wiped; `stats` counts visits (ids only); `clock` is the PIN
        lockout's wall clock, `monotonic` the idle timer's (fake ones in tests)."""
        super().__init__(source, **options)
        self.idle = idle
        self.countdown = countdown
        self._monotonic = monotonic  # the idle timer's clock (a fake one in tests)
        self._last_input = monotonic()
        self._idle_shown = False
        # Wrong staff PINs: counted for the whole kiosk, kept on disk (wall clock `clock`).
        self.lockout = Lockout(self.data, clock=clock)
        self._stats: Stats | None = None
        self._collect_stats = stats
        # What this visit's last results showed (ids only), counted once when it ends.
        self._visit_result: tuple[list[str], list[str], str | None] | None = None
        self.staff_exit = False  # True only when staff left with F12 and the PIN
        self._recoveries: list[float] = []

    def on_mount(self) -> None:
        super().on_mount()
        self.add_class("-kiosk")
        self.set_interval(1.0, self._check_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            self._last_input = self._monotonic()
        await super().on_event(event)

    # --- idle reset --------------------------------------------------------------------

    def _check_idle(self) -> None:
        from conseiller.tui.screens.welcome import WelcomeScreen

        if self._idle_shown or isinstance(self.screen, WelcomeScreen):
            self._last_input = self._monotonic()
            return
        if self._monotonic() - self._last_input >= self.idle:
            self.show_idle()

    def show_idle(self) -> None:
        """Ask 'Vous êtes toujours là ?' and wipe everything if nobody answers."""
        from conseiller.tui.screens.kiosk import IdleScreen

        self._idle_shown = True

        def done(expired: bool | None) -> None:
            self._idle_shown = False
            self._last_input = self._monotonic()
            if expired:  # once the dialog is fully gone: never wipe in the middle of a pop
                self.call_later(self.action_wipe)

        self.push_screen(IdleScreen(self.countdown), done)

    def action_wipe(self) -> None:
        """Forget this visitor: every screen goes, the welcome screen comes back."""
        from conseiller.tui.screens.welcome import WelcomeScreen

        self.end_visit()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        # The welcome screen must not keep the last visitor's screens (and their words)
        # alive in memory through Textual's record of the screens on view.
        without_visible_screens(self.push_screen, WelcomeScreen())
        # Textual and Rich caches would keep the visitor's drawn words: empty them now and
        # once the welcome screen is drawn (the old screens are removed in between).
        forget_rendered_text()
        self.call_after_refresh(forget_rendered_text)
        self._last_input = self._monotonic()

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
                self.end_visit()
                self.staff_exit = True
                self.exit()

        self.push_screen(PinScreen(self.data, self.lockout), done)

    # --- results -----------------------------------------------------------------------

    def on_results(self, outcome: Outcome) -> None:
        """With --stats, remember the results' ids until the visit ends."""
        if self._collect_stats:
            ids = outcome.ids()  # identifiers only, never typed words
            # Going back and coming again replaces them: a visit is counted once.
            self._visit_result = (ids["needs"], ids["formats"], ids["departement"])

    def end_visit(self) -> None:
        """The visit ends (erased, idle, staff exit): count it if it reached the results."""
        result, self._visit_result = self._visit_result, None
        if result is None or not self._collect_stats:
            return
        import sqlite3

        from conseiller.db import DatabaseError
        from conseiller.stats import Stats

        try:
            if self._stats is None:
                self._stats = Stats(self.data)
            self._stats.record(*result)
        except (sqlite3.Error, OSError, DatabaseError):
            pass  # anonymous counts are not worth stopping the kiosk for

    def on_free_text(self, text: str, understood: bool) -> None:
        """The kiosk keeps no phrase."""

    # --- unexpected errors -------------------------------------------------------------

    def on_unexpected_error(self, failure: Failure, recoverable: bool) -> bool:
        """Log the error (its type and place only), then wipe: the next visitor starts fresh.

        More than five errors within a minute, or one the app cannot survive: the app
        ends, and `run_kiosk` starts a new one.
        """
        log_failure(self.data, failure)
        now = time.monotonic()
        self._recoveries = [t for t in self._recoveries if now - t < 60] + [now]
        if not recoverable or len(self._recoveries) > 5 or not self.is_running:
            return False
        self.call_later(self.action_wipe)
        return True


class KioskOptions(AppOptions, total=False):
    """What the kiosk's app takes besides its content (see KioskApp)."""

    idle: float
    countdown: int
    stats: bool
    clock: Callable[[], float]
    monotonic: Callable[[], float]


def make_kiosk_app(
    catalog: Catalog | Callable[[], Catalog], **options: Unpack[KioskOptions]
) -> KioskApp:
    """The kiosk's app on given content (tests use fixture content and fake clocks)."""
    return KioskApp(catalog, **options)


ERROR_LOG = "kiosk-errors.log"
ERROR_LOG_MAX = 256 * 1024


def log_failure(folder: Path, failure: Failure) -> None:
    """Append `time  type at place` to the kiosk's error log (never the screen)."""
    path = folder / ERROR_LOG
    line = f"{dt.datetime.now().isoformat(timespec='seconds')}  {failure}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > ERROR_LOG_MAX:
            path.replace(path.with_name(ERROR_LOG + ".1"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            log.write(line)
    except OSError:
        pass  # an unwritable data folder must not stop the kiosk either


def run_kiosk(
    make: Callable[[], KioskApp],
    folder: Path,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run kiosk apps until staff leave (F12 and the PIN): an app that ends otherwise is
    replaced by a new one. Broken content (code 2) ends it; so do five quick failures in a
    row (then the system's service manager takes over). In a browser (`serve --kiosk`)
    the page itself offers to start again: a new app could not reach it."""
    in_browser = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
    quick_failures = 0
    while True:
        app = make()
        started = clock()
        try:
            app.run()
        except Exception as error:  # the kiosk must come back, whatever it was
            log_failure(folder, describe(error))
            code = 1
        else:
            if app.staff_exit:
                return 0
            code = app.return_code or 0
            if code == 2:
                return 2
            log_failure(folder, Failure("ended", f"code {code}"))
        if in_browser:
            return code or 1
        quick_failures = quick_failures + 1 if clock() - started < 10 else 0
        if quick_failures >= 5:
            print(strings.KIOSK_GAVE_UP.format(log=ERROR_LOG), file=sys.stderr)
            return 1
        if quick_failures:
            sleep(min(2.0**quick_failures, 30.0))
