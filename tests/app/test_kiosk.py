"""Kiosk mode: locked keys, idle reset, staff PIN, QR take-away, nothing on disk, endurance.

On the fixture content (tests/data/fixture): the shipped texts can change freely."""

from __future__ import annotations

import asyncio
import gc
import os
from pathlib import Path
from typing import Unpack

import pytest
from textual.widgets import Input, Static

from conseiller.catalog import Catalog
from conseiller.kiosk import set_pin
from conseiller.qr import qr_lines
from conseiller.stats import Stats, to_csv
from conseiller.tui.kiosk_app import KioskApp, KioskOptions, make_kiosk_app
from conseiller.tui.screens.chat import ChatScreen
from conseiller.tui.screens.kiosk import IdleScreen, PinScreen
from conseiller.tui.screens.results import ResultsScreen
from conseiller.tui.screens.welcome import WelcomeScreen

SIZE = (120, 40)
VISITOR_TEXT = "je cherche des terres VISITEUR{n} et un prêt"


@pytest.fixture
def catalog(fixture_catalog: Catalog) -> Catalog:
    """The fixture content, in place of the shipped one."""
    return fixture_catalog


def kiosk(catalog: Catalog, tmp_path: Path, **options: Unpack[KioskOptions]) -> KioskApp:
    set_pin(tmp_path, "2468")
    options.setdefault("data", tmp_path)
    return make_kiosk_app(catalog, **options)


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
    """The screen's texts, no-break spaces (French typography) read as spaces."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static)).replace("\xa0", " ")


@pytest.mark.parametrize(
    "key", ["ctrl+q", "ctrl+c", "ctrl+z", "ctrl+backslash", "ctrl+p", "escape"]
)
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


async def wait_for(pilot, app: KioskApp, kind: type, turns: int = 50) -> bool:  # type: ignore[no-untyped-def]
    """Let the app work until a `kind` screen shows (Textual's own waiting, no timed sleep)."""
    for _ in range(turns):
        if isinstance(app.screen, kind):
            return True
        await pilot.pause()
    return isinstance(app.screen, kind)


class Ticks:
    """A monotonic clock that moves only when a test says so (the kiosk's idle timer)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def idle_for(app: KioskApp, pilot, clock: Ticks, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Nobody touches the kiosk for `seconds` (the check the kiosk runs every second)."""
    clock.now += seconds
    app._check_idle()
    await pilot.pause()


async def test_idle_countdown_then_everything_is_wiped(catalog: Catalog, tmp_path: Path) -> None:
    clock = Ticks()
    app = kiosk(catalog, tmp_path, idle=180.0, countdown=2, monotonic=clock)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await idle_for(app, pilot, clock, 179)
        assert isinstance(app.screen, ChatScreen)  # not yet
        await idle_for(app, pilot, clock, 1)
        assert isinstance(app.screen, IdleScreen)
        assert "toujours là" in screen_text(app)
        for _ in range(2):  # the countdown runs out
            app.screen._tick()
            await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert not any(isinstance(s, ChatScreen) for s in app.screen_stack)


async def test_someone_still_there_keeps_going(catalog: Catalog, tmp_path: Path) -> None:
    clock = Ticks()
    app = kiosk(catalog, tmp_path, idle=180.0, countdown=5, monotonic=clock)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await idle_for(app, pilot, clock, 180)
        assert isinstance(app.screen, IdleScreen)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.engine.view(app.screen.state).current.id == "stade"
        await idle_for(app, pilot, clock, 100)  # a touch restarted the wait
        assert isinstance(app.screen, ChatScreen)


async def test_erase_button_always_there(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.pause()
        await pilot.click("#kiosk-end")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


class FakeClock:
    """Wall-clock seconds that only move when a test says so (the PIN lockout's clock)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def enter_pin(app: KioskApp, pilot, pin: str) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one("#pin", Input).value = pin
    await pilot.press("enter")
    await pilot.pause()


async def test_staff_pin(catalog: Catalog, tmp_path: Path) -> None:
    clock = FakeClock()
    app = kiosk(catalog, tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        await enter_pin(app, pilot, "1111")
        assert app.is_running and "Code incorrect" in screen_text(app)
        await enter_pin(app, pilot, "2468")  # the right PIN, too soon: not even checked
        assert app.is_running and "Patientez encore 1 s" in screen_text(app)
        clock.now += 1
        await enter_pin(app, pilot, "2468")
    assert not app.is_running


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


async def test_results_show_a_qr_code_and_write_nothing(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await visit(app, pilot, 1)
        assert app.screen.query_one("#qr", Static)
        text = str(app.screen.query_one("#take-away-text", Static).render())
        website = catalog.contacts["terres-exemple"].website  # offered for farmland
        assert website is not None and website.removeprefix("https://") in text
        assert not list(app.screen.query("#save"))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("size", "expected"), [((140, 45), "full"), ((80, 24), "short"), ((60, 12), "none")]
)
async def test_big_qr_code_fits_the_screen(
    catalog: Catalog, tmp_path: Path, size: tuple[int, int], expected: str
) -> None:
    """The full summary when it fits, one website per page on a small screen (paging is
    tested in test_qr_pages.py), else a clear word."""
    from conseiller.report import group_contacts, to_text
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
        wanted = {
            "full": to_text(catalog, results.rec),
            "short": next(
                p.contact.website
                for g in group_contacts(catalog, results.rec)
                for p in g.picks
                if p.contact.website
            ),
            "none": None,
        }[expected]
        assert qr.shown == wanted
        hint = str(qr.query_one("#qr-hint", Static).render())
        if wanted is None:
            assert "trop petit" in hint
        else:
            drawn = qr.query_one("#qr-big", Static)
            assert drawn.region.height == len(qr_lines(wanted, border=1)) <= size[1] - 3
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
        assert oct(path.stat().st_mode & 0o777) == "0o600", path
    stats = Stats(tmp_path)
    assert stats.counters()[("visits", "")] == 6
    published = stats.published()  # 6 is published rounded to 5
    assert published.visits == 5
    assert ("32", 5) in published.departements
    assert dict(published.needs)["local-foncier"] == 5
    assert "departement,32,5" in to_csv(published)


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
async def test_two_hundred_visitors_nothing_carried_over(catalog: Catalog, tmp_path: Path) -> None:
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
async def test_memory_stays_bounded_and_visitors_are_forgotten(
    catalog: Catalog, tmp_path: Path
) -> None:
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


# --- hardening §1 and §6: no error ends the kiosk; help, welcome, memory ---------------

SECRET = "nywxauQ-bulgroZ"[::-1]  # built at run time: the test's code does not hold it


def log_text(folder: Path) -> str:
    from conseiller.tui.kiosk_app import ERROR_LOG

    path = folder / ERROR_LOG
    return path.read_text(encoding="utf-8") if path.exists() else ""


async def test_an_error_in_a_visit_wipes_and_comes_back(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error is logged (type and place, nothing typed) and the kiosk restarts
    at the welcome screen instead of ending with a traceback."""
    from conseiller.engine import Engine

    real = Engine.answer

    def broken(self: Engine, state: object, given: object) -> object:
        if isinstance(given, str) and "Gers" in given:
            raise RuntimeError(f"cannot read {given}")
        return real(self, state, given)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "answer", broken)
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        app.screen.query_one("#free", Input).value = f"Gers {SECRET}"
        await pilot.press("enter")
        await wait_for(pilot, app, WelcomeScreen)
        assert app.is_running and isinstance(app.screen, WelcomeScreen)
        assert len(app.screen_stack) == 2
        monkeypatch.setattr(Engine, "answer", real)
        await quick_visit(app, pilot, 1)  # the next visitor goes through
    log = log_text(tmp_path)
    assert "RuntimeError at " in log and "conseiller/tui/widgets/chat.py" in log
    assert SECRET not in log and "Gers" not in log and str(tmp_path) not in log


async def test_an_error_the_app_cannot_survive_ends_it_quietly(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error in the app's own loop ends the app (for run_kiosk to start a new one),
    with no traceback, local variables or paths left on the terminal."""
    app = kiosk(catalog, tmp_path)

    def boom() -> None:
        visitor = SECRET  # noqa: F841 - a local variable a traceback would show
        raise ValueError("boom")

    with pytest.raises(ValueError):  # only Pilot re-raises it, for the test to see
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.call_later(boom)
            await pilot.pause()
    assert app.return_code == 1 and not app.staff_exit
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out and SECRET not in out.err + out.out
    assert "ValueError at test_kiosk.py" in log_text(tmp_path)


def test_invalid_utf8_input_is_decoded_leniently() -> None:
    """Textual's input drivers no longer raise on a byte that is not UTF-8."""
    from textual.drivers import linux_driver, web_driver

    from conseiller.tui.compat import patch_input_decoding

    patch_input_decoding()
    for module in (linux_driver, web_driver):
        decode = module.getincrementaldecoder("utf-8")().decode
        assert decode(b"Cr\xe9teil \x80\xff") == "Créteil ÿ"
        assert decode(b"\xc3") == "" and decode(b"\xa9t\xc3\xa9") == "été"


class FakeApp:
    """Stands for a KioskApp in run_kiosk: ends as told."""

    def __init__(self, outcome: str) -> None:
        self.outcome = outcome
        self.staff_exit = outcome == "staff"
        self.return_code = {"error": 1, "broken": 2}.get(outcome, 0)

    def run(self) -> None:
        if self.outcome == "raise":
            raise OSError("no terminal")


def test_run_kiosk_restarts_until_staff_leave(tmp_path: Path) -> None:
    from conseiller.tui.kiosk_app import run_kiosk

    outcomes = iter(["error", "raise", "quit", "staff", "error"])
    made: list[str] = []

    def make() -> FakeApp:
        made.append(next(outcomes))
        return FakeApp(made[-1])

    ticks = iter(range(0, 1000, 60))  # each app lives a minute: no waiting between them
    slept: list[float] = []
    code = run_kiosk(
        make,  # type: ignore[arg-type]
        tmp_path,
        clock=lambda: next(ticks),
        sleep=slept.append,
    )
    assert code == 0 and made == ["error", "raise", "quit", "staff"] and slept == []
    assert "OSError at" in log_text(tmp_path)


def test_run_kiosk_stops_on_broken_content_and_on_repeated_quick_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conseiller.tui.kiosk_app import run_kiosk

    assert (
        run_kiosk(
            lambda: FakeApp("broken"),  # type: ignore[arg-type,return-value]
            tmp_path,
            clock=lambda: 0.0,
            sleep=lambda s: None,
        )
        == 2
    )
    slept: list[float] = []
    code = run_kiosk(
        lambda: FakeApp("error"),  # type: ignore[arg-type,return-value]
        tmp_path,
        clock=lambda: 0.0,
        sleep=slept.append,
    )
    assert code == 1 and slept == [2.0, 4.0, 8.0, 16.0]
    assert "plusieurs erreurs" in capsys.readouterr().err


def test_run_kiosk_in_a_browser_leaves_the_restart_to_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conseiller.tui.kiosk_app import run_kiosk

    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    made: list[FakeApp] = []

    def make() -> FakeApp:
        made.append(FakeApp("error"))
        return made[-1]

    assert run_kiosk(make, tmp_path, clock=lambda: 0.0) == 1  # type: ignore[arg-type]
    assert len(made) == 1


async def test_kiosk_help_lists_only_what_works_there(catalog: Catalog, tmp_path: Path) -> None:
    from conseiller.tui.screens.dialogs import HelpScreen

    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "F12" in text and "Terminer et effacer" in text
        assert "Échap" not in text and "Ctrl+Q" not in text and "quitter" not in text.lower()


async def test_kiosk_welcome_promises_nothing_kept(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Rien n'est gardé" in text and "QR code" in text
        assert "enregistr" not in text.lower() and "restent sur cet ordinateur" not in text


def strings_holding(needle: str) -> list[object]:
    """Every object reachable by the garbage collector that holds a string with `needle`."""
    seen: set[int] = set()
    todo = gc.get_objects()
    found = []
    while todo:
        obj = todo.pop()
        for ref in gc.get_referents(obj):
            if isinstance(ref, str):
                if needle in ref and ref is not needle:
                    found.append(obj)
            elif isinstance(ref, tuple | dict | list | set | frozenset) and id(ref) not in seen:
                seen.add(id(ref))  # untracked containers (of strings only) are not listed
                todo.append(ref)
    return found


async def test_a_wiped_visitor_is_unreachable_in_memory(catalog: Catalog, tmp_path: Path) -> None:
    """After "Terminer et effacer", no State and no string of what was typed is left."""
    from conseiller.engine import Answer, State, Turn, View

    secret = SECRET
    app = kiosk(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press(*"Gers", "enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press(*f"je cherche des terres {secret} et un prêt", "enter")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        await pilot.pause()
        await pilot.click("#kiosk-end")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await live_widgets()  # forgets the test harness's own references, then collects
        kept = [o for o in gc.get_objects() if isinstance(o, State | Answer | Turn | View)]
        assert not kept, f"the wiped visitor's answers are still in memory: {kept}"
        holders = strings_holding(secret)
        assert not holders, [type(h).__name__ for h in holders]  # Segment: a drawn line


# --- hardening §3 and §4: the staff PIN's wait, statistics counted once per visit ------


async def test_cancel_then_f12_keeps_the_wait(catalog: Catalog, tmp_path: Path) -> None:
    """The wait is the kiosk's, not the PIN screen's: 'Annuler' then F12 does not skip it."""
    clock = FakeClock()
    app = kiosk(catalog, tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        for wait in (1, 2):
            await enter_pin(app, pilot, "1111")
            clock.now += wait
        await enter_pin(app, pilot, "1111")  # third wrong PIN: 4 s
        await pilot.click("#cancel")
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        assert "Patientez encore 4 s" in screen_text(app)  # shown as soon as it opens
        await enter_pin(app, pilot, "2468")
        assert app.is_running and "Patientez encore 4 s" in screen_text(app)
        clock.now += 4
        await enter_pin(app, pilot, "2468")
    assert not app.is_running
    assert app.lockout.failures == 0


async def test_a_restart_keeps_the_wait(catalog: Catalog, tmp_path: Path) -> None:
    clock = FakeClock()
    first = kiosk(catalog, tmp_path, clock=clock)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        await enter_pin(first, pilot, "1111")
        clock.now += 1
        await enter_pin(first, pilot, "1111")  # second wrong PIN: 2 s
    again = KioskApp(catalog, data=tmp_path, clock=clock)  # the kiosk restarted
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        await enter_pin(again, pilot, "2468")
        assert again.is_running and "Patientez encore 2 s" in screen_text(again)
        clock.now += 2
        await enter_pin(again, pilot, "2468")
    assert not again.is_running


def visits_counted(folder: Path) -> int:
    if not (folder / "stats.sqlite3").exists():
        return 0
    return Stats(folder).counters().get(("visits", ""), 0)


async def back_and_forth(app: KioskApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """From the results back to the last question, then to the results again."""
    await pilot.click("#back")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ChatScreen)
    await screen.chat.answer("terres")
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)


async def test_a_visit_counts_once_when_it_ends(catalog: Catalog, tmp_path: Path) -> None:
    """Going back and forth to the results counts once, when the visit is erased."""
    app = kiosk(catalog, tmp_path, stats=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await quick_visit(app, pilot, 1)
        for _ in range(3):
            await back_and_forth(app, pilot)
        assert visits_counted(tmp_path) == 0  # not before the visit ends
        await pilot.click("#kiosk-end")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert visits_counted(tmp_path) == 1
        # A visit that never reached the results counts zero.
        await begin(pilot)
        await pilot.pause()
        await pilot.click("#kiosk-end")
        await pilot.pause()
        assert visits_counted(tmp_path) == 1
        # A visit back at a question after the results still counts, once.
        await quick_visit(app, pilot, 2)
        await pilot.click("#back")
        await pilot.pause()
        app.action_wipe()
        await pilot.pause()
        assert visits_counted(tmp_path) == 2
    assert Stats(tmp_path).counters()[("departement", "32")] == 2


async def test_idle_wipe_counts_the_visit(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path, stats=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await quick_visit(app, pilot, 1)
        app.show_idle()
        await pilot.pause()
        idle = app.screen
        assert isinstance(idle, IdleScreen)
        idle.dismiss(True)  # what the countdown does when it runs out
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert visits_counted(tmp_path) == 1


async def test_staff_exit_counts_the_visit_on_screen(catalog: Catalog, tmp_path: Path) -> None:
    app = kiosk(catalog, tmp_path, stats=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await quick_visit(app, pilot, 1)
        await pilot.press("f12")
        await pilot.pause()
        await enter_pin(app, pilot, "2468")
    assert not app.is_running
    assert visits_counted(tmp_path) == 1
