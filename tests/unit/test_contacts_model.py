"""Contacts (issue 13): what an organisation does (delivers, points to, informs), who it
serves (roles, stages, true coverage), where its facts come from, and where to report an error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conseiller import recommend as recommend_module
from conseiller import strings
from conseiller.catalog import Catalog, load_catalog
from conseiller.checks import check
from conseiller.cli import main
from conseiller.conditions import SlotValue
from conseiller.conversation import Conversation
from conseiller.recommend import ContactPick, recommend
from conseiller.replay import replay
from conseiller.report import build, contact_roles, render_html, render_markdown, render_text
from conseiller.schema import Contact

BROKEN = Path(__file__).parent.parent / "data" / "broken" / "contacts"
PACKS = Path(__file__).parent.parent / "data" / "packs"
WHEN = dt.datetime(2026, 11, 27, 10, 0)
TODAY = dt.date(2026, 11, 27)


def contact_ids(catalog: Catalog, **profile: str | list[str]) -> list[str]:
    return [p.contact.id for p in recommend(catalog, profile).contacts]


# --- delivers / points to / informs ------------------------------------------------------


def test_heads_of_network_and_regional_entries_deliver_nothing_they_cannot(
    catalog: Catalog,
) -> None:
    """The contacts the review named no longer claim to deliver what their members do."""
    c = catalog.contacts
    assert not c["avise"].delivers and {"dla", "incubateur"} <= set(c["avise"].pointed)
    assert not c["ess-france"].delivers
    assert not c["labo-ess"].delivers and "ptce" not in c["labo-ess"].offers
    assert not c["mouvement-associatif"].delivers
    assert "dla" not in c["mouvement-associatif"].offers
    assert not c["france-tiers-lieux"].delivers
    assert "relais-tiers-lieux" in c["france-tiers-lieux"].pointed
    assert "espace-test" not in c["bge"].offers
    for contact in c.values():
        if contact.id.startswith("annuaire-cress-"):
            assert "sessions-information" not in contact.offers or contact.id in (
                "annuaire-cress-01",  # the CRESS-IG does inform and advise itself (ewag.fr)
                "annuaire-cress-28",  # ADRESS Normandie holds Katapult's info meetings
            )
    kinds = catalog.models["contacts.yaml"].kinds  # type: ignore[attr-defined]
    for contact in c.values():
        allowed = kinds[contact.kind].may_deliver
        assert allowed is None or set(contact.delivers) <= set(allowed), contact.id


def test_an_old_formats_list_still_means_delivers() -> None:
    """A territory pack written before `delivers` keeps working (with a warning in check)."""
    contact = Contact.model_validate(
        {
            "id": "ancien",
            "name": "Ancien pack",
            "kind": "reseau",
            "description": "Un contact fictif.",
            "coverage": {"departements": ["23"]},
            "formats": ["cae"],
            "source": "https://ancien.example.org",
            "checked_on": "2026-11-01",
            "verified": True,
        }
    )
    assert contact.delivers == ["cae"] and contact.offers == ["cae"]


def role_lines(catalog: Catalog, cid: str) -> dict[str, str]:
    pick = ContactPick(catalog.contacts[cid], "national")
    return {line.kind: line.text() for line in contact_roles(catalog, pick)}


def test_each_way_of_helping_has_its_own_words(catalog: Catalog) -> None:
    avise = role_lines(catalog, "avise")
    assert avise["points_to"].startswith(strings.CONTACT_POINTS_TO + " : ")
    assert "Incubateur" in avise["points_to"] or "incubateur" in avise["points_to"].lower()
    assert avise["points_to"].endswith(" — https://avise.org")  # no directory read: its site
    assert "delivers" not in avise
    assert role_lines(catalog, "bge")["delivers"].startswith(strings.CONTACT_DELIVERS + " : ")
    assert role_lines(catalog, "labo-ess") == {
        "informs": f"{strings.CONTACT_INFORMS} : coopérer avec d'autres"
    }


def test_a_card_names_only_the_formats_that_fit_the_person(catalog: Catalog) -> None:
    pick = ContactPick(catalog.contacts["avise"], "national")
    fabrique = catalog.formats["fabrique-a-initiatives"].title
    holder = {"role": "porteur", "stade": "idee"}
    commune: dict[str, SlotValue] = {"role": "collectivite"}
    assert fabrique not in " ".join(r.text() for r in contact_roles(catalog, pick, holder))
    assert fabrique in " ".join(r.text() for r in contact_roles(catalog, pick, commune))


def test_every_rendering_and_the_json_show_what_a_contact_does(catalog: Catalog) -> None:
    profile: dict[str, SlotValue] = {
        "role": "porteur",
        "stade": "creation",
        "departement": "23",
        "region": "75",
        "besoins": ["tester-activite"],
    }
    rec = recommend(catalog, profile)
    doc = build(catalog, rec, [("Où ?", "Creuse (23)")], WHEN)
    pointing = [p for p in rec.contacts if p.contact.points_to]
    assert pointing, [p.contact.id for p in rec.contacts]
    line = contact_roles(catalog, pointing[0])[0] if not pointing[0].contact.delivers else None
    md, page, text = render_markdown(doc), render_html(doc), render_text(doc)
    for rendering in (md, page, text):
        assert strings.CONTACT_POINTS_TO in rendering
    if line is not None:
        assert line.items in text
    assert page.count('class="role points_to"') == len(pointing)

    answers = {
        "role": "porteur",
        "stade": "creation",
        "departement": "23",
        "collectif": "seul",
        "employeur": "non",
        "agricole": "non",
        "besoins": ["tester-activite"],
    }
    data = replay(Conversation(catalog), answers).outcome.to_json()
    first = next(c for c in data["contacts"] if c["points_to"])
    assert {"source", "checked_on", "verified", "why", "rules"} <= set(first)  # kept
    assert first["points_to"]["formats"] and isinstance(first["delivers"], list)
    assert set(first) >= {"kind", "informs", "roles", "stages"}
    json.dumps(data)  # still plain JSON


# --- who a contact serves --------------------------------------------------------------


def test_contacts_are_offered_only_to_whom_they_serve(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review's cases, one by one (every contact listed, not only the first eight)."""
    monkeypatch.setattr(recommend_module, "MAX_CONTACTS", 100)
    alone = contact_ids(catalog, role="porteur", stade="idee", besoins=["isolement"])
    assert "reseau-entreprendre" not in alone
    later = contact_ids(catalog, role="porteur", stade="creation", besoins=["financement"])
    assert "reseau-entreprendre" in later  # it still serves the right stage
    idea = contact_ids(catalog, role="porteur", stade="idee", besoins=["identite-ess"])
    assert "agrement-esus" not in idea
    commune = contact_ids(catalog, role="collectivite", besoins=["financement"])
    assert "initiative-france" not in commune and "reseau-entreprendre" not in commune
    habitants = contact_ids(catalog, role="collectivite", besoins=["mobiliser-habitants"])
    habitants += contact_ids(
        catalog, role="porteur", stade="creation", besoins=["mobiliser-habitants"]
    )
    assert "tzcld" not in habitants


