"""Profile and confirmed needs to formats and contacts, each with the reasons it was chosen."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue, holds, slot_tests
from conseiller.normalize import fold as _fold
from conseiller.schema import Contact, Format, Rule

#: Reasons and titles are content, a few hundred sentences: fold each once (`check` builds
#: hundreds of recommendations). Never used on what a person typed.
fold = functools.lru_cache(maxsize=4096)(_fold)

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
    notes: list[str] = field(default_factory=list, repr=False)  # « si … » for unknown answers
    reasons: list[str] = field(default_factory=list, repr=False)  # the rules' reasons, in order


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
    return unsure_notes(fmt, profile) is not None


def unsure_notes(fmt: Format, profile: Mapping[str, SlotValue]) -> list[str] | None:
    """None if the format does not fit; else the conditional sentences it needs.

    A format whose condition fails only because the person did not answer a slot it
    names in `unsure` still fits, with that sentence ("si votre structure a au moins
    un salarié…"): an unknown answer is neither dropped nor assumed.
    """
    stade = profile.get("stade")
    role = profile.get("role")
    if isinstance(stade, str) and stade not in fmt.stages:
        return None
    if isinstance(role, str) and role not in fmt.roles:
        return None
    if holds(fmt.when, profile):
        return []
    unknown = [s for s in fmt.unsure if profile.get(s) is None]
    if not unknown:
        return None
    tested = dict(slot_tests(fmt.when))
    guesses = [[v for v in tested.get(s, []) if v != "none"] for s in unknown]
    for values in itertools.product(*guesses):
        if holds(fmt.when, {**profile, **dict(zip(unknown, values, strict=True))}):
            return [fmt.unsure[s] for s in unknown]
    return None


def _role(profile: Mapping[str, SlotValue]) -> str | None:
    role = profile.get("role")
    return role if isinstance(role, str) else None


def _sentences(text: str) -> list[str]:
    """A reason cut into sentences (a dot, a question or an exclamation mark ends one)."""
    return [p.strip() for p in re.split(r"(?<=[.!?…])\s+", text.strip()) if p.strip()]


def merge_reasons(reasons: list[str], limit: int = MAX_REASONS) -> list[str]:
    """Reasons as distinct sentences, in order: what two rules both say is said once."""
    return _merge(reasons, limit)[0]


def _merge(reasons: list[str], limit: int) -> tuple[list[str], list[str]]:
    """The merged sentences, and the reasons that made it into them (at most `limit`)."""
    kept: list[str] = []
    out: list[str] = []
    seen: set[str] = set()
    openings: set[str] = set()
    used = 0
    for reason in reasons:
        fresh = []
        for sentence in _sentences(reason):
            key = fold(sentence).rstrip(" .!?…")
            if key in seen:
                continue
            seen.add(key)
            said = sentence
            opening, comma, rest = sentence.partition(", ")
            if comma and len(opening) <= 40 and rest:
                if fold(opening) in openings:  # "Au stade de l'idée, …" said once
                    said = rest[:1].upper() + rest[1:]
                openings.add(fold(opening))
            fresh.append(said)
        if not fresh:
            continue
        if used == limit:
            break
        used += 1
        kept.append(reason)
        out.extend(fresh)
    return out, kept


def _reason(rule: Rule, profile: Mapping[str, SlotValue]) -> str:
    """A rule's reason in the person's voice; a first-orientation rule reached although
    the person named needs says so, instead of "you do not know what you need yet"."""
    if rule.fallback and _needs_of(profile):
        return strings.ADV_WHY_ORIENT
    return rule.reason(_role(profile))


def _rule_applies(rule: Rule, needs: list[str], profile: Mapping[str, SlotValue]) -> list[str]:
    """The needs through which a rule applies ([""] for a rule with no needs), or []."""
    if not holds(rule.when, profile):
        return []
    if not rule.needs:
        return [""]
    return [n for n in rule.needs if n in needs]


# --- who a contact serves (helper "contacts", issue 13 §3) -------------------------------


def _serves(contact: Contact, profile: Mapping[str, SlotValue]) -> bool:
    """A contact serves the person's role and stage when they are known and it names them
    (a contact with no `roles` or `stages` serves everyone); an unknown answer never excludes."""
    for slot, served in (("role", contact.roles), ("stade", contact.stages)):
        value = profile.get(slot)
        if served and isinstance(value, str) and value not in served:
            return False
    return True


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
        # Nothing said about needs, or nothing for these needs in this situation: add the
        # first-orientation rules (their reason then fits what was said: see _reason).
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
    say_once(formats)
    contacts = _pick_contacts(catalog, fired, formats, needs, profile)
    return Recommendation(dict(profile), needs, formats, contacts)


def _pick_formats(
    catalog: Catalog, fired: list[tuple[Rule, list[str]]], profile: Mapping[str, SlotValue]
) -> dict[str, FormatPick]:
    role = _role(profile)
    picks: dict[str, FormatPick] = {}
    reasons: dict[str, list[str]] = {}
    for rule, through in fired:
        real_needs = [n for n in through if n]
        for rank, format_id in enumerate(rule.formats):
            fmt = catalog.formats[format_id]
            notes = unsure_notes(fmt, profile)
            if notes is None:
                continue
            pick = picks.setdefault(format_id, FormatPick(fmt.for_role(role), notes=notes))
            said = reasons.setdefault(format_id, list(notes))
            pick.score += 2.0 + len(real_needs) - 0.1 * rank
            said.append(_reason(rule, profile))
            pick.reasons.append(said[-1])
            pick.rules.append(rule.id)
            pick.needs.extend(n for n in real_needs if n not in pick.needs)
    for format_id, pick in picks.items():
        pick.why = merge_reasons(reasons[format_id])
    return picks


def _reason_key(reason: str) -> str:
    return fold(reason).rstrip(" .!?…")


def _quoted(title: str) -> str:
    """A title in French quotes; quotes inside it become “ ” (« Programme “premiers pas” »)."""
    inner = re.sub(r"«\s*(.*?)\s*»", r"“\1”", title)
    return f"« {inner} »"


def say_once(formats: list[FormatPick]) -> None:
    """A reason given under one format is not said again under the next ones (the same rule
    often leads to several formats: « vous cherchez de l'argent » under three cards). A later
    format keeps its own « si … » notes and its new reasons; if it has no new reason, it
    points back to the first format that gave it."""
    first: dict[str, str] = {}  # a reason -> the title of the format that said it
    for pick in formats:
        fresh = [r for r in pick.reasons if _reason_key(r) not in first]
        said = _merge([*pick.notes, *fresh], MAX_REASONS)[1]
        if pick.reasons and not fresh:
            earlier = list(dict.fromkeys(first[_reason_key(r)] for r in pick.reasons))
            titles = [_quoted(t) for t in earlier]
            named = (
                titles[0]
                if len(titles) == 1
                else ", ".join(titles[:-1]) + strings.ADV_AND + titles[-1]
            )
            template = strings.ADV_WHY_SAME if len(titles) == 1 else strings.ADV_WHY_SAME_MANY
            pick.why = merge_reasons([template.format(titles=named), *pick.notes])
        elif len(fresh) < len(pick.reasons):
            pick.why = merge_reasons([*pick.notes, *fresh])
        for reason in said:  # only what this card really says (at most MAX_REASONS)
            if reason not in pick.notes:
                first.setdefault(_reason_key(reason), pick.format.title)


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
    allowed: dict[str, set[str]] = {}
    for rule, through in fired:
        for cid in rule.contacts:
            named.setdefault(cid, []).append(rule)
            allowed.setdefault(cid, set()).update(through)
    # A rule that names a contact for a need says when it fits (terres, employeur…): for that
    # need, the contact then comes only through a rule that applies, never by its needs alone.
    governed: dict[str, set[str]] = {}
    for rule in catalog.rules:
        for cid in rule.contacts:
            governed.setdefault(cid, set()).update(rule.needs)
    picks: list[ContactPick] = []
    for contact in catalog.contacts.values():
        scope = contact_scope(contact, region, dept)
        if scope is None or not holds(contact.when, profile) or not _serves(contact, profile):
            continue
        pick = ContactPick(contact, scope)
        pick.needs = [
            n
            for n in needs
            if n in contact.needs
            and (n not in governed.get(contact.id, set()) or n in allowed.get(contact.id, set()))
        ]
        offered = [f for f in format_ids if f in contact.offers]
        if contact.id in governed and contact.id not in named:
            offered = []  # its rules say when it fits, and none applies here
        pick.score = 3.0 * len(pick.needs) + 2.0 * len(offered)
        for rule in named.get(contact.id, []):
            pick.score += 3.0
            pick.rules.append(rule.id)
        if contact.regional_entry and scope != "national":
            pick.score += 20.0
        elif scope == "departemental" and pick.score > 0:  # near the person, and relevant
            pick.score += 1.0
        if pick.score <= 0:
            continue
        pick.why = _contact_why(catalog, pick, offered, named.get(contact.id, []), profile)
        picks.append(pick)
    picks.sort(key=lambda p: (-p.score, p.contact.name))
    return picks[:MAX_CONTACTS]


def need_label(label: str) -> str:
    """A need's label inside a sentence: first letter lowered, other capitals kept (ESS)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _contact_why(
    catalog: Catalog,
    pick: ContactPick,
    offered: list[str],
    rules: list[Rule],
    profile: Mapping[str, SlotValue],
) -> list[str]:
    """Why this contact, as sentences: where it works, then what it helps with."""
    why: list[str] = []
    if pick.scope == "regional":
        region = catalog.territories.regions.get(str(profile.get("region")))
        name = region.name if region else ""
        template = (
            strings.ADV_WHY_REGION_ENTRY if pick.contact.regional_entry else strings.ADV_WHY_REGION
        )
        why.append(template.format(region=name))
    elif pick.scope == "departemental":
        dept = catalog.territories.departements.get(str(profile.get("departement")))
        why.append(strings.ADV_WHY_DEPT.format(departement=dept.name if dept else ""))
    reasons = [_reason(rule, profile) for rule in rules]
    if pick.needs:
        labels = [need_label(catalog.needs[n].label) for n in pick.needs]
        joined = (
            labels[0]
            if len(labels) == 1
            else (", ".join(labels[:-1]) + strings.ADV_AND + labels[-1])
        )
        reasons.append(strings.ADV_WHY_NEEDS.format(needs=joined))
    why += merge_reasons(reasons, limit=2)
    if offered and len(why) < 2:
        titles = ", ".join(f"« {catalog.formats[f].title} »" for f in offered)
        why.append(strings.ADV_WHY_FORMATS.format(formats=titles))
    if not why:
        why.append(strings.WHY_NATIONAL)
    return why
