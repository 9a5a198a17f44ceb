"""Learned readings of free text: naive Bayes (the safety net) and a linear model (the matcher).

Trained at load time from the content's own vocabulary, phrases and examples (no model file,
no download, a fraction of a second). Complement naive Bayes suits short texts and few
examples per class. Letter groups make it tolerant of typos and word forms; it reads the
whole sentence, where the lexical matcher reads known words, so it helps most on stories
("le compte est à sec et les factures s'accumulent").
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from conseiller.normalize import PLAIN, Lexicon, stem
from conseiller.paths import write_cache_file

if TYPE_CHECKING:  # numpy is imported where a model is built (off the first screen's path)
    import numpy as np
    import numpy.typing as npt

    #: The feature columns of one text, its values, and a model's weights (features by classes).
    Columns = npt.NDArray[np.intp]
    Vector = npt.NDArray[np.float64]
    Matrix = npt.NDArray[np.float64]

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
    sizes: tuple[int, ...] = CHAR_SIZES,
) -> Counter[str]:
    """Word stems, word pairs and (unless `letters` is False) letter groups of a text, stop
    words left out, SMS forms of `lexicon` expanded; `sizes`: the letter groups' lengths."""
    words = [w for w in lexicon.tokens(text) if w not in stop_words and len(w) >= 2]
    out: Counter[str] = Counter()
    stems = [stem(w) for w in words]
    for s in stems:
        out["w:" + s] += 1
    for a, b in itertools.pairwise(stems):
        out[f"p:{a} {b}"] += 1
    for w in words if letters else ():
        out.update(_letter_groups(w, sizes))
    return out


@functools.lru_cache(maxsize=50_000)
def _letter_groups(word: str, sizes: tuple[int, ...] = CHAR_SIZES) -> tuple[str, ...]:
    """The letter groups of one word, its edges marked ("<mot>"), as feature keys."""
    marked = f"<{word}>"
    return tuple("c:" + marked[i : i + n] for n in sizes for i in range(len(marked) - n + 1))


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


# --- the linear reading (issue 18, fourth pass) ------------------------------------------

#: The class of the linear reading that stands for "nothing asked" (everyday sentences).
NOTHING = ""
#: Passes over the examples when training the linear reading (averaged passive-aggressive).
EPOCHS = 3
#: Largest step of one passive-aggressive update (PA-I's aggressiveness).
AGGRESSIVENESS = 1.0
#: A feature seen in fewer examples than this is dropped (noise, and training time).
MIN_EXAMPLES = 2
#: At most this many examples of each class are learned from, the first ones (a content with
#: tens of thousands of phrases per need would otherwise take seconds to start; the shipped
#: content has about 2,700 everyday sentences, and 400 to 450 sentences per need).
MAX_PER_CLASS = 4000
#: The linear reading's letter groups: 4 and 5 letters (groups of 3 are shared by too many
#: words to tell needs apart, and they made training a third slower).
LINEAR_CHAR_SIZES = (4, 5)
#: Sharpness of the linear reading's probabilities (its scores are margins around 0 to 1.5).
LINEAR_TEMPERATURE = 4.0
#: The layout of a cached linear reading (see LinearReading._save); bumped when it changes.
CACHE_FORMAT = 1
#: How many learned readings the cache folder keeps (a content being edited, a territory
#: pack, the shipped content): the newest ones.
CACHED_MODELS = 3


