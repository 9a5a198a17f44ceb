"""Départements and régions: find a département from a code, a name or a misspelt name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from conseiller import strings
from conseiller.normalize import fold
from conseiller.schema import AmbiguousName, Departement, Place, Region
from conseiller.typography import shorten

_DOUBLES = re.compile(r"([a-z])\1+")


def _key(name: str) -> str:
    """How a name is looked up: folded, 'saint' as 'st'."""
    return fold(name).replace("saint ", "st ")


def sound(name: str) -> str:
    """A rough spelling-free key: 'creuze' and 'creuse' sound the same."""
    text = name.replace("ph", "f").replace("z", "s").replace("y", "i")
    text = re.sub(r"(?<!c)h", "", text)
    text = _DOUBLES.sub(r"\1", text)
    return " ".join(_soft_ending(w) for w in text.split())


def _soft_ending(word: str) -> str:
    """Drop one plural mark, then one final mute e."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    return word


_LEADING = {
    "en",
    "dans",
    "le",
    "la",
    "les",
    "l",
    "de",
    "du",
    "des",
    "d",
    "departement",
    "dept",
    "dpt",
    "dep",
    "je",
    "suis",
    "j",
    "habite",
    "vis",
    "on",
    "est",
    "nous",
    "sommes",
    "c",
    "a",
    "au",
    "aux",
    "region",
    "the",
    "in",
    "i",
    "live",
    "we",
    "are",
}
_POSTCODE = re.compile(r"^\d{5}$")
#: A place name is taken despite a typo at this rapidfuzz ratio, if no département's name
#: is as close ("bretagn" is Bretagne, "aine" stays the Ain or the Aisne).
PLACE_TYPO_CUTOFF = 85.0
_CODE = re.compile(r"^(\d{1,3}|2a|2b)$")


