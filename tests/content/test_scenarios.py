"""Regression scenarios: answer files replayed through the shipped flow, outcomes checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conseiller.catalog import Catalog
from conseiller.engine import Engine
from conseiller.replay import outcome_json, replay

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def run_scenario(catalog: Catalog, engine: Engine, answers: dict[str, Any]) -> dict[str, Any]:
    outcome = replay(engine, answers)
    assert outcome.warnings == []
    return outcome_json(catalog, engine, outcome)


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 12


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path, catalog: Catalog, engine: Engine) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expect = data["expect"]
    out = run_scenario(catalog, engine, data["answers"])
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
                assert c["regions"] == [expect["region"]]
    if "scopes" in expect:
        assert {c["scope"] for c in out["contacts"]} <= set(expect["scopes"])
    assert all(f["why"] for f in out["formats"])
    assert all(c["why"] for c in out["contacts"])


def test_one_departement_per_region_gets_its_own_regional_contact(
    catalog: Catalog, engine: Engine
) -> None:
    for region in catalog.territories.regions:
        dept = next(d for d in catalog.territories.departements.values() if d.region == region)
        out = run_scenario(catalog, engine, {
            "role": "porteur", "stade": "idee", "departement": dept.name,
            "collectif": "seul", "agricole": "non", "besoins": ["accompagnement"],
        })
        regional = [c for c in out["contacts"] if c["scope"] != "national"]
        assert regional, dept.name
        for c in regional:
            assert c["regions"] == [region] or dept.code in c["departements"], (dept.name, c)