def test_an_unknown_role_or_stage_never_excludes(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recommend_module, "MAX_CONTACTS", 100)
    desk = catalog.contacts["point-accueil-installation"]
    assert "collectivite" not in desk.roles and "developpement" not in desk.stages
    farm: dict[str, str | list[str]] = {"agricole": "oui", "besoins": ["accompagnement"]}
    assert "point-accueil-installation" in contact_ids(catalog, **farm)
    assert "point-accueil-installation" not in contact_ids(catalog, stade="developpement", **farm)
    assert "point-accueil-installation" not in contact_ids(catalog, role="collectivite", **farm)


@pytest.mark.parametrize(
    ("departement", "region", "offered"),
    [("26", "84", True), ("974", "04", False), ("29", "53", False)],
)
def test_a_fonciere_of_the_south_east_is_not_offered_elsewhere(
    catalog: Catalog, departement: str, region: str, offered: bool
) -> None:
    ids = contact_ids(
        catalog,
        role="porteur",
        stade="creation",
        agricole="non",
        lieu="acheter-ensemble",
        departement=departement,
        region=region,
        besoins=["portage-collectif"],
    )
    assert ("villages-vivants" in ids) is offered


def test_the_practical_contacts_are_there(catalog: Catalog) -> None:
    c = catalog.contacts
    assert c["dla"].website == "https://www.info-dla.fr" and "dla" in c["dla"].pointed
    assert {"guid-asso", "point-accueil-installation", "copea"} <= set(c)
    assert c["copea"].verified is False and c["copea"].website is None  # site not confirmed
    assert "76" in c["alter-incub-occitanie"].coverage.regions
    assert "24" in c["alter-incub-centre-val-de-loire"].coverage.regions
    assert "Agricultures et Ruralités" in c["reseau-rural"].name
    employer = contact_ids(
        catalog,
        role="porteur",
        stade="developpement",
        employeur="oui",
        besoins=["consolider-structure"],
    )
    no_staff = contact_ids(
        catalog,
        role="porteur",
        stade="developpement",
        employeur="non",
        besoins=["consolider-structure"],
    )
    assert "dla" in employer and "dla" not in no_staff
    farm = contact_ids(
        catalog, role="porteur", stade="idee", agricole="oui", besoins=["local-foncier"]
    )
    shop = contact_ids(
        catalog, role="porteur", stade="idee", agricole="non", besoins=["local-foncier"]
    )
    assert "point-accueil-installation" in farm and "point-accueil-installation" not in shop


