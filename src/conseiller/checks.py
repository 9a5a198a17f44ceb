"""`conseiller check`: references, reachability, dead ends, coverage and freshness of content."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conseiller import strings
from conseiller.catalog import Catalog, load_catalog
from conseiller.conditions import SlotValue, slot_tests
from conseiller.loader import ContentError, Loc, Problem, did_you_mean
from conseiller.paths import shipped_dir
from conseiller.recommend import recommend
from conseiller.schema import (
    PUBLIC_SLOTS,
    ROLES,
    STAGES,
    ChoiceNode,
    ConfirmNode,
    Contact,
    EndNode,
    Flow,
    KindRule,
    Rule,
    TextNode,
)

STALE_AFTER_DAYS = 365
DERIVED_SLOTS = ("region",)


@dataclass
class Report:
    """The problems found, and how many files were read."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    #: What the operator still has to set (shipped content leaves it empty on purpose):
    #: printed by `conseiller check`, never counted as a problem of the content.
    reminders: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the content unusable."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth fixing that do not block."""
        return [p for p in self.problems if p.level == "warning"]


class _Checker:
    def __init__(self, catalog: Catalog, today: dt.date) -> None:
        self.cat = catalog
        self.today = today
        self.problems: list[Problem] = []

    def add(self, key: str, loc: Loc, message: str, level: str = "error") -> None:
        pos = self.cat.positions.get(key)
        line, col = pos.at(loc) if pos else (1, 1)
        shown = pos.path if pos else key
        self.problems.append(Problem(shown, line, col, level, message))

    def ref(self, key: str, loc: Loc, what: str, ident: str, known: Collection[str]) -> None:
        if ident not in known:
            hint = did_you_mean(ident, list(known))
            self.add(key, loc, strings.CHK_UNKNOWN_REF.format(what=what, id=ident, hint=hint))

    def duplicates(self, key: str, prefix: Loc, ids: list[str]) -> None:
        first: dict[str, int] = {}
        for index, ident in enumerate(ids):
            if ident in first:
                pos = self.cat.positions.get(key)
                line = pos.at((*prefix, first[ident], "id"))[0] if pos else 0
                self.add(
                    key, (*prefix, index, "id"), strings.CHK_DUPLICATE.format(id=ident, line=line)
                )
            else:
                first[ident] = index

    def repeated_words(self, key: str, loc: Loc) -> None:
        """A word written twice in a list of words (needs.yaml `language:`)."""
        model: Any = self.cat.models[key]
        for name in loc:
            model = getattr(model, str(name), None)
        first: dict[str, int] = {}
        pos = self.cat.positions.get(key)
        for index, word in enumerate(model or ()):
            if word in first:
                line = pos.at((*loc, first[word]))[0] if pos else 0
                message = strings.CHK_DUPLICATE_WORD.format(word=word, line=line)
                self.add(key, (*loc, index), message)
            else:
                first[word] = index

    # --- content files -----------------------------------------------------------------

    def content(self) -> None:
        cat = self.cat
        models = cat.models
        needs = models["needs.yaml"].needs  # type: ignore[attr-defined]
        formats = models["formats.yaml"].formats  # type: ignore[attr-defined]
        contacts = models["contacts.yaml"].contacts  # type: ignore[attr-defined]
        rules = models["rules.yaml"].rules  # type: ignore[attr-defined]
        terr = models["territories.yaml"]
        self.duplicates("needs.yaml", ("needs",), [n.id for n in needs])
        self.repeated_words("needs.yaml", ("language", "stop_words"))
        self.repeated_words("needs.yaml", ("language", "negation_words"))
        self.duplicates("formats.yaml", ("formats",), [f.id for f in formats])
        self.duplicates("contacts.yaml", ("contacts",), [c.id for c in contacts])
        self.duplicates("rules.yaml", ("rules",), [r.id for r in rules])
        for i, dept in enumerate(terr.departements):  # type: ignore[attr-defined]
            if dept.region not in cat.territories.regions:
                self.add(
                    "territories.yaml",
                    ("departements", i, "region"),
                    strings.CHK_DEPT_REGION.format(code=dept.code, region=dept.region),
                )
        for key in ("ambiguous", "places"):
            for i, entry in enumerate(getattr(terr, key)):
                for j, code in enumerate(entry.departements):
                    if code not in cat.territories.departements:
                        self.add(
                            "territories.yaml",
                            (key, i, "departements", j),
                            strings.CHK_UNKNOWN_DEPT.format(code=code),
                        )
        for nid in cat.examples.needs:  # examples.yaml: sentences filed under a need id
            self.ref("examples.yaml", ("needs", nid), strings.WHAT_NEED, nid, cat.needs)
        for i, rule in enumerate(rules):
            for j, nid in enumerate(rule.needs):
                self.ref("rules.yaml", ("rules", i, "needs", j), strings.WHAT_NEED, nid, cat.needs)
            for j, fid in enumerate(rule.formats):
                self.ref(
                    "rules.yaml", ("rules", i, "formats", j), strings.WHAT_FORMAT, fid, cat.formats
                )
            for j, cid in enumerate(rule.contacts):
                self.ref(
                    "rules.yaml",
                    ("rules", i, "contacts", j),
                    strings.WHAT_CONTACT,
                    cid,
                    cat.contacts,
                )
            self.condition("rules.yaml", ("rules", i, "when"), rule.when)
        for i, fmt in enumerate(formats):
            self.condition("formats.yaml", ("formats", i, "when"), fmt.when)
        for i, contact in enumerate(contacts):
            self.contact(i, contact)
        self.rule_audiences("rules.yaml", rules)
        self.advice(rules, formats)
        self.safety_net()
        answered = {n for r in rules if r.formats for n in r.needs}
        for i, need in enumerate(needs):
            if need.id not in answered:
                self.add(
                    "needs.yaml", ("needs", i, "id"), strings.CHK_NEED_NO_FORMAT.format(id=need.id)
                )
        covered = {code for c in contacts if c.regional_entry for code in c.coverage.regions}
        for code, region in sorted(cat.territories.regions.items()):
            if code not in covered:
                self.add(
                    "contacts.yaml",
                    ("contacts",),
                    strings.CHK_NO_REGIONAL.format(code=code, name=region.name),
                    "warning",
                )

    def safety_net(self) -> None:
        """Every kind of distress has a help line; every line names known kinds."""
        urgence = self.cat.about.urgence
        kinds = [k.id for k in urgence.kinds]
        self.duplicates("about.yaml", ("urgence", "kinds"), kinds)
        for i, line in enumerate(urgence.lines):
            for j, kind in enumerate(line.kinds):
                self.ref(
                    "about.yaml",
                    ("urgence", "lines", i, "kinds", j),
                    strings.WHAT_DISTRESS,
                    kind,
                    kinds,
                )
        served = {kind for line in urgence.lines for kind in line.kinds}
        for i, kind in enumerate(kinds):
            if kind not in served:
                self.add(
                    "about.yaml",
                    ("urgence", "kinds", i, "id"),
                    strings.CHK_DISTRESS_NO_LINE.format(id=kind),
                )
        # (a pattern that cannot be read stops the loading itself: catalog.pattern_problems)
        extra = self.cat.safety
        for field_name, by_kind in (("patterns", extra.patterns), ("examples", extra.examples)):
            for kind in by_kind:
                self.ref("safety.yaml", (field_name, kind), strings.WHAT_DISTRESS, kind, kinds)

    def contact(self, i: int, contact: Any, key: str = "contacts.yaml") -> None:
        for j, nid in enumerate(contact.needs):
            self.ref(key, ("contacts", i, "needs", j), strings.WHAT_NEED, nid, self.cat.needs)
        for j, fid in enumerate(contact.formats):
            self.ref(key, ("contacts", i, "formats", j), strings.WHAT_FORMAT, fid, self.cat.formats)
        for j, code in enumerate(contact.coverage.regions):
            if code not in self.cat.territories.regions:
                self.add(
                    key,
                    ("contacts", i, "coverage", "regions", j),
                    strings.CHK_CONTACT_REGION.format(id=contact.id, code=code),
                )
        for j, code in enumerate(contact.coverage.departements):
            if code not in self.cat.territories.departements:
                self.add(
                    key,
                    ("contacts", i, "coverage", "departements", j),
                    strings.CHK_CONTACT_DEPT.format(id=contact.id, code=code),
                )
        self.condition(key, ("contacts", i, "when"), contact.when)
        self.contact_offer(i, contact, key)
        if (self.today - contact.checked_on).days > STALE_AFTER_DAYS:
            self.add(
                key,
                ("contacts", i, "checked_on"),
                strings.CHK_STALE.format(id=contact.id, date=contact.checked_on),
                "warning",
            )

    # --- contacts: what they do, who they serve, where facts come from (issue 13) -------

    def contact_offer(self, i: int, contact: Contact, key: str) -> None:
        """delivers / points_to / informs name known ids; a kind delivers only what it can;
        `formats` (old name) is flagged; the source is made of page addresses."""
        cat = self.cat
        for j, fid in enumerate(contact.delivers):
            if fid not in contact.formats:
                self.ref(key, ("contacts", i, "delivers", j), strings.WHAT_FORMAT, fid, cat.formats)
        for j, fid in enumerate(contact.pointed):
            loc: Loc = ("contacts", i, "points_to", "formats", j)
            self.ref(key, loc, strings.WHAT_FORMAT, fid, cat.formats)
        for j, nid in enumerate(contact.informs):
            self.ref(key, ("contacts", i, "informs", j), strings.WHAT_NEED, nid, cat.needs)
        kinds = self.kinds
        rule = kinds.get(contact.kind)
        if kinds and rule is None:
            self.add(
                key,
                ("contacts", i, "kind"),
                strings.CHK_KIND_UNKNOWN.format(kind=contact.kind),
                "warning",
            )
        if rule is not None and rule.may_deliver is not None:
            for j, fid in enumerate(contact.delivers):
                if fid not in rule.may_deliver:
                    field_name = "formats" if fid in contact.formats else "delivers"
                    where = contact.formats if field_name == "formats" else contact.delivers
                    self.add(
                        key,
                        ("contacts", i, field_name, where.index(fid) if fid in where else j),
                        strings.CHK_KIND_DELIVERS.format(
                            id=contact.id, kind=rule.label, format=fid
                        ),
                    )
        if contact.formats:
            self.add(
                key,
                ("contacts", i, "formats"),
                strings.CHK_LEGACY_FORMATS.format(id=contact.id),
                "warning",
            )
        some_roles = bool(contact.roles) and set(contact.roles) != set(ROLES)
        some_stages = bool(contact.stages) and set(contact.stages) != set(STAGES)
        narrow = some_roles or some_stages
        if contact.regional_entry and narrow:
            field_name = "roles" if contact.roles else "stages"
            self.add(
                key,
                ("contacts", i, field_name),
                strings.CHK_ENTRY_NARROW.format(id=contact.id),
                "warning",
            )
        for part in (p.strip() for p in contact.source.split(";")):
            if part and not part.startswith(("https://", "http://")):
                self.add(
                    key,
                    ("contacts", i, "source"),
                    strings.CHK_SOURCE_NOT_PAGE.format(id=contact.id, part=part),
                    "warning",
                )

    @property
    def kinds(self) -> Mapping[str, KindRule]:
        """What each kind of organisation may deliver (the shipped contacts.yaml says)."""
        shipped = self.cat.models.get("contacts.yaml")
        return getattr(shipped, "kinds", {}) or {}

    def rule_audiences(self, key: str, rules: Sequence[Rule]) -> None:
        """A rule never offers a contact to a role or stage the contact does not serve."""
        for i, rule in enumerate(rules):
            for j, cid in enumerate(rule.contacts):
                contact = self.cat.contacts.get(cid)
                if contact is None:
                    continue
                for slot, served in (("role", contact.roles), ("stade", contact.stages)):
                    wanted = required_values(rule.when, slot)
                    if not served or not wanted:
                        continue
                    missing = [w for w in wanted if w not in served]
                    if not missing:
                        continue
                    full = len(missing) == len(wanted)
                    message = (
                        strings.CHK_RULE_ROLE_NOT_SERVED if full else strings.CHK_RULE_ROLE_PARTLY
                    )
                    self.add(
                        key,
                        ("rules", i, "contacts", j),
                        message.format(
                            rule=rule.id,
                            contact=cid,
                            slot=slot,
                            wanted=", ".join(wanted),
                            served=", ".join(served),
                            missing=", ".join(missing),
                        ),
                        "error" if full else "warning",
                    )

    def advice(self, rules: Sequence[Rule], formats: Sequence[Any]) -> None:
        """Voices per role and facts cited by reasons (advice_checks.py, issue 13 §3 §4 §7)."""
        from conseiller import advice_checks

        situations = advice_checks.Situations(list(self.cat.flows.values()), list(self.cat.needs))
        found = [
            *advice_checks.rule_findings(rules, situations),
            *advice_checks.format_findings(formats, rules, situations),
            *advice_checks.glossary_findings(self.cat),
            *advice_checks.contact_findings(self.cat),
            *advice_checks.flow_findings(list(self.cat.flows.values())),
        ]
        for f in found:
            self.add(f.key, f.loc, f.message, f.level)

    def pack_voices(self, key: str, rules: Sequence[Rule]) -> None:
        """A pack's rules speak in each role's voice and cite only answers, like shipped ones."""
        from conseiller import advice_checks

        situations = advice_checks.Situations(list(self.cat.flows.values()), list(self.cat.needs))
        for f in advice_checks.rule_findings(rules, situations, key):
            self.add(f.key, f.loc, f.message, f.level)

    def packs(self) -> None:
        """Territory packs: the same checks as the shipped files, and what they replace."""
        cat = self.cat
        for pack in cat.packs:
            ckey, fkey, rkey = (
                pack.key(n) for n in ("contacts.yaml", "formats.yaml", "rules.yaml")
            )
            self.duplicates(ckey, ("contacts",), [c.id for c in pack.contacts])
            self.duplicates(fkey, ("formats",), [f.id for f in pack.formats])
            self.duplicates(rkey, ("rules",), [r.id for r in pack.rules])
            for i, contact in enumerate(pack.contacts):
                self.contact(i, contact, ckey)
            for i, fmt in enumerate(pack.formats):
                self.condition(fkey, ("formats", i, "when"), fmt.when)
            self.rule_audiences(rkey, pack.rules)
            self.pack_voices(rkey, pack.rules)
            for i, rule in enumerate(pack.rules):
                refs: list[tuple[str, str, Collection[str]]] = [
                    ("needs", strings.WHAT_NEED, cat.needs),
                    ("formats", strings.WHAT_FORMAT, cat.formats),
                    ("contacts", strings.WHAT_CONTACT, cat.contacts),
                ]
                for field_name, what, known in refs:
                    for j, ident in enumerate(getattr(rule, field_name)):
                        self.ref(rkey, ("rules", i, field_name, j), what, ident, known)
                self.condition(rkey, ("rules", i, "when"), rule.when)
            for shown in pack.ignored:
                self.problems.append(Problem(shown, 1, 1, "warning", strings.CHK_PACK_IGNORED))
        for r in cat.replaced:
            self.add(
                r.key,
                r.loc,
                strings.CHK_PACK_REPLACES.format(
                    what=strings.PACK_WHAT[r.what], id=r.id, previous=r.previous
                ),
                "warning",
            )

    # --- conditions --------------------------------------------------------------------

    def slot_values(self) -> dict[str, set[str] | None]:
        """Every slot a flow fills, with its possible values (None: any text)."""
        values: dict[str, set[str] | None] = {s: None for s in DERIVED_SLOTS}
        values["departement"] = set(self.cat.territories.departements)
        values["region"] = set(self.cat.territories.regions)
        for flow in self.cat.flows.values():
            for node in flow.nodes:
                if not isinstance(node, ChoiceNode | TextNode | ConfirmNode):
                    continue
                name = node.profile or node.slot
                if isinstance(node, ChoiceNode):
                    found = values.get(name) or set()
                    values[name] = found | {o.id for o in node.options}
                elif isinstance(node, ConfirmNode):
                    values[name] = set(self.cat.needs)
                elif isinstance(node, TextNode) and name not in values:
                    values[name] = (
                        set(self.cat.territories.departements)
                        if node.match == "departement"
                        else None
                    )
        return values

    def condition(self, key: str, loc: Loc, when: Mapping[str, Any] | None) -> None:
        if not when:
            return
        known = self._slot_values
        for slot, wanted in slot_tests(when):
            if slot not in known:
                hint = did_you_mean(slot, list(known))
                self.add(key, loc, strings.CHK_UNKNOWN_SLOT.format(slot=slot, hint=hint))
                continue
            allowed = known[slot]
            if allowed is None:
                continue
            lowered = {a.lower(): a for a in allowed}
            for value in wanted:
                if value != "none" and value not in lowered:
                    hint = did_you_mean(value, sorted(allowed))
                    self.add(
                        key,
                        loc,
                        strings.CHK_UNKNOWN_VALUE.format(slot=slot, value=value, hint=hint),
                    )

    # --- flows -------------------------------------------------------------------------

    def flow(self, flow: Flow) -> None:
        key = f"flow:{flow.id}"
        ids = [n.id for n in flow.nodes]
        self.duplicates(key, ("nodes",), ids)
        nodes = {n.id: n for n in flow.nodes}
        index = {n.id: i for i, n in enumerate(flow.nodes)}
        self.ref(key, ("start",), strings.WHAT_NODE, flow.start, nodes)
        edges: dict[str, list[str]] = {}
        text_needs_slots = {
            n.slot for n in flow.nodes if isinstance(n, TextNode) and n.match == "needs"
        }
        for i, node in enumerate(flow.nodes):
            if node.next is not None:
                self.ref(key, ("nodes", i, "next"), strings.WHAT_NODE, node.next, nodes)
            if isinstance(node, ChoiceNode):
                self.duplicates(key, ("nodes", i, "options"), [o.id for o in node.options])
                for j, option in enumerate(node.options):
                    if option.next is not None:
                        self.ref(
                            key,
                            ("nodes", i, "options", j, "next"),
                            strings.WHAT_NODE,
                            option.next,
                            nodes,
                        )
                missing_exit = node.next is None and any(o.next is None for o in node.options)
            else:
                missing_exit = node.next is None
            if missing_exit and not isinstance(node, EndNode):
                self.add(key, ("nodes", i, "id"), strings.CHK_DEAD_END.format(id=node.id))
            if isinstance(node, ChoiceNode | TextNode | ConfirmNode):
                self.question(key, i, node)
                if isinstance(node, ConfirmNode) and node.source not in text_needs_slots:
                    self.add(
                        key,
                        ("nodes", i, "source"),
                        strings.CHK_CONFIRM_SOURCE.format(id=node.id, source=node.source),
                    )
            self.condition(key, ("nodes", i, "when"), node.when)
            edges[node.id] = [t for t, _ in Flow.successors(node) if t in nodes]
        self.profile_contract(key, flow)
        reachable = _reach(flow.start, edges) if flow.start in nodes else set()
        for node in flow.nodes:
            if node.id not in reachable:
                self.add(
                    key, ("nodes", index[node.id], "id"), strings.CHK_UNREACHABLE.format(id=node.id)
                )
        ends = {n.id for n in flow.nodes if isinstance(n, EndNode)}
        reverse: dict[str, list[str]] = {}
        for src, dsts in edges.items():
            for dst in dsts:
                reverse.setdefault(dst, []).append(src)
        can_end: set[str] = set()
        for end in ends:
            can_end |= _reach(end, reverse)
        for node in flow.nodes:
            if node.id in reachable and node.id not in can_end and node.id not in ends:
                in_cycle = node.id in _reach_from_successors(node.id, edges)
                msg = strings.CHK_CYCLE if in_cycle else strings.CHK_NO_END
                self.add(key, ("nodes", index[node.id], "id"), msg.format(id=node.id))

    def question(self, key: str, i: int, node: ChoiceNode | TextNode | ConfirmNode) -> None:
        if (
            node.slot not in PUBLIC_SLOTS
            and not node.optional
            and not isinstance(node, ConfirmNode)
        ):
            self.add(
                key,
                ("nodes", i, "optional"),
                strings.CHK_OPTIONAL.format(id=node.id, slot=node.slot),
            )
        expected = {"role": ROLES, "stade": STAGES}.get(node.slot)
        if expected and isinstance(node, ChoiceNode):
            for j, option in enumerate(node.options):
                if option.id not in expected:
                    self.add(
                        key,
                        ("nodes", i, "options", j, "id"),
                        strings.CHK_SLOT_VALUES.format(
                            slot=node.slot, expected=", ".join(expected)
                        ),
                    )

    def profile_contract(self, key: str, flow: Flow) -> None:
        """One question per public profile field, of the right kind, with the right values."""
        kinds = {
            "role": ChoiceNode,
            "stade": ChoiceNode,
            "departement": TextNode,
            "besoins": ConfirmNode,
        }
        values = {"role": set(ROLES), "stade": set(STAGES)}
        for field_name in PUBLIC_SLOTS:
            found = [
                (i, n)
                for i, n in enumerate(flow.nodes)
                if getattr(n, "profile", None) == field_name
            ]
            if len(found) != 1:
                self.add(
                    key,
                    ("nodes",),
                    strings.CHK_PROFILE_COUNT.format(field=field_name, n=len(found)),
                )
            for i, node in found:
                wanted = kinds[field_name]
                if not isinstance(node, wanted) or (
                    isinstance(node, TextNode) and node.match != "departement"
                ):
                    self.add(
                        key,
                        ("nodes", i, "profile"),
                        strings.CHK_PROFILE_KIND.format(id=node.id, field=field_name),
                    )
                elif field_name in values and isinstance(node, ChoiceNode):
                    ids = {o.id for o in node.options}
                    if ids != values[field_name]:
                        self.add(
                            key,
                            ("nodes", i, "options"),
                            strings.CHK_SLOT_VALUES.format(
                                slot=field_name, expected=", ".join(sorted(values[field_name]))
                            ),
                        )
        for i, node in enumerate(flow.nodes):
            slot = getattr(node, "slot", None)
            if slot in PUBLIC_SLOTS and getattr(node, "profile", None) != slot:
                self.add(
                    key,
                    ("nodes", i, "slot"),
                    strings.CHK_PROFILE_UNDECLARED.format(id=node.id, slot=slot),
                )

    # --- outcomes ----------------------------------------------------------------------

    def outcomes(self) -> None:
        """Every role x stage, with no need or any single need, gets at least one format."""
        needs: list[list[str]] = [[], *([n] for n in self.cat.needs)]
        stages: list[str | None] = [*STAGES, None]
        roles: list[str | None] = [*ROLES, None]  # « je ne sais pas » stays unknown
        for role, stade, chosen in itertools.product(roles, stages, needs):
            profile: dict[str, SlotValue] = {"role": role, "stade": stade, "besoins": chosen}
            if role == "collectivite":
                profile["stade"] = None
            if not recommend(self.cat, profile).formats:
                shown = ", ".join(f"{k}={v}" for k, v in profile.items())
                self.add("rules.yaml", ("rules",), strings.CHK_NO_RESULT.format(profile=shown))
                return

    def run(self) -> list[Problem]:
        self._slot_values = self.slot_values()
        self.content()
        self.packs()
        for flow in self.cat.flows.values():
            self.flow(flow)
        if not any(p.level == "error" for p in self.problems):
            self.outcomes()
        unique = list(dict.fromkeys(self.problems))
        return sorted(unique, key=lambda p: (p.path, p.line, p.col, p.message))