class TerritoryError(ValueError):
    """The text names no département; `suggestions` lists close ones."""

    def __init__(self, message: str, suggestions: list[Departement]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


@dataclass(frozen=True)
class Territories:
    """The map: régions by code, départements by code, and a name index."""

    regions: dict[str, Region]
    departements: dict[str, Departement]
    names: dict[str, str]
    sounds: dict[str, set[str]]
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    places: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def words(self) -> frozenset[str]:
        """Every word of three letters or more in the names this map knows (départements,
        régions, places), folded."""
        return frozenset(
            w for name in [*self.names, *self.places] for w in name.split() if len(w) >= 3
        )

    @classmethod
    def build(
        cls,
        regions: list[Region],
        departements: list[Departement],
        ambiguous: list[AmbiguousName] | None = None,
        places: list[Place] | None = None,
    ) -> Territories:
        """Index the lists from content/territories.yaml, names folded once."""
        names: dict[str, str] = {}
        for dept in departements:
            name = fold(dept.name)
            for variant in (name, name.replace("saint ", "st "), name.replace(" et ", " ")):
                names[variant] = dept.code
            if name.startswith(("la ", "le ")):
                names[name[3:]] = dept.code
        sounds: dict[str, set[str]] = {}
        for name, code in names.items():
            sounds.setdefault(sound(name), set()).add(code)
        asked = {
            _key(entry.name): [c for c in entry.departements if c in {d.code for d in departements}]
            for entry in ambiguous or []
        }
        known = {d.code for d in departements}
        named: dict[str, tuple[str, list[str]]] = {}
        for region in regions:  # a région names its départements
            codes = [d.code for d in departements if d.region == region.code]
            if codes:
                named[_key(region.name)] = (region.name, codes)
        for place in places or []:
            codes = [c for c in place.departements if c in known]
            if codes:
                named[_key(place.name)] = (place.name, codes)
        for key in list(named):
            if key in names or key in asked:  # a département's own name always wins
                del named[key]
        return cls(
            {r.code: r for r in regions},
            {d.code: d for d in departements},
            names,
            sounds,
            asked,
            named,
        )

    def region_of(self, dept_code: str) -> Region:
        """The région of a known département code."""
        return self.regions[self.departements[dept_code].region]

    def resolve(self, text: str) -> Departement:
        """A département from '23', '2A', '974', '23000', 'Creuse', 'côtes d'armor', 'creuze'."""
        words = fold(text).split()
        while len(words) > 1 and words[0] in _LEADING:
            words.pop(0)
        key = " ".join(words)
        if not key:
            raise TerritoryError(strings.TERR_EMPTY, [])
        found = self._by_code(key) or self.names.get(key.replace("saint ", "st "))
        if found:
            return self.departements[found]
        query = key.replace("saint ", "st ")
        if query in self.ambiguous:  # a town found in several départements: never guess
            places = [self.departements[c] for c in self.ambiguous[query]]
            raise TerritoryError(
                strings.TERR_AMBIGUOUS.format(
                    text=shorten(text),
                    choices=", ".join(f"{d.name} ({d.code})" for d in places),
                ),
                places,
            )
        place = self.places.get(query) or self._close_place(query)
        if place is not None:
            name, codes = place
            if len(codes) == 1:
                return self.departements[codes[0]]
            options = [self.departements[c] for c in codes]
            raise TerritoryError(
                strings.TERR_PLACE_SEVERAL.format(
                    text=name, choices=", ".join(f"{d.name} ({d.code})" for d in options)
                ),
                options,
            )
        same_sound = self.sounds.get(sound(query), set())
        if len(same_sound) == 1:
            return self.departements[next(iter(same_sound))]
        choices: list[tuple[str, float, str]] = []
        for scorer, accept, margin in ((fuzz.ratio, 75.0, 5.0), (fuzz.WRatio, 90.0, 5.0)):
            ranked = self._ranked(query, scorer)
            if ranked and len(key) >= 3:
                _, best, code = ranked[0]
                second = next((sc for _, sc, c in ranked if c != code), 0.0)
                if best >= accept and best - second >= margin:
                    return self.departements[code]
            choices.extend(ranked)
        choices.sort(key=lambda c: -c[1])
        suggestions: list[Departement] = []
        for _, _, code in choices:
            dept = self.departements[code]
            if dept not in suggestions and len(suggestions) < 3:
                suggestions.append(dept)
        message = strings.TERR_UNKNOWN.format(text=shorten(text))
        if suggestions:
            message += strings.TERR_SUGGEST.format(
                choices=", ".join(f"{d.name} ({d.code})" for d in suggestions)
            )
        raise TerritoryError(message, suggestions)

    def _close_place(self, query: str) -> tuple[str, list[str]] | None:
        """A place name written with a typo ("bretagn", "limousain"), if clearly one."""
        if len(query) < 5 or not self.places:
            return None
        best = process.extractOne(
            query, list(self.places), scorer=fuzz.ratio, score_cutoff=PLACE_TYPO_CUTOFF
        )
        if best is None:
            return None
        rival = max((float(fuzz.ratio(query, n)) for n in self.names), default=0.0)
        return self.places[best[0]] if float(best[1]) > rival else None

    def _ranked(self, query: str, scorer: Any) -> list[tuple[str, float, str]]:
        """(name, score, code) of the closest names, best first."""
        found = process.extract(query, list(self.names), scorer=scorer, limit=6, score_cutoff=60)
        return [(name, float(score), self.names[name]) for name, score, _ in found]

    def _by_code(self, key: str) -> str | None:
        compact = key.replace(" ", "")
        if _POSTCODE.match(compact):
            if compact.startswith("97"):
                compact = compact[:3]
            elif compact.startswith("20"):
                compact = "2a" if int(compact[:3]) < 202 else "2b"
            else:
                compact = compact[:2]
        if not _CODE.match(compact):
            return None
        code = compact.upper() if compact in ("2a", "2b") else compact.zfill(2)
        return code if code in self.departements else None
