"""Core speed: load + check of a synthetic 2,000-node flow, and `conseiller check` wall time.

Run: .venv/bin/python benchmarks/bench_core.py
Goals: synthetic load + check <= 0.5 s; `conseiller check` on shipped content <= 0.3 s (set
before the advice checks of issue 13 and the safety patterns of issue 18; now about 0.4 s).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conseiller.catalog import load_catalog
from conseiller.checks import check_catalog
from conseiller.paths import shipped_dir

#: The public profile questions every flow must have once (the slot contract `check` enforces).
PROFILE_NODES = """\
  - id: p-role
    kind: choice
    slot: role
    profile: role
    text: Qui êtes-vous ?
    optional: true
    options:
      - {id: porteur, label: Porteur}
      - {id: collectivite, label: Collectivité}
      - {id: accompagnateur, label: Accompagnateur}
    next: p-stade
  - id: p-stade
    kind: choice
    slot: stade
    profile: stade
    when: {not: {role: collectivite}}
    text: Où en est le projet ?
    optional: true
    options:
      - {id: idee, label: Idée}
      - {id: creation, label: Création}
      - {id: developpement, label: Développement}
    next: p-dept
  - id: p-dept
    kind: text
    slot: departement
    profile: departement
    match: departement
    text: Quel département ?
    optional: true
    next: p-texte
  - id: p-texte
    kind: text
    slot: besoins_texte
    match: needs
    text: De quoi avez-vous besoin ?
    optional: true
    next: p-besoins
  - id: p-besoins
    kind: confirm
    slot: besoins
    profile: besoins
    source: besoins_texte
    text: C'est bien ça ?
    next: q0
"""
PROFILE_COUNT = 5


def synthetic_flow(nodes: int) -> str:
    """The profile questions, then a chain of choice questions with side branches that join
    again, then an end: `nodes` nodes in all."""
    lines = ["id: synthetique", "title: Parcours synthétique", "start: p-role", "nodes:"]
    lines.append(PROFILE_NODES.rstrip("\n"))
    for i in range(nodes - 1 - PROFILE_COUNT):
        nxt = f"q{i + 1}" if i + 1 < nodes - 1 - PROFILE_COUNT else "fin"
        lines += [
            f"  - id: q{i}",
            "    kind: choice",
            f"    slot: s{i}",
            "    optional: true",
            f"    text: Question numéro {i} ?",
            "    when: {role: [porteur, collectivite, accompagnateur, none]}",
            "    options:",
            f"      - {{id: a, label: Réponse A, next: {nxt}}}",
            f"      - {{id: b, label: Réponse B, next: {nxt}}}",
            f"    next: {nxt}",
        ]
    lines += ["  - id: fin", "    kind: end", "    text: Fin."]
    return "\n".join(lines) + "\n"


def bench_synthetic(nodes: int = 2000, runs: int = 5) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        flows = Path(tmp) / "flows"
        shutil.copytree(shipped_dir("flows"), flows)
        (flows / "synthetique.yaml").write_text(synthetic_flow(nodes), encoding="utf-8")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            catalog = load_catalog(flows_dir=flows)
            problems = check_catalog(catalog)
            times.append(time.perf_counter() - start)
        assert len(catalog.flows["synthetique"].nodes) == nodes
        assert not [p for p in problems if p.level == "error"], problems[:3]
    return statistics.median(times)


def bench_check_command(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "conseiller", "check"], check=True, capture_output=True
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    synthetic = bench_synthetic()
    print(f"load + check, synthetic 2,000-node flow: {synthetic:.3f} s (goal <= 0.5 s)")
    command = bench_check_command()
    print(f"`conseiller check` on shipped content, whole process: {command:.3f} s (goal <= 0.3 s)")


if __name__ == "__main__":
    main()
