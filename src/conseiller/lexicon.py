"""A content's language forms (SMS forms, stop words) as one `Lexicon`, with defaults."""

from __future__ import annotations

from functools import lru_cache

from conseiller.loader import load_model
from conseiller.normalize import Lexicon
from conseiller.paths import shipped_dir
from conseiller.schema import Language, NeedsFile


@lru_cache(maxsize=1)
def shipped_language() -> Language:
    """The `language:` section of the shipped content/needs.yaml (read once)."""
    return load_model(NeedsFile, shipped_dir("content") / "needs.yaml")[0].language


def lexicon_of(language: Language) -> Lexicon:
    """The lexicon of a content's `language:` section; a list it leaves out (None) is the
    shipped content's, so that a content folder without them reads French as before."""
    sms = language.sms
    stop_words = language.stop_words
    negation_words = language.negation_words
    if sms is None or stop_words is None or negation_words is None:
        shipped = shipped_language()
        sms = shipped.sms if sms is None else sms
        stop_words = shipped.stop_words if stop_words is None else stop_words
        negation_words = shipped.negation_words if negation_words is None else negation_words
    return Lexicon.of(sms or {}, stop_words or (), negation_words or ())


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The shipped content's lexicon (for a safety net or matcher built without a catalog)."""
    return lexicon_of(shipped_language())
