"""Pilot tests of the terminal app: a full walk, back and edit, hostile text, results.

They run on the fixture content (tests/data/fixture): the shipped texts can change freely."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Footer, Input, Static

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.tui.app import BaseApp, HolderApp, make_app
from conseiller.tui.screens.chat import ChatScreen
from conseiller.tui.screens.dialogs import HelpScreen, QuitScreen, UrgenceScreen
from conseiller.tui.screens.results import ResultsScreen

SIZE = (80, 24)


@pytest.fixture
def catalog(fixture_catalog: Catalog) -> Catalog:
    """The fixture content, in place of the shipped one."""
    return fixture_catalog


def app_for(catalog: Catalog, tmp_path: Path) -> HolderApp:
    return make_app(catalog, data=tmp_path)


def chat(app: HolderApp) -> ChatScreen:
    """The conversation screen, even under the results."""
    screens = [s for s in app.screen_stack if isinstance(s, ChatScreen)]
    assert screens, app.screen_stack
    return screens[-1]


def shown_text(app: HolderApp) -> str:
    """The screen's texts, no-break spaces (French typography) read as spaces."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static)).replace("\xa0", " ")


async def type_answer(app: HolderApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    field = app.screen.query_one("#free", Input)
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


async def start(app: HolderApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.click("#start")
    await pilot.pause()


async def to_needs_text(app: HolderApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """From the welcome screen to the needs question: a holder, at the idea stage, in the
    Creuse, alone, not in farming."""
    await start(app, pilot)
    await pilot.press("1", "1")
    await pilot.pause()
    await type_answer(app, pilot, "23")
    await pilot.press("1", "2")
    await pilot.pause()


async def test_full_walk_to_results_and_take_away(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert chat(app).engine.view(chat(app).state).current.id == "role"
        await pilot.press("1")  # porteur
        await pilot.pause()
        await pilot.press("1")  # idée
        await pilot.pause()
        await type_answer(app, pilot, "creuze")
        await pilot.press("2")  # collectif
        await pilot.pause()
        await pilot.press("2")  # pas agricole
        await pilot.pause()
        await type_answer(app, pilot, "on cherche un local et des bénévoles")
        boxes = {b.id: b.value for b in app.screen.query(Checkbox)}
        assert boxes["need--local-foncier"] and boxes["need--equipe-benevoles"]
        await pilot.click("#confirm")
        await pilot.pause()
        await pilot.press("1")  # louer
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        # The action buttons sit whole above the key bar, not half under it.
        actions, keys = app.screen.query_one("#actions"), app.screen.query_one(Footer)
        assert actions.region.bottom <= keys.region.y
        buttons = list(actions.query(Button))
        assert len(buttons) == 4  # at 80×24 they may be one line high (tui's narrow layout)
        assert all(b.region.height > 0 and b.region.bottom <= keys.region.y for b in buttons)
        text = shown_text(app)
        regional = catalog.contacts["reseau-exemple-nouvelle-aquitaine"].name  # Creuse's région
        assert "Pourquoi ?" in text
        assert regional in text
        assert "Creuse (23)" in text
        await pilot.click("#save")
        await pilot.pause()
        files = sorted((tmp_path / "exports").iterdir())
        assert [f.suffix for f in files] == [".html", ".md"]
        markdown = files[1].read_text(encoding="utf-8")
        assert catalog.needs["local-foncier"].label in markdown
        assert regional in markdown
        assert str(files[1]) in shown_text(app)


async def test_wrong_departement_is_asked_again_and_text_kept(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("1", "1")
        await pilot.pause()
        await type_answer(app, pilot, "atlantis")
        assert "Loire-Atlantique (44)" in shown_text(app)
        assert app.screen.query_one("#free", Input).value == "atlantis"
        assert chat(app).engine.view(chat(app).state).current.id == "departement"


async def test_back_and_modify_keep_later_answers(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("1", "2")  # porteur, création
        await pilot.pause()
        await type_answer(app, pilot, "23")
        await pilot.press("escape")
        await pilot.pause()
        screen = chat(app)
        assert screen.engine.view(screen.state).current.id == "departement"
        assert app.screen.query_one("#free", Input).value == "23"
        await type_answer(app, pilot, "23")
        await pilot.click("#edit--stade")
        await pilot.pause()
        assert screen.engine.view(screen.state).current.id == "stade"
        await pilot.press("3")  # développement
        await pilot.pause()
        profile = screen.engine.profile(screen.state)
        assert profile["stade"] == "developpement" and profile["departement"] == "23"
        assert screen.engine.view(screen.state).current.id == "collectif"


HOSTILE = ["[@click=app.quit]x[/]", "oops [/] here", "\x1b]0;PWNED\x07 ok", "é" * 5000]


@pytest.mark.parametrize("text", HOSTILE, ids=["action", "close-tag", "escape", "long"])
async def test_hostile_text_is_shown_literally(catalog: Catalog, tmp_path: Path, text: str) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_needs_text(app, pilot)
        await type_answer(app, pilot, text)
        assert app.is_running
        bubbles = [str(w.render()) for w in app.screen.query(".person")]
        shown = bubbles[-1]
        if "\x1b" in text:
            assert "\x1b" not in shown and "\x07" not in shown
            assert "]0;PWNED ok" in shown
        elif len(text) > 4000:
            assert shown.startswith("é" * 100) and len(shown) <= 4001
        else:
            assert shown == text


async def test_abstention_offers_the_list(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_needs_text(app, pilot)
        await type_answer(app, pilot, "qwerty")
        shown = shown_text(app)
        assert "Je n'ai pas bien compris" in shown
        assert "Lesquels choisissez-vous ?" in shown  # not « C'est bien ça ? »
        assert "C'est bien ça" not in shown
        # Nothing was understood: nothing to call "right", the person chooses.
        label = str(app.screen.query_one("#confirm", Button).label).replace("\xa0", " ")
        assert label == strings.UI_CONFIRM_CHOICE.replace("\xa0", " ")
        boxes = list(app.screen.query(Checkbox))
        assert len(boxes) == len(catalog.needs) and not any(b.value for b in boxes)
        boxes[1].value = True
        await pilot.click("#confirm")
        await pilot.pause()
        screen = chat(app)
        assert screen.engine.profile(screen.state)["besoins"] == [
            str(boxes[1].id).removeprefix("need--")
        ]


async def test_clarifying_question_when_unsure(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_needs_text(app, pilot)
        screen = chat(app)
        text = "trouver une salle"
        assert screen.engine.matcher.match(text).unsure
        await type_answer(app, pilot, text)
        assert "Vous pensez plutôt à" in shown_text(app)
        await pilot.click("#clarify--0")
        await pilot.pause()
        checked = [b.id for b in app.screen.query(Checkbox) if b.value]
        first = screen.engine.matcher.match(text).need_ids[0]
        assert f"need--{first}" in checked


async def test_safety_net_shows_help_lines_first(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_needs_text(app, pilot)
        await type_answer(app, pilot, "j'ai envie d'en finir")
        assert isinstance(app.screen, UrgenceScreen)
        text = shown_text(app)
        for number in ("3114", "3919", "119", "112"):
            assert number in text
        lines = [str(w.render()) for w in app.screen.query(".helpline")]
        assert lines[0].startswith("3114")  # the line for this kind of distress comes first
        await pilot.click("#no")
        await pilot.pause()
        banner = app.screen.query_one("#urgence", Static)
        assert "3114" in str(banner.render()) and not banner.has_class("hidden")


async def test_distress_typed_as_a_departement_shows_help_then_asks_again(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("1", "1")
        await pilot.pause()
        await type_answer(app, pilot, "mon mari me frappe")
        assert isinstance(app.screen, UrgenceScreen)
        lines = [str(w.render()) for w in app.screen.query(".helpline")]
        assert lines[0].startswith("3919")
        await pilot.click("#no")
        await pilot.pause()
        screen = chat(app)
        current = screen.engine.view(screen.state).current
        assert getattr(current, "slot", None) == "departement"  # the same question, again
        assert "departement" not in screen.state.answers  # the words were not kept


async def test_help_theme_and_quit_confirmation(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Échap" in shown_text(app)
        await pilot.press("escape")
        await pilot.press("f2")
        assert app.theme == "contraste-eleve"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.click("#no")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
    assert not app.is_running


async def test_every_binding_has_a_description(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        for binding in [*app.BINDINGS, *ChatScreen.BINDINGS]:
            assert not isinstance(binding, tuple)
            assert binding.description, binding


async def test_buttons_work_with_large_terminal(catalog: Catalog, tmp_path: Path) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await start(app, pilot)
        buttons = [b for b in app.screen.query(Button) if (b.id or "").startswith("opt--")]
        assert len(buttons) == 3
        await pilot.click("#opt--2")
        await pilot.pause()
        screen = chat(app)
        assert screen.engine.profile(screen.state)["role"] == "collectivite"


@pytest.mark.parametrize("size", [(80, 24), (140, 38)])
async def test_the_current_question_is_always_in_view(
    catalog: Catalog, tmp_path: Path, size: tuple[int, int]
) -> None:
    """However long the transcript and however tall the answer area, the question shows."""
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)

        async def assert_question_visible() -> None:
            await pilot.pause()
            transcript = app.screen.query_one("#transcript")
            question = transcript.query(".current").last()
            # Scrolled to the very end (or all of it fits), and the question inside the view.
            assert transcript.max_scroll_y in (0, transcript.scroll_y)
            assert question.region.height > 0, "the question is scrolled out of view"
            assert transcript.content_region.contains_region(question.region), question.region

        for step in ["1", "1", "creuse", "1", "2", "on cherche un local"]:
            await assert_question_visible()
            if step.isdigit():
                await pilot.press(step)
            else:
                await type_answer(app, pilot, step)
        await assert_question_visible()
        await pilot.click("#confirm")
        await assert_question_visible()


async def test_an_empty_answer_is_asked_again(catalog: Catalog, tmp_path: Path) -> None:
    """Enter on an empty field does not skip the question: skipping is its own button."""
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("1", "1")
        await pilot.pause()
        asked = chat(app).engine.view(chat(app).state).current.id
        await type_answer(app, pilot, "   ")
        assert chat(app).engine.view(chat(app).state).current.id == asked
        assert "Je ne sais pas" in str(app.screen.query_one("#error", Static).render())
        await pilot.click("#skip")
        await pilot.pause()
        assert chat(app).engine.view(chat(app).state).current.id != asked


async def test_starting_again_asks_first(catalog: Catalog, tmp_path: Path) -> None:
    from conseiller.tui.screens.sessions import ConfirmScreen

    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        for key in ("1", "1"):
            await pilot.press(key)
            await pilot.pause()
        await type_answer(app, pilot, "creuze")
        for key in ("2", "2"):
            await pilot.press(key)
            await pilot.pause()
        await type_answer(app, pilot, "on cherche des bénévoles")
        await pilot.click("#confirm")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.click("#restart")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#no")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)  # nothing forgotten
        await pilot.click("#restart")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert chat(app).engine.view(chat(app).state).current.id == "role"


def test_each_command_starts_the_app_of_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`conseiller`, `conseiller accompagnement` and `conseiller borne` each start their own
    app class (screens read its `kiosk` capability, never a mode name)."""
    from conseiller.cli import main
    from conseiller.kiosk import set_pin
    from conseiller.tui.advisor_app import AdvisorApp
    from conseiller.tui.kiosk_app import KioskApp

    started: list[BaseApp] = []

    def run(self: BaseApp, *args: object, **kwargs: object) -> None:
        started.append(self)
        if isinstance(self, KioskApp):
            self.staff_exit = True  # the kiosk ends only when staff leave

    monkeypatch.setattr(BaseApp, "run", run)
    set_pin(tmp_path, "2468")
    data = ["--data", str(tmp_path)]
    assert main(data) == 0
    assert main(["accompagnement", *data, "--retention", "30d"]) == 0
    assert main(["borne", *data]) == 0
    holder, advisor, kiosk = started
    assert type(holder) is HolderApp and not holder.kiosk
    assert type(advisor) is AdvisorApp and not advisor.kiosk
    assert advisor.retention.days == 30
    assert type(kiosk) is KioskApp and kiosk.kiosk


async def test_needs_skipped_are_chosen_from_the_list_without_a_false_summary(
    catalog: Catalog, tmp_path: Path
) -> None:
    """« Je ne sais pas » at the needs: the list, asked for as a list (no « pas compris »)."""
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_needs_text(app, pilot)
        await pilot.click("#skip")
        await pilot.pause()
        shown = shown_text(app)
        assert "Lesquels choisissez-vous ?" in shown and "Cochez dans la liste." in shown
        assert strings.UI_CHOOSE_NEEDS.replace("\xa0", " ") in shown
        assert "Je n'ai pas bien compris" not in shown and "C'est bien ça ?" not in shown
        boxes = list(app.screen.query(Checkbox))
        assert len(boxes) == len(catalog.needs) and not any(b.value for b in boxes)


async def test_the_clarifying_question_is_numbered_and_takes_digit_keys(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_needs_text(app, pilot)
        screen = chat(app)
        text = "trouver une salle"
        ranked = screen.engine.matcher.match(text).need_ids
        await type_answer(app, pilot, text)
        labels = [
            str(b.label) for b in app.screen.query(Button) if str(b.id).startswith("clarify--")
        ]
        assert [label[:3] for label in labels] == ["1. ", "2. ", "3. ", "4. "]
        assert labels[3] == "4. Ni l'un ni l'autre"
        await pilot.press("2")  # the second reading
        await pilot.pause()
        checked = [b.id for b in app.screen.query(Checkbox) if b.value]
        assert checked == [f"need--{ranked[1]}"]


async def test_after_clarifying_only_what_was_heard_is_ticked(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conseiller.matching import MatchResult, NeedMatch

    first, second, offered = sorted(catalog.needs)[:3]
    heard = MatchResult(
        "x",
        [NeedMatch(first, 80.0), NeedMatch(second, 79.0, False), NeedMatch(offered, 40.0, False)],
        unsure=True,
    )
    app = app_for(catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_needs_text(app, pilot)
        screen = chat(app)
        monkeypatch.setattr(screen.engine.matcher, "match", lambda text: heard)
        await type_answer(app, pilot, "le local on l'a déjà, maintenant il faut des sous")
        await pilot.press("2")
        await pilot.pause()
        checked = [b.id for b in app.screen.query(Checkbox) if b.value]
        assert checked == [f"need--{second}"]  # not the third, offered unticked
