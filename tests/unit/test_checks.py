"""`conseiller check`: each kind of content problem is found and located."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conseiller.checks import check
from conseiller.paths import shipped_dir

BROKEN = Path(__file__).parent.parent / "data" / "broken"


def test_shipped_content_is_clean() -> None:
    report = check()
    assert report.problems == []
    assert report.files >= 7


def check_flow(tmp_path: Path, name: str) -> list[str]:
    flows = tmp_path / "flows"
    flows.mkdir()
    shutil.copy(shipped_dir("flows") / "principal.yaml", flows)
    shutil.copy(BROKEN / name, flows / name)
    return [str(p) for p in check(flows_dir=flows).problems]


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("dangling_next.yaml", 11, "nœud « fni » inconnu (vouliez-vous dire « fin » ?)"),
        ("unreachable.yaml", 9, "nœud « orphelin » jamais atteint depuis le début"),
        ("cycle.yaml", 12, "boucle sans sortie autour de « b »"),
        ("dead_end.yaml", 5, "nœud « a » sans suite"),
        ("duplicate.yaml", 9, "identifiant « a » en double (déjà défini ligne 5)"),
        ("not_optional.yaml", 5, "la question « a » remplit la case « taille »"),
        ("bad_slot_value.yaml", 11, "la case « role » doit valoir porteur, collectivite"),
        (
            "bad_slot_value.yaml",
            15,
            "condition role = « porter » : valeur impossible (vouliez-vous dire « porteur » ?)",
        ),
    ],
)
def test_flow_problem(tmp_path: Path, name: str, line: int, message: str) -> None:
    lines = check_flow(tmp_path, name)
    pattern = re.compile(rf".*{re.escape(name)}:{line}:\d+: error: .*")
    found = [x for x in lines if pattern.fullmatch(x) and message in x]
    assert found, lines


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_dangling_need_in_a_rule(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    edit(content / "rules.yaml", "needs: [financement]", "needs: [financment]")
    lines = [str(p) for p in check(content, flows).errors]
    assert any(
        "rules.yaml:" in x
        and "besoin « financment » inconnu (vouliez-vous dire « financement » ?)" in x
        for x in lines
    ), lines


def test_dangling_contact_and_format(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    edit(
        content / "rules.yaml",
        "contacts: [france-active, initiative-france, reseau-entreprendre]",
        "contacts: [france-activ, initiative-france, reseau-entreprendre]",
    )
    edit(content / "rules.yaml", "formats: [dla, ptce]", "formats: [dlaa, ptce]")
    messages = [p.message for p in check(content, flows).errors]
    assert any("contact « france-activ » inconnu" in m for m in messages)
    assert any("format « dlaa » inconnu" in m for m in messages)


def test_need_that_no_rule_answers(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    text = (content / "needs.yaml").read_text(encoding="utf-8")
    text += (
        "\n  - id: nouveau-besoin\n    label: Nouveau\n    description: Un test.\n"
        "    vocabulary:\n      words: [nouveauté]\n"
    )
    (content / "needs.yaml").write_text(text, encoding="utf-8")
    messages = [p.message for p in check(content, flows).errors]
    assert "aucune règle ne propose de format pour le besoin « nouveau-besoin »" in messages


def test_region_without_regional_contact_is_a_warning(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    edit(content / "contacts.yaml", "regions: ['53']", "regions: ['52']")
    report = check(content, flows)
    assert not report.errors
    assert any("région 53 (Bretagne)" in p.message for p in report.warnings)


def test_stale_contacts_are_warnings() -> None:
    later = dt.date(2028, 1, 1)
    report = check(today=later)
    assert not report.errors
    stale = [p for p in report.warnings if "plus de 12 mois" in p.message]
    assert stale and all("contacts.yaml" in p.path for p in stale)


def test_unknown_slot_in_a_condition(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    edit(content / "rules.yaml", "when: {agricole: oui}", "when: {agricol: oui}")
    messages = [p.message for p in check(content, flows).errors]
    assert any("« agricol »" in m and "vouliez-vous dire « agricole »" in m for m in messages)


def test_duplicate_contact_id(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    edit(content / "contacts.yaml", "- id: ess-france", "- id: avise")
    messages = [p.message for p in check(content, flows).errors]
    assert any("identifiant « avise » en double" in m for m in messages)


def test_schema_errors_are_reported_not_raised(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    edit(content / "formats.yaml", "stages: [idee]", "stages: [debut]")
    report = check(content, flows)
    assert report.errors
    assert "formats.yaml" in report.errors[0].path


def test_unknown_departement_in_ambiguous_names(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    edit(content / "territories.yaml", 'departements: ["93", "974"]', 'departements: ["93", "979"]')
    errors = check(content, flows).errors
    assert any(
        "territories.yaml:" in str(p) and "département « 979 » inconnu" in p.message for p in errors
    ), [str(p) for p in errors]


def _flow_with(tmp_path: Path, edit: Callable[[str], str]) -> list[str]:
    flows = tmp_path / "flows"
    flows.mkdir()
    text = (shipped_dir("flows") / "principal.yaml").read_text(encoding="utf-8")
    (flows / "principal.yaml").write_text(edit(text), encoding="utf-8")
    return [str(p) for p in check(flows_dir=flows).problems]


def test_renaming_a_public_slot_keeps_its_profile_field_and_its_contacts(tmp_path: Path) -> None:
    """The département question's slot renamed 'dept': the profile still says departement."""
    renamed = _flow_with(tmp_path, lambda t: t.replace("slot: departement", "slot: dept"))
    assert renamed == []
    from conseiller.catalog import load_catalog
    from conseiller.engine import Engine
    from conseiller.matching import matcher_for

    catalog = load_catalog(flows_dir=tmp_path / "flows")
    engine = Engine(catalog.default_flow, catalog, matcher_for(catalog))
    state = engine.start()
    for given in ("porteur", "idee", "Creuse"):
        state = engine.answer(state, given)
    assert engine.profile(state)["departement"] == "23"
    assert engine.profile(state)["region"] == "75"  # regional contacts still found


def test_a_public_field_filled_by_no_question_is_an_error(tmp_path: Path) -> None:
    problems = _flow_with(
        tmp_path,
        lambda t: t.replace("    profile: departement\n", "").replace(
            "slot: departement", "slot: dept"
        ),
    )
    assert any("« departement »" in p and "en a 0" in p for p in problems)


def test_a_public_field_filled_twice_is_an_error(tmp_path: Path) -> None:
    problems = _flow_with(
        tmp_path, lambda t: t.replace("slot: collectif\n", "slot: collectif\n    profile: role\n")
    )
    assert any("« role »" in p and "en a 2" in p for p in problems)


def test_a_public_field_on_the_wrong_kind_of_question_is_an_error(tmp_path: Path) -> None:
    problems = _flow_with(
        tmp_path, lambda t: t.replace("    profile: departement\n", "    profile: stade\n", 1)
    )
    assert any("ne peut pas remplir « stade »" in p for p in problems)


def test_role_options_must_be_the_schema_values(tmp_path: Path) -> None:
    problems = _flow_with(tmp_path, lambda t: t.replace("{id: accompagnateur,", "{id: conseiller,"))
    assert any("role" in p and "accompagnateur" in p for p in problems)


def test_a_public_slot_without_its_profile_declaration_is_an_error(tmp_path: Path) -> None:
    problems = _flow_with(tmp_path, lambda t: t.replace("    profile: stade\n", ""))
    assert any("sans le déclarer : ajoutez profile: stade" in p for p in problems)
