"""A learned second opinion for the matcher: a naive Bayes model over words and letter groups.

Trained at load time from the content's own vocabulary and phrases (no model file, no
download, a tenth of a second): Complement naive Bayes, which suits short texts and few
examples per class. Letter groups make it tolerant of typos and word forms; it reads the
whole sentence, where the lexical matcher reads known words, so it helps most on stories
("le compte est à sec et les factures s'accumulent").
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping

from conseiller.normalize import PLAIN, Lexicon, stem

#: Letter groups of these lengths are taken inside each word (with its edges marked).
CHAR_SIZES = (3, 4, 5)
#: Additive smoothing of the word counts.
SMOOTHING = 0.5
#: Sharpness of the probabilities drawn from the per-feature log scores.
TEMPERATURE = 20.0


def features(
    text: str,
    stop_words: frozenset[str] = frozenset(),
    *,
    letters: bool = True,
    lexicon: Lexicon = PLAIN,
) -> Counter[str]:
    """Word stems, word pairs and (unless `letters` is False) letter groups of a text, stop
    words left out, SMS forms of `lexicon` expanded."""
    words = [w for w in lexicon.tokens(text) if w not in stop_words and len(w) >= 2]
    out: Counter[str] = Counter()
    stems = [stem(w) for w in words]
    for s in stems:
        out["w:" + s] += 1
    for a, b in itertools.pairwise(stems):
        out[f"p:{a} {b}"] += 1
    for w in words if letters else ():
        marked = f"<{w}>"
        for n in CHAR_SIZES:
            for i in range(len(marked) - n + 1):
                out["c:" + marked[i : i + n]] += 1
    return out


class NeedClassifier:
    """Complement naive Bayes over the needs' examples; `probabilities` sum to 1."""

    def __init__(
        self,
        examples: Mapping[str, Iterable[str]],
        stop_words: frozenset[str] = frozenset(),
        *,
        lexicon: Lexicon = PLAIN,
    ) -> None:
        self.stop_words = stop_words
        self.lexicon = lexicon
        per_need: dict[str, Counter[str]] = {}
        for need_id, texts in examples.items():
            counts: Counter[str] = Counter()
            for text in texts:
                counts.update(features(text, stop_words, lexicon=lexicon))
            per_need[need_id] = counts
        everything: Counter[str] = Counter()
        for counts in per_need.values():
            everything.update(counts)
        size = len(everything)
        total = sum(everything.values())
        # Complement naive Bayes: a need's weight for a feature is -log of how often the
        # feature occurs in the other needs' examples. Written sparsely: every need shares
        # -log(n + SMOOTHING) (it cancels out in the probabilities), plus a correction for
        # the needs whose own examples have the feature, plus a per-need normaliser.
        self._norm = {
            need_id: math.log(total - sum(counts.values()) + SMOOTHING * size)
            for need_id, counts in per_need.items()
        }
        self._own: dict[str, dict[str, float]] = {}
        for need_id, counts in per_need.items():
            for key, c in counts.items():
                n = everything[key]
                own = math.log(n + SMOOTHING) - math.log(n - c + SMOOTHING)
                self._own.setdefault(key, {})[need_id] = own
        self.known = frozenset(everything)

    def probabilities(self, text: str) -> dict[str, float]:
        """How likely each need is for this text; {} when no feature is known."""
        found = {
            k: n
            for k, n in features(text, self.stop_words, lexicon=self.lexicon).items()
            if k in self.known
        }
        if not found:
            return {}
        size = sum(found.values())
        scores = {need_id: size * norm for need_id, norm in self._norm.items()}
        for key, n in found.items():
            for need_id, own in self._own.get(key, {}).items():
                scores[need_id] += n * own
        top = max(scores.values())
        exp = {k: math.exp((s - top) / size * TEMPERATURE) for k, s in scores.items()}
        norm = sum(exp.values())
        return {k: v / norm for k, v in exp.items()}
