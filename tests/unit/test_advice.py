"""Advice an ESS advisor would sign: the person's own facts, their role's voice, plain words."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml

from conseiller import strings
from conseiller.advice_checks import Situations, contact_findings
from conseiller.catalog import Catalog
from conseiller.checks import check
from conseiller.conditions import SlotValue
from conseiller.engine import Engine
from conseiller.glossary import explain, glossary_terms, undefined_acronyms
from conseiller.recommend import FormatPick, Recommendation, merge_reasons, recommend, say_once
from conseiller.report import to_html, to_markdown

BROKEN = Path(__file__).parent.parent / "data" / "broken" / "advice"


def rec(catalog: Catalog, **slots: SlotValue) -> Recommendation:
    return recommend(catalog, dict(slots))


def said(r: Recommendation) -> str:
    """Every reason shown, formats and contacts."""
    picks = [" ".join(p.why) for p in r.formats] + [" ".join(p.why) for p in r.contacts]
    return " / ".join(picks)


# --- §3: a reason cites only what the person answered ------------------------------------


def test_an_unknown_stage_is_never_told_it_is_at_the_idea_stage(catalog: Catalog) -> None:
    r = rec(catalog, role="porteur", stade=None, besoins=["isolement"])
    assert r.formats
    assert "stade de l'idée" not in said(r).lower()
    assert "démarrage" not in said(r).lower()


def test_an_employer_is_not_told_it_looks_for_a_first_employee(catalog: Catalog) -> None:
    r = rec(
        catalog,
        role="porteur",
        stade="developpement",
        employeur="oui",
        besoins=["equipe-benevoles"],
    )
    ids = [p.format.id for p in r.formats]
    assert "premier-salarie" not in ids and "dla" in ids
    assert "premier" not in said(r)


def test_an_unknown_employer_hears_of_the_dla_conditionally(catalog: Catalog) -> None:
    r = rec(
        catalog,
        role="porteur",
        stade="developpement",
        employeur=None,
        besoins=["consolider-structure"],
    )
    dla = next(p for p in r.formats if p.format.id == "dla")
    assert any(w.lower().startswith("le dla est réservé") and "si c'est" in w for w in dla.why)
    assert "Avec au moins un salarié" not in said(r)


def test_no_employee_means_no_dla(catalog: Catalog) -> None:
    r = rec(
        catalog, role="porteur", stade="developpement", employeur="non", besoins=["financement"]
    )
    assert "dla" not in [p.format.id for p in r.formats]


def test_a_food_shop_renting_a_room_is_not_told_it_looks_for_farmland(catalog: Catalog) -> None:
    r = rec(
        catalog,
        role="porteur",
        stade="creation",
        employeur="non",
        agricole="oui",
        lieu="louer",
        besoins=["local-foncier"],
        departement="24",
        region="75",
    )
    assert "terres" not in said(r)
    assert not {"terre-de-liens", "safer"} & {p.contact.id for p in r.contacts}


def test_a_commune_with_an_empty_building_is_not_told_it_looks_for_one(
    catalog: Catalog,
) -> None:
    r = rec(catalog, role="collectivite", lieu="batiment-vide", besoins=["local-foncier"])
    assert "cherch" not in said(r)
    assert "foncier-public" in [p.format.id for p in r.formats]


def test_needs_named_but_no_rule_never_says_you_do_not_know_your_needs(
    catalog: Catalog,
) -> None:
    for need in catalog.needs:
        for role in ("porteur", "collectivite", "accompagnateur"):
            r = rec(catalog, role=role, besoins=[need])
            assert "ne savez pas encore" not in said(r), (role, need)


# --- §4: the person's role's voice ------------------------------------------------------


def test_a_collectivite_sees_the_territories_menu_in_its_voice(catalog: Catalog) -> None:
    r = rec(catalog, role="collectivite", besoins=["accompagnement"])
    picks = {p.format.id: p for p in r.formats}
    assert {"incubateur", "cae", "espace-test"} <= set(picks)
    assert picks["incubateur"].format.summary == (
        catalog.formats["incubateur"].voices["collectivite"].summary
    )
    assert "avant de vous lancer" not in said(r)


def test_an_accompagnateur_hears_about_the_people_they_support(catalog: Catalog) -> None:
    r = rec(
        catalog, role="accompagnateur", stade="creation", employeur="non", besoins=["isolement"]
    )
    text = said(r)
    assert "que vous accompagnez" in text
    assert "Vous vous sentez" not in text
    assert "reseau-accompagnateurs" in [p.format.id for p in r.formats]


def test_an_unknown_role_hears_the_project_holders_voice(catalog: Catalog) -> None:
    r = rec(catalog, role=None, stade="idee", besoins=["identite-ess"])
    assert "Vous vous demandez si votre projet" in said(r)


def test_every_rule_speaks_in_every_voice_it_can_be_shown_in(catalog: Catalog) -> None:
    for rule in catalog.rules:
        for role in ("porteur", "collectivite", "accompagnateur", None):
            assert rule.reason(role)  # never empty, whatever the role


# --- §7: sentences, no repetition, capitals kept ----------------------------------------


def test_reasons_are_merged_without_repeating() -> None:
    merged = merge_reasons(
        [
            "Au stade de l'idée, on se sent isolé. Ces formats aident.",
            "Au stade de l'idée, une réunion aide.",
            "Ces formats aident.",
        ]
    )
    assert merged == [
        "Au stade de l'idée, on se sent isolé.",
        "Ces formats aident.",
        "Une réunion aide.",
    ]


def test_contact_reasons_are_sentences_and_keep_capitals(catalog: Catalog) -> None:
    r = rec(
        catalog, role="porteur", stade="idee", besoins=["identite-ess"], departement="23",
        region="75",
    )  # fmt: skip
    text = said(r)
    assert "Répond à" not in text and "Propose :" not in text and "Mis en avant" not in text
    assert "comprendre l'ESS" in text


# --- §7: the glossary ---------------------------------------------------------------------


def test_glossary_terms_are_found_in_order_and_only_as_words(catalog: Catalog) -> None:
    terms = glossary_terms(catalog, "Deux tiers-lieux, une CAE et le DLA ; un ESSAI.")
    assert [t.term for t in terms] == ["tiers-lieu", "CAE", "DLA"]
    assert explain(terms[1]).startswith("CAE (coopérative d'activité et d'emploi) : une ")


def test_undefined_acronyms_are_reported(catalog: Catalog) -> None:
    assert undefined_acronyms(catalog.glossary, "La CAE et le XQZW de la SCIC") == ["XQZW"]


def test_the_take_away_explains_the_words_it_uses(catalog: Catalog) -> None:
    r = rec(catalog, role="collectivite", besoins=["accompagnement"])
    when = dt.datetime(2026, 11, 27)
    md = to_markdown(catalog, r, [], when).replace(
        "\xa0", " "
    )  # French typography: no-break spaces
    assert "CAE[^" in md
    assert "## Les mots à connaître" in md
    assert "CAE (coopérative d'activité et d'emploi) : une coopérative" in md
    page = to_html(catalog, r, [], when).replace("\xa0", " ")
    cae = next(t for t in catalog.glossary if t.term == "CAE")
    title = html.escape(explain(cae), quote=True).replace("\xa0", " ")
    assert f'<abbr title="{title}">CAE</abbr>' in page


# --- check: one rule per class, with a broken fixture each --------------------------------


def _append(path: Path, key: str, fixture: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[key] += yaml.safe_load(fixture.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("fixture", "key", "level", "message"),
    [
        ("rule_one_voice.yaml", "rules", "error", "« casse-une-voix » peut parler à plusieurs"),
        ("rule_missing_voice.yaml", "rules", "error", "n'a pas de raison pour : collectivite"),
        ("rule_fact_untested.yaml", "rules", "error", "parle de « salarié », mais sa condition"),
        ("rule_fact_assumed.yaml", "rules", "error", "affirme « stade du projet » alors"),
        ("rule_holder_words.yaml", "rules", "error", "des mots de porteur de projet"),
        ("rule_acronym.yaml", "rules", "warning", "le sigle « XQZW » n'est pas expliqué"),
        ("format_missing_voice.yaml", "formats", "error", "ses textes parlent à « porteur »"),
        ("format_unsure_not_conditional.yaml", "formats", "error", "doit être au conditionnel"),
        ("contact_by_list.yaml", "contacts", "warning", "« casse-par-liste » est proposé pour"),
    ],
)
def test_each_class_of_bad_advice_is_caught(
    content_copy: tuple[Path, Path], fixture: str, key: str, level: str, message: str
) -> None:
    content, flows = content_copy
    _append(content / f"{key}.yaml", key, BROKEN / fixture)
    found = [p for p in check(content, flows).problems if message in p.message]
    assert found, message
    assert all(p.level == level and p.path.endswith(f"{key}.yaml") for p in found)


def test_a_default_on_the_role_question_is_an_error(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    path = flows / "principal.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    profile: role\n    text: Pour commencer, qui êtes-vous ?\n    optional: true\n"
    assert old in text
    path.write_text(text.replace(old, old + "    default: porteur\n"), encoding="utf-8")
    errors = [p.message for p in check(content, flows).errors]
    assert any("remplit role avec « porteur »" in m for m in errors), errors


# --- the flow: « je ne sais pas » stays unknown, and the questions still come -------------


def test_an_unknown_role_is_still_asked_its_stage_and_needs(engine: Engine) -> None:
    state = engine.start()
    state = engine.answer(state, "je ne sais pas")
    assert engine.view(state).current.id == "stade"
    for given in ("je ne sais pas", "Creuse", "je ne sais pas"):
        state = engine.answer(state, given)
    assert engine.view(state).current.id == "employeur"  # stage unknown: asked, not assumed
    state = engine.answer(state, "je ne sais pas")
    state = engine.answer(state, "non")
    assert engine.view(state).current.id == "besoins-texte"
    profile = engine.profile(state)
    assert profile.get("role") is None and profile.get("stade") is None


def test_content_without_a_glossary_still_loads_and_checks(
    content_copy: tuple[Path, Path],
) -> None:
    content, flows = content_copy
    (content / "glossary.yaml").unlink()
    report = check(content, flows)
    assert not report.errors
    assert not [p for p in report.problems if "sigle" in p.message]


def test_who_a_rule_can_speak_to_follows_the_questions_the_flow_asks(catalog: Catalog) -> None:
    situations = Situations(list(catalog.flows.values()), list(catalog.needs))
    # The stage is never asked to a commune: a rule on the stage never speaks to one.
    assert situations.roles({"stade": "idee"}) == ["porteur", "accompagnateur", None]
    assert situations.roles({"role": "collectivite"}) == ["collectivite"]
    assert situations.roles(None) == ["porteur", "collectivite", "accompagnateur", None]
    # « employeur » is asked only from the creation stage on (or when the stage is unknown).
    assert not situations.possible({"employeur": "oui"}, {"stade": "idee"})
    assert situations.possible({"employeur": "oui"}, {"stade": None})


# --- packs: a territory's own rules are checked like the shipped ones (issue 13 follow-up) --


def test_a_pack_rule_with_one_voice_for_every_role_is_caught(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "contacts.yaml").write_text(
        "contacts:\n"
        "- id: lieu-fictif\n"
        "  name: Lieu fictif\n"
        "  kind: reseau\n"
        "  description: Un lieu fictif, pour les tests.\n"
        "  website: https://lieu.example.org\n"
        "  coverage: {departements: ['23']}\n"
        "  needs: [isolement]\n"
        "  source: https://lieu.example.org (données de test)\n"
        "  checked_on: '2026-11-02'\n"
        "  verified: true\n",
        encoding="utf-8",
    )
    rule = (
        "rules:\n- id: pack-une-voix\n  needs: [isolement]\n  contacts: [lieu-fictif]\n"
        "  why: Vous vous sentez seul avant de vous lancer.\n"
    )
    (pack / "rules.yaml").write_text(rule, encoding="utf-8")
    errors = [p for p in check(local=[pack]).errors if "pack-une-voix" in p.message]
    assert errors and all(p.path.endswith("pack/rules.yaml") and p.line == 5 for p in errors)
    # the same rule with a voice per role is accepted
    (pack / "rules.yaml").write_text(
        rule.replace(
            "  why: Vous vous sentez seul avant de vous lancer.\n",
            "  why:\n    porteur: Au lieu fictif, on rencontre d'autres porteurs.\n"
            "    collectivite: Au lieu fictif, les porteurs de votre territoire se rencontrent.\n"
            "    accompagnateur: Au lieu fictif, les porteurs que vous suivez se rencontrent.\n",
        ),
        encoding="utf-8",
    )
    assert not [p for p in check(local=[pack]).problems if "pack-une-voix" in p.message]


# --- each contact shown serves that person for that need (issue 13 follow-up) -------------


def _contact_ids(r: Recommendation) -> list[str]:
    return [p.contact.id for p in r.contacts]


@pytest.mark.parametrize("role", ["porteur", "accompagnateur", None])
def test_money_at_the_idea_stage_is_not_sent_to_networks_that_do_not_fund_it(
    catalog: Catalog, role: str | None
) -> None:
    r = rec(
        catalog, role=role, stade="idee", departement="23", region="75", besoins=["financement"]
    )
    shown = _contact_ids(r)
    assert shown
    assert not {"msa", "les-scop", "guid-asso", "agrement-esus", "reseau-entreprendre"} & set(shown)


def test_a_structure_looking_for_money_hears_of_esus_and_rural_funders(catalog: Catalog) -> None:
    r = rec(catalog, role="porteur", stade="developpement", departement="23", region="75",
            besoins=["financement"])  # fmt: skip
    assert {"agrement-esus", "msa"} <= set(_contact_ids(r))


def test_france_benevolat_is_for_volunteers_and_an_employer_hears_it_conditionally(
    catalog: Catalog,
) -> None:
    base = {"role": "porteur", "stade": "developpement", "departement": "23", "region": "75"}
    hiring = rec(catalog, **base, employeur="oui", besoins=["equipe-benevoles"])
    volunteers = rec(catalog, **base, employeur="non", besoins=["equipe-benevoles"])
    unknown = rec(catalog, **base, employeur=None, besoins=["equipe-benevoles"])
    # No question tells volunteers from hiring: to an employer, it is said conditionally.
    why = {p.contact.id: " ".join(p.why) for p in hiring.contacts}
    assert (
        "Si ce sont des bénévoles qui vous manquent, et pas des salariés" in why["france-benevolat"]
    )
    for r in (volunteers, unknown):  # an unknown answer never excludes
        why = {p.contact.id: " ".join(p.why) for p in r.contacts}
        assert "bénévoles" in why["france-benevolat"]
        assert "salariés" not in why["france-benevolat"]


def test_bge_is_hidden_only_where_an_agricultural_test_is_offered(catalog: Catalog) -> None:
    base = {"role": "porteur", "stade": "creation", "departement": "23", "region": "75"}
    farm_test = rec(catalog, **base, agricole="oui", besoins=["tester-activite"])
    farm_shop = rec(catalog, **base, agricole="oui", besoins=["statut-juridique", "formation"])
    craft_test = rec(catalog, **base, agricole="non", besoins=["tester-activite"])
    assert "bge" not in _contact_ids(farm_test)
    assert "reneta" in _contact_ids(farm_test)
    assert "bge" in _contact_ids(farm_shop)
    assert "bge" in _contact_ids(craft_test)


def test_the_farm_setup_desk_is_not_offered_to_a_farm_installed_for_years(
    catalog: Catalog,
) -> None:
    base = {"role": "porteur", "departement": "23", "region": "75", "agricole": "oui"}
    old = rec(catalog, **base, stade="developpement", besoins=["formation", "accompagnement"])
    new = rec(catalog, **base, stade="idee", besoins=["formation", "accompagnement"])
    assert "point-accueil-installation" not in _contact_ids(old)
    assert "point-accueil-installation" in _contact_ids(new)


def test_the_shipped_contacts_come_for_a_need_through_the_rules(catalog: Catalog) -> None:
    assert not list(contact_findings(catalog))


# --- a reason is said once across the formats (issue 13 follow-up) -----------------------


@pytest.mark.parametrize("role", ["collectivite", "porteur", "accompagnateur"])
def test_a_reason_is_said_under_one_format_only(catalog: Catalog, role: str) -> None:
    r = rec(catalog, role=role, stade="idee" if role != "collectivite" else None,
            departement="23", region="75", lieu="batiment-vide",
            besoins=["isolement", "financement", "local-foncier"])  # fmt: skip
    assert len(r.formats) >= 3
    seen: dict[str, str] = {}
    titles = [p.format.title for p in r.formats]
    for i, pick in enumerate(r.formats):
        assert pick.why, pick.format.id
        for sentence in pick.why:
            if sentence.startswith("Pour la même raison") or sentence.startswith("Pour les mêmes"):
                named = re.findall(r"« (.+?) »", sentence)
                assert named and all(t in titles[:i] for t in named), (sentence, titles)
                continue
            assert sentence not in seen, (sentence, seen.get(sentence), pick.format.id)
            seen[sentence] = pick.format.id


def test_a_conditional_note_stays_with_its_format(catalog: Catalog) -> None:
    r = rec(catalog, role="porteur", stade="developpement", employeur=None,
            departement="23", region="75",
            besoins=["consolider-structure", "financement"])  # fmt: skip
    dla = next(p for p in r.formats if p.format.id == "dla")
    assert dla.notes and dla.notes[0] in dla.why  # « … si c'est le cas, il aide gratuitement »
    assert "si c'est le cas" in dla.notes[0]


def test_a_back_reference_points_only_to_a_card_that_shows_the_reason(catalog: Catalog) -> None:
    a, b, c = (catalog.formats[f] for f in ("tiers-lieu", "cae", "dla"))
    reasons = ["Première raison.", "Deuxième raison.", "Troisième raison.", "Quatrième raison."]
    first = FormatPick(a, why=merge_reasons(reasons), reasons=list(reasons))
    second = FormatPick(b, why=["Quatrième raison."], reasons=["Quatrième raison."])
    note = "Si votre structure a au moins un salarié, il aide."
    third = FormatPick(
        c, why=[note, "Première raison."], notes=[note], reasons=["Première raison."]
    )
    say_once([first, second, third])
    assert "Quatrième raison." not in first.why  # cut: at most MAX_REASONS per card
    assert second.why == ["Quatrième raison."]  # so it is said here, not referred to
    assert third.why == [strings.ADV_WHY_SAME.format(titles=f"« {a.title} »"), note]
