"""Each kind of broken file gives one clear, located message (file:line:col, field, hint)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conseiller.catalog import load_catalog
from conseiller.loader import ContentError, parse_yaml, parse_yaml_text
from conseiller.paths import shipped_dir

BROKEN = Path(__file__).parent.parent / "data" / "broken"


def load_with_flow(tmp_path: Path, name: str) -> ContentError:
    flows = tmp_path / "flows"
    flows.mkdir()
    shutil.copy(shipped_dir("flows") / "principal.yaml", flows)
    shutil.copy(BROKEN / name, flows / name)
    with pytest.raises(ContentError) as err:
        load_catalog(flows_dir=flows)
    return err.value


@pytest.mark.parametrize(
    ("name", "line", "col", "message"),
    [
        ("syntax.yaml", 7, 10, "YAML invalide : « : » inattendu (vérifiez l'indentation)"),
        ("unknown_field.yaml", 8, 5, "nodes.0.nxt : champ inconnu (vouliez-vous dire « next » ?)"),
        ("missing_field.yaml", 5, 5, "nodes.0.text : champ obligatoire manquant"),
        ("bad_kind.yaml", 5, 5, "nodes.0 : type de nœud inconnu « question »"),
        ("alias_bomb.yaml", 1, 1, "trop d'éléments une fois les alias YAML dépliés"),
        ("python_tag.yaml", 1, 5, "YAML invalide : étiquette YAML interdite (!!python"),
        ("bad_condition.yaml", 8, 5, "nodes.0.when : « any » attend une liste de conditions"),
    ],
)
def test_broken_flow_message(tmp_path: Path, name: str, line: int, col: int, message: str) -> None:
    problems = load_with_flow(tmp_path, name).problems
    first = problems[0]
    assert first.path.endswith(name)
    assert (first.line, first.col) == (line, col), str(first)
    assert message in first.message
    assert str(first).startswith(f"{first.path}:{line}:{col}: error: ")


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "huge.yaml").write_text("a: " + "x" * (3 * 1024 * 1024), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_catalog(flows_dir=flows)
    assert "trop gros" in err.value.problems[0].message


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "latin1.yaml").write_bytes("id: caf\xe9".encode("latin-1"))
    with pytest.raises(ContentError) as err:
        load_catalog(flows_dir=flows)
    assert "UTF-8" in err.value.problems[0].message


def test_missing_content_file_is_named(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    (content / "formats.yaml").unlink()
    with pytest.raises(ContentError) as err:
        load_catalog(content, flows)
    assert "fichier manquant : formats.yaml" in err.value.problems[0].message


def test_content_errors_name_the_field(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    path = content / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("website: https://avise.org", "website: avise.org", 1)
    path.write_text(
        re.sub(r"checked_on: '[0-9-]+'", "checked_on: hier", text, count=1), encoding="utf-8"
    )
    with pytest.raises(ContentError) as err:
        load_catalog(content, flows)
    messages = [p.message for p in err.value.problems]
    assert "contacts.0.website : « avise.org » n'a pas la bonne forme" in messages
    assert "contacts.0.checked_on : une date AAAA-MM-JJ attendu" in messages


def test_every_problem_of_every_file_is_reported_at_once(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    (content / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    (content / "needs.yaml").write_text("needs:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_catalog(content, flows)
    paths = {Path(p.path).name for p in err.value.problems}
    assert paths == {"rules.yaml", "needs.yaml"}


def test_positions_point_at_keys_and_items() -> None:
    doc = parse_yaml_text("a:\n  b:\n    - x\n    - y: 1\n", "t.yaml")
    assert doc.positions.at(("a", "b", 1, "y")) == (4, 7)
    assert doc.positions.at(("a", "zzz")) == (1, 1)


def test_a_key_written_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    # YAML itself keeps the last one silently: an author's first entry would vanish.
    path = tmp_path / "needs.yaml"
    path.write_text("language:\n  sms:\n    jsp: je sais pas\n    jsp: je suis pas\n")
    with pytest.raises(ContentError) as caught:
        parse_yaml(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.col) == (4, 5)
    assert "jsp" in problem.message
