"""`conseiller unmatched --suggest`: alike phrases grouped, the nearest need proposed."""

from __future__ import annotations

from conseiller.matching import Matcher
from conseiller.suggest import group_phrases, suggest
from conseiller.unmatched import UnmatchedCount


def _count(phrase: str, n: int = 1) -> UnmatchedCount:
    return UnmatchedCount(phrase, n, "2026-11-01", "2026-11-02")


def test_alike_phrases_form_one_group_and_others_stay_apart() -> None:
    groups = group_phrases(
        [
            _count("pas un rond pour démarrer", 3),
            _count("pas un rond"),
            _count("personne nous connait"),
            _count("zorglub bidule"),
        ]
    )
    assert [[c.phrase for c in g] for g in groups] == [
        ["pas un rond pour démarrer", "pas un rond"],
        ["personne nous connait"],
        ["zorglub bidule"],
    ]


def test_each_group_gets_its_nearest_need_and_gibberish_gets_none(matcher: Matcher) -> None:
    groups = suggest(
        matcher,
        [
            _count("on a pas un rond pour démarrer", 2),
            _count("pas un rond pour le projet"),
            _count("personne ne nous connait ici"),
            _count("zorglub bidule"),
        ],
    )
    by_phrase = {g.phrases[0].phrase: g for g in groups}
    assert by_phrase["on a pas un rond pour démarrer"].need == "financement"
    assert by_phrase["on a pas un rond pour démarrer"].count == 3
    assert by_phrase["personne ne nous connait ici"].need == "visibilite"
    assert by_phrase["zorglub bidule"].need is None
    assert groups[0].count == 3  # the most typed group first
