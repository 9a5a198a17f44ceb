"""Authors' loop: group the phrases nobody understood and propose the nearest need for each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from conseiller.lexicon import shipped_lexicon
from conseiller.matching import Matcher
from conseiller.normalize import Lexicon, stem
from conseiller.unmatched import UnmatchedCount

#: Two phrases join one group when their content words are this alike (rapidfuzz
#: token_set_ratio over stems, 0–100).
GROUP_SIMILARITY = 70.0
#: Under this raw lexical score, no need is proposed for a group (the author decides).
PROPOSE_ABOVE = 0.5
#: How many phrases of a group are shown.
SHOWN_PER_GROUP = 5


@dataclass(frozen=True)
class Group:
    """Phrases that say much the same thing, and the need they most resemble."""

    phrases: list[UnmatchedCount]
    need: str | None
    score: float

    @property
    def count(self) -> int:
        """How many times the phrases of the group were typed."""
        return sum(p.count for p in self.phrases)


def _content_key(phrase: str, lexicon: Lexicon) -> str:
    return " ".join(stem(w) for w in lexicon.content_words(phrase))


def group_phrases(
    counts: Iterable[UnmatchedCount], lexicon: Lexicon | None = None
) -> list[list[UnmatchedCount]]:
    """Greedy grouping, most frequent phrases first: each joins the first alike group
    (`lexicon`: the content's SMS forms and stop words; the shipped content's by default)."""
    lexicon = lexicon or shipped_lexicon()
    groups: list[tuple[str, list[UnmatchedCount]]] = []
    for entry in sorted(counts, key=lambda c: (-c.count, c.phrase)):
        key = _content_key(entry.phrase, lexicon)
        for leader, members in groups:
            if key and leader and fuzz.token_set_ratio(key, leader) >= GROUP_SIMILARITY:
                members.append(entry)
                break
        else:
            groups.append((key, [entry]))
    return [members for _, members in groups]


def nearest_need(matcher: Matcher, phrases: Iterable[str]) -> tuple[str | None, float]:
    """The need whose vocabulary the phrases share most, summed over the group; a tie goes
    to the need the learned reading prefers."""
    totals: dict[str, float] = {}
    learned: dict[str, float] = {}
    for phrase in phrases:
        evidence = matcher.evidence(phrase)
        if evidence is None:
            continue
        for need_id, score in evidence[0]:
            totals[need_id] = totals.get(need_id, 0.0) + score
        if matcher.classifier is not None:
            for need_id, p in matcher.classifier.probabilities(phrase).items():
                learned[need_id] = learned.get(need_id, 0.0) + p
    if not totals:
        return None, 0.0
    need_id, score = max(
        totals.items(), key=lambda kv: (round(kv[1], 6), learned.get(kv[0], 0.0), kv[0])
    )
    return (need_id, score) if score >= PROPOSE_ABOVE else (None, score)


def suggest(matcher: Matcher, counts: Iterable[UnmatchedCount]) -> list[Group]:
    """Groups of unmatched phrases, the most typed first, each with a proposed need."""
    out: list[Group] = []
    for members in group_phrases(counts, matcher.lexicon):
        need, score = nearest_need(matcher, (m.phrase for m in members))
        out.append(Group(members, need, round(score, 2)))
    return sorted(out, key=lambda g: (-g.count, g.phrases[0].phrase))
