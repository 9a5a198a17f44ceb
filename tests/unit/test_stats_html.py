"""`conseiller stats --html`: the territorial report follows the statistics rule; it is readable."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET  # our own output, not untrusted
from html import escape
from pathlib import Path

import pytest

from conseiller.catalog import Catalog
from conseiller.cli import main
from conseiller.stats import Stats
from conseiller.stats_html import render
from conseiller.unmatched import UnmatchedLog

NOV = dt.date(2026, 11, 3)
DEC = dt.date(2026, 12, 1)
THEME_PHRASE = "je cherche un local pour mon atelier de poterie"
RARE_PHRASE = "zorglub fictif"


def _fill(folder: Path, db: str) -> tuple[Stats, UnmatchedLog]:
    stats = Stats(folder, db=db, site="L'Atelier (Guéret)")
    for _ in range(12):
        stats.record(["isolement"], ["dla"], "23", day=NOV)
    for _ in range(7):
        stats.record(["financement"], [], "87", day=DEC)
    stats.record(["local-foncier"], [], "19", day=DEC)
    log = UnmatchedLog(folder, db=db)
    for _ in range(6):
        log.record(THEME_PHRASE)
    for _ in range(2):
        log.record(RARE_PHRASE)
    return stats, log


def test_the_report_shows_rounded_counts_and_themes_never_phrases(
    tmp_path: Path, catalog: Catalog
) -> None:
    stats, log = _fill(tmp_path, f"sqlite:///{tmp_path / 'base.sqlite3'}")
    with stats._db.transaction() as conn:  # written by another program: still only text
        conn.execute(
            "INSERT INTO counters VALUES ('<b>Borne</b> & Cie', '2026-12', 'visits', '', 1)"
        )
    page = render(stats, catalog, unmatched=log.counts(), today=dt.date(2026, 12, 2))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<script" not in page.lower() and " on" + "load=" not in page.lower()
    assert THEME_PHRASE not in page and RARE_PHRASE not in page  # never a phrase
    assert "&lt;b&gt;Borne&lt;/b&gt; &amp; Cie" in page and "<b>Borne" not in page
    numbers = set(re.findall(r">(\d+)<", page))
    assert {"10", "5"} <= numbers and "Visites terminées : 20." in page  # 12, 7, 21 in all
    assert not {"12", "7", "6", "1", "2"} & numbers  # never a true count that is not rounded
    labels = {n.label for n in catalog.needs.values()}
    theme_section = page[page.index("Thèmes des demandes") :]
    assert any(label in theme_section for label in labels)  # the theme: the nearest need
    assert "02/12/2026" in page and "Mois comptés : novembre 2026, décembre 2026." in page
    by_dep = page[page.index("Besoins choisis, département par département") :]
    by_dep = by_dep[: by_dep.index("</figure>")]
    isolement = catalog.needs["isolement"].label
    assert f'<th scope="row">{escape(isolement)}</th><td class="n">10</td>' in by_dep


def test_every_chart_has_a_title_a_description_and_a_table(
    tmp_path: Path, catalog: Catalog
) -> None:
    stats, log = _fill(tmp_path, f"sqlite:///{tmp_path / 'base.sqlite3'}")
    page = render(stats, catalog, unmatched=log.counts())
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(charts) >= 5
    for chart in charts:
        root = ET.fromstring(chart)  # noqa: S314 - well-formed SVG (ours)
        assert root.get("role") == "img" and root.get("aria-labelledby")
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
    assert page.count("<table>") == len(charts) and page.count("<caption>") == len(charts)
    assert "@media print" in page


def test_stats_html_command_writes_a_private_page(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(tmp_path, db)
    out = tmp_path / "rapport.html"
    assert main(["stats", "--db", db, "--html", str(out)]) == 0
    assert "Rapport écrit" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "Les besoins exprimés sur le territoire" in page and THEME_PHRASE not in page
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_months_are_named_and_one_hidden_row_is_said_in_the_singular() -> None:
    from conseiller.stats_html import _hidden_note, month_name

    assert month_name("2026-06") == "juin 2026"
    assert month_name("2026-13") == "2026-13"
    assert "1 autre :" in _hidden_note(1)
    assert "3 autres :" in _hidden_note(3)
    assert "(s)" not in _hidden_note(3)
