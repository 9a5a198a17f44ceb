"""Recommendations: rules from content, territory filter, caps, reasons, and the DLA rule."""

from __future__ import annotations

import pytest

from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue
from conseiller.recommend import MAX_CONTACTS, MAX_FORMATS, recommend
from conseiller.schema import ROLES


def profile(**slots: SlotValue) -> dict[str, SlotValue]:
    return dict(slots)


def format_ids(catalog: Catalog, **slots: SlotValue) -> list[str]:
    return [p.format.id for p in recommend(catalog, profile(**slots)).formats]


def test_isolation_at_idea_stage_gets_first_steps(catalog: Catalog) -> None:
    ids = format_ids(catalog, role="porteur", stade="idee", besoins=["isolement"])
    assert {"premiers-pas", "sessions-information", "tiers-lieu"} <= set(ids)


@pytest.mark.parametrize(
    "needs",
    [["financement"], ["consolider-structure"], ["modele-economique", "equipe-benevoles"], []],
)
def test_dla_never_at_idea_stage(catalog: Catalog, needs: list[str]) -> None:
    ids = format_ids(catalog, role="porteur", stade="idee", employeur="oui", besoins=needs)
    assert "dla" not in ids


def test_dla_for_an_employer_in_difficulty(catalog: Catalog) -> None:
    ids = format_ids(
        catalog,
        role="porteur",
        stade="developpement",
        employeur="oui",
        besoins=["consolider-structure"],
    )
    assert ids[0] == "dla"


def test_no_dla_without_employee(catalog: Catalog) -> None:
    ids = format_ids(
        catalog,
        role="porteur",
        stade="developpement",
        employeur="non",
        besoins=["consolider-structure", "financement"],
    )
    assert "dla" not in ids


def test_elected_official_gets_territorial_formats(catalog: Catalog) -> None:
    ids = format_ids(catalog, role="collectivite", besoins=["soutien-politique"])
    assert {"sensibilisation-elus", "feuille-de-route"} <= set(ids)
    assert "premiers-pas" not in ids


def test_collective_purchase_of_a_farm_goes_to_terre_de_liens(catalog: Catalog) -> None:
    rec = recommend(
        catalog,
        profile(
            role="porteur",
            stade="creation",
            agricole="oui",
            lieu="acheter-ensemble",
            besoins=["portage-collectif"],
            departement="24",
            region="75",
        ),
    )
    assert rec.formats[0].format.id == "portage-foncier"
    contacts = [p.contact.id for p in rec.contacts]
    assert "terre-de-liens" in contacts
    assert "villages-vivants" not in contacts


def test_village_shop_bought_together_goes_to_villages_vivants(catalog: Catalog) -> None:
    rec = recommend(
        catalog,
        profile(
            role="porteur",
            stade="idee",
            agricole="non",
            lieu="acheter-ensemble",
            besoins=["portage-collectif"],
            departement="26",  # Villages Vivants works in some régions only (Drôme: yes)
            region="84",
        ),
    )
    contacts = [p.contact.id for p in rec.contacts]
    assert "villages-vivants" in contacts
    assert "terre-de-liens" not in contacts


def test_every_recommendation_says_why(catalog: Catalog) -> None:
    rec = recommend(
        catalog,
        profile(
            role="porteur",
            stade="idee",
            departement="23",
            region="75",
            besoins=["financement", "isolement"],
        ),
    )
    assert rec.formats and rec.contacts
    assert all(p.why for p in rec.formats)
    assert all(p.why for p in rec.contacts)


def test_caps(catalog: Catalog) -> None:
    rec = recommend(
        catalog,
        profile(
            role="porteur",
            stade="creation",
            employeur="oui",
            agricole="oui",
            departement="23",
            region="75",
            besoins=list(catalog.needs),
        ),
    )
    assert len(rec.formats) == MAX_FORMATS
    assert len(rec.contacts) == MAX_CONTACTS


def test_contacts_stay_in_the_territory(catalog: Catalog) -> None:
    rec = recommend(
        catalog,
        profile(
            role="porteur", stade="idee", departement="29", region="53", besoins=["accompagnement"]
        ),
    )
    for pick in rec.contacts:
        cov = pick.contact.coverage
        assert cov.national or "53" in cov.regions or "29" in cov.departements


def test_every_region_gets_its_regional_entry(catalog: Catalog) -> None:
    for code in catalog.territories.regions:
        rec = recommend(
            catalog, profile(role="porteur", stade="idee", region=code, besoins=["financement"])
        )
        regional = [p for p in rec.contacts if p.scope == "regional"]
        assert regional, code
        assert all(code in p.contact.coverage.regions for p in regional)


def test_normandie_is_never_sent_to_its_closed_cress(catalog: Catalog) -> None:
    rec = recommend(
        catalog, profile(role="porteur", stade="idee", region="28", besoins=["identite-ess"])
    )
    names = " ".join(p.contact.name for p in rec.contacts)
    assert "CRESS Normandie" not in names
    assert any(p.contact.id == "annuaire-cress-28" for p in rec.contacts)


def test_dont_know_leads_somewhere_for_every_role_and_stage(catalog: Catalog) -> None:
    for role in ROLES:
        for stade in ("idee", "creation", "developpement", None):
            rec = recommend(catalog, profile(role=role, stade=stade, besoins=[]))
            assert rec.formats, (role, stade)
