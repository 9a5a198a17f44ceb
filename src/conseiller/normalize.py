"""French text normalisation shared by the matcher and the département finder."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_APOSTROPHES = re.compile(r"[’'`´ʼ‘]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# One word written as two ("la com com" is the communauté de communes, not communication
# twice): joined before the SMS forms are read.
_JOINED: dict[tuple[str, str], str] = {("com", "com"): "comcom"}

# SMS forms left as they are before these words ("c est" is already "c'est").
_KEPT_BEFORE: dict[str, frozenset[str]] = {
    "est": frozenset({"c", "j"}),
    "etait": frozenset({"c"}),
    "ai": frozenset({"j"}),
    "avais": frozenset({"j"}),
    "aurais": frozenset({"j"}),
    "en": frozenset({"j"}),
    "y": frozenset({"j"}),
}


def strip_controls(text: str) -> str:
    """Remove control characters (ESC, C0, C1, NUL) but keep newlines and tabs."""
    return _CONTROL.sub("", text)


def fold(text: str) -> str:
    """Lower case, no accents, no ligatures, apostrophes and punctuation as spaces."""
    text = text.translate(_LIGATURES).lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub(" ", text)
    text = _NON_WORD.sub(" ", text)
    return _REPEATS.sub(r"\1", text).strip()


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The language forms of one content (needs.yaml `language:`), built once per catalog:
    SMS and casual forms, each replacing a whole folded token, stop words, and the words
    that deny what follows them (for the safety net)."""

    sms: Mapping[str, str] = field(default_factory=dict)
    stop_words: frozenset[str] = frozenset()
    negation_words: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, sms: Mapping[str, str], stop_words: Iterable[str], negation_words: Iterable[str] = ()
    ) -> Lexicon:
        """A lexicon from content lists (keys and words folded, as the schema checks)."""
        return cls(dict(sms), frozenset(stop_words), frozenset(negation_words))

    def tokens(self, text: str) -> list[str]:
        """Folded tokens with SMS forms expanded."""
        out: list[str] = []
        words = fold(text).split()
        for i in range(len(words) - 2, -1, -1):
            joined = _JOINED.get((words[i], words[i + 1]))
            if joined is not None:
                words[i : i + 2] = [joined]
        sms = self.sms
        for tok, after in itertools.pairwise([*words, ""]):
            if tok in _KEPT_BEFORE.get(after, ()):
                out.append(tok)  # "c est" is already whole: "c" is not "c'est" there
            else:
                out.extend(sms.get(tok, tok).split())
        return out

    def content_words(self, text: str) -> list[str]:
        """Tokens that may carry meaning: no stop word, at least three letters."""
        return [w for w in self.tokens(text) if w not in self.stop_words and len(w) >= 3]


#: No SMS form, no stop word: folding only.
PLAIN = Lexicon()


def tokens(text: str, lexicon: Lexicon = PLAIN) -> list[str]:
    """Folded tokens with the lexicon's SMS forms expanded."""
    return lexicon.tokens(text)


_STEMMER: list[object] = []


def _stemmer() -> object:
    if not _STEMMER:
        import snowballstemmer

        _STEMMER.append(snowballstemmer.stemmer("french"))
    return _STEMMER[0]


# Words whose Snowball stem would collide with another meaning ("fermer" is not "ferme").
STEM_EXCEPTIONS: dict[str, str] = {
    "fermer": "fermer!",
    "fermeture": "fermer!",
    "fermons": "fermer!",
    "fermera": "fermer!",
    "ferment": "fermer!",
    "fermee": "fermer!",
    "fermees": "fermer!",
    "fermes": "ferm",
    "communication": "communication!",
    "communications": "communication!",
    "cooperative": "cooperative!",
    "cooperatives": "cooperative!",
    # the adjective ("presse locale", "monnaie locale") is not the premises ("un local")
    "locale": "locale!",
    "locales": "locale!",
    # a box or a firm ("monter sa boîte") is not "il boit"
    "boite": "boite!",
    "boites": "boite!",
}


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Snowball French stem of one folded token (plurals, conjugations, derivations)."""
    if token in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[token]
    if len(token) <= 3 or token.isdigit():
        return token
    return str(_stemmer().stemWord(token))  # type: ignore[attr-defined]
