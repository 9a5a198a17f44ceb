"""Checks on the advice itself: each reason in every voice it is shown in, citing only answers."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue, holds, slot_tests
from conseiller.glossary import undefined_acronyms
from conseiller.schema import ROLES, ChoiceNode, Contact, Flow, Format, Rule

Loc = tuple[str | int, ...]
#: Profile fields whose « je ne sais pas » the rules handle: a default would invent an answer.
UNKNOWN_KEPT = ("role", "stade")

#: Words of a reason that state an answer, and the slots that answer lives in. A reason that
#: says « salarié » must come from a rule that tests `employeur`, and so on; when the rule can
#: fire with that answer unknown, the reason must be conditional (« si … »).
FACT_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = (
    (re.compile(r"\bsalariée?s?\b|\bemploie\b", re.IGNORECASE), ("employeur",), "salarié"),
    (re.compile(r"\bterres?\b", re.IGNORECASE), ("lieu",), "terres"),
    (
        re.compile(r"\bagricoles?\b|\bagriculture\b", re.IGNORECASE),
        ("agricole", "lieu"),
        "agriculture",
    ),
    (re.compile(r"\bbâtiment vide\b", re.IGNORECASE), ("lieu",), "bâtiment vide"),
    (
        re.compile(
            r"stade de l'idée|\bau démarrage\b|\ble projet démarre\b|depuis plus de|"
            r"installée? depuis|\bexiste déjà\b",
            re.IGNORECASE,
        ),
        ("stade",),
        "stade du projet",
    ),
)
_CONDITIONAL = re.compile(r"(?:^|[\s,(])si\s|\bs'(?:il|ils)\b", re.IGNORECASE)
#: Words said to a collectivité or an accompagnateur only by mistake: a project holder's words.
HOLDER_ONLY = re.compile(
    r"avant de vous lancer|vous vous sentez seul|votre activité à votre compte", re.IGNORECASE
)


@dataclass(frozen=True)
class Finding:
    """One problem: which file, where in it, what, how serious."""

    key: str
    loc: Loc
    message: str
    level: str = "error"


class Situations:
    """Which answers can hold together, given the questions a flow asks and when.

    A slot has a value only if a question that fills it was shown (its `when` held); the
    other answers are enumerated over their options and « je ne sais pas » (None).
    """

    def __init__(self, flows: Sequence[Flow], needs: Sequence[str]) -> None:
        self.asked: dict[str, list[Mapping[str, Any] | None]] = {}
        self.values: dict[str, list[str | None]] = {}
        for flow in flows:
            for node in flow.nodes:
                if isinstance(node, ChoiceNode):
                    name = node.profile or node.slot
                    self.asked.setdefault(name, []).append(node.when)
                    known = self.values.setdefault(name, [None])
                    known += [o.id for o in node.options if o.id not in known]
        self.needs = list(needs)

    def _closure(self, slots: set[str]) -> list[str]:
        todo = [s for s in slots if s in self.values]
        seen: set[str] = set()
        while todo:
            slot = todo.pop()
            if slot in seen:
                continue
            seen.add(slot)
            for when in self.asked.get(slot, []):
                todo += [s for s, _ in slot_tests(when) if s in self.values and s not in seen]
        return sorted(seen)

    def profiles(
        self, when: Mapping[str, Any] | None, fixed: Mapping[str, str | None]
    ) -> Iterator[dict[str, SlotValue]]:
        """Every coherent profile with these fixed answers where `when` holds."""
        slots = {s for s, _ in slot_tests(when)} | set(fixed)
        free = [s for s in self._closure(slots) if s not in fixed]
        for combo in itertools.product(*(self.values[s] for s in free)):
            profile: dict[str, SlotValue] = {"besoins": self.needs, **fixed}
            profile.update(zip(free, combo, strict=True))
            if holds(when, profile) and self._coherent(profile):
                yield profile

    def _coherent(self, profile: Mapping[str, SlotValue]) -> bool:
        for slot, whens in self.asked.items():
            if profile.get(slot) is not None and not any(holds(w, profile) for w in whens):
                return False
        return True

    def possible(self, when: Mapping[str, Any] | None, fixed: Mapping[str, str | None]) -> bool:
        """Whether `when` can hold for someone with these answers."""
        return next(self.profiles(when, fixed), None) is not None

    def roles(self, when: Mapping[str, Any] | None) -> list[str | None]:
        """The roles (None: not said) a condition can hold for."""
        return [r for r in (*ROLES, None) if self.possible(when, {"role": r})]


def _voices(why: str | Mapping[Any, str]) -> list[tuple[str, Loc, str]]:
    if isinstance(why, str):
        return [("", ("why",), why)]
    return [(str(k), ("why", str(k)), v) for k, v in why.items()]


def rule_findings(
    rules: Sequence[Rule], situations: Situations, key: str = "rules.yaml"
) -> Iterator[Finding]:
    """Voices (§4) and cited facts (§3) of every rule (`key`: the file, a pack's too)."""
    for i, rule in enumerate(rules):
        yield from _rule_voices(i, rule, situations, key)
        yield from _rule_facts(i, rule, situations, key)


def _rule_voices(i: int, rule: Rule, situations: Situations, key: str) -> Iterator[Finding]:
    roles = situations.roles(rule.when)
    needed = sorted({r or "porteur" for r in roles})
    if not needed:
        return
    shown = ", ".join(needed)
    if isinstance(rule.why, str):
        if len(needed) > 1:
            yield Finding(
                key,
                ("rules", i, "why"),
                strings.ADV_CHK_ONE_VOICE.format(id=rule.id, roles=shown),
            )
        return
    keys = {str(k) for k in rule.why}
    missing = [] if "tous" in keys else [r for r in needed if r not in keys]
    if missing:
        yield Finding(
            key,
            ("rules", i, "why"),
            strings.ADV_CHK_MISSING_VOICE.format(id=rule.id, missing=", ".join(missing)),
        )
    for voice in sorted(keys - set(needed) - {"tous"}):
        yield Finding(
            key,
            ("rules", i, "why", voice),
            strings.ADV_CHK_UNUSED_VOICE.format(id=rule.id, role=voice),
            "warning",
        )
    for voice, loc, text in _voices(rule.why):
        if voice in ("collectivite", "accompagnateur", "tous") and HOLDER_ONLY.search(text):
            yield Finding(
                key,
                ("rules", i, *loc),
                strings.ADV_CHK_HOLDER_WORDS.format(id=rule.id, role=voice),
            )


def _rule_facts(i: int, rule: Rule, situations: Situations, file: str) -> Iterator[Finding]:
    tested = {s for s, _ in slot_tests(rule.when)}
    for key, loc, text in _voices(rule.why):
        if key == "porteur":  # also said when the role is not known
            fixed_roles: list[dict[str, str | None]] = [{"role": "porteur"}, {"role": None}]
        else:
            fixed_roles = [{"role": key}] if key in ROLES else [{}]
        for pattern, slots, fact in FACT_CUES:
            if not pattern.search(text):
                continue
            if not tested & set(slots):
                yield Finding(
                    file,
                    ("rules", i, *loc),
                    strings.ADV_CHK_FACT_UNTESTED.format(
                        id=rule.id, fact=fact, slots=" ou ".join(slots)
                    ),
                )
                continue
            unknown: dict[str, str | None] = {s: None for s in slots}
            assumed = any(situations.possible(rule.when, {**f, **unknown}) for f in fixed_roles)
            if assumed and not _CONDITIONAL.search(text):
                yield Finding(
                    file,
                    ("rules", i, *loc),
                    strings.ADV_CHK_FACT_ASSUMED.format(
                        id=rule.id, fact=fact, slots=" ou ".join(slots)
                    ),
                )


def format_findings(
    formats: Sequence[Format], rules: Sequence[Rule], situations: Situations
) -> Iterator[Finding]:
    """Every role of a format has its voice, and some rule can show it to that role."""
    shown_to: dict[str, set[str]] = {}
    for rule in rules:
        roles = {r for r in situations.roles(rule.when) if r is not None}
        for fid in rule.formats:
            shown_to.setdefault(fid, set()).update(roles)
    for i, fmt in enumerate(formats):
        for role in fmt.roles:
            if fmt.voice not in (role, "tous") and role not in fmt.voices:
                yield Finding(
                    "formats.yaml",
                    ("formats", i, "voices"),
                    strings.ADV_CHK_FORMAT_VOICE.format(id=fmt.id, role=role, voice=fmt.voice),
                )
            if role not in shown_to.get(fmt.id, set()):
                yield Finding(
                    "formats.yaml",
                    ("formats", i, "roles"),
                    strings.ADV_CHK_FORMAT_UNSHOWN.format(id=fmt.id, role=role),
                    "warning",
                )
        for role in fmt.voices:
            if role not in fmt.roles:
                yield Finding(
                    "formats.yaml",
                    ("formats", i, "voices", role),
                    strings.ADV_CHK_UNUSED_FORMAT_VOICE.format(id=fmt.id, role=role),
                    "warning",
                )
        for slot in fmt.unsure:
            if slot not in {s for s, _ in slot_tests(fmt.when)}:
                yield Finding(
                    "formats.yaml",
                    ("formats", i, "unsure", slot),
                    strings.ADV_CHK_UNSURE_SLOT.format(id=fmt.id, slot=slot),
                )
            elif not _CONDITIONAL.search(fmt.unsure[slot]):
                yield Finding(
                    "formats.yaml",
                    ("formats", i, "unsure", slot),
                    strings.ADV_CHK_UNSURE_NOT_CONDITIONAL.format(id=fmt.id, slot=slot),
                )


def contact_findings(catalog: Catalog) -> Iterator[Finding]:
    """A national contact offered for a need by its own `needs` list alone, in every
    situation, although rules decide for that need who fits when (MSA, Les SCOP or
    Guid'Asso for money at the idea stage): a warning, until a rule names it, the need
    leaves its list, or the contact says when it fits (`when`). Territorial contacts (and
    packs) come by their needs on purpose: they are the people near the person."""
    if "contacts.yaml" not in catalog.models or "rules.yaml" not in catalog.models:
        return
    rules: Sequence[Rule] = catalog.models["rules.yaml"].rules  # type: ignore[attr-defined]
    decided = {n for r in rules for n in r.needs}
    named: dict[str, set[str]] = {}
    for rule in rules:
        for cid in rule.contacts:
            named.setdefault(cid, set()).update(rule.needs)
    contacts: Sequence[Contact] = catalog.models["contacts.yaml"].contacts  # type: ignore[attr-defined]
    for i, contact in enumerate(contacts):
        if not contact.coverage.national or contact.when is not None:
            continue
        alone = [n for n in contact.needs if n in decided and n not in named.get(contact.id, ())]
        if alone:
            yield Finding(
                "contacts.yaml",
                ("contacts", i, "needs"),
                strings.ADV_CHK_CONTACT_BY_LIST.format(id=contact.id, needs=", ".join(alone)),
                "warning",
            )


def _content_texts(catalog: Catalog) -> Iterator[tuple[str, Loc, str]]:
    """Every text of the advice a person reads: (file, where, text)."""
    for i, fmt in enumerate(catalog.models["formats.yaml"].formats):  # type: ignore[attr-defined]
        for name in ("title", "summary", "description", "suits", "expect"):
            yield "formats.yaml", ("formats", i, name), getattr(fmt, name)
        for role, voice in fmt.voices.items():
            for name in ("summary", "description", "suits", "expect"):
                yield "formats.yaml", ("formats", i, "voices", role, name), getattr(voice, name)
        for slot, text in fmt.unsure.items():
            yield "formats.yaml", ("formats", i, "unsure", slot), text
    for i, rule in enumerate(catalog.models["rules.yaml"].rules):  # type: ignore[attr-defined]
        for _, loc, text in _voices(rule.why):
            yield "rules.yaml", ("rules", i, *loc), text
    for i, need in enumerate(catalog.models["needs.yaml"].needs):  # type: ignore[attr-defined]
        yield "needs.yaml", ("needs", i, "label"), need.label
        yield "needs.yaml", ("needs", i, "description"), need.description
    for i, contact in enumerate(catalog.models["contacts.yaml"].contacts):  # type: ignore[attr-defined]
        yield "contacts.yaml", ("contacts", i, "description"), contact.description


def glossary_findings(catalog: Catalog) -> Iterator[Finding]:
    """A warning for each acronym the content uses and the glossary does not explain (once)."""
    if "glossary.yaml" not in catalog.models:
        return
    warned: set[str] = set(catalog.models["glossary.yaml"].names)  # type: ignore[attr-defined]
    for key, loc, text in _content_texts(catalog):
        for acronym in undefined_acronyms(catalog.glossary, text):
            if acronym not in warned:
                warned.add(acronym)
                yield Finding(
                    key, loc, strings.ADV_CHK_UNDEFINED_ACRONYM.format(acronym=acronym), "warning"
                )


def flow_findings(flows: Sequence[Flow]) -> Iterator[Finding]:
    """« Je ne sais pas » stays unknown: no default on the role or stage question."""
    for flow in flows:
        for i, node in enumerate(flow.nodes):
            if isinstance(node, ChoiceNode) and node.profile in UNKNOWN_KEPT and node.default:
                yield Finding(
                    f"flow:{flow.id}",
                    ("nodes", i, "default"),
                    strings.ADV_CHK_DEFAULT.format(
                        id=node.id, field=node.profile, value=node.default
                    ),
                )
