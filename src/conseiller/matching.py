"""Free text to ranked need ids (rapidfuzz over stemmed vocabulary); abstains when unsure."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from rapidfuzz import fuzz, process

from conseiller.lexicon import lexicon_of, shipped_lexicon
from conseiller.normalize import Lexicon, fold, stem
from conseiller.paths import cache_dir
from conseiller.safety import LearnedReading, SafetyNet
from conseiller.schema import ExamplesFile, Language, Need
from conseiller.similarity import NOTHING, LinearReading

if TYPE_CHECKING:
    from conseiller.catalog import Catalog

# Phrases that say a need is *not* wanted: the words after them, up to a clause break,
# count for nothing ("pas besoin de local, on cherche des bénévoles").
_NEGATIONS = re.compile(
    r"\b(pas|plus|aucun|aucune|nul|jamais|ni) (vraiment |trop )?(de |d )?(besoin|soucis?|probleme|"
    r"problemes|difficulte|difficultes|inquietude) (a|d|de|du|des|pour|avec|cote|niveau|sur)\b"
    r"|\b(ca va|ca roule|tout roule|(?<!\bsi )ca marche|c est bon|c est regle|c est ok|"
    r"tout va bien|on est bon|on a deja|j ai deja|on a ce qu il faut|rien a signaler|"
    r"deja (?=(accompagne|accompagnee|accompagnes|accompagnees|suivi|suivie|suivis|suivies|"
    r"soutenu|soutenue|soutenus|soutenues|finance|financee|finances|financees|forme|formee|"
    r"formes|formees|entoure|entouree|entoures|entourees|reconnu|reconnue|reconnus|reconnues|agree|"
    r"agrees|agreee|agreees|labellise|labellises|labellisee|labellisees|esus)\b)|"
    r"nous avons deja|avons deja|on s en sort|(pas|plus) la peine|ne cherche pas|cherche pas|"
    r"pas chercher|(on a|j ai|nous avons|on|je) (laisse|laissons|laisser) tomber|"
    r"(ne|n) (cherche|cherchons|cherchent) plus|cherchons (pas|plus)|"
    r"(renonce|renonces|renoncer|arrete|arretes) (a|d|de)|"
    r"abandonne l idee (de|d)|(pas|plus) en (galere|manque) (de|d|pour|niveau|cote)|"
    r"^(regle|reglee|regles|reglees|ok|fini|finie|boucle|bouclee) (pour|cote|niveau|question)\b|"
    r"sans parler (de|d|du|des)|(on|je|nous) (s en|m en|nous en) (fiche|fiche pas mal|fout|moque) "
    r"(de|d|du|des)|\bni(?= ([a-z]+ ){1,3}ni\b)|"
    r"(je|on|nous) (ne|n) (veux|veut|voulons|souhaite|souhaitons) ni|"
    r"(je suis|on est|nous sommes) pas(?= (tout |toute |tous |toutes )?(seul|seule|seuls|seules|"
    r"isole|isolee|isoles|isolees)\b)|"
    r"on a (trouve|obtenu|recrute|decroche)|j ai (trouve|obtenu|recrute|decroche)|"
    r"nous avons (trouve|obtenu|recrute|decroche)|"
    r"n ai pas besoin|n avons pas besoin|a pas besoin|ai pas besoin|no need|don t need|"
    r"do not need|not looking|(ne|n) (manque|manquons|manquent) (pas|jamais|plus) (de|d)|"
    r"(^|(je|j|on|nous) (ne |n )?(suis|est|sommes) )pas (interesse|interessee|interesses|"
    r"interessees) par|(^|(j|on|nous) (n )?(ai|a|avons) )pas envie (de|d)|"
    r"pas question (de|d)|inutile (de|d) (me |nous )?(parler|proposer)( de| d)?|"
    r"(je|on|nous) (ne |n )?(veux|veut|voulons|souhaite|souhaitons) pas"
    r"(?! (que|etre|rester|"
    r"continuer|finir|perdre|fermer|abandonner|lacher|laisser|tout|y arriver|se retrouver)\b)|"
    r"((ne|n) )?(me|nous|se) (sens|sent|sentons|sentent) (pas|plus)(?= (du tout )?(tout |toute |"
    r"tous |toutes )?(seul|seule|seuls|seules|isole|isolee|isoles|isolees)\b)|"
    r"(ne|n) (suis|est|sommes|etes|sont) (pas|plus)(?= (tout |toute |tous |toutes )?"
    r"(seul|seule|seuls|seules|isole|isolee|isoles|isolees)\b)|"
    r"(on est|nous sommes|je suis|on se sent) ((bien|tres bien|deja|vraiment|super) ){0,2}"
    r"(?=(entoure|entoures|entouree|entourees|accompagne|accompagnes|accompagnee|accompagnees|soutenu|"
    r"soutenus|soutenue|soutenues|finance|finances|financee|financees)\b))"
    r"\b( (pour|cote|niveau|avec|de|d|du|des|la|le|les))?"
)
# The same said after the thing, closing its clause: "le financement ça va", "la mairie nous
# suit déjà". The words before the cue count for nothing.
_SATISFIED_TEXT = (
    r"\b(ca va|ca va bien|ca roule|tout roule|tout baigne|ca baigne|c est bon|c est regle|c est ok|"
    r"c est fait|c est deja fait|(en )?(fais|fait|faisons|font) (deja )?partie|"
    r"pas de souci|pas de soucis|pas de probleme|aucun souci|aucun probleme|on gere|on s en sort|"
    r"(nous|me|m|les|le|la) (suit|suivent|soutient|soutiennent|aide|aident) deja|deja regle|"
    r"(?<!\bne )(?<!\bn )(nous|me|m) (suit|suivent|soutient|soutiennent|accompagne|accompagnent)"
    r"( bien| a fond| vraiment)?|"
    r"(?<!\bne )(?<!\bn )(nous|me|m) (en )?(prete|pretent|a prete|ont prete|laisse|laissent|"
    r"met a disposition|mettent a disposition)(?! tomber)|(tient|tiennent) la route|"
    r"(participe|participent|s implique|s impliquent|repond|repondent) (deja|bien|beaucoup)|"
    r"(a|ont) (deja )?(dit oui|accepte|accorde|donne son accord|donne leur accord|vote pour)|"
    r"(?<!\bpas )(?<!\bplus )(tout )?(est|sont) (deja |bien |tous |toutes )?(regle|regles|reglee|"
    r"boucle|bouclee|boucles|ok|bon|bons|bonne|bonnes|solide|solides|viable|viables|rentable|"
    r"rentables|convaincu|convaincus|convaincue|convaincues|passe|passee|"
    r"acquis|acquise|assure|assuree|trouve|trouves|trouvee|d accord|avec nous|de notre cote|"
    r"choisi|choisie|choisis|fait|faite|faits|signe|signee|cree|creee|crees|obtenu|obtenue|vote|"
    r"votee|valide|validee|lance|lancee|en place|sur les rails|concluant|concluante|concluants|"
    r"a fond|genial|top|nickel|parfait|tranche|tranchee|tranches|tranchees|resolu|resolue|"
    r"resolus|resolues|finalise|finalisee|finalises|finalisees|termine|terminee|termines|"
    r"terminees|"
    r"partant|partants|partante|partantes|motive|motives|motivee|motivees)|"
    r"on l a deja|on les a deja|on a deja|j ai deja|ca se passe bien|tout va bien|ok|is fine|"
    r"(on l a|on les a|je l ai|je les ai|nous l avons)( deja)?( (trouve|trouvee|trouves|fait|faite|"
    r"eu|eue|obtenu|obtenue|verifie|verifiee|choisi|choisie|signe|signee|monte|montee))?|"
    r"(c est|ce n est|n est) (pas|plus) (le|un|notre|mon|ma|nos|mes) (probleme|souci|sujet)|"
    r"(ne|n) (manque|manquent) pas|(ne|n) (est|sont) pas (le|un|notre) (probleme|souci|sujet)|"
    r"(ne|n) (pose|posent) (pas |aucun )?(de )?(probleme|souci)|ca (tourne|marche|avance) bien|"
    r"(va|vont|marche|marchent|tourne|tournent|roule|roulent) (tres |super )?bien|"
    r"(se passe|se passent) (tres |super )?bien|"
    r"(?<!\bne )(?<!\bn )(?<!\bpas )(?<!\bplus )(?<!\brien )(fonctionne|fonctionnent)$|"
    r"(n )?en (a|ai|avons) (pas|plus) besoin|pas besoin$)"
)
# Settled cues that settle only when they close their clause: « la subvention est tombée »
# (not « tombée à l'eau »), and « on a » said alone (« financement ? on a »).
_CLOSING_ONLY_TEXT = (
    r"\b(est|sont) (tombe|tombee|tombes|tombees)|"
    r"(?<!\bne )(?<!\bn )\b(tient|tiennent)( bien| le coup)?|"
    r"^(on|j|nous) (l |les |en )?(a|ai|avons)( deja)?( tout| ce qu il faut| un| une| plein| assez|"
    r" largement| beaucoup)?|"
    r"(?<!\bne )(?<!\bn )(?<!\bqui )(?<!\bon )(?<!\bje )\b(suit|suivent)"
)
_SATISFIED_AFTER = re.compile(
    rf"({_SATISFIED_TEXT}|{_CLOSING_ONLY_TEXT})( (de ce cote|pour ca|pour l instant|merci|"
    r"sans (aucun )?(probleme|souci|soucis|difficulte)|sans peine|facilement))?$"
)
# The same followed by a few words that ask nothing ("les financements sont bouclés grâce à
# la région", "le business plan est fait et validé").
_SATISFIED_WITHIN = re.compile(_SATISFIED_TEXT + r"\b")
# Notes without a verb: a thing and its settled participle closing a short clause
# (« financement bouclé, terrain trouvé », « statut ok, asso créée »; « créée » folds to
# « cre »).
_PARTICIPLES = frozenset(
    {
        *("regle", "reglee", "regles", "reglees", "boucle", "bouclee", "boucles", "bouclees"),
        *("trouve", "trouvee", "trouves", "trouvees", "obtenu", "obtenue", "obtenus", "obtenues"),
        *("signe", "signee", "signes", "signees", "cre", "cree", "crees", "acquis", "acquise"),
        "ok",
    }
)
_TELEGRAPHIC = re.compile(
    r"(?<!\bpas )(?<!\bplus )(?<!\bjamais )(?<!\bencore )(?<!\bne )(?<!\bn )(?<!\bje )"
    r"(?<!\bj )(?<!\bon )(?<!\bil )(?<!\belle )(?<!\btu )(?<!\bnous )"
    r"(?<!\bqui )(?<!\bque )(?<!\bsoit )(?<!\betre )"
    rf"\b({'|'.join(sorted(_PARTICIPLES))})$"
)
TELEGRAPHIC_WORDS = 4  # at most this many words before the participle: a note, not a sentence
SATISFIED_TAIL_WORDS = 4
_TIME_AGO = re.compile(r" (il y a|depuis|l an dernier|l annee derniere|hier|deja|en [0-9]+)\b")
# A settled cue after these asks rather than settles ("je voudrais savoir si la boutique
# marche bien").
_WONDERS = re.compile(
    r"\b(si|savoir|comment|est ce que|pourquoi)\b|"
    r"^(qui|quoi|quel|quelle|quels|quelles|ou|combien)\b"
)
# ... or when a request governs it ("j'ai besoin qu'on m'accompagne", "il faut que la banque
# suive").
_REQUEST = re.compile(
    r"\b(besoin|cherch[a-z]*|voudr[a-z]*|aimer[a-z]*|souhait[a-z]*|faut|faudrait|pour qu|pour que|"
    r"afin qu|afin que)\b"
)
# A clause of thanks ("merci la région", "grâce à la mairie") tells who helped: background.
_THANKS_TEXT = r"(merci|grace a|grace au|grace aux)\b"
_THANKS = re.compile("^" + _THANKS_TEXT)
# ... when the clause names what is settled before the cue (a determiner and a word: "le
# financement est bouclé depuis mars", not "on s'est fait une raclette").
_NAMED = re.compile(
    r"\b(le|la|l|les|notre|nos|mon|ma|mes|son|sa|ses|leur|leurs|du|des|un|une|niveau|cote|"
    r"question) [a-z]"
)
# "c'est pas X, c'est Y": X is denied when the clause or the next one says what it is instead.
_DENIED_THEN = re.compile(r"\b(c est|ce n est|ce est|n est|c etait) (pas|plus)\b")
# Where a clause asks again after a denial ("pas besoin d'argent, c'est un lieu qu'il faut").
_REASSERT = re.compile(
    r"\b(c est|ce sont|ce qui|ce qu|ce dont|il (nous|me|m|y) (faut|faudrait|manque)|"
    r"(on|je|nous) (cherche|cherchons|voudrait|voudrais|voudrions|aimerait|aimerais)|reste a|"
    r"(j ai|on a|nous avons|j aurais|on aurait) besoin|"
    r"le souci|le probleme|le hic|sauf|reste)\b"
)
# A clause that asks for or complains about something: a settled clause's scope stops there
# ("le local c'est réglé, on a la salle, il nous faut des bras" settles the first two).
_ASKS = re.compile(
    r"\b(cherch[a-z]*|besoin|manqu[a-z]*|faut|faudrait|voudr[a-z]*|aimer[a-z]*|souhait[a-z]*|"
    r"aide|aider|comment|galer[a-z]*|probleme|soucis?|bloqu[a-z]*|coinc[a-z]*|difficile[s]?|"
    r"dur|peine|pech[a-z]*|reste|trouver|savoir|sais|sait|comprend[a-z]*|rien|pas|plus|"
    r"aucun|aucune|personne|jamais|trop|moins)\b"
)
# A clause that states what one has or is ("on a la salle des fêtes", "l'équipe aussi"): after a
# settled clause, it is settled too.
_STATES = re.compile(
    r"\b(on a|j ai|nous avons|ils ont|elles ont|il a|elle a|on est|nous sommes|est|sont|aussi|"
    r"egalement|pareil|idem)\b"
)
# Where a later clause says what the matter is ("ce qui manque c'est…", "le souci c'est…",
# "maintenant il faut…", "reste à…"): the clauses before it that only tell what one has
# (_HAVE, asking nothing) are background, settled ("les bénévoles on en a plein, c'est la
# formation qui manque").
_FOCUS = re.compile(
    r"\b(ce qui (nous |me )?(manque|manquent|coince|bloque|peche|pose probleme)|"
    r"ce qu il (nous |me )?(faut|faudrait|manque)|ce dont|"
    r"(le|notre|mon|seul|vrai|gros) (souci|probleme|hic|frein)|"
    r"maintenant (il )?(nous |me )?(faut|faudrait)|reste a|reste plus qu a|"
    r"il (nous|me) (manque|faut|faudrait)|"
    r"qui (manque|manquent|coince|coincent|bloque|bloquent|peche|pechent|pose probleme))\b"
)
# The frame of a request that points at what the matter is ("ce qui manque c'est…", "le souci
# c'est…", "maintenant il faut…"): its words name no need, and the learned reading, which
# heard them in many needs' examples, would take them for one.
_FRAME = re.compile(
    r"(?<!\best )\bce (qui|qu|que|dont)( [a-z]+){1,4} c est\b|"
    r"\b(le|notre|mon|un|seul|vrai|gros|grand) (souci|probleme|hic|frein|blocage)"
    r"( [a-z]+){0,2} c est\b|"
    r"\bmaintenant (il )?(nous |me |m )?(faut|faudrait)\b|\breste (plus qu )?a\b"
)
# Any cue that may leave words of a clause out of what the learned reading reads: a clause
# without one is read whole (a quick test, when the readings' examples are read; one search
# each is faster than one search of them all).
_MAY_SETTLE = (
    _NEGATIONS,
    _DENIED_THEN,
    _SATISFIED_WITHIN,  # and so _SATISFIED_AFTER, but for the cues that only close a clause
    _FRAME,
    _FOCUS,
    re.compile(rf"{_CLOSING_ONLY_TEXT}|\b{_THANKS_TEXT}"),
)


def _may_settle(clause: str) -> bool:
    """The quick test: a cue of `_MAY_SETTLE`, or a verbless note's participle closing the
    clause (what `_TELEGRAPHIC` needs before its look-behinds are tried)."""
    return clause.rpartition(" ")[2] in _PARTICIPLES or any(
        cue.search(clause) for cue in _MAY_SETTLE
    )


_HAVE = re.compile(
    r"\b(on|j|nous|ils|elles) (en |l |les |y )?(a|ai|avons|ont)\b|\bon sait\b|"
    r"\b(nous|me|m) (suit|suivent|soutient|soutiennent|accompagne|accompagnent)\b"
)
_WANTS = re.compile(r"\b(veut|veux|voulons|voulez|veulent|envie|idee|projet)\b")
# A feminine adjective kept apart from the noun by normalize.STEM_EXCEPTIONS ("la presse
# locale" is not "un local") is still the noun, misspelt, right after a determiner ("un locale").
_DETERMINERS_TEXT = "un une le la l les des du au aux mon ma mes ton ta tes son sa ses notre nos \
votre vos leur leurs ce cet cette ces"
DETERMINERS = frozenset(_DETERMINERS_TEXT.split())
NOUN_AFTER_DETERMINER = {"locale": stem("local"), "locales": stem("local")}
# A need's word that is a preposition when a determiner follows it: "des sous" is money,
# "sous la neige" is not.
PREPOSITIONS_BEFORE_DETERMINER = frozenset({"sous"})
# Words that join two parts of a clause ("un local et des sous"): a second need is pre-selected
# only when words of its own stand in a part where the first need has none.
PART_JOINERS = frozenset({"et", "ou", "puis", "aussi", "ainsi", "egalement"})
_CLAUSE_BREAK = re.compile(
    r"[,.;:!?()\n]|\b(mais|par contre|en revanche|cependant|pourtant|plutot|sauf que|but|"
    r"however)\b"
)
_LETTERS = re.compile(r"[a-z]")
# Once accents are gone, "à" is "a": before an article, a number or an infinitive it is the
# preposition ("un tiers-lieu à 60 km", "un bail à négocier"), not the verb that tells a past
# event ("le maire a inauguré"); and "c'est" judges ("l'hiver c'est mort") more than it tells.
# Both are left out of the narrative cues.
_NOT_NARRATIVE = re.compile(
    r"(?<= )a(?= (la|le|les|l|au|aux|ma|mon|mes|sa|son|ses|notre|nos|votre|vos|"
    r"leur|leurs|ce|cette|ces|cote|cause|partir|plusieurs|moi|nous|vous|eux|[0-9]+[a-z]*|"
    r"[a-z]+(er|ir|re)) )|(?<= c )est(?= )"
)
_MARKUP = re.compile(r"<[^<>]{0,60}>|\[/?[@a-zA-Z#$][^\[\]]{0,60}\]|&[a-z]{2,8};|\{\{.*?\}\}")

#: Only this much of a text is read; `MatchResult.shortened` says when more was written,
#: so that a front can tell the person instead of cutting silently.
MAX_TEXT = 2000

#: The rules of this module decide which words of an example the learned reading reads
#: (`Matcher._said`): a change to them is a change to its cached weights' key.
_RULES_KEY = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

# Text that looked like markup is read once the tags are removed, if this many content
# words are left ("[/] on cherche [red]un local[/red] et des sous" is a sentence).
MARKUP_MIN_WORDS = 2

# A word that only appears inside a listed expression ("financement" in "plan de
# financement") weighs this share of the expression: the expression is the evidence.
EXPRESSION_PART = 0.7

# Weight of each vocabulary list in a need's profile.
LIST_WEIGHTS = {"words": 1.0, "synonyms": 0.9, "english": 0.9, "phrases": 0.45}


@dataclass(frozen=True)
class NeedMatch:
    """One need understood in a text, with a score from 0 to 100."""

    need: str
    score: float
    likely: bool = True


@dataclass(frozen=True)
class MatchResult:
    """What the matcher understood: ranked needs, and whether it should ask or warn."""

    text: str
    matches: list[NeedMatch] = field(default_factory=list)
    unsure: bool = False
    alerts: tuple[str, ...] = ()
    shortened: bool = False  # the text was longer than MAX_TEXT: only its start was read

    @property
    def urgence(self) -> bool:
        """True when the safety net fired (the help lines are shown first)."""
        return bool(self.alerts)

    @property
    def need_ids(self) -> list[str]:
        """The ids, best first."""
        return [m.need for m in self.matches]

    @property
    def likely_ids(self) -> list[str]:
        """The ids the person most probably meant (pre-selected in the UIs)."""
        return [m.need for m in self.matches if m.likely]

    @property
    def abstained(self) -> bool:
        """True when nothing was understood (and no alert was raised)."""
        return not self.matches and not self.urgence


class _Evidence(NamedTuple):
    ranked: list[tuple[str, float]]
    rows: dict[str, list[float]]
    coverage: float
    words: list[str]
    said: str
    parts: list[int]
    part_said: dict[int, str]


@dataclass(frozen=True)
class _Token:
    stem: str
    negated: bool
    word: str = ""
    part: int = 0  # which clause or joined part of one ("un local | et | des sous") it is in


def _clauses(text: str, lexicon: Lexicon) -> list[str]:
    """Split raw text at punctuation and contrast words, then fold each clause."""
    return [clause for clause, _ in _marked_clauses(text, lexicon)]


def _marked_clauses(text: str, lexicon: Lexicon) -> list[tuple[str, bool]]:
    """`_clauses`, each with whether a contrast word ("mais", "par contre", "sauf que"…) opens
    it."""
    out: list[tuple[str, bool]] = []
    contrast = False
    for part in _CLAUSE_BREAK.split(text.lower()):
        if not part:
            continue
        if _CLAUSE_BREAK.fullmatch(part):
            contrast = contrast or bool(_LETTERS.search(part))
            continue
        folded = " ".join(lexicon.tokens(part))
        if folded:
            out.append((folded, contrast))
            contrast = False
    return out


def _cue_spans(clause: str) -> list[tuple[int, int]]:
    """Where the denial and settled cues stand in a clause: their own words ("ça roule",
    "sont motivés") are no evidence for any need."""
    found = (_negation(clause), _satisfied(clause), _FRAME.search(clause))
    return [m.span() for m in found if m]


def _said_of_it(clause: str) -> re.Match[str] | None:
    """A settled cue said of a thing named in the clause before ("le maire, lui, il est à fond
    pour le projet"; "le diagnostic, on l'a fait il y a deux ans"), followed by a few words
    that ask nothing: « est », « sont », « c'est »…, or a time after « on l'a fait »."""
    for found in _SATISFIED_WITHIN.finditer(clause):
        tail = clause[found.end() :]
        if _ASKS.search(tail):
            continue
        if _TIME_AGO.match(tail) and len(tail.split()) <= SATISFIED_TAIL_WORDS + 2:
            return found
        if (
            found.group(0).startswith(("est ", "sont ", "c est "))
            and len(tail.split()) <= SATISFIED_TAIL_WORDS
        ):
            return found
    return None


# A clause is read for its cues several times in one match (its denied span, its cues' own
# words, whether the text settles something): a few of the last answers are kept. Too few to
# keep anything from one text to the next (a text has a handful of clauses).
_CLAUSE_MEMO = 32


@functools.lru_cache(maxsize=_CLAUSE_MEMO)
def _negation(clause: str) -> re.Match[str] | None:
    """The denial cue of a clause (`_NEGATIONS`), if any."""
    return _NEGATIONS.search(clause)


def _satisfied(clause: str) -> re.Match[str] | None:
    """A settled cue closing its clause, or followed only by a few words that ask nothing
    (after the thing it settles is named in the clause)."""
    return _satisfied_within(clause, SATISFIED_TAIL_WORDS, TELEGRAPHIC_WORDS)


@functools.lru_cache(maxsize=_CLAUSE_MEMO)
def _satisfied_within(clause: str, tail_words: int, note_words: int) -> re.Match[str] | None:
    """`_satisfied`, with its two lengths (a change to them is a change to the answer)."""
    found = _SATISFIED_AFTER.search(clause)
    if found is not None:
        asked = _WONDERS.search(clause, 0, found.start()) or _REQUEST.search(
            clause, 0, found.start()
        )
        return None if asked else found
    found = _TELEGRAPHIC.search(clause) if clause.rpartition(" ")[2] in _PARTICIPLES else None
    if (
        found is not None
        and len(clause[: found.start()].split()) <= note_words
        and not _ASKS.search(clause, 0, found.start())
        and not _WANTS.search(clause, 0, found.start())
        and not _WONDERS.search(clause, 0, found.start())
    ):
        return found
    for found in _SATISFIED_WITHIN.finditer(clause):
        tail = clause[found.end() :]
        if (
            _NAMED.search(clause, 0, found.start())
            and not _ASKS.search(clause, 0, found.start())
            and not _WONDERS.search(clause, 0, found.start())
            and len(tail.split()) <= tail_words
            and not _ASKS.search(tail)
            and not _WANTS.search(tail)
        ):
            return found
    return None


def _negated_span(clause: str, next_clause: tuple[str, bool] | None) -> tuple[int, int, int]:
    """Where a clause denies or settles something: characters from `start` up to `end` are
    denied by a cue before them ("pas besoin de local"), and those before `before` by a cue
    after them ("le local c'est réglé"). A denial stops where the clause asks again
    ("pas besoin d'argent c'est un lieu qu'il nous faut"); "c'est pas X, c'est Y" denies X."""
    start = end = len(clause) + 1
    before = -1
    found = _negation(clause)
    if found is None:
        found = _DENIED_THEN.search(clause)
        if found is not None and not (
            _REASSERT.search(clause, found.end())
            or (next_clause is not None and (next_clause[1] or _REASSERT.match(next_clause[0])))
        ):
            found = None
    if found is not None:
        start = found.end()
        again = _REASSERT.search(clause, start)
        end = again.start() if again else len(clause) + 1
    after = _satisfied(clause)
    if after is not None:  # the few words after a cue within are about the settled thing too
        before = after.start() if after.re is _SATISFIED_AFTER else len(clause) + 1
    return start, end, before


def _denied_spans(
    clauses: list[tuple[str, bool]], stop_words: frozenset[str]
) -> list[tuple[int, int, int]]:
    """Per clause, `_negated_span`'s three bounds, once a settled clause has been carried on
    through the clauses that only state what one has, the background before what the matter
    is denied, and a clause that is only a settled cue ("le local, on l'a déjà") has settled
    the clause before it."""
    spans: list[tuple[int, int, int]] = []
    carried = False  # a settled clause goes on through the next ones until one asks again
    focus = next((i for i, (c, _) in enumerate(clauses) if _FOCUS.search(c)), -1)
    for index, (clause, contrast) in enumerate(clauses):
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        negated_from, negated_to, negated_before = _negated_span(clause, following)
        settled = negated_from <= len(clause) or negated_before >= 0
        if carried and (contrast or _ASKS.search(clause)):
            carried = False
        thanks = _THANKS.match(clause) and not _ASKS.search(clause)
        if not settled and (thanks or (carried and _STATES.search(clause))):
            negated_before = len(clause) + 1
        elif (
            index < focus
            and not settled
            and _HAVE.search(clause)
            and not _ASKS.search(clause)
            and not _WANTS.search(clause)
        ):
            negated_before = len(clause) + 1  # background before what the matter is
        elif settled and not carried:
            carried = any(c or _ASKS.search(t) for t, c in clauses[index + 1 :])
        spans.append((negated_from, negated_to, negated_before))
        cue = _SATISFIED_AFTER.search(clause) or _said_of_it(clause)
        if cue is None or any(w not in stop_words for w in clause[: cue.start()].split()):
            continue
        # only a cue: it settles the clause before it (over a word like « lui »), if that one
        # asks for nothing
        back = index - 1
        while back >= 0 and all(w in stop_words for w in clauses[back][0].split()):
            back -= 1
        if back < 0 or contrast:
            continue
        before_clause = clauses[back][0]
        start, _, before = spans[back]
        if (
            start > len(before_clause)
            and before < 0
            and not _ASKS.search(before_clause)
            and not _WANTS.search(before_clause)
            and not _FRAME.search(before_clause)
        ):
            spans[back] = (start, spans[back][1], len(before_clause) + 1)
    return spans


def _query_tokens(
    text: str,
    lexicon: Lexicon | None = None,
    said: list[str] | None = None,
    said_parts: list[int] | None = None,
) -> list[_Token]:
    """The content words of a text, each with its stem, negation and part; every word that
    is not denied nor a settling cue's, stop words included, is also put in `said` when given
    (and the part it stands in, in `said_parts`)."""
    lexicon = lexicon or shipped_lexicon()
    stop_words = lexicon.stop_words
    out: list[_Token] = []
    part = 0
    clauses = _marked_clauses(text, lexicon)
    spans = _denied_spans(clauses, stop_words)
    for index, (clause, _) in enumerate(clauses):
        part += 1
        negated_from, negated_to, negated_before = spans[index]
        cues = _cue_spans(clause)
        position = 0
        previous = ""
        words = clause.split()
        for i, word in enumerate(words):
            start = clause.find(word, position)
            position = start + len(word)
            before, previous = previous, word
            denied = negated_from <= start < negated_to or start < negated_before
            in_cue = any(a <= start < b for a, b in cues)  # « déjà », « nous soutient »…
            if said is not None and not denied and not in_cue:
                said.append(word)
                if said_parts is not None:
                    said_parts.append(part)
            if word in PART_JOINERS:
                part += 1
            if word in stop_words or len(word) < 3 or in_cue:
                continue
            after_word = words[i + 1] if i + 1 < len(words) else ""
            if word in PREPOSITIONS_BEFORE_DETERMINER and after_word in DETERMINERS:
                continue
            s = stem(word)
            if before in DETERMINERS and word in NOUN_AFTER_DETERMINER:
                s = NOUN_AFTER_DETERMINER[word]
            out.append(_Token(s, denied, word, part))
    return out


def _entry_stems(entry: str, lexicon: Lexicon) -> list[str]:
    return [stem(w) for w in lexicon.content_words(entry)]


class Matcher:
    """Indexes every need's vocabulary once; `match` ranks needs for one text."""

    ABSTAIN_BELOW = 1.6  # below this, nothing is understood
    STRONG = 2.8  # one specific keyword; under it, most of the text must be understood
    MIN_COVERAGE = 0.5
    KEEP_RATIO = 0.3  # a second need is kept if it scores this share of the first
    KEEP_WORD = 2.0  # ... or if one word the first need does not use gives it this much
    LIKELY_RATIO = 0.5  # ... and pre-selected if its own words score this share
    LIKELY_OWN = 2.5  # ... and at least this much
    LIKELY_CLOSE = 0.8  # or, when it scores this share of the first in all,
    LIKELY_OWN_CLOSE = 1.5  # ... on own words weighing at least this much
    UNSURE_RATIO = 0.8  # the first two are this close: ask
    MAX_RESULTS = 4
    LEARNED_WEIGHT = 4.0  # how much the learned reading (0 to 1) adds to a need's score
    PAIR_BONUS = 1.3  # a known two-word expression weighs a bit more than one word
    LIKELY_LEARNED_SECOND = 0.5  # a second need is pre-selected only if the learned reading
    # of the words the first need left puts it first, with at least this much ("ouvrir" +
    # "village" is not "consolider la structure"), when those words are at least this many
    LIKELY_LEARNED_WORDS = 1
    STORY_OVERRIDE = 7.0  # a story asking for nothing is small talk unless its words score this
    # A difficulty told without asking ("plus personne pour tenir la buvette", "on s'y perd"):
    # the sentence is not small talk, and this share of its words understood is enough.
    DIFFICULTY_COVERAGE = 0.4
    # Words too weak to decide alone still give a need when the learned reading puts that same
    # need first with at least this probability, and "nothing asked" at most this much.
    RESCUE_PROBABILITY = 0.4
    RESCUE_NOTHING = 0.2
    # ... and this probability is enough when the text settles something and asks for the
    # rest ("le statut c'est fait, maintenant il nous faut de l'argent"): it speaks of the
    # project, and the learned reading reads only what is asked.
    SETTLED_RESCUE_PROBABILITY = 0.25
    # Words that do not name a need outright (under DIRECT) give nothing when the learned
    # reading hears small talk ("nothing asked") first, with at least this probability.
    NOTHING_ABSTAIN = 0.45
    # Whatever the words, the learned reading this sure of "nothing asked" gives nothing
    # ("le marché de Noël s'est bien passé, merci aux bénévoles").
    NOTHING_SURE = 0.7
    # A story that asks for nothing is still read as a need when its words are strong (over
    # STRONG) and the learned reading puts the same need first with this probability (and
    # "nothing asked" at most RESCUE_NOTHING).
    STORY_AGREE = 0.8
    # A story is not small talk when the learned reading gives "nothing asked" at most this
    # ("depuis que la boulangère est partie, plus personne ne passe au café": a need, told).
    STORY_NOTHING = 0.15
    # Under DIRECT, a need the learned reading gives this probability comes first, if the
    # words found it too (at any score): it orders stories better than the words (0.4 until
    # the tenth pass; 0.2 reads 15 more of 1,601 indirect sentences of held-out 18-37 right,
    # 2 fewer of 640 negations; benchmarks/data/README.md).
    LEAD_PROBABILITY = 0.2
    # Words scoring this much name a need outright: the learned reading then weighs only
    # LEARNED_WEIGHT_DIRECT (it breaks near ties) and never leads.
    DIRECT = 5.0
    LEARNED_WEIGHT_DIRECT = 3.0
    # A part of the text (a clause, or a part joined by « et ») that names a need in its own
    # words and that the learned reading, reading that part alone, puts first with at least
    # this probability: the need comes right after the first (several needs, one per clause).
    CLAUSE_SURE = 0.6

    def __init__(
        self,
        needs: Iterable[Need],
        safety: SafetyNet | None = None,
        language: Language | None = None,
        *,
        learned: bool = True,
        lexicon: Lexicon | None = None,
        examples: ExamplesFile | None = None,
        cache: Path | None = None,
    ) -> None:
        needs = list(needs)
        written = examples or ExamplesFile()
        lang = language or Language()
        #: SMS forms and stop words of the content (built from `language` unless given).
        self.lexicon = lexicon or lexicon_of(lang)
        self.need_ids: list[str] = []
        weights: dict[str, dict[str, float]] = {}
        for need in needs:
            self.need_ids.append(need.id)
            per_need: dict[str, float] = {}
            vocab = need.vocabulary
            lists = {
                "words": [*vocab.words, need.label],
                "synonyms": vocab.synonyms,
                "english": vocab.english,
                "phrases": vocab.phrases,
            }
            for list_name, entries in lists.items():
                w = LIST_WEIGHTS[list_name]
                for entry in entries:
                    stems = _entry_stems(entry, self.lexicon)
                    part = w if list_name == "phrases" or len(stems) < 2 else w * EXPRESSION_PART
                    for s in stems:
                        per_need[s] = max(per_need.get(s, 0.0), part)
                    if list_name == "phrases":
                        continue
                    for a, b in itertools.pairwise(stems):
                        key = f"{a} {b}"
                        per_need[key] = max(per_need.get(key, 0.0), w)
            weights[need.id] = per_need
        df: dict[str, int] = {}
        for per_need in weights.values():
            for s in per_need:
                df[s] = df.get(s, 0) + 1
        n = max(len(weights), 1)
        self._index: dict[str, list[tuple[str, float]]] = {}
        for need_id, per_need in weights.items():
            for s, w in per_need.items():
                idf = math.log(1.0 + n / df[s])
                self._index.setdefault(s, []).append((need_id, w * idf))
        self._unigrams = sorted(s for s in self._index if " " not in s and len(s) >= 4)
        self._fuzzy_cache: dict[str, tuple[str, float] | None] = {}
        self.safety = safety
        self.classifier = (
            LinearReading(
                {
                    n.id: [
                        n.label,
                        n.description,
                        *n.vocabulary.words,
                        *n.vocabulary.synonyms,
                        *n.vocabulary.phrases,
                        *n.vocabulary.english,
                        *written.needs.get(n.id, ()),
                    ]
                    for n in needs
                },
                [*lang.everyday, *written.everyday],
                frozenset(),  # it reads every word: "mon", "est", "hier" tell small talk
                lexicon=self.lexicon,
                cache=cache,
                reads=self._said,
                reads_key=_RULES_KEY,
            )
            if learned
            else None
        )
        self._request = _CueSet(lang.request_cues, self.lexicon)
        self._narrative = _CueSet(lang.narrative_cues, self.lexicon)
        self._difficulty = _CueSet(lang.difficulty_cues, self.lexicon)

    @property
    def vocabulary_size(self) -> int:
        """How many distinct stems and stem pairs the index holds."""
        return len(self._index)

    def _lookup(self, s: str) -> tuple[str, float] | None:
        """The vocabulary stem for a query stem: itself, or a close spelling (typos)."""
        if s in self._index:
            return s, 1.0
        if len(s) < 5 or not _LETTERS.search(s) or s.endswith("!"):
            return None  # too short to guess, a number, or a known word kept apart (normalize)
        if s in self._fuzzy_cache:
            return self._fuzzy_cache[s]
        cutoff = 88.0 if len(s) <= 6 else 82.0
        found = process.extractOne(s, self._unigrams, scorer=fuzz.ratio, score_cutoff=cutoff)
        result = None if found is None else (str(found[0]), 0.8 * float(found[1]) / 100.0)
        if len(self._fuzzy_cache) < 50_000:
            self._fuzzy_cache[s] = result
        return result

    def _score(self, resolved: list[tuple[str, float, bool]]) -> dict[str, list[float]]:
        """Per need, what each word brings; a known pair counts once: its weight or its words'."""
        contrib: dict[str, list[float]] = {}
        seen: dict[str, set[str]] = {}
        for pos, (key, factor, negated) in enumerate(resolved):
            sign = 0.0 if negated else 1.0
            for need_id, weight in self._index[key]:
                if key in seen.setdefault(need_id, set()):
                    continue
                seen[need_id].add(key)
                row = contrib.setdefault(need_id, [0.0] * len(resolved))
                row[pos] = sign * weight * factor
        for pos, ((a, fa, na), (b, fb, nb)) in enumerate(itertools.pairwise(resolved)):
            pair = f"{a} {b}"
            for need_id, weight in self._index.get(pair, []):
                row = contrib.setdefault(need_id, [0.0] * len(resolved))
                sign = 0.0 if na or nb else 1.0
                value = sign * weight * min(fa, fb) * self.PAIR_BONUS
                row[pos], row[pos + 1] = max(value, row[pos] + row[pos + 1], key=abs), 0.0
        return contrib

    def clear_cache(self) -> None:
        """Forget the typo look-ups and clause readings seen so far (for honest latency
        measures)."""
        self._fuzzy_cache.clear()
        _negation.cache_clear()
        _satisfied_within.cache_clear()

    def is_small_talk(self, text: str) -> bool:
        """A story of everyday life that asks for nothing ("j'ai vu le maire samedi")."""
        padded = f" {' '.join(self.lexicon.tokens(text))} "
        words = _NOT_NARRATIVE.sub(" ", padded)
        return (
            self._narrative.found(words)
            and not self._request.found(words)
            and not self._difficulty.found(padded)
            and "?" not in text
        )

    def tells_difficulty(self, text: str) -> bool:
        """True when a text tells a difficulty ("trop de charges", "on n'y arrive plus")."""
        return self._difficulty.found(f" {' '.join(self.lexicon.tokens(text))} ")

    def _own_evidence(self, row: list[float], top_row: list[float], best: float) -> bool:
        """A second need is pre-selected only on words of its own: words the first need did
        not use, weighing enough on their own ("un local et des sous", not "financement",
        which speaks of money and of the business model at once)."""
        own = sum(w for w, t in zip(row, top_row, strict=True) if w > 0 and t <= 0)
        if own >= max(self.LIKELY_OWN, best * self.LIKELY_RATIO):
            return True
        return own >= self.LIKELY_OWN_CLOSE and sum(row) >= best * self.LIKELY_CLOSE

    def evidence(
        self, text: str
    ) -> tuple[list[tuple[str, float]], dict[str, list[float]], float] | None:
        """Raw lexical evidence, before any abstention: needs ranked by score, each need's
        contribution per word, and the share of the text's words that were understood.
        None when the text is markup with a word or two in it (not a sentence)."""
        found = self._evidence(text)
        return None if found is None else (found.ranked, found.rows, found.coverage)

    def _evidence(self, text: str) -> _Evidence | None:
        """`evidence`, plus the word each scored position came from, the text without its
        negated words (what the learned reading may read), the part each word is in and what
        each part says."""
        plain, markup = _MARKUP.subn(" ", text[:MAX_TEXT])
        kept: list[str] = []
        kept_parts: list[int] = []
        query = _query_tokens(plain, self.lexicon, kept, kept_parts)
        if markup and len(query) < MARKUP_MIN_WORDS:
            return None
        resolved: list[tuple[str, float, bool]] = []
        words: list[str] = []
        parts: list[int] = []
        for tok in query:
            found = self._lookup(tok.stem)
            if found:
                resolved.append((found[0], found[1], tok.negated))
                words.append(tok.word)
                parts.append(tok.part)
        rows = self._score(resolved)
        said = " ".join(kept)
        part_said: dict[int, list[str]] = {}
        for word, part in zip(kept, kept_parts, strict=True):
            part_said.setdefault(part, []).append(word)
        return _Evidence(
            _ranked(rows),
            rows,
            len(resolved) / max(len(query), 1),
            words,
            said,
            parts,
            {part: " ".join(ws) for part, ws in part_said.items()},
        )

    def _said(self, text: str) -> str:
        """What the learned reading reads of a text: its words but those denied, settled or
        only a request's frame (its examples are read the same way as a person's text)."""
        plain = _MARKUP.sub(" ", text[:MAX_TEXT])
        clauses = _marked_clauses(plain, self.lexicon)
        if not any(_may_settle(clause) for clause, _ in clauses):
            return " ".join(clause for clause, _ in clauses)  # nothing to leave out (faster)
        kept: list[str] = []
        _query_tokens(plain, self.lexicon, kept)
        return " ".join(kept)

    def settles_something(self, text: str) -> bool:
        """Whether a clause of the text denies or settles something ("pas besoin de local",
        "la mairie nous suit déjà", "je ne suis pas seule")."""
        return any(
            _negation(clause) or _satisfied(clause)
            for clause in _clauses(_MARKUP.sub(" ", text[:MAX_TEXT]), self.lexicon)
        )

    def _clause_needs(
        self, top: str, rows: dict[str, list[float]], parts: list[int], part_said: dict[int, str]
    ) -> list[str]:
        """The needs other than `top` that a part of the text both names in its own words and
        reads as on its own, surest first (« personne à qui parler depuis des mois.
        la banque refuse le prêt. »: loneliness, which the whole text's reading, all money,
        left behind a need one word of the rest named)."""
        if self.classifier is None or len(part_said) < 2:
            return []
        named: dict[int, set[str]] = {}  # per part, the needs other than `top` its words name
        for need, row in rows.items():
            if need != top:
                for weight, part in zip(row, parts, strict=True):
                    if weight > 0:
                        named.setdefault(part, set()).add(need)
        heard: dict[str, float] = {}
        for part, needs in named.items():
            if part not in part_said:
                continue
            learned = self.classifier.probabilities(part_said[part])
            need = max((k for k in learned if k != NOTHING), key=learned.__getitem__, default="")
            if need in needs and learned[need] >= self.CLAUSE_SURE:
                heard[need] = max(heard.get(need, 0.0), learned[need])
        return sorted(heard, key=lambda n: (-heard[n], n))

    def _min_coverage(self, text: str) -> float:
        """The share of a text's words that must be understood when its evidence is weak."""
        return self.DIFFICULTY_COVERAGE if self.tells_difficulty(text) else self.MIN_COVERAGE

    def distress(self, text: str) -> tuple[str, ...]:
        """The kinds of distress the safety net reads in a text (checked before anything)."""
        return self.safety.check(text) if self.safety is not None else ()

    def match(self, text: str) -> MatchResult:
        """Rank the needs a text speaks of; an empty list when nothing is understood."""
        if len(text) > MAX_TEXT:  # the safety net reads further (up to its own limit)
            alerts = self.distress(text)
            if alerts:
                return MatchResult(text[:MAX_TEXT], alerts=alerts, shortened=True)
            return dataclasses.replace(self.match(text[:MAX_TEXT]), shortened=True)
        alerts = self.distress(text)
        if alerts:  # the help lines come first, and nothing else is read into the words
            return MatchResult(text, [], unsure=False, alerts=alerts)
        evidence = self._evidence(text)
        if evidence is None:
            return MatchResult(text)
        ranked, rows, coverage, words, said, parts = evidence[:6]
        # The learned reading reads what was not denied: the needs, and "nothing asked".
        learned = self.classifier.probabilities(said) if self.classifier and said else {}
        nothing = learned.get(NOTHING, 0.0)
        guess = max((k for k in learned if k != NOTHING), key=learned.__getitem__, default="")
        if not ranked or nothing >= self.NOTHING_SURE:
            return MatchResult(text)  # nothing found, or small talk for sure to the learned
        # A sentence that denies or settles something ("les élus sont avec nous, le souci c'est
        # le bâtiment") speaks of the project: it is neither a story nor small talk.
        settles = self.settles_something(text)
        if (
            ranked[0][1] < self.STORY_OVERRIDE
            and not settles
            and self.is_small_talk(text)
            and not (  # a story is small talk unless both readings hear the same need in it
                ranked[0][0] == guess
                and ranked[0][1] >= self.STRONG
                and learned[guess] >= self.STORY_AGREE
                and nothing <= self.RESCUE_NOTHING
            )
            and not (learned and nothing <= self.STORY_NOTHING)  # or the learned hears a need
        ):
            return MatchResult(text)
        if ranked[0][1] < self.ABSTAIN_BELOW or (
            ranked[0][1] < self.STRONG and coverage < self._min_coverage(text)
        ):
            # The words alone are too weak; both readings agreeing is enough.
            found = dict(ranked)
            sure = self.SETTLED_RESCUE_PROBABILITY if settles else self.RESCUE_PROBABILITY
            # Of the needs both found (the learned reading sure enough), the one they weigh
            # most together: « personne ne connaît le projet » is visibility, which the words
            # name, more than loneliness, which the learned reading hears a little more.
            both = {
                n: sc + self.LEARNED_WEIGHT * learned[n]
                for n, sc in found.items()
                if learned.get(n, 0.0) >= sure
            }
            if both and nothing <= self.RESCUE_NOTHING:
                chosen = max(both, key=lambda n: (both[n], n))
                score = round(100.0 * (1.0 - math.exp(-both[chosen] / 3.0)), 1)
                return MatchResult(text, [NeedMatch(chosen, score)])
            return MatchResult(text)
        if (
            ranked[0][1] < self.DIRECT
            and nothing >= self.NOTHING_ABSTAIN
            and nothing >= learned.get(guess, 0.0)
            and not settles
        ):
            return MatchResult(text)  # no need named outright, and small talk to the learned
        best = ranked[0][1]
        found = dict(ranked)
        # Only needs the words themselves found strong enough are kept; then the learned
        # reading reorders them (so the first one shown is always one that was kept).
        top_words = rows[ranked[0][0]]
        ranked = [
            (n, sc)
            for n, sc in ranked
            if sc >= max(self.ABSTAIN_BELOW, best * self.KEEP_RATIO)
            or any(  # a word of its own names it, one the first need does not use
                w >= self.KEEP_WORD and t <= 0 for w, t in zip(rows[n], top_words, strict=True)
            )
        ]
        # Over DIRECT, the words name a need outright: the learned reading only breaks ties.
        weight = self.LEARNED_WEIGHT if best < self.DIRECT else self.LEARNED_WEIGHT_DIRECT
        shown = {nid: sc + weight * learned.get(nid, 0.0) for nid, sc in ranked}
        if best < self.DIRECT and guess in found and learned[guess] >= self.LEAD_PROBABILITY:
            # The learned reading is sure of a need the words also found: it comes first.
            if guess not in shown:
                ranked.append((guess, found[guess]))
            shown[guess] = max(shown.values()) + 0.01
        ranked = sorted(ranked, key=lambda x: (-shown[x[0]], x[0]))
        read_whole = ranked
        ahead = self._clause_needs(ranked[0][0], rows, parts, evidence.part_said)
        if ahead:  # right after the first, each shown at least as sure as the ones after it
            after = [(n, sc) for n, sc in ranked[1:] if n not in ahead]
            floor = max((shown[n] for n, _ in after), default=0.0)
            for nid in reversed(ahead):
                own = found[nid] + weight * learned.get(nid, 0.0)
                shown[nid] = min(max(own, floor + 0.01), shown[ranked[0][0]])
                floor = shown[nid]
            ranked = [ranked[0], *((n, found[n]) for n in ahead), *after]
        top_id = ranked[0][0]
        top_row = rows[top_id]
        # What the learned reading makes of the words the first need did not use.
        rest = [w for w, t in zip(words, top_row, strict=True) if t <= 0]
        judged = self.classifier is not None and len(rest) >= self.LIKELY_LEARNED_WORDS
        second = self.classifier.probabilities(" ".join(rest)) if judged and self.classifier else {}
        kept = [
            NeedMatch(
                nid,
                round(100.0 * (1.0 - math.exp(-shown[nid] / 3.0)), 1),
                nid == top_id
                or (
                    self._own_evidence(rows[nid], top_row, best)
                    and _own_part(rows[nid], top_row, parts)
                    and (
                        not judged
                        or (
                            nid == max(second, key=lambda k: second[k], default=None)
                            and second.get(nid, 0.0) >= self.LIKELY_LEARNED_SECOND
                        )
                    )
                ),
            )
            for nid, _ in ranked[: self.MAX_RESULTS]
        ]
        unsure = (  # the first two of the whole text's reading are close
            len(read_whole) > 1
            and read_whole[1][1] >= best * self.UNSURE_RATIO
            and _same_words(rows[read_whole[0][0]], rows[read_whole[1][0]])
        )
        return MatchResult(text, kept, unsure=unsure)


class _CueSet:
    """Words and expressions looked for in folded text; "mot*" stands for any ending."""

    def __init__(self, cues: Iterable[str], lexicon: Lexicon) -> None:
        cues = list(cues)
        words = lexicon.tokens
        self.exact = {f" {' '.join(words(c))} " for c in cues if not c.endswith("*") and words(c)}
        self.prefixes = tuple(
            f" {' '.join(words(c[:-1]))}" for c in cues if c.endswith("*") and words(c[:-1])
        )

    def found(self, padded: str) -> bool:
        """True when a cue stands in `padded` (folded words between single spaces)."""
        return any(c in padded for c in self.exact) or any(p in padded for p in self.prefixes)


def _ranked(rows: dict[str, list[float]]) -> list[tuple[str, float]]:
    raw = {need_id: sum(row) for need_id, row in rows.items()}
    return sorted(((nid, sc) for nid, sc in raw.items() if sc > 0), key=lambda x: (-x[1], x[0]))


def _own_part(row: list[float], top_row: list[float], parts: list[int]) -> bool:
    """True when, in some part of the text (a clause, or one side of "et", "ou", "puis"…), a
    need's own words weigh more than the first need's words: two needs said side by side
    ("des bénévoles, puis l'appui de la mairie"), not two readings of one phrase ("il manque
    de l'argent pour l'atelier")."""
    own: dict[int, float] = {}
    top: dict[int, float] = {}
    for w, t, p in zip(row, top_row, parts, strict=True):
        if w > 0 and t <= 0:
            own[p] = own.get(p, 0.0) + w
        if t > 0:
            top[p] = top.get(p, 0.0) + t
    return any(weight > top.get(p, 0.0) for p, weight in own.items())


def _same_words(first: list[float], second: list[float]) -> bool:
    """True when two needs were both found in the same words (so the text is ambiguous)."""
    return any(a > 0 and b > 0 for a, b in zip(first, second, strict=True))


class NeedMatcher(Protocol):
    """Anything that turns a text into ranked needs."""

    def match(self, text: str) -> MatchResult:
        """Rank the needs a text speaks of."""
        ...

    def distress(self, text: str) -> tuple[str, ...]:
        """The kinds of distress the safety net reads in a text."""
        ...


class LazyMatcher:
    """Builds the real matcher on first use, so that a UI can paint before indexing."""

    def __init__(self, factory: Callable[[], Matcher]) -> None:
        self._factory = factory
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()

    def get(self) -> Matcher:
        """The matcher, built once (thread-safe)."""
        with self._lock:
            if self._matcher is None:
                self._matcher = self._factory()
            return self._matcher

    def match(self, text: str) -> MatchResult:
        """Rank the needs a text speaks of."""
        return self.get().match(text)

    def distress(self, text: str) -> tuple[str, ...]:
        """The kinds of distress the safety net reads in a text."""
        return self.get().distress(text)


def matcher_for(catalog: Catalog) -> Matcher:
    """The matcher of a catalog's needs, with the catalog's safety net in front."""
    lexicon = lexicon_of(catalog.language)  # built once for both
    return Matcher(
        catalog.needs.values(),
        safety_net_for(catalog, lexicon, cache_dir()),
        catalog.language,
        lexicon=lexicon,
        examples=catalog.examples,
        cache=cache_dir(),  # the learned reading's weights, kept between starts
    )


def _need_words(needs: Iterable[Need], lexicon: Lexicon | None = None) -> list[str]:
    """Each word of the needs' words and synonyms lists: project talk, which the safety net's
    learned reading counts as calm ("monter ma boîte", "échanger avec d'autres")."""
    lexicon = lexicon or shipped_lexicon()
    out: list[str] = []
    for need in needs:
        for entry in [*need.vocabulary.words, *need.vocabulary.synonyms]:
            out.extend(lexicon.content_words(entry))
    return out


def safety_net_for(
    catalog: Catalog, lexicon: Lexicon | None = None, cache: Path | None = None
) -> SafetyNet:
    """The safety net described in the catalog's about.yaml (`lexicon`: the catalog's, when
    already built; `cache`: where what its learned reading counted is kept between starts)."""
    lexicon = lexicon or lexicon_of(catalog.language)
    urgence = catalog.about.urgence
    known = set(lexicon.stop_words)
    for need in catalog.needs.values():
        vocab = need.vocabulary
        for entry in [*vocab.words, *vocab.synonyms, *vocab.phrases]:
            known.update(fold(entry).split())
    written = [
        *(t for ts in catalog.examples.needs.values() for t in ts),
        *catalog.examples.everyday,
    ]
    for sentence in [*catalog.safety.everyday, *written]:  # everyday words are never "corrected"
        known.update(fold(sentence).split())
    # A place is never "corrected" into a distress word (« Cantal » is not « canal ») and says
    # nothing of distress to the learned reading: « Cayenne » in one example is no reason to
    # alarm on every message from Guyane (the patterns still read every word).
    places = catalog.territories.words()
    known |= places
    learned = LearnedReading(
        catalog.safety.examples,
        [
            *catalog.safety.everyday,
            *(p for n in catalog.needs.values() for p in n.vocabulary.phrases),
            *_need_words(catalog.needs.values(), lexicon),
        ],
        lexicon.stop_words | places,
        lexicon=lexicon,
        projects=written,
        cache=cache,
    )
    extra = catalog.safety
    return SafetyNet(
        ((k.id, [*k.patterns, *extra.patterns.get(k.id, [])]) for k in urgence.kinds),
        hold_back=[*urgence.hold_back, *extra.hold_back],
        told=extra.told,
        spellings={**urgence.spellings, **extra.spellings},
        idioms={**urgence.idioms, **extra.idioms},
        known_words=known,
        learned=learned,
        lexicon=lexicon,
    )