@pytest.mark.parametrize(
    ("region", "name"),
    [
        ("94", "CRESS Corse"),
        ("76", "CRESS Occitanie"),
        ("24", "CRESS Centre-Val de Loire"),
        ("44", "CRESS Grand Est"),
        ("01", "CRESS des Îles de Guadeloupe"),
        ("02", "CRESS Martinique"),
        ("03", "CRESS de Guyane"),
        ("04", "CRESS Réunion"),
        ("06", "CRESS de Mayotte"),
    ],
)
def test_each_region_names_its_cress_not_a_generic_directory(
    catalog: Catalog, region: str, name: str
) -> None:
    [entry] = [
        c for c in catalog.contacts.values() if c.regional_entry and region in c.coverage.regions
    ]
    assert entry.name.startswith(name)
    assert entry.website != "https://ess-france.org" and entry.kind != "annuaire"


def test_normandie_has_an_honest_entry(catalog: Catalog) -> None:
    [entry] = [
        c for c in catalog.contacts.values() if c.regional_entry and "28" in c.coverage.regions
    ]
    assert "CRESS" not in entry.name and "liquidation" in entry.description
    assert entry.website != "https://ess-france.org" and "incubateur" in entry.delivers


# --- sources, checks -------------------------------------------------------------------


def test_every_source_is_made_of_page_addresses(catalog: Catalog) -> None:
    for contact in catalog.contacts.values():
        parts = [p.strip() for p in contact.source.split(";")]
        assert all(re.match(r"https?://\S+", p) for p in parts), contact.id
        assert "docs/" not in contact.source and ".md" not in contact.source


def broken(*names: str) -> list[str]:
    report = check(local=[BROKEN / n for n in names], today=TODAY)
    return [str(p) for p in report.problems]


def test_check_refuses_a_head_of_network_that_delivers_an_incubator() -> None:
    lines = broken("tete-de-reseau-incubateur")
    assert any(
        re.search(r"tete-de-reseau-incubateur/contacts\.yaml:11:\d+: error: .*incubateur", x)
        for x in lines
    ), lines


def test_check_flags_an_old_formats_list_a_directory_that_delivers_and_a_bad_source() -> None:
    lines = broken("annuaire-ancien-formats")
    found = " | ".join(lines)
    assert re.search(r"contacts\.yaml:13:\d+: error: « annuaire-exemple » est un annuaire", found)
    assert re.search(r"contacts\.yaml:13:\d+: warning: .*ancien nom de `delivers`", found)
    assert re.search(r"contacts\.yaml:14:\d+: warning: .*n'est pas l'adresse d'une page", found)


