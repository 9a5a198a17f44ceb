"""A 60×20 terminal with NO_COLOR: the walk to the results by keyboard alone, every focusable
element on screen when it has the focus, states told by shape, focus back after a dialog.

On the fixture content (tests/data/fixture)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input

from conseiller.catalog import Catalog
from conseiller.tui.app import make_app
from conseiller.tui.screens.chat import ChatScreen
from conseiller.tui.screens.dialogs import HelpScreen, QuitScreen
from conseiller.tui.screens.results import ResultsScreen
from conseiller.tui.widgets.needbox import TICKED, UNTICKED

SMALL = (60, 20)


@pytest.fixture
def catalog(fixture_catalog: Catalog) -> Catalog:
    return fixture_catalog


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def type_text(pilot: Any, text: str) -> None:
    """Type a text key by key, then Enter."""
    await pilot.press(*("space" if c == " " else c for c in text), "enter")
    await pilot.pause()


def on_screen(app: App[Any], widget: Widget) -> bool:
    """The whole widget inside the screen, above the key bar, and not covered by another."""
    region = widget.region
    if not region or not app.screen.region.contains_region(region):
        return False
    footers = list(app.screen.query(Footer))
    if footers and region.bottom > footers[0].region.y:
        return False
    for x, y in ((region.x, region.y), (region.right - 1, region.bottom - 1)):
        top, _ = app.screen.get_widget_at(x, y)
        if top is not widget and widget not in top.ancestors:
            return False
    return True


async def assert_every_focusable_shows(app: App[Any], pilot: Any) -> set[str]:
    """Tab through the whole focus chain: each element is on screen when it has the focus.
    Returns the ids reached by keyboard."""
    start = app.screen.focused
    reached: set[str] = set()
    for _ in range(len(app.screen.focus_chain)):
        focused = app.screen.focused
        assert focused is not None
        assert on_screen(app, focused), f"{focused!r} has the focus but is not on screen"
        reached.add(focused.id or repr(focused))
        await pilot.press("tab")
        await pilot.pause()
    assert app.screen.focused is start  # round the chain, back where it started
    return reached


async def test_walk_to_the_results_at_60x20_by_keyboard(catalog: Catalog) -> None:
    app = make_app(catalog)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.no_color
        await assert_every_focusable_shows(app, pilot)
        await pilot.press("enter")  # « Commencer » has the focus
        await app.wait_loaded()
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await assert_every_focusable_shows(app, pilot)
        await pilot.press("1")  # porteur
        await pilot.pause()
        await pilot.press("1")  # idée
        await pilot.pause()
        await type_text(pilot, "Creuse")
        await pilot.press("2", "2")  # à plusieurs, pas agricole
        await pilot.pause()
        await type_text(pilot, "on cherche un local et des sous")
        await assert_every_focusable_shows(app, pilot)
        boxes = list(app.screen.query("#answer Checkbox").results(Checkbox))
        assert len(boxes) >= 2 and all(b.value for b in boxes)
        assert all(str(b.render()).startswith(TICKED) for b in boxes)
        # The arrows go from the buttons to the boxes; Space unticks, and it shows as a shape.
        for _ in range(5):
            if app.screen.focused is boxes[0]:
                break
            await pilot.press("down")
            await pilot.pause()
        assert app.screen.focused is boxes[0]
        await pilot.press("space")
        await pilot.pause()
        assert not boxes[0].value and str(boxes[0].render()).startswith(UNTICKED)
        await pilot.press("space")
        await pilot.pause()
        assert boxes[0].value and str(boxes[0].render()).startswith(TICKED)
        for _ in range(5):
            if app.screen.focused is not None and app.screen.focused.id == "confirm":
                break
            await pilot.press("up")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")  # un local à louer
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        reached = await assert_every_focusable_shows(app, pilot)
        assert {"results", "save", "back", "restart", "quit"} <= reached
        for button in app.screen.query("#actions Button").results(Button):
            assert on_screen(app, button)  # all at once, not only when focused


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_focus_returns_where_it_was_after_a_dialog(
    catalog: Catalog, size: tuple[int, int]
) -> None:
    app = make_app(catalog)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await app.wait_loaded()
        await pilot.pause()
        await pilot.press("down")  # the second choice
        await pilot.pause()
        before = app.screen.focused
        assert before is not None and before.id == "opt--2"
        await pilot.press("f1")
        await pilot.pause()
        await pilot.pause()  # the dialog fits its body to the screen after its first layout
        assert isinstance(app.screen, HelpScreen)
        assert "Espace" in "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert on_screen(app, app.screen.query_one("#no"))  # « Fermer », whatever the size
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.focused is before
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("enter")  # « Non » has the focus
        await pilot.pause()
        assert app.screen.focused is before
        assert app.is_running


async def test_the_free_text_keeps_the_arrows(catalog: Catalog) -> None:
    """In a text field the arrows move the cursor, not the focus."""
    app = make_app(catalog)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await app.wait_loaded()
        await pilot.pause()
        await pilot.press("1", "1")
        await pilot.pause()
        field = app.screen.focused
        assert isinstance(field, Input)
        await pilot.press("down", "up")
        await pilot.pause()
        assert app.screen.focused is field


@pytest.mark.parametrize("button", ["quit", "restart"])
async def test_focus_returns_to_the_results_button_after_its_dialog(
    catalog: Catalog, button: str
) -> None:
    """« Quitter » and « Recommencer » ask first; « Non » gives the focus back to the button."""
    from tests.app.test_snapshots import results

    app = make_app(catalog)
    async with app.run_test(size=SMALL) as pilot:
        await results(pilot)
        screen = app.screen
        target = screen.query_one(f"#{button}", Button)
        target.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not screen  # the question
        assert on_screen(app, app.screen.query_one("#no"))
        await pilot.press("enter")  # « Non » has the focus
        await pilot.pause()
        assert app.screen is screen and screen.focused is target
