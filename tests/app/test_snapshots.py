"""Snapshots of the main screens at 60×20, 80×24 and 120×40, default and high-contrast theme.

On the fixture content (tests/data/fixture), so the shipped texts can change freely. The
versions that draw the screens are pinned in .ci/constraints.txt. After a wanted change of
the screens: `.venv/bin/pytest tests/app/test_snapshots.py --snapshot-update`, then look at
each changed SVG file in __snapshots__/ before committing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from conseiller.catalog import Catalog
from conseiller.tui.app import HolderApp, make_app
from conseiller.tui.screens.chat import ChatScreen
from conseiller.tui.screens.dialogs import QuitScreen
from conseiller.tui.screens.results import ResultsScreen

SIZES = [(60, 20), (80, 24), (120, 40)]
THEMES = ["defaut", "contraste-eleve"]

Step = Callable[[Pilot[Any]], Awaitable[None]]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every scrolling area is still (the transcript anchors to its end after the
    layout, a few refreshes later): a snapshot never catches it half-way."""
    # Scrollbars take their colours from the styles when they draw: draw all of them again
    # with the theme's styles (a scrollbar drawn during the start could keep an older colour).
    pilot.app.refresh_css(animate=False)
    where: list[tuple[float, float]] = []
    for _ in range(20):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        now = [(w.scroll_x, w.scroll_y) for w in pilot.app.screen.query("*") if w.is_scrollable]
        if now == where:
            return
        where = now


async def _start(pilot: Pilot[Any]) -> ChatScreen:
    app = pilot.app
    assert isinstance(app, HolderApp)
    await pilot.pause()
    await app.wait_loaded()
    await app.action_start()
    await pilot.pause()
    assert isinstance(app.screen, ChatScreen)
    return app.screen


async def welcome(pilot: Pilot[Any]) -> None:
    """The first screen (the content loads behind it)."""
    app = pilot.app
    assert isinstance(app, HolderApp)
    await app.wait_loaded()
    await settle(pilot)


async def choice(pilot: Pilot[Any]) -> None:
    """A choice question, one answer already given (it shows with « Modifier »)."""
    screen = await _start(pilot)
    await screen.chat.answer("porteur")
    await settle(pilot)


async def confirmation(pilot: Pilot[Any]) -> None:
    """The needs understood, ticked « [x] », one unticked « [ ] »."""
    screen = await _start(pilot)
    for given in ("porteur", "idee", "Creuse", "collectif", "non"):
        await screen.chat.answer(given)
    await screen.chat.answer("on cherche un local et des sous")
    await pilot.pause()
    boxes = list(screen.query("#answer Checkbox"))
    boxes[-1].action_toggle_button()  # type: ignore[attr-defined]
    await settle(pilot)


async def results(pilot: Pilot[Any]) -> None:
    """The results, from their top."""
    screen = await _start(pilot)
    for given in ("porteur", "idee", "Creuse", "collectif", "non"):
        await screen.chat.answer(given)
    await screen.chat.answer("on cherche un local et des sous")
    await screen.chat.answer(["local-foncier", "financement"])
    await screen.chat.answer("louer")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ResultsScreen)


async def dialog(pilot: Pilot[Any]) -> None:
    """The quit confirmation over the results."""
    await results(pilot)
    await pilot.press("ctrl+q")
    await settle(pilot)
    assert isinstance(pilot.app.screen, QuitScreen)


SCREENS: dict[str, Step] = {
    "welcome": welcome,
    "choice": choice,
    "confirmation": confirmation,
    "results": results,
    "dialog": dialog,
}


CASES = [
    pytest.param((screen, size, theme), id=f"{screen}-{size[0]}x{size[1]}-{theme}")
    for screen in SCREENS
    for size in SIZES
    for theme in THEMES
]


@pytest.mark.parametrize("case", CASES)
def test_screen(
    snap_compare: Callable[..., bool],
    fixture_catalog: Catalog,
    tmp_path: Path,
    case: tuple[str, tuple[int, int], str],
) -> None:
    screen, size, theme = case
    app = make_app(fixture_catalog, theme=theme, data=tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])
