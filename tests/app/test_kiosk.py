"""Kiosk mode: locked keys, idle reset, staff PIN, QR take-away, nothing on disk, endurance."""

from __future__ import annotations

import asyncio
import gc
import os
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from conseiller.catalog import Catalog
from conseiller.kiosk import Lockout, check_pin, set_pin
from conseiller.qr import qr_lines
from conseiller.stats import Stats, to_csv
from conseiller.tui.kiosk_app import KioskApp
from conseiller.tui.screens.chat import ChatScreen
from conseiller.tui.screens.kiosk import IdleScreen, PinScreen
from conseiller.tui.screens.results import ResultsScreen
from conseiller.tui.screens.welcome import WelcomeScreen

SIZE = (120, 40)
VISITOR_TEXT = "je cherche des terres VISITEUR{n} et un prêt"


def kiosk(catalog: Catalog, tmp_path: Path, **kwargs: object) -> KioskApp:
    set_pin(tmp_path, "2468")
    return KioskApp(catalog, data=tmp_path, **kwargs)  # type: ignore[arg-type]


async def begin(pilot) -> None:  # type: ignore[no-untyped-def]
    """Start a visit and answer the first question (role: the holder's)."""
    await pilot.pause()
    await pilot.click("#start")
    await pilot.pause()
    await pilot.press("1")


async def visit(app: KioskApp, pilot, n: int) -> None:  # type: ignore[no-untyped-def]
    """One visitor: start, answer everything, reach the results."""
    await begin(pilot)
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()
    app.screen.query_one("#free", Input).value = "Gers"
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()
    app.screen.query_one("#free", Input).value = VISITOR_TEXT.format(n=n)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.click("#confirm")
    await pilot.pause()
    if not isinstance(app.screen, ResultsScreen):
        await pilot.press("3")  # the place question: farmland
        await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)


def screen_text(app: KioskApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c", "ctrl+z", "ctrl+backslash", "ctrl+p",
                                 "escape"])
async def test_escape_keys_do_nothing(catalog: Catalog, tmp_path: Path, key: str) -> None:
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.engine.view(app.screen.state).current.id == "stade"


async def test_smuggled_actions_and_urls_do_nothing(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.run_action("quit")
        await app.run_action("suspend_process")
        await app.run_action("command_palette")
        app.open_url("https://example.org")
        await pilot.pause()
        assert app.is_running


async def wait_for(pilot, app: KioskApp, kind: type, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.1)):
        if isinstance(app.screen, kind):
            return True
        await pilot.pause(0.1)
    return isinstance(app.screen, kind)


async def test_idle_countdown_then_everything_is_wiped(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path, idle=1.0, countdown=2)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        assert await wait_for(pilot, app, IdleScreen, 4)
        assert "toujours là" in screen_text(app)
        assert await wait_for(pilot, app, WelcomeScreen, 5)
        assert not any(isinstance(s, ChatScreen) for s in app.screen_stack)


async def test_someone_still_there_keeps_going(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path, idle=1.0, countdown=5)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        assert await wait_for(pilot, app, IdleScreen, 4)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.engine.view(app.screen.state).current.id == "stade"


