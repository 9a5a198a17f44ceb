"""The normaliser folds case, accents, ligatures, punctuation, repeats and SMS forms."""

from hypothesis import given
from hypothesis import strategies as st

from conseiller.normalize import fold, stem, strip_controls, tokens


def test_fold_removes_accents_case_and_ligatures() -> None:
    assert fold("Économie SOLIDAIRE, cœur & Œuvre") == "economie solidaire coeur oeuvre"


def test_fold_turns_apostrophes_and_punctuation_into_spaces() -> None:
    assert fold("l’école d'été… c'est-à-dire !") == "l ecole d ete c est a dire"


def test_fold_squeezes_letters_repeated_three_times() -> None:
    assert fold("bonjouuuur merciii") == "bonjour merci"
    assert fold("accessible") == "accessible"  # a double letter is kept


def test_sms_forms_are_expanded() -> None:
    assert tokens("jsp si c koi") == ["je", "sais", "pas", "si", "c", "est", "quoi"]
    assert tokens("pb de thunes") == ["probleme", "de", "argent"]


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
    assert tokens("c'est mon dernier message") == ["c", "est", "mon", "dernier", "message"]
    assert tokens("j'ai plus la force") == ["j", "ai", "plus", "la", "force"]
    assert tokens("c la vie") == ["c", "est", "la", "vie"]  # alone, "c" is still "c'est"
    assert tokens("j veux") == ["je", "veux"]
    assert tokens("") == []
