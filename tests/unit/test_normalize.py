"""The normaliser folds case, accents, ligatures, punctuation, repeats and SMS forms."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conseiller.catalog import load_catalog
from conseiller.checks import check
from conseiller.lexicon import shipped_lexicon
from conseiller.matching import matcher_for
from conseiller.normalize import PLAIN, fold, stem, strip_controls, tokens
from conseiller.paths import shipped_dir
from conseiller.safety import SafetyNet

SHIPPED = shipped_lexicon()  # the SMS forms and stop words of content/needs.yaml


def test_fold_removes_accents_case_and_ligatures() -> None:
    assert fold("Économie SOLIDAIRE, cœur & Œuvre") == "economie solidaire coeur oeuvre"


def test_fold_turns_apostrophes_and_punctuation_into_spaces() -> None:
    assert fold("l’école d'été… c'est-à-dire !") == "l ecole d ete c est a dire"


def test_fold_squeezes_letters_repeated_three_times() -> None:
    assert fold("bonjouuuur merciii") == "bonjour merci"
    assert fold("accessible") == "accessible"  # a double letter is kept


def test_sms_forms_are_expanded() -> None:
    assert tokens("jsp si c koi", SHIPPED) == ["je", "sais", "pas", "si", "c", "est", "quoi"]
    assert tokens("pb de thunes", SHIPPED) == ["probleme", "de", "argent"]


def test_without_a_lexicon_words_are_only_folded() -> None:
    assert tokens("jsp si c koi") == ["jsp", "si", "c", "koi"]
    assert PLAIN.content_words("pb de thunes") == ["thunes"]


def test_stem_joins_plurals_and_conjugations() -> None:
    assert stem("financements") == stem("financement")
    assert stem("benevoles") == stem("benevole")
    assert stem("mutualiser") == stem("mutualisation")


def test_stem_keeps_apart_words_that_snowball_would_join() -> None:
    assert stem("locale") == stem("locales") != stem("local")  # "la presse locale"
    assert stem("locaux") == stem("local")  # "des locaux" are premises
    assert stem("boite") == stem("boites") != stem("boit")  # "monter sa boîte" / "il boit"


def test_strip_controls_removes_escape_sequences_but_keeps_text() -> None:
    assert strip_controls("\x1b]0;PWNED\x07ok\x00\x9b") == "]0;PWNEDok"
    assert strip_controls("ligne 1\nligne 2") == "ligne 1\nligne 2"


@given(st.text())
def test_fold_never_fails_and_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


def test_an_sms_form_already_followed_by_its_verb_is_not_expanded_twice() -> None:
    assert tokens("c'est mon dernier message", SHIPPED) == ["c", "est", "mon", "dernier", "message"]
    assert tokens("j'ai plus la force", SHIPPED) == ["j", "ai", "plus", "la", "force"]
    assert tokens("c la vie", SHIPPED) == ["c", "est", "la", "vie"]  # alone, "c" is still "c'est"
    assert tokens("j veux", SHIPPED) == ["je", "veux"]
    assert tokens("", SHIPPED) == []


# --- the language lists come from content/needs.yaml ------------------------------------


def _content(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    """A copy of the shipped content whose needs.yaml went through `edit`."""
    folder = tmp_path / "content"
    shutil.copytree(shipped_dir("content"), folder)
    needs = folder / "needs.yaml"
    text = needs.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    needs.write_text(changed, encoding="utf-8")
    return folder


def test_an_sms_form_added_in_content_is_understood(tmp_path: Path) -> None:
    text = "on cherche un lcl"
    assert matcher_for(load_catalog()).match(text).need_ids == []
    folder = _content(tmp_path, lambda t: t.replace("  sms: {", "  sms: {lcl: local, ", 1))
    matcher = matcher_for(load_catalog(folder))
    assert matcher.lexicon.tokens(text) == ["on", "cherche", "un", "local"]
    assert matcher.match(text).need_ids[:1] == ["local-foncier"]


def test_a_stop_word_added_in_content_is_ignored(tmp_path: Path) -> None:
    text = "on cherche un local"
    assert "local-foncier" in matcher_for(load_catalog()).match(text).need_ids
    folder = _content(tmp_path, lambda t: t.replace("  stop_words: [", "  stop_words: [local, "))
    matcher = matcher_for(load_catalog(folder))
    assert matcher.lexicon.content_words(text) == []
    assert "local-foncier" not in matcher.match(text).need_ids


def test_a_content_without_the_lists_reads_as_the_shipped_one(tmp_path: Path) -> None:
    def drop(text: str) -> str:
        start = text.index("  # Écritures SMS")
        return text[:start] + text[text.index("\nneeds:\n") + 1 :]

    matcher = matcher_for(load_catalog(_content(tmp_path, drop)))
    assert matcher.lexicon.sms == SHIPPED.sms
    assert matcher.lexicon.stop_words == SHIPPED.stop_words
    assert matcher.lexicon.negation_words == SHIPPED.negation_words
    assert (
        "jsp" in SHIPPED.sms and "projet" in SHIPPED.stop_words and "pas" in SHIPPED.negation_words
    )


def _line_of(text: str, needle: str, after: int = 0) -> int:
    """1-based number of the first line after line `after` that contains `needle`."""
    lines = text.splitlines()
    return next(i + 1 for i, line in enumerate(lines) if i >= after and needle in line)


@pytest.mark.parametrize(
    ("old", "new", "bad"),
    [
        ("  stop_words: [", "  stop_words: [Été, ", "Été"),
        ("  sms: {", "  sms: {kwa2: pas de Sous, ", "pas de Sous"),
        ("  sms: {", "  sms: {deux mots: quoi, ", "deux mots"),
    ],
)
def test_a_word_not_written_folded_is_reported_with_its_line(
    tmp_path: Path, old: str, new: str, bad: str
) -> None:
    folder = _content(tmp_path, lambda t: t.replace(old, new, 1))
    text = (folder / "needs.yaml").read_text(encoding="utf-8")
    report = check(folder)
    assert report.errors, report.problems
    line = _line_of(text, new)
    assert any(f"needs.yaml:{line}:" in str(p) and bad in str(p) for p in report.errors)


def test_a_stop_word_written_twice_is_reported_by_check_with_both_lines(tmp_path: Path) -> None:
    folder = _content(
        tmp_path, lambda t: t.replace("  stop_words: [", "  stop_words: [projet,\n    ")
    )
    text = (folder / "needs.yaml").read_text(encoding="utf-8")
    first = _line_of(text, "  stop_words: [projet,")
    again = _line_of(text, " projet,", after=first)
    messages = [str(p) for p in check(folder).errors]
    assert any(
        f"needs.yaml:{again}:" in m and "« projet »" in m and f"ligne {first}" in m
        for m in messages
    ), messages


def test_a_negation_word_added_in_content_reaches_the_safety_net(tmp_path: Path) -> None:
    folder = _content(
        tmp_path, lambda t: t.replace("  negation_words: [", "  negation_words: [nullement, ")
    )
    lexicon = matcher_for(load_catalog(folder)).lexicon
    assert "nullement" in lexicon.negation_words
    text = "je n'ai nullement envie de mourir"
    assert SafetyNet([("suicide", ["envie de mourir"])]).check(text) == ("suicide",)
    assert SafetyNet([("suicide", ["envie de mourir"])], lexicon=lexicon).check(text) == ()


def test_the_com_com_is_one_word_not_communication_twice() -> None:
    from conseiller.lexicon import shipped_lexicon

    lexicon = shipped_lexicon()
    assert lexicon.tokens("la com com") == ["la", "communaute", "de", "communes"]
    assert lexicon.tokens("un peu de com") == ["un", "peu", "de", "communication"]