class LinearReading:
    """A linear model over word stems, word pairs and letter groups (TF-IDF, each text's vector
    of length 1), trained at load time by an averaged multiclass passive-aggressive pass over
    the needs' examples and, as the class `NOTHING`, everyday sentences that ask for nothing.
    Its weights are one numpy array (features by classes): a fraction of a second to train on
    the shipped content; it reads whole sentences and generalises to words the vocabulary
    never listed through their letter groups."""

    def __init__(
        self,
        examples: Mapping[str, Iterable[str]],
        everyday: Iterable[str] = (),
        stop_words: frozenset[str] = frozenset(),
        *,
        lexicon: Lexicon = PLAIN,
        epochs: int | None = None,
        cache: Path | None = None,
        reads: Callable[[str], str] | None = None,
        reads_key: str = "",
    ) -> None:
        import numpy as np

        self.stop_words = stop_words
        self.lexicon = lexicon
        self._reads_key = reads_key
        texts = [
            (need_id, text)
            for need_id, items in examples.items()
            for text in itertools.islice(items, MAX_PER_CLASS)
        ]
        texts += [(NOTHING, text) for text in itertools.islice(everyday, MAX_PER_CLASS)]
        passes = EPOCHS if epochs is None else epochs
        path = None if cache is None else cache / f"linear-{self._key(texts, passes)}.npz"
        if path is not None and self._load(path):
            return
        if reads is not None:  # learn from what will be read of a text, not all of it
            texts = [(label, seen) for label, text in texts if (seen := reads(text))]
        raw = [(label, self._features(text)) for label, text in texts]
        self.classes = sorted({label for label, _ in raw})
        df: Counter[str] = Counter()
        for _, counts in raw:
            df.update(counts.keys())
        n = len(raw)
        kept = [k for k, d in df.items() if d >= MIN_EXAMPLES]
        self._column = {k: i for i, k in enumerate(kept)}
        self._idf = np.array([math.log((1 + n) / (1 + df[k])) + 1.0 for k in kept])
        index = {label: i for i, label in enumerate(self.classes)}
        data = [(index[label], *self._vector(counts)) for label, counts in raw]
        size = len(self.classes)
        self._weights = (
            _train(data, size, passes, len(kept)) if size > 1 else np.zeros((len(kept), size))
        )
        if path is not None:
            self._save(path)

    def _key(self, texts: list[tuple[str, str]], passes: int) -> str:
        """What the weights depend on: the examples, the settings, the lexicon, and the code
        that reads and learns (this module and the normaliser): a change to any of them is
        a new key, so that a cached model is never stale."""
        digest = hashlib.sha256()
        for module in (__file__, Path(__file__).with_name("normalize.py")):
            digest.update(Path(module).read_bytes())
        settings = (
            CACHE_FORMAT,
            passes,
            AGGRESSIVENESS,
            MIN_EXAMPLES,
            LINEAR_CHAR_SIZES,
            sorted(self.stop_words),
            sorted(self.lexicon.sms.items()),
            sorted(self.lexicon.stop_words),
            self._reads_key,
        )
        digest.update(repr(settings).encode())
        for label, text in texts:
            digest.update(f"{label}\x00{text}\x00".encode())
        return digest.hexdigest()[:40]

    def _load(self, path: Path) -> bool:
        """Take the weights from a cache file; False (and nothing changed) when it is
        missing, unreadable or not of the expected shape."""
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as saved:
                keys, classes = saved["keys"], saved["classes"]
                weights, idf = saved["weights"], saved["idf"]
        except (OSError, ValueError, KeyError, EOFError):
            return False
        if weights.shape != (len(keys), len(classes)) or idf.shape != (len(keys),):
            return False
        self.classes = [str(c) for c in classes]
        self._column = {str(k): i for i, k in enumerate(keys)}
        self._idf = idf.astype(np.float64)
        self._weights = weights.astype(np.float64)
        return True

    def _save(self, path: Path) -> None:
        """Write the weights for the next start (atomically, for its owner only), and remove
        all but the CACHED_MODELS newest models of the folder; a folder that cannot be
        written is no error."""
        import numpy as np

        keys = np.array(list(self._column), dtype=np.str_)
        classes = np.array(self.classes, dtype=np.str_)

        def write(out: BinaryIO) -> None:
            np.savez(out, keys=keys, classes=classes, weights=self._weights, idf=self._idf)

        write_cache_file(path, write, keep=CACHED_MODELS)

    def _features(self, text: str) -> Counter[str]:
        """The features of a text as this reading sees them."""
        return features(text, self.stop_words, lexicon=self.lexicon, sizes=LINEAR_CHAR_SIZES)

    def _vector(self, counts: Mapping[str, int]) -> tuple[Columns, Vector]:
        """The known features of a text (their columns) and their TF-IDF values, of length 1."""
        import numpy as np

        column = self._column
        found, times = [], []
        for k, c in counts.items():
            i = column.get(k)
            if i is not None:
                found.append(i)
                times.append(c)
        columns = np.array(found, dtype=np.intp)
        x = (1.0 + np.log(np.array(times, dtype=np.float64))) * self._idf[columns]
        norm = float(np.sqrt(x @ x)) or 1.0
        return columns, x / norm

    def scores(self, text: str) -> dict[str, float]:
        """Each class's margin for a text (0 for all when no feature is known)."""
        import numpy as np

        columns, x = self._vector(self._features(text))
        margins = x @ self._weights[columns] if columns.size else np.zeros(len(self.classes))
        return dict(zip(self.classes, margins.tolist(), strict=True))

    def probabilities(self, text: str) -> dict[str, float]:
        """How likely each class is (needs, and `NOTHING`), summing to 1; {} when no feature
        of the text is known."""
        scores = self.scores(text)
        if not any(scores.values()):
            return {}
        top = max(scores.values())
        exp = {k: math.exp((s - top) * LINEAR_TEMPERATURE) for k, s in scores.items()}
        total = sum(exp.values())
        return {k: v / total for k, v in exp.items()}


def _train(data: list[tuple[int, Columns, Vector]], size: int, epochs: int, width: int) -> Matrix:
    """Multiclass passive-aggressive (PA-I), averaged over the ends of the passes: on each
    example (class, feature columns, values) whose right class does not beat the best other
    one by a margin of 1, both move by the smallest step that would fix it (at most
    AGGRESSIVENESS). Examples are visited in a fixed shuffled order. Returns the weights,
    `width` features by `size` classes."""
    import numpy as np

    weights = np.zeros((width, size))
    averaged = np.zeros((width, size))
    rows = [row for row in data if row[1].size]
    random.Random(18).shuffle(rows)  # noqa: S311 - a fixed order, not a secret
    for _ in range(epochs):
        for label, columns, x in rows:
            scores = x @ weights[columns]
            own = scores[label]
            scores[label] = -math.inf
            rival = int(scores.argmax())
            loss = 1.0 - own + scores[rival]
            if loss > 0.0:
                step = min(AGGRESSIVENESS, loss / 2.0) * x  # |x| = 1, two classes move
                weights[columns, label] += step
                weights[columns, rival] -= step
        averaged += weights
    averaged /= max(epochs, 1)
    return averaged
