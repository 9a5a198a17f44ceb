"""Territory packs: local contacts layered on the shipped ones, checked, grouped, covered."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from conseiller import strings
from conseiller.catalog import Catalog, load_catalog
from conseiller.checks import check_catalog
from conseiller.cli import build_parser, main, parse_args
from conseiller.conditions import SlotValue
from conseiller.coverage import gaps, pack_regions, report_lines
from conseiller.loader import ContentError
from conseiller.recommend import recommend
from conseiller.report import build, group_contacts, render_html, render_markdown, render_text
from conseiller.tui.serve import command_for
from conseiller.typography import plural

PACKS = Path(__file__).parent.parent / "data" / "packs"
SCENARIO = Path(__file__).parent.parent / "scenarios" / "13-pack-local-creuse.yaml"
EXEMPLE = PACKS / "exemple"
CHECKED = "vérifié le 02/11/2026 — source : https://tiers-lieu.example.org/qui-sommes-nous"


@pytest.fixture(scope="module")
def with_pack() -> Catalog:
    return load_catalog(local=[EXEMPLE])


def creuse(needs: list[str]) -> dict[str, SlotValue]:
    return {
        "role": "porteur",
        "stade": "idee",
        "departement": "23",
        "region": "75",
        "besoins": needs,
    }


# --- layering --------------------------------------------------------------------------


def test_local_contacts_and_rules_add_to_the_shipped_ones(
    catalog: Catalog, with_pack: Catalog
) -> None:
    added = set(with_pack.contacts) - set(catalog.contacts)
    assert added == {"tiers-lieu-exemple", "cae-exemple"}
    assert set(catalog.contacts) <= set(with_pack.contacts)
    assert [r.id for r in with_pack.rules] == [*(r.id for r in catalog.rules), "exemple-isolement"]
    assert with_pack.replaced == []
    assert check_catalog(with_pack, dt.date(2026, 11, 27)) == []


def test_a_local_contact_with_a_shipped_id_replaces_it_and_check_says_so(catalog: Catalog) -> None:
    layered = load_catalog(local=[PACKS / "remplace"])
    assert list(layered.contacts) == list(catalog.contacts)  # replaced where it stood
    assert layered.contacts["france-tiers-lieux"].website == "https://reseau.example.org"
    warnings = [
        p
        for p in check_catalog(layered, dt.date(2026, 11, 27))
        if p.level == "warning" and "remplace" in p.message
    ]
    [warning] = warnings
    assert warning.path.endswith("packs/remplace/contacts.yaml") and warning.line == 3
    shipped = catalog.positions["contacts.yaml"]
    line = shipped.at(("contacts", list(catalog.contacts).index("france-tiers-lieux"), "id"))[0]
    assert f"contacts.yaml:{line}" in warning.message  # names both files
    assert "france-tiers-lieux" in warning.message


def test_a_later_pack_replaces_an_earlier_one_and_check_names_it(tmp_path: Path) -> None:
    later = tmp_path / "autre"
    later.mkdir()
    for name in ("contacts.yaml", "rules.yaml"):
        (later / name).write_text((EXEMPLE / name).read_text(encoding="utf-8"), encoding="utf-8")
    both = load_catalog(local=[EXEMPLE, later])
    problems = check_catalog(both, dt.date(2026, 11, 27))
    replaced = [p for p in problems if p.path.endswith("autre/contacts.yaml")]
    assert [p.line for p in replaced] == [4, 17]
    assert "packs/exemple/contacts.yaml:4" in replaced[0].message
    assert any(
        "exemple-isolement" in p.message
        and "la règle" in p.message
        and "packs/exemple/rules.yaml:3" in p.message
        for p in problems
    )


def test_an_id_twice_in_one_pack_is_a_duplicate_not_a_replacement(tmp_path: Path) -> None:
    pack = tmp_path / "double"
    pack.mkdir()
    text = (PACKS / "filet" / "contacts.yaml").read_text(encoding="utf-8")
    entry = text.split("contacts:\n", 1)[1]
    (pack / "contacts.yaml").write_text(text + entry, encoding="utf-8")
    layered = load_catalog(local=[pack])
    assert layered.replaced == []
    [problem] = check_catalog(layered, dt.date(2026, 11, 27))
    assert problem.level == "error" and "en double (déjà défini ligne 3)" in problem.message


def test_a_pack_never_changes_the_safety_net(catalog: Catalog) -> None:
    layered = load_catalog(local=[PACKS / "filet"])
    assert layered.about == catalog.about
    assert layered.safety == catalog.safety
    problems = check_catalog(layered, dt.date(2026, 11, 27))
    [ignored] = [p for p in problems if p.path.endswith("filet/about.yaml")]
    assert ignored.level == "warning" and "filet de sécurité" in ignored.message
    assert "association-exemple" in layered.contacts


def test_errors_in_a_pack_name_its_file_and_line() -> None:
    with pytest.raises(ContentError) as caught:
        load_catalog(local=[PACKS / "casse"])
    [problem] = caught.value.problems
    assert problem.path.endswith("packs/casse/contacts.yaml")
    assert (problem.line, problem.level) == (9, "error")
    assert "vouliez-vous dire « website »" in problem.message
    refs = load_catalog(local=[PACKS / "casse-refs"])
    errors = [p for p in check_catalog(refs, dt.date(2026, 11, 27)) if p.level == "error"]
    assert [(Path(p.path).parent.name, p.line) for p in errors] == [
        ("casse-refs", 7),
        ("casse-refs", 8),
    ]
    assert "vouliez-vous dire « isolement »" in errors[1].message


def test_a_missing_pack_or_one_without_contacts_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "vide"
    empty.mkdir()
    with pytest.raises(ContentError) as caught:
        load_catalog(local=[tmp_path / "absent", empty])
    messages = [p.message for p in caught.value.problems]
    assert any("pack local introuvable" in m for m in messages)
    assert any("n'a pas de contacts.yaml" in m for m in messages)


# --- the order every front shows -------------------------------------------------------


def test_contacts_of_the_departement_come_first_in_their_own_group(with_pack: Catalog) -> None:
    rec = recommend(with_pack, creuse(["isolement"]))
    groups = group_contacts(with_pack, rec)
    assert groups[0].key == "local" and groups[0].title == strings.UI_RESULTS_LOCAL
    assert [p.contact.id for p in groups[0].picks] == ["tiers-lieu-exemple"]
    assert groups[1].key == "region"
    elsewhere = recommend(with_pack, {**creuse(["isolement"]), "departement": "19"})
    assert "tiers-lieu-exemple" not in [p.contact.id for p in elsewhere.contacts]


def test_the_take_away_shows_local_contacts_with_their_source_and_date(with_pack: Catalog) -> None:
    rec = recommend(with_pack, creuse(["isolement"]))
    doc = build(with_pack, rec, [("Département", "Creuse (23)")], dt.datetime(2026, 11, 27))
    for text in (render_markdown(doc), render_html(doc), render_text(doc)):
        near = text.index(strings.UI_RESULTS_LOCAL)
        assert near < text.index("Tiers-lieu de l") < text.index(strings.UI_RESULTS_REGIONAL)
        assert "tiers-lieu.example.org/qui-sommes-nous" in text
        assert "02/11/2026" in text
    assert CHECKED in render_text(doc).replace("\xa0", " ")  # no-break spaces (typography)


def test_a_phone_or_email_is_shown_only_when_the_pack_gives_it(with_pack: Catalog) -> None:
    rec = recommend(with_pack, creuse(["tester-activite", "isolement"]))
    assert {"cae-exemple", "tiers-lieu-exemple"} <= {p.contact.id for p in rec.contacts}
    doc = build(with_pack, rec, [], dt.datetime(2026, 11, 27))
    for shown in (render_markdown(doc), render_html(doc), render_text(doc)):
        text = shown.replace("\xa0", " ")  # French typography's no-break spaces
        assert "Courriel : contact@cae.example.org" in text
        assert text.count("Courriel") == 1 and "Téléphone" not in text


# --- coverage --------------------------------------------------------------------------


def test_coverage_lists_the_needs_without_a_local_contact(with_pack: Catalog) -> None:
    assert pack_regions(with_pack) == ["75"]
    found = {g.departement: g.missing for g in gaps(with_pack)}
    assert set(found) == {
        c for c, d in with_pack.territories.departements.items() if d.region == "75"
    }
    assert "isolement" not in found["23"] and "lieux-ressources" not in found["23"]
    assert "financement" in found["23"]
    assert "tester-activite" not in found["87"] and "isolement" in found["87"]
    assert found["16"] == tuple(with_pack.needs)
    lines = report_lines(with_pack)
    assert lines[0] == strings.COVERAGE_TITLE.format(region="Nouvelle-Aquitaine", code="75")
    assert "  Charente (16) : aucun contact local" in lines
    assert any(
        line.startswith("  Creuse (23) : aucun contact local pour besoins-territoire")
        for line in lines
    )
    assert lines[-1] == plural(strings.COVERAGE_SUMMARY, 12, total=12)


def test_coverage_without_packs_says_so(catalog: Catalog) -> None:
    assert gaps(catalog) == []
    assert report_lines(catalog) == [strings.COVERAGE_NONE]


def test_check_local_prints_the_coverage_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--local", str(PACKS / "remplace"), "--local", str(EXEMPLE)]) == 0
    out = capsys.readouterr().out
    assert "warning: « france-tiers-lieux » remplace le contact" in out
    assert "Couverture des contacts locaux, région Nouvelle-Aquitaine (75) :" in out
    assert main(["check", "--local", str(PACKS / "casse-refs")]) == 1
    out = capsys.readouterr().out
    assert "casse-refs/contacts.yaml:8:" in out and "Couverture" not in out


# --- every command, serve and replay --------------------------------------------------


Command = tuple[tuple[str, ...], argparse.ArgumentParser]


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[Command]:
    """Every command and sub-command, with its parser."""
    found: list[Command] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(((*prefix, name), sub))
                found.extend(_commands(sub, (*prefix, name)))
    return found


def _required(parser: argparse.ArgumentParser) -> list[str]:
    """Values for a command's required arguments."""
    out: list[str] = []
    for action in parser._actions:
        if (
            not action.option_strings
            and not isinstance(action, argparse._SubParsersAction)
            and action.nargs not in ("?", "*")
        ):
            out.append("x")
        elif action.option_strings and action.required:
            out += [action.option_strings[0], "7d" if "older" in action.dest else "x"]
    return out


