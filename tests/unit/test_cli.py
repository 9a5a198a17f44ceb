"""The command line: exit codes, messages without tracebacks, JSON shapes, no Textual import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conseiller.cli import main


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conseiller", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "aucun problème" in capsys.readouterr().out


def test_check_reports_errors_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "f.yaml").write_text(
        "id: f\ntitle: F\nstart: a\nnodes:\n  - {id: a, kind: message, text: x, next: b}\n"
        "  - {id: c, kind: end, text: fin}\n",
        encoding="utf-8",
    )
    assert main(["check", "--flows", str(flows)]) == 1
    out = capsys.readouterr().out
    assert "f.yaml:5:" in out and "error: nœud « b » inconnu" in out


def test_replay_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(
        tmp_path, "role: porteur\nstade: idee\ndepartement: creuze\nbesoins: je me sens seule\n"
    )
    assert main(["replay", str(answers), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["departement"] == "23"
    assert data["profile"]["region"] == "75"
    assert data["needs"] == ["isolement"]
    assert {"id", "title", "why"} <= set(data["formats"][0])
    contact = data["contacts"][0]
    assert {"id", "name", "website", "scope", "regions", "departements", "why"} <= set(contact)
    assert data["transcript"][0]["node"] == "accueil"


def test_replay_unknown_departement_fails_cleanly(tmp_path: Path) -> None:
    answers = write(tmp_path, "role: porteur\nstade: idee\ndepartement: atlantis\n")
    result = run("replay", str(answers), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("departement : Je ne connais pas le département")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_replay_unknown_role_fails_cleanly(tmp_path: Path) -> None:
    result = run("replay", str(write(tmp_path, "role: astronaute\n")))
    assert result.returncode == 2
    assert result.stderr.startswith("role : Je n'ai pas compris « astronaute »")


def test_replay_missing_required_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the mini flow's role question is required
    flows = Path(__file__).parent.parent / "data" / "good"
    answers = write(tmp_path, "besoins: [financement]\n")
    with pytest.raises(SystemExit) as err:
        main(["replay", str(answers), "--flows", str(flows)])
    assert err.value.code == 2
    assert capsys.readouterr().err.startswith("role : réponse manquante")


def test_replay_warns_about_unused_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "role: collectivite\nstade: idee\ncouleur: bleu\n")
    assert main(["replay", str(answers)]) == 0
    err = capsys.readouterr().err
    assert "stade : ce parcours ne pose pas cette question" in err
    assert "couleur" in err


def test_replay_of_a_broken_answer_file(tmp_path: Path) -> None:
    result = run("replay", str(write(tmp_path, "role: [porteur\n")))
    assert result.returncode == 2
    assert "answers.yaml:" in result.stderr and "Traceback" not in result.stderr
    result = run("replay", str(write(tmp_path, "- porteur\n")))
    assert result.returncode == 2
    assert "table" in result.stderr


def test_match_jsonl_one_line_per_input_in_order() -> None:
    result = run("match", "--jsonl", stdin="je cherche des sous\nbonjour\n\nje veux me suicider\n")
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["text"] for x in lines] == [
        "je cherche des sous",
        "bonjour",
        "",
        "je veux me suicider",
    ]
    assert lines[0]["matches"][0]["need"] == "financement"
    assert lines[0]["matches"][0]["likely"] is True  # what the UIs pre-select
    assert lines[1]["matches"] == [] and lines[2]["matches"] == []
    assert lines[3]["urgence"] is True and lines[3]["matches"] == []
    assert lines[3]["alerts"] == ["suicide"]


def test_match_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "on", "cherche", "des", "bénévoles"]) == 0
    assert "equipe-benevoles" in capsys.readouterr().out
    assert main(["match", "qwerty"]) == 0
    assert "je préfère ne pas deviner" in capsys.readouterr().out


def test_graph_mermaid_and_dot(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph"]) == 0
    mermaid = capsys.readouterr().out
    assert mermaid.startswith("flowchart TD")
    assert "n_role -->" in mermaid
    assert main(["graph", "principal", "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith('digraph "principal"') and '"role" -> ' in dot


def test_graph_unknown_flow(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["graph", "principl"])
    assert "vouliez-vous dire « principal »" in capsys.readouterr().err


def test_schema_writes_json_schemas(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    flow = json.loads((tmp_path / "flow.schema.json").read_text(encoding="utf-8"))
    assert "nodes" in flow["properties"]
    assert (tmp_path / "contacts.schema.json").is_file()


def test_broken_content_exits_2_without_traceback(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "x.yaml").write_text("id: [\n", encoding="utf-8")
    result = run("match", "--flows", str(flows), "bonjour")
    assert result.returncode == 2
    assert "x.yaml:" in result.stderr and "Traceback" not in result.stderr


CORE_PROBE = """
import sys
from conseiller import cli, catalog, checks, engine, matching, recommend, replay, report
from conseiller import territory, graph, describe
sys.argv = ["conseiller", "check"]
try:
    cli.main(["check"]); cli.main(["match", "bonjour"])
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m == "textual" or m.startswith("textual.")))
"""


def test_core_and_cli_never_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CORE_PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_unmatched_phrases_are_kept_only_when_asked(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run("match", "--data", str(data), "blabla incompréhensible")
    assert not data.exists()
    run(
        "match",
        "--jsonl",
        "--log-unmatched",
        "--data",
        str(data),
        stdin="blabla incompréhensible\nje cherche des sous\nblabla incompréhensible\n",
    )
    listed = run("unmatched", "--data", str(data), "--json")
    rows = json.loads(listed.stdout)
    assert [(r["phrase"], r["count"]) for r in rows] == [("blabla incompréhensible", 2)]
    assert set(rows[0]) == {"phrase", "count", "first_day", "last_day"}
    text = run("unmatched", "--data", str(data)).stdout
    assert "2" in text and "blabla incompréhensible" in text


def test_sessions_from_replay_listed_shown_exported_deleted_purged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    scenario = Path(__file__).parent.parent / "scenarios" / "05-employeur-en-difficulte.yaml"
    saved = run("replay", str(scenario), "--json", "--save", "--data", str(data))
    assert saved.returncode == 0, saved.stderr
    session = json.loads(saved.stdout)["session"]
    listed = json.loads(run("sessions", "list", "--json", "--data", str(data)).stdout)
    assert [(r["id"], r["finished"], r["source"]) for r in listed] == [(session, True, "replay")]
    shown = json.loads(run("sessions", "show", session, "--json", "--data", str(data)).stdout)
    assert shown["needs"] == ["consolider-structure"]
    assert shown["formats"][0]["id"] == "dla" and shown["formats"][0]["rules"]
    assert "trésorerie" in shown["own_words"]
    out = tmp_path / "out"
    exported = run("sessions", "export", session, "--out", str(out), "--data", str(data))
    assert exported.returncode == 0
    sheet = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "Fiche de liaison" in sheet and "trésorerie" in sheet
    assert "Dispositif local d'accompagnement" in sheet
    deleted = run("sessions", "delete", session, "--data", str(data))
    assert deleted.returncode == 0
    assert json.loads(run("sessions", "list", "--json", "--data", str(data)).stdout) == []
    again = run("sessions", "delete", session, "--data", str(data))
    assert again.returncode == 2 and "Session inconnue" in again.stderr
    run("replay", str(scenario), "--save", "--data", str(data))
    purged = run("sessions", "purge", "--older-than", "0d", "--yes", "--data", str(data))
    assert "1 session supprimée." in purged.stdout
    bad = run("sessions", "purge", "--older-than", "bientôt", "--data", str(data))
    assert bad.returncode == 2 and "incomprise" in bad.stderr


def test_advisor_notes_only_in_the_advisor_export(tmp_path: Path) -> None:
    from conseiller.store import Store

    data = tmp_path / "data"
    scenario = Path(__file__).parent.parent / "scenarios" / "01-isolee-idee-creuse.yaml"
    session = json.loads(
        run("replay", str(scenario), "--json", "--save", "--data", str(data)).stdout
    )["session"]
    Store(data).save_notes(session, "NOTE PRIVÉE : rappeler mardi")
    run("sessions", "export", session, "--out", str(tmp_path / "fiche"), "--data", str(data))
    run(
        "sessions",
        "export",
        session,
        "--advisor",
        "--out",
        str(tmp_path / "moi"),
        "--data",
        str(data),
    )
    for path in (tmp_path / "fiche").iterdir():
        assert "NOTE PRIVÉE" not in path.read_text(encoding="utf-8")
    for path in (tmp_path / "moi").iterdir():
        assert "NOTE PRIVÉE" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command", [["kiosk"], ["serve"], ["advisor"], ["sessions", "list"], ["check"], []]
)
def test_common_options_before_or_after_the_command(command: list[str]) -> None:
    """`conseiller --data D kiosk` (what `serve` runs) must not lose D, nor the reverse."""
    from conseiller.cli import parse_args

    before = parse_args(["--data", "/d", "--flows", "/f", *command])
    assert (before.data, str(before.flows)) == ("/d", "/f")
    if command:
        after = parse_args([*command, "--data", "/d"])
        assert after.data == "/d"
    neither = parse_args(command)
    assert (neither.data, neither.flows, neither.content) == (None, None, None)


def test_kiosk_finds_its_pin_with_data_before_the_command(tmp_path: Path) -> None:
    result = run("--data", str(tmp_path), "kiosk", "--help")
    assert result.returncode == 0
    result = run("--data", str(tmp_path), "kiosk")
    assert "--set-pin" in result.stderr  # no PIN in this (empty) folder: refused, and says so
    from conseiller.kiosk import set_pin

    set_pin(tmp_path, "2468")
    result = run("--data", str(tmp_path), "sessions", "list")
    assert result.returncode == 0


def test_the_command_line_speaks_french_and_knows_its_version() -> None:
    shown = run("--help")
    assert shown.stdout.startswith("utilisation : conseiller")
    assert "afficher cette aide et quitter" in shown.stdout and "show this" not in shown.stdout
    assert run("--version").stdout.startswith("conseiller ")
    wrong = run("--theme", "bleu")
    assert wrong.returncode == 2
    assert "erreur : argument --theme : choix inconnu : 'bleu'" in wrong.stderr
    assert "contraste-eleve" in wrong.stderr


def test_every_theme_name_has_a_theme() -> None:
    from conseiller.cli import THEME_NAMES
    from conseiller.tui.app import THEMES

    assert set(THEMES) == set(THEME_NAMES)