def required_values(when: Mapping[str, Any] | None, slot: str) -> list[str]:
    """The values a condition requires a slot to have (at its top or under `all`), or []."""
    if not when:
        return []
    found: list[str] = []
    value = when.get(slot)
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, list):
        found += [v for v in value if isinstance(v, str)]
    for sub in when.get("all", []) or []:
        inner = required_values(sub, slot)
        if inner:
            found = [v for v in found if v in inner] if found else inner
    return [v for v in dict.fromkeys(found) if v != "none"]


def _reach(start: str, edges: Mapping[str, list[str]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _reach_from_successors(start: str, edges: Mapping[str, list[str]]) -> set[str]:
    found: set[str] = set()
    for nxt in edges.get(start, []):
        found |= _reach(nxt, edges)
    return found


def check_catalog(catalog: Catalog, today: dt.date | None = None) -> list[Problem]:
    """Every problem in already-loaded content."""
    return _Checker(catalog, today or dt.date.today()).run()


def check(
    content_dir: Path | None = None,
    flows_dir: Path | None = None,
    today: dt.date | None = None,
    local: Sequence[Path] = (),
) -> Report:
    """Load and check content (and territory packs); schema errors are reported, never raised."""
    try:
        catalog = load_catalog(content_dir, flows_dir, local)
    except ContentError as exc:
        return Report(exc.problems, len({p.path for p in exc.problems}))
    # The operator's settings are recalled in their own content, not in the shipped one
    # (which nobody edits in place: an operator copies it, or points --content elsewhere).
    shipped = content_dir is None or content_dir.resolve() == shipped_dir("content").resolve()
    todo = [] if shipped else reminders(catalog)
    return Report(check_catalog(catalog, today), len(catalog.files), todo)


def reminders(catalog: Catalog) -> list[Problem]:
    """Settings left to the operator: where to report a wrong contact (about.yaml)."""
    if catalog.about.report_to:
        return []
    pos = catalog.positions.get("about.yaml")
    line, col = pos.at(("report",)) if pos else (1, 1)
    shown = pos.path if pos else "about.yaml"
    return [Problem(shown, line, col, "warning", strings.CHK_REPORT_TO_UNSET)]
