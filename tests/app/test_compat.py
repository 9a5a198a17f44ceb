"""The Textual patches: checked on one Textual version, and still hooked where they were."""

from __future__ import annotations

import inspect
from pathlib import Path

import textual
from textual.drivers import linux_driver, linux_inline_driver, web_driver

from conseiller.catalog import Catalog
from conseiller.tui import compat
from conseiller.tui.app import make_app

REAL_HOME = Path.home()  # read at import, before the private home of each test


def test_textual_is_the_version_the_patches_were_checked_on() -> None:
    """On a new Textual, re-read what compat.py patches, then update TEXTUAL_CHECKED."""
    assert textual.__version__ == compat.TEXTUAL_CHECKED == "8.2.8"


def test_the_patched_textual_code_is_still_there() -> None:
    from textual._context import active_message_pump, visible_screen_stack
    from textual._styles_cache import StylesCache
    from textual.app import App
    from textual.screen import Screen

    for module in (linux_driver, linux_inline_driver, web_driver):
        assert 'getincrementaldecoder("utf-8")()' in inspect.getsource(module)
    assert "self._fatal_error()" in inspect.getsource(App._handle_exception)
    assert "self.app.pop_screen()" in inspect.getsource(inspect.unwrap(Screen.dismiss))
    assert hasattr(StylesCache.get_inner_outer, "cache_clear")
    assert active_message_pump.name == "active_message_pump"
    assert visible_screen_stack.name == "visible_screen_stack"


def test_lenient_decoding_keeps_latin1_letters_and_drops_controls() -> None:
    compat.patch_input_decoding()
    get_decoder = getattr(linux_driver, "getincrementaldecoder")  # noqa: B009 (not exported)
    decode = get_decoder("utf-8")().decode
    assert decode(b"\xe9t\xe9 \x9b\x80x\xc3") == "été x"
    assert decode(b"\xa9") == "é"  # the rest of a character cut between two reads


def test_failures_say_type_and_place_only() -> None:
    try:
        {"Mme Dupont, 12 rue des Lilas": 1}["clé"]
    except KeyError as error:
        failure = compat.describe(error)
    assert failure.kind == "KeyError"
    assert failure.where.startswith("test_compat.py:")
    assert "Dupont" not in str(failure) and "clé" not in str(failure)
    assert str(REAL_HOME) not in str(failure) and "/" not in failure.where.split(":")[0]


async def test_a_second_dismiss_does_not_close_the_screen_below(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Échap then the dialog's button, queued in one burst: the chat stays."""
    from conseiller.tui.screens.chat import ChatScreen
    from conseiller.tui.screens.dialogs import HelpScreen

    app = make_app(catalog, data=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#start")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        help_screen.dismiss(False)
        help_screen.dismiss(False)
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)


async def test_a_take_away_without_data_folder_stays_out_of_the_real_home(
    catalog: Catalog, tmp_path: Path, private_home: Path
) -> None:
    """The app saves under the test's own data folder, never in the real home."""
    real_exports = REAL_HOME / ".local" / "share" / "conseiller" / "exports"
    before = sorted(real_exports.iterdir()) if real_exports.is_dir() else []
    app = make_app(catalog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.action_start()
        await pilot.pause()
        chat = app.screen
        for given in ("porteur", "idee", "Gers", "seul", "oui", "un local"):
            await chat.chat.answer(given)  # type: ignore[attr-defined]
        await chat.chat.answer(["local-foncier"])  # type: ignore[attr-defined]
        await chat.chat.answer("louer")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
    saved = list((private_home / "conseiller-data" / "exports").iterdir())
    assert sorted(p.suffix for p in saved) == [".html", ".md"]
    after = sorted(real_exports.iterdir()) if real_exports.is_dir() else []
    assert after == before
