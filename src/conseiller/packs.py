"""Territory packs: local contacts (and added formats and rules) layered on the shipped content."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from conseiller import strings
from conseiller.loader import ContentError, Loc, Positions, Problem, load_model
from conseiller.schema import Contact, ContactsFile, Format, FormatsFile, Rule, RulesFile

#: The environment variable naming packs (colon-separated on Linux and macOS).
ENV = "CONSEILLER_LOCAL"
#: What a pack may hold; contacts.yaml is required.
PACK_FILES: dict[str, type[BaseModel]] = {
    "contacts.yaml": ContactsFile,
    "formats.yaml": FormatsFile,
    "rules.yaml": RulesFile,
}
#: Content a pack can never change: the safety net, the needs and the map.
NEVER_FROM_PACK = ("about.yaml", "safety.yaml", "needs.yaml", "territories.yaml")


def local_dirs(
    given: Sequence[Path | str] | None, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """The packs to layer: those given with --local, else $CONSEILLER_LOCAL's."""
    if given:
        return [Path(p).expanduser() for p in given]
    raw = (os.environ if environ is None else environ).get(ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def pack_key(shown_file: str) -> str:
    """The key of a pack file in a catalog's models and positions."""
    return f"local:{shown_file}"


@dataclass
class Pack:
    """One territory pack as loaded: its entries, and where each file stands."""

    folder: Path
    shown: str
    contacts: list[Contact] = field(default_factory=list)
    formats: list[Format] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    models: dict[str, BaseModel] = field(default_factory=dict)
    positions: dict[str, Positions] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def key(self, name: str) -> str:
        """The catalog key of one of this pack's files ('contacts.yaml'…)."""
        return pack_key(_join(self.shown, name))


def _join(shown_dir: str, name: str) -> str:
    return f"{shown_dir.rstrip('/')}/{name}"


def load_pack(folder: Path, shown: str, problems: list[Problem]) -> Pack:
    """Read one pack; problems (with file and line) are added to `problems`."""
    pack = Pack(folder, shown)
    if not folder.is_dir():
        problems.append(Problem(shown, 1, 1, "error", strings.PACK_NO_DIR.format(path=shown)))
        return pack
    if not (folder / "contacts.yaml").is_file():
        problems.append(
            Problem(
                _join(shown, "contacts.yaml"),
                1,
                1,
                "error",
                strings.PACK_NO_CONTACTS.format(path=shown),
            )
        )
    for name, model in PACK_FILES.items():
        path = folder / name
        if not path.is_file():
            continue
        shown_file = _join(shown, name)
        try:
            loaded, positions = load_model(model, path, shown_file)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        key = pack.key(name)
        pack.models[key], pack.positions[key], pack.files[key] = loaded, positions, path
        if isinstance(loaded, ContactsFile):
            pack.contacts = list(loaded.contacts)
        elif isinstance(loaded, FormatsFile):
            pack.formats = list(loaded.formats)
        elif isinstance(loaded, RulesFile):
            pack.rules = list(loaded.rules)
    pack.ignored = [_join(shown, n) for n in NEVER_FROM_PACK if (folder / n).exists()]
    return pack


@dataclass(frozen=True)
class Replaced:
    """A pack entry that replaces one of the same id (shipped, or from an earlier pack)."""

    what: str  # "contact", "format" or "rule"
    id: str
    key: str  # the pack file's catalog key
    loc: Loc
    previous: str  # the file (and line) of the entry replaced, as shown


def apply_packs(
    packs: Sequence[Pack],
    contacts: dict[str, Contact],
    formats: dict[str, Format],
    rules: list[Rule],
    positions: Mapping[str, Positions],
) -> list[Replaced]:
    """Layer the packs, in order, on the shipped entries (changed in place).

    A new id adds an entry; a known id replaces it where it stood. What came from where is
    read from `positions` (the shipped files' and the packs'). An id twice in one pack file
    is not a replacement: `check` reports it as a duplicate.
    """
    replaced: list[Replaced] = []
    plural = {"contact": "contacts", "format": "formats", "rule": "rules"}
    # (what, id) -> (file key, line shown) of the entry in force.
    where: dict[tuple[str, str], tuple[str, str]] = {}
    for what, ids in (
        ("contact", list(contacts)),
        ("format", list(formats)),
        ("rule", [r.id for r in rules]),
    ):
        pos = positions.get(f"{plural[what]}.yaml")
        for i, ident in enumerate(ids):
            line = pos.at((plural[what], i, "id"))[0] if pos else 1
            where[(what, ident)] = ("", f"{pos.path if pos else plural[what]}:{line}")

    def layer(what: str, ident: str, pack: Pack, index: int) -> None:
        key = pack.key(f"{plural[what]}.yaml")
        loc: Loc = (plural[what], index, "id")
        before = where.get((what, ident))
        if before is not None and before[0] != key:
            replaced.append(Replaced(what, ident, key, loc, before[1]))
        pos = pack.positions.get(key)
        shown = f"{pos.path}:{pos.at(loc)[0]}" if pos else pack.shown
        where[(what, ident)] = (key, shown)

    for pack in packs:
        for i, contact in enumerate(pack.contacts):
            layer("contact", contact.id, pack, i)
            contacts[contact.id] = contact
        for i, fmt in enumerate(pack.formats):
            layer("format", fmt.id, pack, i)
            formats[fmt.id] = fmt
        for i, rule in enumerate(pack.rules):
            layer("rule", rule.id, pack, i)
            at = next((j for j, r in enumerate(rules) if r.id == rule.id), None)
            if at is None:
                rules.append(rule)
            else:
                rules[at] = rule
    return replaced


def scenario_packs(value: object, scenario: Path) -> list[Path]:
    """The packs named by a scenario file's `local:` key, relative to that file."""
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    return [scenario.parent / str(name) for name in names]
