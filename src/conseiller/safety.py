"""The safety net: finds distress in any free text, by kind, tolerant of typos and SMS."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from conseiller.lexicon import shipped_lexicon
from conseiller.normalize import Lexicon, fold
from conseiller.similarity import NeedClassifier, features

#: Only this much of a text is read (a pasted novel must not slow a kiosk down).
MAX_CHARS = 4000
#: A word is corrected towards the safety lexicon when it is this close (rapidfuzz ratio,
#: where a substitution costs two): one letter missing or added passes in short words,
#: one letter changed only from seven letters up ("perdre" never becomes "pendre").
TYPO_CUTOFF = 85.0
#: Words shorter than this are never corrected ("tue", "me" and "ma" are too short to guess).
TYPO_MIN_LENGTH = 4
#: How many words a "..." in a pattern may stand for.
GAP_WORDS = 3
#: How many words a "~" in a pattern may stand for: a means and a thought about it told far
#: apart in one clause ("le fusil de chasse est dans la grange et j'y pense tous les soirs").
LONG_GAP_WORDS = 8
#: A word cut short ("frap" for "frappe") is completed when this many letters at most are
#: missing at its end.
CUT_SHORT = 2
#: How many words before a match are read for a negation.
NEGATION_WINDOW = 2

#: The learned reading raises the alarm above this score (mean log-odds per word, distress
#: against everyday talk: safety.yaml's everyday sentences, the needs' phrases and each word
#: of their words and synonyms lists), so that fewer than one everyday sentence in ten, and
#: no sentence of the matcher's dev sets, raises it (re-check with benchmarks/bench_matcher.py
#: after adding much vocabulary: more calm text moves every word's log-odds); the
#: patterns do the rest. (Letter groups, tried too, raised more false alarms; so did a mean
#: over known words only, or the two strongest words.) A word the model never saw counts 0,
#: so junk with one known word ("sous 5m tab") stays calm. Calibrated (fourth pass) on
#: sentences the model was not trained on (the safety dev sets' and the matcher's dev
#: sentences): at 0.45 about 1 % of the calm ones and of the need requests raise it, and the
#: learned reading alone finds about 0.64 of the distress (0.57 at the former 0.55).
LEARNED_THRESHOLD = 0.45
#: The learned reading needs at least this many content words (not "je", "me", "le"…) to say
#: anything: "je me sens seule" is for the patterns and the needs, not for a guess.
LEARNED_MIN_WORDS = 2
#: The learned reading reads a long clause by windows of this many content words, so that
#: distress told in the middle of a long story is not drowned by the rest of it.
LEARNED_WINDOW = 5
#: Words of time and frequency, which say when and not what, and adverbs that say how much
#: ("juste", "surtout"): the learned reading leaves
#: them out ("le soir je tourne en rond" is not distress because much distress happens at
#: night in the examples).
_NEUTRAL_TEXT = """
soir soirs nuit nuits matin matins journee jour jours semaine semaines mois an ans annee annees
hier demain aujourd hui maintenant depuis toujours souvent parfois tard tot lundi mardi mercredi
jeudi vendredi samedi dimanche week end heure heures janvier fevrier mars avril mai juin juillet
aout septembre octobre novembre decembre
dernier derniere derniers dernieres prochain prochaine prochains prochaines passe passee
juste simplement seulement surtout
"""
LEARNED_NEUTRAL = frozenset(_NEUTRAL_TEXT.split())
#: Additive smoothing of the learned reading's counts.
LEARNED_SMOOTHING = 0.5

#: How a word sounds, roughly, in French spelling: letters written differently but heard
#: alike are made the same ("suisside" and "suicide", "frapé" and "frappée", "tuée" and
#: "tuer", "danjé" and "danger"), so that a misspelt word still finds its lexicon word.
#: Applied in order.
SOUNDS: tuple[tuple[str, str], ...] = (
    (r"([a-z])\1+", r"\1"),
    (r"ph", "f"),
    (r"qu", "k"),
    (r"c(?=[eiy])", "s"),
    (r"c(?!h)", "k"),
    (r"g(?=[eiy])", "j"),
    (r"(?<![cs])h", ""),
    (r"y", "i"),
    (r"z", "s"),
    (r"eau|au", "o"),
    (r"ai|ei", "e"),
    (r"[ae]([nm])(?=[^aeiou]|$)", r"a\1"),
    (r"(er|ez|ee|es|et|e|s|t|x|d)$", ""),
)
_SOUND_RULES = tuple((re.compile(a), b) for a, b in SOUNDS)
#: Words shorter than this are never matched by their sound.
SOUND_MIN_LENGTH = 5
#: ... and a word that sounds like a lexicon word must still be written at least this
#: close to it (rapidfuzz ratio): "kouto" is "couteau" (50), "danjé" is "danger" (73).
SOUND_CUTOFF = 50.0


def sounds(word: str) -> str:
    """A rough key of how a folded French word sounds (see SOUNDS)."""
    for rule, replacement in _SOUND_RULES:
        word = rule.sub(replacement, word)
    return word


_CLAUSE = re.compile(r"[.;:!?()\n]+|,|\bmais\b|\bbut\b")
_PATTERN_CHARS = re.compile(r"[a-z0-9 |()*.$>~]+")
_WORD = re.compile(r"[a-z0-9]+")
#: Words that join two clauses without a comma ("il s'est effondré il ne respire plus et je
#: ne sais pas quoi faire"): a pattern's `$` (end of a clause) also matches just before them.
CLAUSE_JOINERS = ("et", "puis")
_CLAUSE_END = r"(?=\s*$| (?:" + "|".join(CLAUSE_JOINERS) + r") )"


class PatternError(ValueError):
    """A safety pattern that cannot be read; the message says why."""


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Turn a content pattern into a regular expression over folded, space-separated words.

    The pattern language is small on purpose: words, `a|b` alternatives in parentheses,
    `word*` for any ending, `...` for up to three words, `~` for up to eight, `$` for the
    end of a clause (or a joining word, see CLAUSE_JOINERS) and `>` for everything up to the
    end of the clause.
    """
    folded = " ".join(pattern.lower().replace("’", " ").replace("'", " ").split())
    if not folded or not _PATTERN_CHARS.fullmatch(folded) or folded.count("(") != folded.count(")"):
        raise PatternError(pattern)
    out: list[str] = []
    words = folded.split(" ")
    for index, word in enumerate(words):
        if word == "...":
            out.append(f"(?: [a-z0-9]+){{0,{GAP_WORDS}}}")
            continue
        if word == "~":
            out.append(f"(?: [a-z0-9]+){{0,{LONG_GAP_WORDS}}}")
            continue
        if word == "$":
            out.append(_CLAUSE_END)
            continue
        if word == ">":
            out.append(r"(?: [a-z0-9]+)*\s*$")
            continue
        piece = re.escape(word).replace(r"\*", "[a-z0-9]*").replace(r"\(", "(?:")
        piece = piece.replace(r"\)", ")").replace(r"\|", "|")
        out.append((" " if index else "") + piece)
    try:
        return re.compile(r"(?<![a-z0-9])" + "".join(out) + r"(?![a-z0-9])")
    except re.error as exc:
        raise PatternError(f"{pattern} ({exc})") from None


