"""Coverage of territory packs: which départements of a pack's régions lack a local contact."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.typography import plural


@dataclass(frozen=True)
class Gap:
    """One département of a pack's région, and the needs no local contact answers there."""

    region: str
    departement: str
    missing: tuple[str, ...]


def pack_regions(catalog: Catalog) -> list[str]:
    """The régions the packs work in: those of their départements, and those they name."""
    found: set[str] = set()
    terr = catalog.territories
    for pack in catalog.packs:
        for contact in pack.contacts:
            found.update(c for c in contact.coverage.regions if c in terr.regions)
            found.update(
                terr.departements[d].region
                for d in contact.coverage.departements
                if d in terr.departements
            )
    return sorted(found)


def gaps(catalog: Catalog) -> list[Gap]:
    """Every département of the packs' régions, with the needs it has no local contact for.

    A local contact is one that names the département (the group « Près de chez vous »),
    whichever file it comes from.
    """
    answered: dict[str, set[str]] = {}
    for contact in catalog.contacts.values():
        for code in contact.coverage.departements:
            answered.setdefault(code, set()).update(contact.needs)
    out: list[Gap] = []
    for region in pack_regions(catalog):
        for code, dept in sorted(catalog.territories.departements.items()):
            if dept.region == region:
                have = answered.get(code, set())
                out.append(Gap(region, code, tuple(n for n in catalog.needs if n not in have)))
    return out


def report_lines(catalog: Catalog, width: int = 88) -> list[str]:
    """The coverage report of `conseiller check --local`, in French."""
    found = gaps(catalog)
    if not found:
        return [strings.COVERAGE_NONE]
    lines: list[str] = []
    terr = catalog.territories
    for region in dict.fromkeys(g.region for g in found):
        mine = [g for g in found if g.region == region]
        lines.append(strings.COVERAGE_TITLE.format(region=terr.regions[region].name, code=region))
        for gap in mine:
            name = terr.departements[gap.departement].name
            if not gap.missing:
                lines.append(strings.COVERAGE_FULL.format(name=name, code=gap.departement))
                continue
            if len(gap.missing) == len(catalog.needs):
                lines.append(strings.COVERAGE_EMPTY.format(name=name, code=gap.departement))
                continue
            text = strings.COVERAGE_GAP.format(
                name=name, code=gap.departement, needs=", ".join(gap.missing)
            )
            lines.extend(
                textwrap.wrap(text, width=width, subsequent_indent="      ", break_on_hyphens=False)
            )
        lines.append(
            plural(strings.COVERAGE_SUMMARY, sum(1 for g in mine if g.missing), total=len(mine))
        )
    return lines
