"""The glossary reaches every front: the JSON outcome, the web results page, the text mode."""

from __future__ import annotations

import re
from html import unescape

from aiohttp.test_utils import TestClient, TestServer

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation
from conseiller.glossary import explain
from conseiller.matching import matcher_for
from conseiller.replay import replay
from conseiller.report import Document
from conseiller.schema import Term
from conseiller.web.app import WebFront, glosser
from tests.app.test_web import SECRET, Browser, porteur, walk


def test_outcome_json_lists_the_terms_its_results_use(catalog: Catalog) -> None:
    answers = {
        "role": "porteur",
        "stade": "developpement",
        "departement": "Creuse",
        "besoins": ["financement", "consolider-structure"],
        "employeur": "oui",
    }
    outcome = replay(Conversation(catalog), answers).outcome
    data = outcome.to_json()
    assert data["formats"], "the walk should reach results"
    shown = " ".join(f["why"] + f["title"] for f in data["formats"]) + " ".join(
        c["why"] for c in data["contacts"]
    )
    terms = [g["term"] for g in data["glossary"]]
    assert terms, shown
    assert len(terms) == len(set(terms))
    assert "DLA" in terms  # the DLA is offered to an employer that wants to consolidate
    for entry in data["glossary"]:
        assert entry["definition"] and entry["explained"].startswith(entry["term"])
    # every key the fronts and exports already read is still there
    assert {"profile", "needs", "formats", "contacts", "transcript", "answers"} <= set(data)


def test_a_page_explains_each_term_once_and_escapes_it() -> None:
    term = Term(term="CAE", full="coopérative <d'activité>", definition="Une coopérative & plus.")
    doc = Document("t", "d", (), "", (), (), (), "", "", glossary=(term,))
    glossed = glosser(doc)
    first = str(glossed("Une CAE <b>ici</b> et une CAE là."))
    second = str(glossed("Encore une CAE."))
    assert first.count("<abbr") == 1
    assert "&lt;b&gt;ici&lt;/b&gt;" in first
    title = re.search(r'<abbr title="([^"]*)">CAE</abbr>', first)
    assert title and unescape(title.group(1)) == explain(term)
    assert "<abbr" not in second  # a term is explained at its first use on the page


async def test_web_results_carry_the_words_to_know(catalog: Catalog) -> None:
    front = WebFront(catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        url, page = await walk(Browser(client, front), porteur)
    outcome = front.conversation.outcome(front.state(url.split("t=", 1)[1]))
    assert outcome.glossary
    assert strings.ADV_REP_GLOSSARY in unescape(page)
    section = page.split('id="mots"', 1)[1]
    for term in outcome.glossary:
        assert f"<dt>{term.term}" in unescape(section)
    abbrs = re.findall(r'<abbr title="[^"]+">([^<]+)</abbr>', page)
    assert abbrs and len(abbrs) == len({a.lower() for a in abbrs})


def test_plain_text_results_end_with_the_words_to_know(catalog: Catalog) -> None:
    from tests.unit.test_plain import WALK, walk

    code, out = walk(catalog, matcher_for(catalog), WALK)
    assert code == 0
    results, _, tail = out.partition("\n" + strings.ADV_REP_GLOSSARY + " :\n")
    assert tail, "no glossary section in the plain results"
    listed = [line[2:] for line in tail.splitlines() if line.startswith("- ")]
    terms = {t.term: t for t in catalog.glossary}
    explained = [next(t for name, t in terms.items() if line.startswith(name)) for line in listed]
    assert explained
    for term in explained:
        assert explain(term) in listed  # « CAE (coopérative…) : une coopérative… »
        assert term.term.lower() in results.lower()  # only words the results use