def test_every_command_accepts_local_before_and_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONSEILLER_LOCAL", raising=False)
    commands = _commands(build_parser())
    names = {c[0] for c, _ in commands}
    assert {
        "check",
        "replay",
        "kiosk",
        "serve",
        "advisor",
        "stats",
        "contacts",
        "sessions",
        "match",
        "graph",
        "schema",
        "unmatched",
    } <= names
    for path, sub in commands:
        if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
            continue  # `sessions` and `contacts` need their action: tested through it
        args = parse_args(["--local", "a", *path, "--local", "b", *_required(sub)])
        assert args.local == [Path("a"), Path("b")], path
    assert parse_args([]).local == []


def test_conseiller_local_names_packs_when_no_local_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSEILLER_LOCAL", "un:deux")
    assert parse_args(["check"]).local == [Path("un"), Path("deux")]
    assert parse_args(["check", "--local", "trois"]).local == [Path("trois")]


def test_serve_passes_the_packs_to_each_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONSEILLER_LOCAL", raising=False)
    for argv in (["serve", "--local", str(EXEMPLE)], ["serve", "--kiosk", "--local", "p"]):
        args = parse_args(argv)
        command = command_for(args)
        assert command[:3] == [sys.executable, "-m", "conseiller"]
        child = parse_args(command[3:])
        assert child.local == [Path(argv[-1]).resolve()]


def test_replay_reads_the_packs_of_a_scenario_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONSEILLER_LOCAL", raising=False)
    assert main(["replay", str(SCENARIO), "--json"]) == 0
    contacts = json.loads(capsys.readouterr().out)["contacts"]
    local = next(c for c in contacts if c["id"] == "tiers-lieu-exemple")
    assert local["scope"] == "departemental" and local["checked_on"] == "2026-11-02"
    assert local["source"].startswith("https://tiers-lieu.example.org")
