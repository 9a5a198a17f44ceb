"""The wheel carries the content: `pip install .` in an empty venv, then `check` elsewhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installed_wheel_checks_its_shipped_content(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", str(ROOT)], check=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "conseiller"), "check"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aucun problème" in result.stdout
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "conseiller", "match", "je cherche des bénévoles"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "equipe-benevoles" in result.stdout
    site = next((venv / "lib").glob("python3*/site-packages/conseiller/_data/flows"))
    assert (site / "principal.yaml").is_file()
