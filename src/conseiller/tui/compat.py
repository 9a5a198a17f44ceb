"""The one place that patches Textual or touches its private APIs (checked on Textual 8.2.8)."""

from __future__ import annotations

import codecs
import contextvars
import functools
import importlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App

TEXTUAL_CHECKED = "8.2.8"
"""The Textual version these patches were read against; a test fails on any other."""

LENIENT = "conseiller-lenient"
"""The name of our UTF-8 error handler for terminal input."""

# Textual's drivers decode terminal input with `getincrementaldecoder("utf-8")()`, strict:
# one invalid byte raises UnicodeDecodeError in the input thread and the app ends.
INPUT_DRIVERS = (
    "textual.drivers.linux_driver",
    "textual.drivers.linux_inline_driver",
    "textual.drivers.web_driver",
)


def _lenient(error: UnicodeError) -> tuple[str, int]:
    """Invalid bytes: Latin-1 letters (0xA0-0xFF, e.g. é typed on a Latin-1 terminal) are
    kept as such; anything else (0x80-0x9F, C1 controls) is dropped."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(b) for b in bad if b >= 0xA0), error.end


codecs.register_error(LENIENT, _lenient)


def _lenient_decoder_factory(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
    """What `codecs.getincrementaldecoder` returns, but decoding with our error handler."""
    return functools.partial(codecs.getincrementaldecoder(encoding), errors=LENIENT)


def patch_input_decoding() -> None:
    """Make every Textual input driver decode invalid UTF-8 leniently (idempotent)."""
    for name in INPUT_DRIVERS:
        try:
            module = importlib.import_module(name)
        except ImportError:  # the Linux drivers need termios (not on Windows)
            continue
        module.getincrementaldecoder = _lenient_decoder_factory  # type: ignore[attr-defined]


def patch_stale_dismiss() -> None:
    """A screen that is no longer on top ignores `dismiss` (idempotent).

    `Screen.dismiss` pops whatever screen is on top: a second dismiss of a dialog (Échap,
    then its button's press still queued from the same burst of keys) popped the screen
    under it, leaving a blank screen, and ran the dialog's callback twice.
    """
    from textual.await_complete import AwaitComplete
    from textual.screen import Screen

    original = Screen.dismiss
    if getattr(original, "_conseiller_patched", False):
        return

    def dismiss(self: Screen[Any], result: Any = None) -> AwaitComplete:
        if not self.is_active:  # already dismissed, or under another screen
            done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
            return done
        return original(self, result)

    dismiss._conseiller_patched = True  # type: ignore[attr-defined]
    dismiss.__wrapped__ = original  # type: ignore[attr-defined]
    Screen.dismiss = dismiss  # type: ignore[method-assign]


def patch_nbsp_wrap() -> None:
    """Lines never break at a no-break space (U+00A0): Rich's word splitter, which Textual's
    Content uses to wrap, counts it as a space (« Par exemple «⏎Creuse »)."""
    import re

    import rich._wrap

    rich._wrap.re_word = re.compile(r"[^\S\u00a0]*(?:\S|\u00a0)+[^\S\u00a0]*")


def install() -> None:
    """Apply every patch (called when the app is built)."""
    patch_input_decoding()
    patch_stale_dismiss()
    patch_nbsp_wrap()


@dataclass(frozen=True)
class Failure:
    """An unexpected error, told without anything personal: its type and where it was."""

    kind: str
    where: str

    def __str__(self) -> str:
        return f"{self.kind} at {self.where}"


def _short(filename: str) -> str:
    """A source file without the folders above the package (no user or install paths)."""
    parts = filename.replace("\\", "/").split("/")
    roots = [
        i
        for i, part in enumerate(parts[:-1])
        if part in ("conseiller", "textual", "rich", "asyncio")
    ]
    return "/".join(parts[max(roots) :]) if roots else parts[-1]


def _frames(frames: list[tuple[str, int, str]]) -> str:
    """The innermost frame of our code and the innermost frame of all, `file:line in name`."""
    ours = [f for f in frames if _short(f[0]).startswith("conseiller/")]
    picked = list(dict.fromkeys([*ours[-1:], *frames[-1:]]))
    return " < ".join(f"{_short(name)}:{line} in {func}" for name, line, func in reversed(picked))


def describe(error: BaseException) -> Failure:
    """The type of an exception and the code location where it was raised (no message)."""
    tb = traceback.extract_tb(error.__traceback__)
    frames = [(f.filename, f.lineno or 0, f.name) for f in tb]
    return Failure(type(error).__name__, _frames(frames) or "?")


def describe_panic(renderables: tuple[Any, ...]) -> Failure:
    """The same from the Rich traceback Textual's input thread hands to `App.panic`."""
    from rich.traceback import Traceback

    for renderable in renderables:
        if isinstance(renderable, Traceback) and renderable.trace.stacks:
            stack = renderable.trace.stacks[-1]
            frames = [(f.filename, f.lineno, f.name) for f in stack.frames]
            return Failure(stack.exc_type, _frames(frames) or "?")
    return Failure("panic", "?")


def without_visible_screens(function: Callable[..., Any], *args: Any) -> Any:
    """Call `function` in a context where Textual's renderer has recorded no screen.

    Textual records the screens on view in a context variable, and every task started
    copies it: a screen pushed from here would keep the previous screens (a wiped
    visitor's words) alive in memory.
    """
    from textual._context import visible_screen_stack

    fresh = contextvars.copy_context()
    fresh.run(visible_screen_stack.set, [])
    return fresh.run(function, *args)


def forget_rendered_text() -> None:
    """Empty the process-wide caches that keep text drawn on screen after its widgets go.

    `StylesCache.get_inner_outer` is an `lru_cache` on a method: it keeps up to 1,024
    removed widgets' style caches alive, with their drawn lines (a visitor's words); Rich's
    `cached_cell_len` keeps the strings it measured.
    """
    from rich.cells import cached_cell_len
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()
    cached_cell_len.cache_clear()


def failing_node() -> object | None:
    """The widget, screen or app whose handler is running (the one that raised)."""
    from textual._context import active_message_pump

    return active_message_pump.get(None)


class GuardedApp(App[None]):
    """An app that hands unexpected errors to `on_unexpected_error` instead of exiting.

    Textual ends the app on any exception in a handler (`App._handle_exception`) and
    prints a traceback with local variables on the terminal at exit. Guarded, no
    traceback is ever kept (only messages given to `exit` are printed).
    """

    guard_errors = False
    """Set by subclasses (the kiosk) that must never end on an error."""

    def on_unexpected_error(self, failure: Failure, recoverable: bool) -> bool:
        """Called with each error; return True when the app recovered and keeps running."""
        return False

    def _handle_exception(self, error: Exception) -> None:
        if not self.guard_errors:
            super()._handle_exception(error)
            return
        # The app's own message loop stops after an error: only a new app can go on.
        recoverable = failing_node() is not self
        if self.on_unexpected_error(describe(error), recoverable) and recoverable:
            return
        if self._exception is None:  # for tests: Pilot stops waiting and re-raises it
            self._exception = error
            self._exception_event.set()
        self._return_code = 1
        self._close_messages_no_wait()

    def panic(self, *renderables: Any) -> None:
        """Textual's input thread calls this when it fails: end quietly, nothing shown."""
        if not self.guard_errors:
            super().panic(*renderables)
            return
        self.on_unexpected_error(describe_panic(renderables), False)
        self._return_code = 1
        self._close_messages_no_wait()
