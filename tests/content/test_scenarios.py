"""Regression scenarios: answer files replayed through the shipped flow, outcomes checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from conseiller.catalog import Catalog, load_catalog
from conseiller.conversation import Conversation
from conseiller.engine import Engine
from conseiller.matching import matcher_for
from conseiller.packs import scenario_packs
from conseiller.replay import replay

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


class Expect(BaseModel):
    """What a scenario file may expect; an unknown key is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")

    needs: list[str] | None = None
    needs_include: list[str] = []
    formats_include: list[str] = []
    formats_exclude: list[str] = []
    formats_first: str | None = None
    contacts_include: list[str] = []
    contacts_exclude: list[str] = []
    region: str | None = None
    scopes: list[str] | None = None
    # Words no reason may say to this person (a fact they did not give, another role's voice),
    # and words some reason must say (a conditional for an unknown answer): case ignored.
    reasons_exclude: list[str] = []
    reasons_include: list[str] = []


class Scenario(BaseModel):
    """A scenario file: answers, and what they must lead to."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any]
    expect: Expect
    local: str | list[str] | None = None  # territory packs, relative to the scenario file


def run_scenario(catalog: Catalog, engine: Engine, answers: dict[str, Any]) -> dict[str, Any]:
    replayed = replay(Conversation(catalog, engine.flow, engine.matcher), answers)
    assert replayed.warnings == []
    return replayed.outcome.to_json()


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 30


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path, catalog: Catalog, engine: Engine) -> None:
    scenario = Scenario.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    expect = scenario.expect.model_dump(exclude_none=True)
    if scenario.local is not None:  # the shipped content with the scenario's packs
        catalog = load_catalog(local=scenario_packs(scenario.local, path))
        engine = Engine(catalog.default_flow, catalog, matcher_for(catalog))
    out = run_scenario(catalog, engine, scenario.answers)
    needs = out["needs"]
    formats = [f["id"] for f in out["formats"]]
    contacts = [c["id"] for c in out["contacts"]]
    if "needs" in expect:
        assert needs == expect["needs"]
    assert set(expect.get("needs_include", [])) <= set(needs), needs
    assert set(expect.get("formats_include", [])) <= set(formats), formats
    assert not set(expect.get("formats_exclude", [])) & set(formats), formats
    if "formats_first" in expect:
        assert formats[0] == expect["formats_first"], formats
    assert set(expect.get("contacts_include", [])) <= set(contacts), contacts
    assert not set(expect.get("contacts_exclude", [])) & set(contacts), contacts
    if "region" in expect:
        assert out["profile"]["region"] == expect["region"]
        for c in out["contacts"]:
            if c["scope"] == "regional":
                assert expect["region"] in c["regions"], c
    if "scopes" in expect:
        assert {c["scope"] for c in out["contacts"]} <= set(expect["scopes"])
    assert all(f["why"] for f in out["formats"])
    assert all(c["why"] for c in out["contacts"])
    said = " / ".join(p["why"] for p in [*out["formats"], *out["contacts"]])
    for words in expect.get("reasons_exclude", []):
        assert words.lower() not in said.lower(), (words, said)
    for words in expect.get("reasons_include", []):
        assert words.lower() in said.lower(), (words, said)


def test_a_mistyped_expectation_is_refused() -> None:
    with pytest.raises(ValueError, match="contact_include"):
        Scenario.model_validate({"answers": {}, "expect": {"contact_include": ["avise"]}})


def test_one_departement_per_region_gets_its_own_regional_contact(
    catalog: Catalog, engine: Engine
) -> None:
    for region in catalog.territories.regions:
        dept = next(d for d in catalog.territories.departements.values() if d.region == region)
        out = run_scenario(
            catalog,
            engine,
            {
                "role": "porteur",
                "stade": "idee",
                "departement": dept.name,
                "collectif": "seul",
                "agricole": "non",
                "besoins": ["accompagnement"],
            },
        )
        regional = [c for c in out["contacts"] if c["scope"] != "national"]
        assert regional, dept.name
        for c in regional:
            assert c["regions"] == [region] or dept.code in c["departements"], (dept.name, c)
