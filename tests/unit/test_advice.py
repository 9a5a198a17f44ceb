"""Advice an ESS advisor would sign: the person's own facts, their role's voice, plain words."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
import yaml

from conseiller.advice_checks import Situations
from conseiller.catalog import Catalog
from conseiller.checks import check
from conseiller.conditions import SlotValue
from conseiller.engine import Engine
from conseiller.glossary import explain, glossary_terms, undefined_acronyms
from conseiller.recommend import Recommendation, merge_reasons, recommend
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
    md = to_markdown(catalog, r, [], when)
    assert "CAE[^" in md
    assert "## Les mots à connaître" in md
    assert "CAE (coopérative d'activité et d'emploi) : une coopérative" in md
    page = to_html(catalog, r, [], when)
    cae = next(t for t in catalog.glossary if t.term == "CAE")
    assert f'<abbr title="{html.escape(explain(cae), quote=True)}">CAE</abbr>' in page


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
