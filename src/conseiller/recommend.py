"""Profile and confirmed needs to formats and contacts, each with the reasons it was chosen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue, holds
from conseiller.schema import Contact, Format, Rule

MAX_FORMATS = 5
MAX_CONTACTS = 8
MAX_REASONS = 3  # reasons shown for one recommendation: enough to understand, not to drown
Scope = Literal["national", "regional", "departemental"]


@dataclass
class FormatPick:
    """A recommended format, why, and which rules and needs led to it."""

    format: Format
    why: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class ContactPick:
    """A recommended contact, where it works, and why it was chosen."""

    contact: Contact
    scope: Scope
    why: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass(frozen=True)
class Recommendation:
    """Everything the results screen and the take-away show."""

    profile: dict[str, SlotValue]
    needs: list[str]
    formats: list[FormatPick]
    contacts: list[ContactPick]


def _needs_of(profile: Mapping[str, SlotValue]) -> list[str]:
    value = profile.get("besoins")
    return list(value) if isinstance(value, list) else []


def format_fits(fmt: Format, profile: Mapping[str, SlotValue]) -> bool:
    """A format fits the person's stage and role (when known) and its own condition."""
    stade = profile.get("stade")
    role = profile.get("role")
    if isinstance(stade, str) and stade not in fmt.stages:
        return False
    if isinstance(role, str) and role not in fmt.roles:
        return False
    return holds(fmt.when, profile)


def _rule_applies(rule: Rule, needs: list[str], profile: Mapping[str, SlotValue]) -> list[str]:
    """The needs through which a rule applies ([""] for a rule with no needs), or []."""
    if not holds(rule.when, profile):
        return []
    if not rule.needs:
        return [""]
    return [n for n in rule.needs if n in needs]


def contact_scope(contact: Contact, region: str | None, dept: str | None) -> Scope | None:
    """How a contact covers the person's territory, or None if it does not."""
    cov = contact.coverage
    if cov.national:
        return "national"
    if dept and dept in cov.departements:
        return "departemental"
    if region and region in cov.regions:
        return "regional"
    return None


def recommend(catalog: Catalog, profile: Mapping[str, SlotValue]) -> Recommendation:
    """Formats then contacts for this profile, ranked and capped, each with its why."""
    needs = _needs_of(profile)
    fired: list[tuple[Rule, list[str]]] = []
    for rule in catalog.rules:
        if rule.fallback:
            continue
        through = _rule_applies(rule, needs, profile)
        if through:
            fired.append((rule, through))
    if not any(rule.needs for rule, _ in fired):
        # Nothing said about needs: add the first-orientation rules ("je ne sais pas").
        fallbacks = (r for r in catalog.rules if r.fallback)
        fired += [(r, t) for r in fallbacks if (t := _rule_applies(r, needs, profile))]
    picks = _pick_formats(catalog, fired, profile)
    if not picks:
        # The needs named lead to no format at this stage: orient all the same.
        fired += [
            (r, t)
            for r in catalog.rules
            if r.fallback and (t := _rule_applies(r, needs, profile)) and (r, t) not in fired
        ]
        picks = _pick_formats(catalog, fired, profile)
    formats = sorted(picks.values(), key=lambda p: -p.score)[:MAX_FORMATS]
    contacts = _pick_contacts(catalog, fired, formats, needs, profile)
    return Recommendation(dict(profile), needs, formats, contacts)


def _pick_formats(
    catalog: Catalog, fired: list[tuple[Rule, list[str]]], profile: Mapping[str, SlotValue]
) -> dict[str, FormatPick]:
    picks: dict[str, FormatPick] = {}
    for rule, through in fired:
        real_needs = [n for n in through if n]
        for rank, format_id in enumerate(rule.formats):
            fmt = catalog.formats[format_id]
            if not format_fits(fmt, profile):
                continue
            pick = picks.setdefault(format_id, FormatPick(fmt))
            pick.score += 2.0 + len(real_needs) - 0.1 * rank
            if rule.why not in pick.why and len(pick.why) < MAX_REASONS:
                pick.why.append(rule.why)
            pick.rules.append(rule.id)
            pick.needs.extend(n for n in real_needs if n not in pick.needs)
    return picks


def _pick_contacts(
    catalog: Catalog,
    fired: list[tuple[Rule, list[str]]],
    formats: list[FormatPick],
    needs: list[str],
    profile: Mapping[str, SlotValue],
) -> list[ContactPick]:
    dept = profile.get("departement")
    dept = dept if isinstance(dept, str) else None
    region = profile.get("region")
    region = region if isinstance(region, str) else None
    format_ids = [p.format.id for p in formats]
    named: dict[str, list[Rule]] = {}
    for rule, _ in fired:
        for cid in rule.contacts:
            named.setdefault(cid, []).append(rule)
    picks: list[ContactPick] = []
    for contact in catalog.contacts.values():
        scope = contact_scope(contact, region, dept)
        if scope is None or not holds(contact.when, profile):
            continue
        pick = ContactPick(contact, scope)
        pick.needs = [n for n in needs if n in contact.needs]
        offered = [f for f in format_ids if f in contact.formats]
        pick.score = 3.0 * len(pick.needs) + 2.0 * len(offered)
        for rule in named.get(contact.id, []):
            pick.score += 3.0
            pick.rules.append(rule.id)
        if contact.regional_entry and scope != "national":
            pick.score += 20.0
        elif scope == "departemental":
            pick.score += 1.0
        if pick.score <= 0:
            continue
        pick.why = _contact_why(catalog, pick, offered, named.get(contact.id, []), profile)
        picks.append(pick)
    picks.sort(key=lambda p: (-p.score, p.contact.name))
    return picks[:MAX_CONTACTS]


def _contact_why(
    catalog: Catalog,
    pick: ContactPick,
    offered: list[str],
    rules: list[Rule],
    profile: Mapping[str, SlotValue],
) -> list[str]:
    why: list[str] = []
    if pick.scope == "regional":
        region = catalog.territories.regions.get(str(profile.get("region")))
        why.append(strings.WHY_REGION.format(region=region.name if region else ""))
    elif pick.scope == "departemental":
        dept = catalog.territories.departements.get(str(profile.get("departement")))
        why.append(strings.WHY_DEPT.format(departement=dept.name if dept else ""))
    if pick.needs:
        labels = ", ".join(catalog.needs[n].label.lower() for n in pick.needs)
        why.append(strings.WHY_NEEDS.format(needs=labels))
    if offered:
        titles = ", ".join(catalog.formats[f].title for f in offered)
        why.append(strings.WHY_FORMATS.format(formats=titles))
    reasons = list(dict.fromkeys(r.why for r in rules))[:MAX_REASONS]
    if reasons:
        why.append(strings.WHY_RULE.format(why=" ".join(reasons)))
    if not why:
        why.append(strings.WHY_NATIONAL)
    return why