def test_check_refuses_a_rule_offering_a_contact_to_a_role_it_does_not_serve() -> None:
    lines = broken("regle-role")
    assert any(re.search(r"rules\.yaml:8:\d+: error: .*exemple-porteur", x) for x in lines)
    assert any(re.search(r"rules\.yaml:14:\d+: warning: .*exemple-les-deux", x) for x in lines)


def test_check_warns_when_a_regional_entry_serves_only_some_people() -> None:
    lines = broken("entree-etroite")
    assert any(
        re.search(
            r"entree-etroite/contacts\.yaml:12:\d+: warning: « entree-exemple » est la porte", x
        )
        for x in lines
    ), lines


def test_the_shipped_kinds_table_is_enforced(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    path = content / "contacts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    avise = next(c for c in data["contacts"] if c["id"] == "avise")
    avise["delivers"] = avise.pop("points_to")["formats"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    errors = [p.message for p in check(content, flows, today=TODAY).errors]
    assert any("« avise » est une tête de réseau" in m for m in errors), errors


def test_packs_written_before_delivers_still_load_and_export(tmp_path: Path) -> None:
    pack = tmp_path / "ancien"
    pack.mkdir()
    text = (PACKS / "exemple" / "contacts.yaml").read_text(encoding="utf-8")
    (pack / "contacts.yaml").write_text(text.replace("delivers:", "formats:"), encoding="utf-8")
    catalog = load_catalog(local=[pack])
    assert catalog.contacts["cae-exemple"].delivers == ["cae"]
    out = tmp_path / "annuaire.csv"
    assert main(["contacts", "export", "--local", str(pack), "--csv", "--out", str(out)]) == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    row = next(r for r in out.read_text(encoding="utf-8-sig").splitlines() if "cae-exemple" in r)
    assert "formats" in header and row.split(";")[header.index("formats")] == "cae"


# --- where to report an error ----------------------------------------------------------


def test_the_shipped_content_checks_clean_without_an_operator_reminder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The reminder is for an operator's own content; the shipped one says « aucun problème ».
    shipped = check(today=TODAY)
    assert shipped.problems == [] and shipped.reminders == []
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "report_to" not in out and out.count("\n") == 1


def test_report_address_is_shown_when_set_and_recalled_when_not(
    content_copy: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, flows = content_copy
    shipped = check(content, flows, today=TODAY)
    assert shipped.problems == [] and len(shipped.reminders) == 1  # not a content problem
    assert main(["check", "--content", str(content), "--flows", str(flows)]) == 0
    assert "report_to" in capsys.readouterr().out
    about = content / "about.yaml"
    text = about.read_text(encoding="utf-8")
    about.write_text(
        text.replace("# report_to:\n", "report_to: https://signaler.example.org/contacts\n"),
        encoding="utf-8",
    )
    assert check(content, flows, today=TODAY).reminders == []
    catalog = load_catalog(content, flows)
    rec = recommend(catalog, {"role": "porteur", "stade": "idee", "besoins": ["isolement"]})
    doc = build(catalog, rec, [], WHEN)
    wanted = strings.REPORT_ERROR_LINE.format(to="https://signaler.example.org/contacts")
    for rendering in (render_text(doc), render_html(doc), render_markdown(doc)):
        assert wanted in rendering.replace("\\", "").replace("\xa0", " ")  # typography


def test_a_spreadsheet_can_say_who_a_contact_serves(tmp_path: Path) -> None:
    source = tmp_path / "annuaire.csv"
    source.write_text(
        "nom;description;site;départements;besoins;formats;roles;stages;informs;source;"
        "vérifié le;vérifié\n"
        "CAE de l'Exemple;Une CAE fictive.;https://cae.example.org;23;tester-activite;cae;"
        "porteur, accompagnateur;idee;formation;https://cae.example.org;27/11/2026;oui\n",
        encoding="utf-8",
    )
    pack = tmp_path / "pack"
    assert main(["contacts", "import", str(source), "--out", str(pack)]) == 0
    [contact] = load_catalog(local=[pack]).packs[0].contacts
    assert contact.roles == ["porteur", "accompagnateur"] and contact.stages == ["idee"]
    assert contact.delivers == ["cae"] and contact.informs == ["formation"]
    assert contact.formats == []  # the « formats » column fills delivers, not the old field
