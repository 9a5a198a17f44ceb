"""The take-away document: one order of contacts for every front, safe and plain renderings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

from conseiller.catalog import Catalog
from conseiller.recommend import recommend
from conseiller.report import _md, build, group_contacts, render_html, render_markdown, render_text
from conseiller.typography import french

WHEN = dt.datetime(2026, 11, 27, 10, 0)


def _local_catalog(catalog: Catalog) -> Catalog:
    """The shipped catalog plus one contact covering the Creuse only (a test pack)."""
    base = catalog.contacts["france-active"]
    local = base.model_copy(
        update={
            "id": "test-local-creuse",
            "name": "Association de test (Creuse)",
            "roles": [],  # serves everyone: this test is about the order only
            "stages": [],
            "coverage": base.coverage.model_copy(
                update={"national": False, "departements": ["23"]}
            ),
        }
    )
    return dataclasses.replace(catalog, contacts={**catalog.contacts, local.id: local})


def test_contacts_near_the_person_come_first_then_the_region(catalog: Catalog) -> None:
    cat = _local_catalog(catalog)
    rec = recommend(
        cat,
        {
            "role": "porteur",
            "stade": "idee",
            "departement": "23",
            "region": "75",
            "besoins": ["financement", "isolement"],
        },
    )
    groups = group_contacts(cat, rec)
    keys = [g.key for g in groups]
    assert keys[:2] == ["local", "region"]
    assert [p.contact.id for p in groups[0].picks] == ["test-local-creuse"]
    assert all(p.contact.regional_entry for p in groups[1].picks)
    needs = [k for k in keys if k not in ("local", "region", "other")]
    assert needs == [n for n in rec.needs if n in needs]  # the person's order
    shown = [p.contact.id for g in groups for p in g.picks]
    assert sorted(shown) == sorted(p.contact.id for p in rec.contacts)  # none lost or doubled


def test_every_rendering_shows_the_same_groups_and_sources(catalog: Catalog) -> None:
    rec = recommend(
        catalog,
        {
            "role": "porteur",
            "stade": "idee",
            "departement": "23",
            "region": "75",
            "besoins": ["isolement"],
        },
    )
    doc = build(catalog, rec, [("Où ?", "Creuse (23)")], WHEN)
    md, page, text = render_markdown(doc), render_html(doc), render_text(doc)
    for group in doc.groups:
        shown = french(group.title)  # in French typography, like every rendered text
        assert shown in text and html.escape(shown) in page
    first = doc.groups[0].picks[0].contact
    assert french(first.source)[:40] in text and "vérifié le" in md
    assert "Creuse (23)" in md  # no needless escapes
    assert catalog.about.report.split()[0] in text  # where to report an error


def test_markdown_escapes_only_what_could_become_markup() -> None:
    assert _md("[lien](http://x.fr)") == "\\[lien\\](http://x.fr)"
    assert _md("# titre") == "\\# titre" and _md("1. un") == "\\1. un"
    assert _md("<script>") == "\\<script\\>" and _md("a*b_c") == "a\\*b\\_c"
    assert _md("Creuse (23), Saint-Brieuc.") == "Creuse (23), Saint-Brieuc."