async def test_erase_button_always_there(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.pause()
        await pilot.click("#kiosk-end")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_staff_pin(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        app.screen.query_one("#pin", Input).value = "1111"
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and "Code incorrect" in screen_text(app)
        assert app.screen.query_one("#pin", Input).disabled
        await pilot.pause(1.3)
        app.screen.query_one("#pin", Input).value = "2468"
        await pilot.press("enter")
        await pilot.pause()
    assert not app.is_running


def test_pin_is_stored_salted_and_hashed(tmp_path: Path) -> None:
    path = set_pin(tmp_path, "13579")
    stored = path.read_text(encoding="utf-8")
    assert "13579" not in stored
    assert check_pin(tmp_path, "13579") and not check_pin(tmp_path, "13578")
    other = tmp_path / "other"
    set_pin(other, "13579")
    assert (other / path.name).read_text(encoding="utf-8") != stored  # a new salt each time
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_lockout_grows_and_caps() -> None:
    lock = Lockout()
    assert [lock.fail() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    lock.reset()
    assert lock.fail() == 1


def test_qr_drawing_is_the_code_matrix() -> None:
    import segno

    text = "Mes pistes : tiers-lieu, franceactive.org"
    lines = qr_lines(text, border=0)
    matrix = [list(map(bool, row)) for row in segno.make(text, error="l").matrix]
    top = {"▀": (True, False), "▄": (False, True), "█": (True, True), " ": (False, False)}
    drawn: list[list[bool]] = [[], []]
    rows = []
    for line in lines:
        pairs = [top[ch] for ch in line]
        rows.append([a for a, _ in pairs])
        rows.append([b for _, b in pairs])
    assert rows[: len(matrix)] == matrix
    assert drawn == [[], []]


async def test_results_show_a_qr_code_and_write_nothing(catalog: Catalog,
                                                        tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await visit(app, pilot, 1)
        assert app.screen.query_one("#qr", Static)
        text = str(app.screen.query_one("#take-away-text", Static).render())
        assert "terredeliens.org" in text
        assert not list(app.screen.query("#save"))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(("size", "expected"), [((140, 45), "full"), ((80, 24), "short"),
                                                 ((60, 12), "none")])
async def test_big_qr_code_fits_the_screen(catalog: Catalog, tmp_path: Path,
                                           size: tuple[int, int], expected: str) -> None:
    """The full summary when it fits, only the websites on a small screen, else a clear word."""
    from conseiller.report import to_text, to_text_short
    from conseiller.tui.screens.kiosk import QrScreen

    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await quick_visit(app, pilot, 1)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        await pilot.click("#qr-open")
        await pilot.pause()
        qr = app.screen
        assert isinstance(qr, QrScreen)
        wanted = {"full": to_text(catalog, results.rec), "short": to_text_short(results.rec),
                  "none": None}[expected]
        assert qr.shown == wanted
        hint = str(qr.query_one("#qr-hint", Static).render())
        if wanted is None:
            assert "trop petit" in hint
        else:
            drawn = qr.query_one("#qr-big", Static)
            assert drawn.region.height == len(qr_lines(wanted, border=1)) <= size[1] - 2
            assert qr.region.contains_region(drawn.region)
        await pilot.click("#qr-close")
        await pilot.pause()
        assert app.screen is results


async def test_stats_keep_ids_only(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path, stats=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for n in range(6):
            await visit(app, pilot, n)
            await pilot.click("#kiosk-end")
            await pilot.pause()
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        assert b"VISITEUR" not in data and b"Gers" not in data, path
    counts = Stats(tmp_path).counts()
    assert counts.sessions == 6
    assert ("32", 6) in counts.departements
    assert dict(counts.needs)["local-foncier"] == 6
    hidden = Stats(tmp_path).counts(hide_below=7)
    assert all(v is None for _, v in hidden.needs)
    assert "departement,32,<5" not in to_csv(counts) and "departement,32,6" in to_csv(counts)


async def quick_visit(app: KioskApp, pilot, n: int) -> None:  # type: ignore[no-untyped-def]
    """One visitor, answering through the chat widget directly (no simulated typing)."""
    await app.action_start()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ChatScreen)
    for given in ("porteur", "idee", "Gers", "seul", "oui", VISITOR_TEXT.format(n=n)):
        await screen.chat.answer(given)
    await screen.chat.answer(["local-foncier", "financement"])
    await screen.chat.answer("terres")
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)


def rss_bytes() -> int:
    """Resident memory of this process (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
async def test_two_hundred_visitors_nothing_carried_over(catalog: Catalog,
                                                         tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for n in range(200):
            await quick_visit(app, pilot, n)
            assert f"VISITEUR{n - 1} " not in screen_text(app)
            app.action_wipe()
            await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen)
            assert "VISITEUR" not in screen_text(app)
        assert len(app.screen_stack) == 2
    assert os.listdir(tmp_path) == ["kiosk-pin.json"]


async def live_widgets() -> int:
    """Widgets still alive once the test harness's own leftovers are gone.

    This test drives the chat from its own task, so Textual's renderer records the screens
    on view in this task's context: forget them here. And each pilot step waits with a 30 s
    timeout; asyncio keeps such cancelled timer handles, with the context they captured,
    until they fall due, unless most of its timers are cancelled: adding and cancelling
    many timers makes it sweep them. Then only what the app itself keeps is counted.
    """
    from textual._context import visible_screen_stack
    from textual.widget import Widget

    visible_screen_stack.set([])
    loop = asyncio.get_running_loop()
    for handle in [loop.call_later(3600, lambda: None) for _ in range(2000)]:
        handle.cancel()
    await asyncio.sleep(0)
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Widget))


@pytest.mark.slow
async def test_memory_stays_bounded_and_visitors_are_forgotten(catalog: Catalog,
                                                              tmp_path: Path) -> None:
    """Live widgets do not pile up, and once wiped no visitor's screen is left in memory."""
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        counts = []
        for n in range(20):
            await quick_visit(app, pilot, n)
            app.action_wipe()
            await pilot.pause()
            if n in (4, 19):
                await pilot.pause()
                counts.append(await live_widgets())
                kept = [o for o in gc.get_objects() if isinstance(o, ChatScreen | ResultsScreen)]
                assert not kept, f"a wiped visitor's screens are still in memory: {kept}"
    # Textual's Header leaked about 12 widgets per visitor here (it watches the app's
    # title); the screens use TitleBar instead. 15 more visitors: not one widget more each.
    assert counts[1] - counts[0] < 15, counts
