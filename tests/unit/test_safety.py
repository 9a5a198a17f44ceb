"""The safety net: distress found by kind, with typos and SMS; everyday talk left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conseiller.catalog import Catalog
from conseiller.engine import Engine
from conseiller.matching import Matcher, safety_net_for
from conseiller.safety import PatternError, SafetyNet, compile_pattern
from conseiller.schema import EndNode

DEV = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "safety" / "dev.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def net(catalog: Catalog) -> SafetyNet:
    return safety_net_for(catalog)


@pytest.mark.parametrize("item", DEV["distress"], ids=lambda i: i["text"][:30])
def test_distress_is_found_with_its_kind(net: SafetyNet, item: dict[str, str]) -> None:
    assert item["kind"] in net.check(item["text"])


@pytest.mark.parametrize("text", DEV["everyday"])
def test_everyday_hyperbole_and_hard_subjects_raise_no_alarm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()


def test_a_misspelt_word_is_corrected_only_towards_a_close_word() -> None:
    net = SafetyNet([("suicide", ["me pendre"])])
    assert net.check("je vais me pendr") == ("suicide",)  # one letter missing
    assert net.check("je vais me perdre en route") == ()  # one letter changed: another word


def test_a_negation_just_before_cancels_a_match() -> None:
    net = SafetyNet([("suicide", ["envie de mourir"])])
    assert net.check("j'ai envie de mourir") == ("suicide",)
    assert net.check("je n'ai pas envie de mourir") == ()


def test_hold_back_covers_a_project_about_a_hard_subject() -> None:
    net = SafetyNet([("suicide", ["suicid*"])], hold_back=["prevention ... suicid* >"])
    assert net.check("on fait de la prévention du suicide") == ()
    assert net.check("je pense au suicide") == ("suicide",)


def test_idioms_are_neutralised_before_reading() -> None:
    net = SafetyNet([("danger", ["me tuer"])], idioms={"me tuer a la tache": "trop travailler"})
    assert net.check("je vais me tuer à la tâche") == ()


@pytest.mark.parametrize("pattern", ["", "a ( b", "x [y]", "__import__('os')", "a{2}"])
def test_a_pattern_outside_the_small_language_is_refused(pattern: str) -> None:
    with pytest.raises(PatternError):
        compile_pattern(pattern)


def test_the_pattern_language() -> None:
    assert compile_pattern("me (tuer|pendre)").search("je vais me pendre")
    assert compile_pattern("suicid*").search("suicidaire")
    assert compile_pattern("il ... frappe").search("il me frappe")
    assert not compile_pattern("il ... frappe").search("il a dit que le voisin frappe")
    assert compile_pattern("en finir $").search("je veux en finir")
    assert not compile_pattern("en finir $").search("je veux en finir avec ca")


def test_a_huge_text_is_read_quickly_and_only_in_part(net: SafetyNet) -> None:
    text = "on cherche un local " * 5000 + "je veux mourir"
    assert net.check(text) == ()  # beyond MAX_CHARS: not read, not slow


def test_matcher_gives_the_kinds_and_no_need(matcher: Matcher) -> None:
    result = matcher.match("mon mari me frappe et je cherche un local")
    assert result.urgence and result.alerts == ("violences-conjugales",)
    assert result.matches == []


def test_distress_in_the_departement_field_shows_help_and_asks_again(engine: Engine) -> None:
    state = engine.start()
    view = engine.view(state)
    while not isinstance(view.current, EndNode) and view.current.slot != "departement":
        state = engine.answer(state, None if view.current.optional else "1")
        view = engine.view(state)
    state = engine.answer(state, "jai plu la force de vivr")
    view = engine.view(state)
    assert not isinstance(view.current, EndNode)
    assert view.current.slot == "departement"  # asked again
    assert view.urgence and view.alerts == ("suicide",)
    assert "departement" not in state.answers  # the words are not kept
    state = engine.answer(state, "Creuse")
    view = engine.view(state)
    assert view.urgence and view.alerts == ("suicide",)  # the help stays on show
    assert engine.profile(state)["departement"] == "23"


def test_help_lines_follow_the_kind(catalog: Catalog) -> None:
    urgence = catalog.about.urgence
    assert urgence.lines_for(["suicide"])[0].number == "3114"
    assert urgence.lines_for(["violences-conjugales"])[0].number == "3919"
    assert urgence.lines_for(["enfance-en-danger"])[0].number == "119"
    numbers = [line.number for line in urgence.lines]
    assert {"3114", "3919", "119", "17", "112", "114"} <= set(numbers)
    assert all(line.source and line.checked_on for line in urgence.lines)


def test_check_finds_an_unknown_kind_a_kind_without_line_and_a_bad_pattern(
    content_copy: tuple[Path, Path],
) -> None:
    from conseiller.checks import check

    content, flows = content_copy
    about = content / "about.yaml"
    text = about.read_text(encoding="utf-8")
    text = text.replace("      kinds: [enfance-en-danger]", "      kinds: [enfance]")
    text = text.replace(
        "[violences-conjugales, enfance-en-danger, danger]", "[violences-conjugales, danger]"
    )
    text = text.replace('        - "au secours"', '        - "au secours ["')
    about.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check(content, flows).problems]
    assert any("about.yaml:" in p and "« enfance » inconnu" in p for p in problems)
    assert any("enfance-en-danger" in p and "aucun numéro" in p for p in problems)
    assert any("au secours [" in p and "about.yaml:" in p for p in problems)


@pytest.mark.parametrize("text", ["sous 5m tab", "je cherche des sous [5m ici tab", "tab tab tab"])
def test_junk_with_a_known_word_or_two_raises_no_alarm(net: SafetyNet, text: str) -> None:
    assert net.check(text) == ()
