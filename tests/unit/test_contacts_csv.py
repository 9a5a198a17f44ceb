"""Spreadsheets to territory packs and back: every row checked, nothing written on an error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conseiller.catalog import load_catalog
from conseiller.cli import main

HEADER_FR = "nom;description;site;départements;besoins;formats;source;vérifié le;vérifié"
ROW_LIEU = (
    "Tiers-lieu de l'Exemple;Un tiers-lieu fictif, pour les tests.;"
    "tiers-lieu.example.org;23;isolement, lieux ressources;tiers-lieu;"
    "https://tiers-lieu.example.org (données de test);02/11/2026;oui"
)
ROW_CAE = (
    'Coopérative de l\'Exemple;Une CAE fictive.;https://cae.example.org;"1; 87";'
    "tester-activite;cae;https://cae.example.org (données de test);2026-10-15;non"
)


def csv_file(
    tmp_path: Path, lines: list[str], *, encoding: str = "utf-8", name: str = "annuaire.csv"
) -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def pack_contacts(folder: Path) -> list[dict[str, object]]:
    data = yaml.safe_load((folder / "contacts.yaml").read_text(encoding="utf-8"))
    contacts: list[dict[str, object]] = data["contacts"]
    return contacts


# --- import ----------------------------------------------------------------------------


def test_a_libreoffice_export_becomes_a_pack_the_advisor_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = csv_file(tmp_path, [HEADER_FR, ROW_LIEU, ROW_CAE], encoding="utf-8-sig")
    pack = tmp_path / "pack"
    code, out, err = run(capsys, "contacts", "import", str(source), "--out", str(pack))
    assert code == 0, err
    assert "2 ajoutés" in out
    lieu, cae = pack_contacts(pack)
    assert lieu["id"] == "tiers-lieu-de-l-exemple"
    assert lieu["website"] == "https://tiers-lieu.example.org"
    assert lieu["needs"] == ["isolement", "lieux-ressources"]
    assert lieu["checked_on"] == "2026-11-02" and lieu["verified"] is True
    assert cae["coverage"] == {"departements": ["01", "87"]}  # "1" is "01"
    assert cae["verified"] is False and cae["kind"] == "reseau"
    assert "phone" not in lieu and "email" not in lieu  # never invented
    catalog = load_catalog(local=[pack])
    assert catalog.contacts["cooperative-de-l-exemple"].name == "Coopérative de l'Exemple"


def test_windows_1252_with_commas_and_english_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = csv_file(
        tmp_path,
        [
            "id,name,kind,description,website,departements,regions,needs,formats,source,"
            "checked_on,verified,phone,email",
            "cae-ex,Coopérative d'Exemple,reseau,Une CAE fictive.,https://cae.example.org,"
            '"23;87",,"tester-activite;statut-juridique",cae,https://cae.example.org,'
            "27/10/2026,vrai,00 00 00 00 00,contact@cae.example.org",
        ],
        encoding="cp1252",
    )
    pack = tmp_path / "pack"
    code, _, err = run(capsys, "contacts", "import", str(source), "--out", str(pack))
    assert code == 0, err
    [cae] = pack_contacts(pack)
    assert cae["id"] == "cae-ex" and cae["name"] == "Coopérative d'Exemple"
    assert cae["needs"] == ["tester-activite", "statut-juridique"]
    assert (cae["phone"], cae["email"]) == ("00 00 00 00 00", "contact@cae.example.org")
    assert cae["checked_on"] == "2026-10-27" and cae["verified"] is True


def test_round_trip_import_export_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "premier"
    source = csv_file(tmp_path, [HEADER_FR, ROW_LIEU, ROW_CAE])
    assert run(capsys, "contacts", "import", str(source), "--out", str(first))[0] == 0
    exported = tmp_path / "export.csv"
    code, out, _ = run(
        capsys, "contacts", "export", "--local", str(first), "--csv", "--out", str(exported)
    )
    assert code == 0 and "2 contacts" in out
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the accents
    second = tmp_path / "second"
    assert run(capsys, "contacts", "import", str(exported), "--out", str(second))[0] == 0
    assert pack_contacts(first) == pack_contacts(second)
    code, again, _ = run(capsys, "contacts", "export", "--local", str(second), "--csv")
    assert code == 0
    assert again == exported.read_bytes().decode("utf-8-sig")
    assert again.splitlines()[0].startswith("id;nom;type;description;site;départements")


def test_export_never_writes_a_formula_and_reads_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "premier"
    source = csv_file(tmp_path, [HEADER_FR, ROW_LIEU.replace("Un tiers-lieu", "=1+1 tiers-lieu")])
    assert run(capsys, "contacts", "import", str(source), "--out", str(first))[0] == 0
    code, text, _ = run(capsys, "contacts", "export", "--local", str(first), "--csv")
    assert code == 0 and ";'=1+1 tiers-lieu" in text
    again = csv_file(tmp_path, text.splitlines(), name="export.csv")
    second = tmp_path / "second"
    assert run(capsys, "contacts", "import", str(again), "--out", str(second))[0] == 0
    assert pack_contacts(second)[0]["description"] == pack_contacts(first)[0]["description"]


def test_reimport_updates_with_stable_ids_and_keeps_what_the_sheet_has_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    source = csv_file(tmp_path, [HEADER_FR, ROW_LIEU, ROW_CAE])
    assert run(capsys, "contacts", "import", str(source), "--out", str(pack))[0] == 0
    text = (pack / "contacts.yaml").read_text(encoding="utf-8")
    (pack / "contacts.yaml").write_text(
        text.replace("  verified: true\n", "  verified: true\n  when: {role: porteur}\n", 1),
        encoding="utf-8",
    )
    changed = csv_file(tmp_path, [HEADER_FR, ROW_LIEU.replace("fictif", "imaginaire")])
    code, out, _ = run(capsys, "contacts", "import", str(changed), "--out", str(pack))
    assert code == 0
    assert "1 mis à jour" in out and "1 retiré." in out
    [lieu] = pack_contacts(pack)
    assert lieu["id"] == "tiers-lieu-de-l-exemple"
    assert "imaginaire" in str(lieu["description"])
    assert lieu["when"] == {"role": "porteur"}


def test_dry_run_shows_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = csv_file(tmp_path, [HEADER_FR, ROW_LIEU])
    pack = tmp_path / "pack"
    code, out, _ = run(capsys, "contacts", "import", str(source), "--out", str(pack), "--dry-run")
    assert code == 0
    assert "id: tiers-lieu-de-l-exemple" in out and "rien n'est écrit" in out
    assert not pack.exists()


def test_a_shipped_id_is_replaced_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = csv_file(tmp_path, ["id;" + HEADER_FR, "avise;" + ROW_LIEU])
    code, _, err = run(capsys, "contacts", "import", str(source), "--out", str(tmp_path / "p"))
    assert code == 0
    assert "annuaire.csv:2: attention : « avise » remplacera le contact fourni" in err


def test_excel_sep_line_is_understood(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = csv_file(tmp_path, ["sep=;", HEADER_FR, ROW_LIEU, ROW_LIEU])
    code, _, err = run(capsys, "contacts", "import", str(source), "--out", str(tmp_path / "p"))
    assert code == 2
    assert "annuaire.csv:4: identifiant « tiers-lieu-de-l-exemple » déjà pris ligne 3" in err


def test_export_needs_a_pack(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONSEILLER_LOCAL", raising=False)
    code, _, err = run(capsys, "contacts", "export", "--csv")
    assert code == 2 and "--local" in err


# --- every bad file: located, nothing written, exit 2 ----------------------------------

BAD: dict[str, tuple[list[str], str]] = {
    "unknown-header": (
        [HEADER_FR.replace("site", "sitte"), ROW_LIEU],
        "annuaire.csv:1: colonne « sitte » inconnue (vouliez-vous dire « site » ?)",
    ),
    "missing-column": (
        [
            HEADER_FR.replace(";source", ""),
            ROW_LIEU.replace(";https://tiers-lieu.example.org (données de test)", ""),
        ],
        "annuaire.csv:1: colonne « source » manquante",
    ),
    "unknown-need": (
        [HEADER_FR, ROW_LIEU, ROW_CAE.replace("tester-activite", "tester-activté")],
        "annuaire.csv:3: besoin « tester-activté » inconnu (vouliez-vous dire "
        "« tester-activite » ?)",
    ),
    "unknown-format": (
        [HEADER_FR, ROW_LIEU.replace(";tiers-lieu;", ";tiers-lieux;")],
        "annuaire.csv:2: format « tiers-lieux » inconnu (vouliez-vous dire « tiers-lieu » ?)",
    ),
    "bad-departement": (
        [HEADER_FR, ROW_LIEU, ROW_CAE.replace('"1; 87"', '"1; 987"')],
        "annuaire.csv:3: département « 987 » inconnu",
    ),
    "bad-date": (
        [HEADER_FR, ROW_LIEU, ROW_CAE.replace("2026-10-15", "15 octobre")],
        "annuaire.csv:3: date « 15 octobre » incomprise",
    ),
    "impossible-date": (
        [HEADER_FR, ROW_LIEU.replace("02/11/2026", "31/02/2026")],
        "annuaire.csv:2: date « 31/02/2026 » incomprise",
    ),
    "future-date": (
        [HEADER_FR, ROW_LIEU.replace("02/11/2026", "02/11/2999")],
        "annuaire.csv:2: date « 02/11/2999 » dans le futur",
    ),
    "empty-required": (
        [HEADER_FR, ROW_LIEU, ROW_CAE.replace("Une CAE fictive.", "")],
        "annuaire.csv:3: « description » est vide",
    ),
    "bad-flag": (
        [HEADER_FR, ROW_LIEU.replace(";oui", ";peut-être")],
        "annuaire.csv:2: « vérifié » : « peut-être » incompris",
    ),
    "duplicate-id": (
        [HEADER_FR, ROW_LIEU, ROW_CAE, ROW_LIEU],
        "annuaire.csv:4: identifiant « tiers-lieu-de-l-exemple » déjà pris ligne 2",
    ),
    "too-many-cells": (
        [HEADER_FR, ROW_LIEU, ROW_CAE.replace("Une CAE fictive.", "Une CAE; fictive.")],
        "annuaire.csv:3: 10 cellules au lieu de 9",
    ),
    "no-separator": (["nom description site", "x"], "annuaire.csv:1: séparateur introuvable"),
    "http-site": (
        [HEADER_FR, ROW_LIEU.replace("tiers-lieu.example.org;", "http://tiers-lieu.example.org;")],
        "annuaire.csv:2: site « http://tiers-lieu.example.org » incorrect",
    ),
    "control-character": (
        [HEADER_FR, ROW_LIEU, ROW_CAE.replace("Une CAE", "Une \x1b[31mCAE")],
        "annuaire.csv:3: « description » contient un caractère de contrôle",
    ),
    "header-only": ([HEADER_FR], "annuaire.csv:2: aucun contact"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_whole_with_its_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines, expected = BAD[case]
    source = csv_file(tmp_path, lines)
    pack = tmp_path / "pack"
    code, out, err = run(capsys, "contacts", "import", str(source), "--out", str(pack))
    assert code == 2
    assert expected in err, err
    assert "Rien n'a été écrit." in err
    assert not pack.exists() and out == ""


def test_a_bad_row_leaves_an_existing_pack_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    good = csv_file(tmp_path, [HEADER_FR, ROW_LIEU, ROW_CAE])
    assert run(capsys, "contacts", "import", str(good), "--out", str(pack))[0] == 0
    before = (pack / "contacts.yaml").read_bytes()
    bad = csv_file(
        tmp_path, [HEADER_FR, ROW_LIEU.replace("02/11/2026", "2026-13-01")], name="nouveau.csv"
    )
    code, _, err = run(capsys, "contacts", "import", str(bad), "--out", str(pack))
    assert code == 2 and "nouveau.csv:2: date « 2026-13-01 »" in err
    assert (pack / "contacts.yaml").read_bytes() == before
    assert sorted(p.name for p in pack.iterdir()) == ["contacts.yaml"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (HEADER_FR.encode() + b"\r\n" + ROW_LIEU.encode("cp1252") + b"\r\nx\x81y;\r\n", 3),
        ("\r\n".join([HEADER_FR, ROW_LIEU]).encode("utf-16"), 1),
        (
            HEADER_FR.encode()
            + b"\r\n"
            + ROW_LIEU.encode()
            + b"\r\n"
            + ROW_CAE.encode("cp1252")
            + b"\r\n",
            3,
        ),
    ],
)
def test_an_unreadable_encoding_is_refused(
    data: bytes, line: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "annuaire.csv"
    source.write_bytes(data)
    pack = tmp_path / "pack"
    code, _, err = run(capsys, "contacts", "import", str(source), "--out", str(pack))
    assert code == 2
    assert f"annuaire.csv:{line}: le fichier" in err, err
    assert "UTF-8" in err and not pack.exists()
