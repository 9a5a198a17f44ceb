"""French text normalisation shared by the matcher and the département finder."""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_APOSTROPHES = re.compile(r"[’'`´ʼ‘]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# SMS and casual forms, after accents are removed; the value replaces the whole token.
SMS: dict[str, str] = {
    "jsp": "je sais pas",
    "jsais": "je sais",
    "chai": "je sais",
    "chepa": "je sais pas",
    "qqch": "quelque chose",
    "qqc": "quelque chose",
    "qqn": "quelqu un",
    "qq": "quelques",
    "koi": "quoi",
    "kwa": "quoi",
    "ki": "qui",
    "ke": "que",
    "kel": "quel",
    "kelle": "quelle",
    "pb": "probleme",
    "pbs": "problemes",
    "pbm": "probleme",
    "tjs": "toujours",
    "tjrs": "toujours",
    "bcp": "beaucoup",
    "bcq": "beaucoup",
    "pr": "pour",
    "ds": "dans",
    "vs": "vous",
    "ns": "nous",
    "tt": "tout",
    "ts": "tous",
    "mm": "meme",
    "slt": "salut",
    "bjr": "bonjour",
    "bsr": "bonsoir",
    "stp": "s il te plait",
    "svp": "s il vous plait",
    "mrc": "merci",
    "mci": "merci",
    "dc": "donc",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pcq": "parce que",
    "pck": "parce que",
    "psk": "parce que",
    "c": "c est",
    "ct": "c etait",
    "g": "j ai",
    "jai": "j ai",
    "j": "je",
    "jmen": "je m en",
    "chui": "je suis",
    "chuis": "je suis",
    "jsuis": "je suis",
    "ya": "il y a",
    "yen": "il y en",
    "yap": "il y a pas",
    "pa": "pas",
    "ps": "pas",
    "moy": "moyen",
    "asso": "association",
    "assos": "associations",
    "assoc": "association",
    "subv": "subvention",
    "subs": "subventions",
    "thune": "argent",
    "thunes": "argent",
    "tune": "argent",
    "fric": "argent",
    "oseille": "argent",
    "com": "communication",
    "cc": "communaute de communes",
    "comcom": "communaute de communes",
    "epci": "communaute de communes",
    "bp": "business plan",
    "rdv": "rendez vous",
    "tl": "tiers lieu",
    "benevs": "benevoles",
    "benev": "benevole",
    "dispo": "disponible",
    "infos": "informations",
    "info": "information",
    "qd": "quand",
    "qdm": "quand meme",
    "ojd": "aujourd hui",
    "auj": "aujourd hui",
    "ptet": "peut etre",
    "pt": "peut",
    "ptit": "petit",
    "ptite": "petite",
}


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


def tokens(text: str) -> list[str]:
    """Folded tokens with SMS forms expanded."""
    out: list[str] = []
    words = fold(text).split()
    for tok, after in itertools.pairwise([*words, ""]):
        if tok in _KEPT_BEFORE.get(after, ()):
            out.append(tok)  # "c est" is already whole: "c" is not "c'est" there
        else:
            out.extend(SMS.get(tok, tok).split())
    return out


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