def _literal_words(pattern: str) -> set[str]:
    """The whole words of a pattern, for typo correction (a prefix counts as a word)."""
    return {w for w in _WORD.findall(fold(pattern.replace("*", " "))) if w}


_WHOLE = re.compile(r"(\w+)(?![\w*])")


def _whole_words(pattern: str) -> set[str]:
    """The words of a pattern that are not a prefix ("me" but not "reveill" in "me reveill*")."""
    return {w for found in _WHOLE.findall(pattern.lower()) for w in _WORD.findall(fold(found))}


@dataclass(frozen=True)
class Kind:
    """One kind of distress and the patterns that reveal it."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    #: All the patterns at once: a clause none of them matches is passed over quickly.
    any_pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        joined = "|".join(f"(?:{p.pattern})" for p in self.patterns)
        object.__setattr__(self, "any_pattern", re.compile(joined or "(?!)"))


class LearnedReading:
    """Naive Bayes log-odds of distress against everyday talk, over words and word pairs
    (letter groups alarm on look-alike words), and which kind of distress a text is closest
    to. Trained at load time from examples."""

    def __init__(
        self,
        examples: Mapping[str, Iterable[str]],
        everyday: Iterable[str],
        stop_words: frozenset[str] = frozenset(),
        *,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.stop_words = stop_words | LEARNED_NEUTRAL
        stop_words = self.stop_words
        self.lexicon = lex = lexicon or shipped_lexicon()  # SMS forms (the content's)
        distress: Counter[str] = Counter()
        calm: Counter[str] = Counter()
        texts = {kind: list(items) for kind, items in examples.items()}
        for items in texts.values():
            for text in items:
                distress.update(features(text, stop_words, letters=False, lexicon=lex))
        for text in everyday:
            calm.update(features(text, stop_words, letters=False, lexicon=lex))
        size = len(set(distress) | set(calm))
        d_total, c_total = sum(distress.values()), sum(calm.values())
        a = LEARNED_SMOOTHING
        self.weights = {
            key: math.log((distress[key] + a) / (d_total + a * size))
            - math.log((calm[key] + a) / (c_total + a * size))
            for key in set(distress) | set(calm)
        }
        self.kinds = NeedClassifier(texts, lexicon=lex) if texts else None

    def read(self, text: str) -> tuple[int, float]:
        """How many content words of the text the model knows, and the mean log-odds per
        word (one it never saw counts 0): above LEARNED_THRESHOLD reads as distress."""
        counts = features(text, self.stop_words, letters=False, lexicon=self.lexicon)
        total = sum(counts.values())
        known_words = sum(1 for k in counts if k.startswith("w:") and k in self.weights)
        known = sum(self.weights[k] * n for k, n in counts.items() if k in self.weights)
        return known_words, (known / total if total else 0.0)

    def kind(self, text: str) -> str | None:
        """The kind of distress the text is closest to."""
        probabilities = self.kinds.probabilities(text) if self.kinds else {}
        return max(probabilities, key=lambda k: probabilities[k]) if probabilities else None


class SafetyNet:
    """Runs first on every free text: returns the kinds of distress it reads, or nothing."""

    def __init__(
        self,
        kinds: Iterable[tuple[str, Iterable[str]]],
        *,
        hold_back: Iterable[str] = (),
        spellings: dict[str, str] | None = None,
        idioms: dict[str, str] | None = None,
        known_words: Iterable[str] = (),
        learned: LearnedReading | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.learned = learned
        lexicon = lexicon or shipped_lexicon()  # the content's SMS forms and negation words
        self._tokens = lexicon.tokens
        #: Words just before a match that deny it ("je n'ai pas envie de mourir").
        self.negation_words = lexicon.negation_words
        self.kinds: list[Kind] = []
        pattern_words: set[str] = set()
        whole_words: set[str] = set()
        for kind_id, patterns in kinds:
            texts = list(patterns)
            self.kinds.append(Kind(kind_id, tuple(compile_pattern(p) for p in texts)))
            for text in texts:
                pattern_words |= _literal_words(text)
                whole_words |= _whole_words(text)
        self._kind_ids = frozenset(k.id for k in self.kinds)
        self.hold_back = tuple(compile_pattern(p) for p in hold_back)
        self.spellings = {fold(k): fold(v) for k, v in (spellings or {}).items()}
        self.idioms = [
            (re.compile(rf"(?<![a-z0-9]){re.escape(fold(k))}(?![a-z0-9])"), fold(v))
            for k, v in (idioms or {}).items()
        ]
        self._lexicon = sorted(w for w in pattern_words if len(w) >= TYPO_MIN_LENGTH)
        self._by_sound: dict[str, str] = {}
        # Heard alike: the shortest whole word wins ("frapé" is "frappe", not "frappee"); a
        # prefix ("reveill" of "reveill*") only when no whole word sounds the same.
        whole = [w for w in self._lexicon if w in whole_words]
        for w in [
            *sorted(self._lexicon, key=len, reverse=True),
            *sorted(whole, key=len, reverse=True),
        ]:
            self._by_sound[sounds(w)] = w
        self._known = frozenset(known_words) | pattern_words
        self._correct = lru_cache(maxsize=8192)(self._correct_uncached)

    def _correct_uncached(self, word: str) -> str:
        """The lexicon word this one was probably meant to be, or the word itself."""
        if word in self._known or len(word) < TYPO_MIN_LENGTH or word.isdigit():
            return word
        heard = self._by_sound.get(sounds(word)) if len(word) >= SOUND_MIN_LENGTH else None
        if heard is not None and fuzz.ratio(word, heard) >= SOUND_CUTOFF:
            return heard
        found = process.extractOne(word, self._lexicon, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        if found is not None and found[0][0] == word[0]:
            return str(found[0])
        completed = [
            w for w in self._lexicon if w.startswith(word) and len(w) - len(word) <= CUT_SHORT
        ]
        return min(completed, key=len) if completed else word

    def _words(self, clause: str) -> str:
        out: list[str] = []
        for token in self._tokens(clause):
            out.extend(self.spellings.get(token, token).split())
        words = " ".join(self._correct(w) for w in out)
        for idiom, plain in self.idioms:
            words = idiom.sub(plain, words)
        return words

    def check(self, text: str) -> tuple[str, ...]:
        """The kinds of distress found in `text`, in content order; () when none.

        A pattern match is ignored when it ends inside a `hold_back` span ("je vais me pendre
        avec ces dossiers"), or when a negation word stands just before it; a clause no
        pattern fires on gets the learned reading.
        """
        found: set[str] = set()
        for clause in _CLAUSE.split(text[:MAX_CHARS].lower()):
            if not clause or not clause.strip():
                continue
            words = self._words(clause)
            if not words:
                continue
            held = [m.span() for r in self.hold_back for m in r.finditer(words)]
            fired = False
            for kind in self.kinds:
                if self._fires(kind, words, held):
                    found.add(kind.id)
                    fired = True
            if not fired and self.learned is not None:
                kind_id = self._learned(words, held)
                if kind_id is not None:
                    found.add(kind_id)
        return tuple(k.id for k in self.kinds if k.id in found)

    def _learned(self, words: str, held: list[tuple[int, int]]) -> str | None:
        """The learned reading of a clause (held-back spans left out), when it is distress."""
        assert self.learned is not None
        kept, last = [], 0
        for start, end in sorted(held):
            kept.append(words[last:start])
            last = max(last, end)
        kept.append(words[last:])
        text = " ".join(" ".join(kept).split())
        content = [w for w in text.split() if w not in self.learned.stop_words and len(w) >= 2]
        windows = [
            " ".join(content[i : i + LEARNED_WINDOW])
            for i in range(max(len(content) - LEARNED_WINDOW, 0) + 1)
        ]
        for window in windows:
            known_words, score = self.learned.read(window)
            if known_words >= LEARNED_MIN_WORDS and score > LEARNED_THRESHOLD:
                kind = self.learned.kind(window)
                return kind if kind in self._kind_ids else None
        return None

    def _fires(self, kind: Kind, words: str, held: list[tuple[int, int]]) -> bool:
        if not kind.any_pattern.search(words):
            return False
        for pattern in kind.patterns:
            for match in pattern.finditer(words):
                start, end = match.span()
                if any(h_start < end <= h_end for h_start, h_end in held):
                    continue
                before = words[:start].split()[-NEGATION_WINDOW:]
                if self.negation_words.intersection(before):
                    continue
                return True
        return False
