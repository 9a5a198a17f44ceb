"""The loaded content as one object, with indexes by id and the positions of each entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from conseiller import strings
from conseiller.loader import ContentError, Loc, Positions, Problem, load_model
from conseiller.packs import Pack, Replaced, apply_packs, load_pack
from conseiller.paths import shipped_dir
from conseiller.safety import PatternError, compile_pattern
from conseiller.schema import (
    CONTENT_FILES,
    OPTIONAL_CONTENT_FILES,
    AboutFile,
    Contact,
    ContactsFile,
    ExamplesFile,
    Flow,
    Format,
    FormatsFile,
    GlossaryFile,
    Language,
    Need,
    NeedsFile,
    Rule,
    RulesFile,
    SafetyFile,
    Term,
    TerritoriesFile,
)
from conseiller.territory import Territories

M = TypeVar("M", bound=BaseModel)


@dataclass
class Catalog:
    """Everything the engine, the matcher and the recommender read, loaded once."""

    needs: dict[str, Need]
    formats: dict[str, Format]
    contacts: dict[str, Contact]
    rules: list[Rule]
    territories: Territories
    about: AboutFile
    flows: dict[str, Flow]
    models: dict[str, BaseModel] = field(default_factory=dict)
    positions: dict[str, Positions] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    language: Language = field(default_factory=Language)
    safety: SafetyFile = field(default_factory=lambda: SafetyFile(examples={}))
    packs: list[Pack] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)
    glossary: list[Term] = field(default_factory=list)
    examples: ExamplesFile = field(default_factory=ExamplesFile)

    @property
    def default_flow(self) -> Flow:
        """The flow named 'principal', else the first one by name."""
        return self.flows.get("principal") or self.flows[sorted(self.flows)[0]]


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_content(content_dir: Path, problems: list[Problem], into: _Loaded) -> None:
    for name, model in CONTENT_FILES.items():
        path = content_dir / name
        shown = _display(path)
        if not path.is_file():
            msg = strings.LOAD_MISSING_FILE.format(name=name)
            problems.append(Problem(shown, 1, 1, "error", msg))
            continue
        try:
            into.models[name], into.positions[name] = load_model(model, path, shown)
            into.files[name] = path
        except ContentError as exc:
            problems.extend(exc.problems)
    for name, model in OPTIONAL_CONTENT_FILES.items():
        path = content_dir / name
        if path.is_file():
            try:
                into.models[name], into.positions[name] = load_model(model, path, _display(path))
                into.files[name] = path
            except ContentError as exc:
                problems.extend(exc.problems)


def _load_flows(flows_dir: Path, problems: list[Problem], into: _Loaded) -> None:
    shown_dir = _display(flows_dir)
    if not flows_dir.is_dir():
        msg = strings.LOAD_NO_DIR.format(path=shown_dir)
        problems.append(Problem(shown_dir, 1, 1, "error", msg))
        return
    flow_paths = sorted(flows_dir.glob("*.yaml"))
    if not flow_paths:
        msg = strings.LOAD_NO_FLOW.format(path=shown_dir)
        problems.append(Problem(shown_dir, 1, 1, "error", msg))
    for path in flow_paths:
        shown = _display(path)
        try:
            flow, pos = load_model(Flow, path, shown)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        key = f"flow:{flow.id}"
        if key in into.positions:
            first = into.positions[key].path
            msg = strings.CHK_DUPLICATE_FLOW.format(id=flow.id, path=first)
            problems.append(Problem(shown, *pos.at(("id",)), "error", msg))
            continue
        into.flows[flow.id] = flow
        into.models[key] = flow
        into.positions[key] = pos
        into.files[key] = path


@dataclass
class _Loaded:
    models: dict[str, BaseModel] = field(default_factory=dict)
    positions: dict[str, Positions] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)


def _get(loaded: _Loaded, name: str, model: type[M]) -> M:
    found = loaded.models[name]
    assert isinstance(found, model)
    return found


def pattern_problems(
    models: dict[str, BaseModel], positions: dict[str, Positions]
) -> list[Problem]:
    """Every safety pattern that cannot be read, with its file and line: the safety net is
    built from them at start, so a broken one must stop the loading with a clear message."""
    found: list[tuple[str, Loc, str]] = []
    about = models.get("about.yaml")
    if isinstance(about, AboutFile):
        urgence = about.urgence
        found += [
            ("about.yaml", ("urgence", "kinds", i, "patterns", j), text)
            for i, k in enumerate(urgence.kinds)
            for j, text in enumerate(k.patterns)
        ]
        found += [
            ("about.yaml", ("urgence", "hold_back", j), text)
            for j, text in enumerate(urgence.hold_back)
        ]
    extra = models.get("safety.yaml")
    if isinstance(extra, SafetyFile):
        found += [
            ("safety.yaml", ("patterns", kind, j), text)
            for kind, texts in extra.patterns.items()
            for j, text in enumerate(texts)
        ]
        found += [("safety.yaml", ("hold_back", j), t) for j, t in enumerate(extra.hold_back)]
        found += [("safety.yaml", ("told", j), t) for j, t in enumerate(extra.told)]
    problems = []
    for name, loc, text in found:
        try:
            compile_pattern(text)
        except PatternError:
            where = positions[name]
            msg = strings.CHK_BAD_PATTERN.format(pattern=text)
            problems.append(Problem(where.path, *where.at(loc), "error", msg))
    return problems


def load_catalog(
    content_dir: Path | None = None, flows_dir: Path | None = None, local: Sequence[Path] = ()
) -> Catalog:
    """Load and validate every content and flow file; raise ContentError listing all problems.

    `local` names territory packs (folders with contacts.yaml, and maybe formats.yaml and
    rules.yaml), layered in order on the shipped content: never its safety net.
    """
    problems: list[Problem] = []
    loaded = _Loaded()
    _load_content(content_dir or shipped_dir("content"), problems, loaded)
    _load_flows(flows_dir or shipped_dir("flows"), problems, loaded)
    packs = [load_pack(folder, _display(folder), problems) for folder in local]
    problems += pattern_problems(loaded.models, loaded.positions)
    if problems:
        raise ContentError(problems)
    terr = _get(loaded, "territories.yaml", TerritoriesFile)
    formats = {f.id: f for f in _get(loaded, "formats.yaml", FormatsFile).formats}
    contacts = {c.id: c for c in _get(loaded, "contacts.yaml", ContactsFile).contacts}
    rules = list(_get(loaded, "rules.yaml", RulesFile).rules)
    for pack in packs:
        loaded.models.update(pack.models)
        loaded.positions.update(pack.positions)
        loaded.files.update(pack.files)
    replaced = apply_packs(packs, contacts, formats, rules, loaded.positions)
    return Catalog(
        needs={n.id: n for n in _get(loaded, "needs.yaml", NeedsFile).needs},
        language=_get(loaded, "needs.yaml", NeedsFile).language,
        formats=formats,
        contacts=contacts,
        rules=rules,
        packs=packs,
        replaced=replaced,
        territories=Territories.build(terr.regions, terr.departements, terr.ambiguous, terr.places),
        about=_get(loaded, "about.yaml", AboutFile),
        safety=_get(loaded, "safety.yaml", SafetyFile),
        glossary=(
            list(_get(loaded, "glossary.yaml", GlossaryFile).terms)
            if "glossary.yaml" in loaded.models
            else []
        ),
        examples=(
            _get(loaded, "examples.yaml", ExamplesFile)
            if "examples.yaml" in loaded.models
            else ExamplesFile()
        ),
        flows=loaded.flows,
        models=loaded.models,
        positions=loaded.positions,
        files=loaded.files,
    )
