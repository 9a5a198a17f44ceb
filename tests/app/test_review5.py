"""What a fifth review by use found on the fronts: what the web results page leaves out
or says twice, and how it speaks to the person."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import AsyncIterator, Callable
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from textual.widgets import Static

from conseiller import report, strings
from conseiller.catalog import Catalog, load_catalog
from conseiller.conditions import SlotValue
from conseiller.matching import Matcher
from conseiller.recommend import recommend
from conseiller.schema import ChoiceNode, ConfirmNode, TextNode
from conseiller.tui.app import make_app
from conseiller.tui.screens.results import contact_card
from conseiller.web.app import WebFront
from tests.app.test_web import SECRET, Action, Browser, form_token, walk

Picker = Callable[[ChoiceNode | TextNode | ConfirmNode], Action]
PACK = Path(__file__).parent.parent / "data" / "packs" / "exemple"
#: A number from the range kept for fiction (01 99 00 xx xx): it reaches no one.
FICTIONAL_PHONE = "01 99 00 12 34"


def holder_in_the_creuse(node: ChoiceNode | TextNode | ConfirmNode) -> Action:
    """A project holder in the Creuse who wants to test her activity and feels alone."""
    if isinstance(node, ChoiceNode):
        wanted = {"role": "porteur", "stade": "idee"}.get(node.slot)
        return ("repondre", {"reponse": wanted or node.options[0].id})
    if isinstance(node, ConfirmNode):
        return ("repondre", {"besoin": ["tester-activite", "isolement"]})
    if node.match == "departement":
        return ("repondre", {"reponse": "Creuse"})
    return ("repondre", {"reponse": "je voudrais tester mon activité"})


async def results_page(
    catalog: Catalog, pick: Picker = holder_in_the_creuse, *, raw: bool = False
) -> str:
    """The web results page at the end of a walk (the Creuse holder's by default), as a
    browser gets it (`raw`: with its no-break spaces, which the test browser turns into
    spaces)."""
    front = WebFront(catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        url, page = await walk(Browser(client, front), pick)
        if raw:
            page = await (await client.get(url)).text()
    return page


async def results_page_for(
    catalog: Catalog, profile: dict[str, SlotValue], *, raw: bool = False
) -> str:
    """The web results page of someone who answers as this profile says."""

    def pick(node: ChoiceNode | TextNode | ConfirmNode) -> Action:
        if isinstance(node, ChoiceNode):
            return ("repondre", {"reponse": profile[node.slot]})
        if isinstance(node, ConfirmNode):
            return ("repondre", {"besoin": profile["besoins"]})
        if node.match == "departement" and profile.get("departement"):
            return ("repondre", {"reponse": profile["departement"]})
        return ("passer", {})

    return await results_page(catalog, pick, raw=raw)


@pytest.fixture
async def pack_page(tmp_path: Path) -> AsyncIterator[str]:
    """The results page with the test pack, its CAE given a (fictional) phone number too."""
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    contacts = pack / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    email_line = "  email: contact@cae.example.org\n"
    assert email_line in text
    contacts.write_text(
        text.replace(email_line, f"{email_line}  phone: {FICTIONAL_PHONE}\n"), encoding="utf-8"
    )
    yield await results_page(load_catalog(local=[pack]))


async def test_web_results_give_a_local_contacts_phone_and_email_as_links(
    pack_page: str,
) -> None:
    """A pack's phone and email showed in the terminal, the text and the take-away, but not
    on the web page, the one read on a phone: there, a number to tap, an address to write
    to."""
    shown = unescape(pack_page)
    assert f'{strings.REP_PHONE} : <a href="tel:0199001234">{FICTIONAL_PHONE}</a>' in shown
    mail = '<a href="mailto:contact@cae.example.org">contact@cae.example.org</a>'
    assert f"{strings.REP_EMAIL} : {mail}" in shown
    assert shown.count(f"{strings.REP_PHONE} :") == 1  # only the contact that has one


async def test_web_results_say_what_the_address_keeps_once(catalog: Catalog) -> None:
    """The page's « Enregistrer mes pistes » said the address keeps the choices and never
    the words, and the footer just below said it again: now once, in the footer."""
    shown = unescape(await results_page(catalog)).replace("\xa0", " ")
    assert shown.count(strings.WEB_BOOKMARK.replace("\xa0", " ")) == 1
    assert shown.count(strings.WEB_PRIVACY.replace("\xa0", " ")) == 1
    assert shown.count("garde vos choix") == 1
    assert "favoris" in strings.WEB_BOOKMARK


async def test_web_results_speak_to_the_person_in_one_voice(catalog: Catalog) -> None:
    """« Vos pistes », « Ce qui peut vous aider », « Ce que vous m'avez dit »… and, among
    them, « Mes besoins » (the take-away's first person): now « Vos besoins »."""
    page = await results_page(catalog)
    headings = [unescape(h) for h in _headings(page)]
    assert strings.REP_NEEDS not in headings
    assert strings.REVIEW5_YOUR_NEEDS in headings
    assert strings.UI_RESULTS_FORMATS in headings  # the same voice as the other headings


def _headings(page: str) -> list[str]:
    """The text of every <h1> and <h2> of a page (no-break spaces as spaces)."""
    found = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page, re.S)
    return [re.sub(r"<[^>]+>", "", h).replace("\xa0", " ").strip() for h in found]


def in_distress(node: ChoiceNode | TextNode | ConfirmNode) -> Action:
    """The Creuse holder, who writes in the middle that she thinks of suicide."""
    if isinstance(node, TextNode) and node.match != "departement":
        return ("repondre", {"reponse": "plus d'argent, je pense au suicide"})
    return holder_in_the_creuse(node)


async def test_web_help_lines_are_numbers_to_tap(catalog: Catalog) -> None:
    """On a phone, the help lines shown when a message speaks of distress were bold text:
    now each is a link that calls it (« tel: »), or writes to it for the 114, which is
    reached by SMS (« sms: »)."""
    front = WebFront(catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        _, page = await walk(Browser(client, front), in_distress)
    lines = catalog.about.urgence.lines
    assert '<a class="number" href="tel:3114">3114</a>' in page
    assert [line.number for line in lines if line.sms] == ["114"]
    for line in lines:
        scheme = "sms" if line.sms else "tel"
        assert f'<a class="number" href="{scheme}:{line.number}">{line.number}</a>' in page


#: An association with employees in the Creuse, which wants to consolidate: the DLA comes,
#: whose « trouvez la structure près de chez vous » line ends with its national site.
EMPLOYER: dict[str, SlotValue] = {
    "role": "porteur",
    "stade": "developpement",
    "departement": "23",
    "region": "75",
    "collectif": "collectif",
    "employeur": "oui",
    "agricole": "non",
    "besoins": ["consolider-structure"],
}


async def test_a_contacts_site_is_not_said_twice_in_a_row(catalog: Catalog, tmp_path: Path) -> None:
    """« Trouvez la structure près de chez vous : DLA — https://www.info-dla.fr » was
    followed by « Site : https://www.info-dla.fr »: now the address is given once, on
    every front; a contact whose lines do not give its site keeps its « Site : » line."""
    rec = recommend(catalog, EMPLOYER)
    dla = next(p for p in rec.contacts if p.contact.id == "dla")
    site = dla.contact.website
    assert site and dla.contact.points_to and dla.contact.points_to.directory is None
    doc = report.build(catalog, rec, [], dt.datetime(2026, 11, 27))
    checked = strings.CHECKED_LINE.split("{", 1)[0]  # « vérifié le »: then the sources
    whole = re.escape(site) + r"(?![\w/.-])"  # the site itself, not one of its pages
    for rendered, times in (
        (report.render_text(doc), 1),
        (report.render_markdown(doc), 1),
        (report.render_html(doc), 2),  # a link's address and its text
    ):
        shown = unescape(rendered)
        start = shown.index(dla.contact.name)
        card = shown[start : shown.index(checked, start)]
        assert len(re.findall(whole, card)) == times
        assert f"{strings.REP_SITE} :" not in card.replace("\xa0", " ")
        cress = shown.index("CRESS Nouvelle-Aquitaine")  # no line of it gives its site
        assert f"{strings.REP_SITE} :" in shown[cress : shown.index(checked, cress)].replace(
            "\xa0", " "
        )
    async with make_app(catalog, data=tmp_path).run_test(size=(100, 40)) as pilot:
        await pilot.app.mount(contact_card(dla, catalog, rec.profile))
        await pilot.pause()
        lines = [str(w.render()) for w in pilot.app.screen.query(Static)]
    assert sum(len(re.findall(whole, line)) for line in lines) == 1
    page = unescape(await results_page_for(catalog, EMPLOYER))
    start = page.index(f">{dla.contact.name}")
    assert page[start : page.index("</section>", start)].count(f">{site}</a>") == 1


async def test_the_help_banner_keeps_each_line_apart(
    fixture_catalog: Catalog, tmp_path: Path
) -> None:
    """Once distress was read, the banner above the conversation read « 3114 : Prévention
    du suicide 3919 : Violences Femmes Info 17 : Police… »: the numbers ran into the words
    before them. Now « · » keeps each line apart."""
    from tests.app.test_tui import app_for, to_needs_text, type_answer

    urgence = fixture_catalog.about.urgence
    app = app_for(fixture_catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_needs_text(app, pilot)
        await type_answer(app, pilot, "j'ai envie d'en finir")
        await pilot.click("#no")
        await pilot.pause()
        banner = str(app.screen.query_one("#urgence", Static).render()).replace("\xa0", " ")
    shown = banner.split("\n", 1)[1].strip().split(" · ")
    heads = {line.number: line.label.split(":")[0].strip() for line in urgence.lines}
    assert len(heads) >= 2
    assert sorted(shown) == sorted(f"{number} : {head}" for number, head in heads.items())


async def test_without_a_departement_the_results_say_why_contacts_are_national(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Someone who answers « je ne sais pas » to the département got national contacts
    only, with no word of why, nor that the département would bring closer ones: a line
    under « Qui contacter » now says it, on every front; not when the département is
    known."""
    from conseiller.tui.screens.results import ResultsScreen

    unknown: dict[str, SlotValue] = {**EMPLOYER, "departement": None, "region": None}
    note = strings.REVIEW5_NO_DEPARTEMENT.replace("\xa0", " ")
    for profile, shown in ((unknown, 1), (EMPLOYER, 0)):
        rec = recommend(catalog, profile)
        assert rec.contacts
        doc = report.build(catalog, rec, [], dt.datetime(2026, 11, 27))
        for rendered in (
            report.render_text(doc),
            report.render_markdown(doc),
            unescape(report.render_html(doc)),
        ):
            text = rendered.replace("\xa0", " ")
            assert text.count(note) == shown
            if shown:
                heading = text.index(strings.REP_CONTACTS)
                assert heading < text.index(note) < text.index(rec.contacts[0].contact.name)
        async with make_app(catalog, data=tmp_path).run_test(size=(100, 40)) as pilot:
            pilot.app.push_screen(ResultsScreen(catalog, rec, []))
            await pilot.pause()
            lines = [str(w.render()).replace("\xa0", " ") for w in pilot.app.screen.query(Static)]
        assert lines.count(note) == shown
        page = unescape(await results_page_for(catalog, profile)).replace("\xa0", " ")
        assert page.count(note) == shown
    never_asked = {k: v for k, v in unknown.items() if k not in ("departement", "region")}
    assert report.contacts_note(never_asked) == ""  # a flow without the question


async def test_the_finish_page_says_what_is_kept_once_and_does_not_link_to_itself(
    fixture_catalog: Catalog,
) -> None:
    """« C'est terminé » said « Rien de ce que vous avez répondu n'est gardé sur le
    serveur », then the footer « Rien n'est enregistré sur le serveur… », and offered
    « Terminer et effacer », a link to the page itself."""
    front = WebFront(fixture_catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        finish, question = await client.get("/terminer"), await client.get("/q")
        assert (finish.status, question.status) == (200, 200)
        page, other = unescape(await finish.text()), unescape(await question.text())
    assert page.count("sur le serveur") == 1
    assert 'href="/terminer"' not in page
    assert 'href="/terminer"' in other and other.count("sur le serveur") == 1  # kept elsewhere


def test_a_reason_says_what_the_person_wants_never_a_verdict(catalog: Catalog) -> None:
    """A structure that ticked « Trouver un modèle économique » read « Votre structure…
    doit revoir son modèle économique »: a verdict the person never gave. A reason says
    what was answered (« veut », « cherche »), never « doit » or « devez »."""
    verdict = re.compile(r"\b(doit|doivent|devez|devriez)\b", re.IGNORECASE)
    for rule in catalog.rules:
        texts = rule.why.values() if isinstance(rule.why, dict) else [rule.why]
        for text in texts:
            assert not verdict.search(text), (rule.id, text)


def test_plain_help_lines_read_number_then_label(catalog: Catalog, matcher: Matcher) -> None:
    """In `conseiller plain` (a screen reader, a slow line), a help line read « 3114 :
    Prévention du suicide : si vous pensez au suicide… », two « : » as if two pairs; the
    terminal and the web say « 3114 — Prévention du suicide : … », and now so does it."""
    from tests.unit.test_plain import WALK, walk

    code, out = walk(catalog, matcher, [*WALK[:5], "je veux mourir", "aucun"])
    assert code == 0
    shown = out.replace("\xa0", " ")
    for line in catalog.about.urgence.lines:
        label = line.label.replace("\xa0", " ")
        assert shown.count(f"  {line.number} — ") == 1
        assert f"  {line.number} — {label}" in shown
        assert f"  {line.number} : " not in shown


async def test_a_wrong_staff_code_stays_said_once_the_wait_is_over(
    fixture_catalog: Catalog, tmp_path: Path
) -> None:
    """At the kiosk, « Code incorrect. Nouvel essai possible dans 1 s. » vanished a second
    later, leaving an empty field and no word: a member of staff who looked at the keyboard
    never knew the code was refused. Once the wait is over, it now says so."""
    from conseiller.tui.screens.kiosk import PinScreen
    from tests.app.test_kiosk import FakeClock, enter_pin, kiosk, screen_text

    clock = FakeClock()
    app = kiosk(fixture_catalog, tmp_path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PinScreen)
        await enter_pin(app, pilot, "1111")
        assert "Code incorrect" in screen_text(app)
        clock.now += 1
        screen._count_down()  # the screen's one-second tick, without waiting for it
        await pilot.pause()
        assert "Code incorrect" in screen_text(app)
        assert strings.REVIEW5_PIN_AGAIN in screen_text(app)
        assert app.focused is screen.query_one("#pin")


def loose_spaces(page: str) -> list[str]:
    """Bits of a page's text where « : ; ! ? » » follow, or « « » precedes, a breakable
    space instead of a no-break one (links and addresses left aside)."""
    body = re.sub(r"<[^>]+>", "\n", page.split("<body>", 1)[1])
    found = []
    for line in unescape(body).split("\n"):
        for m in re.finditer(r"\S [:;!?»]|« ", line):
            bit = line[max(0, m.start() - 25) : m.end() + 10]
            if "://" not in bit:
                found.append(bit)
    return found


async def test_web_results_labels_keep_their_colon(catalog: Catalog, tmp_path: Path) -> None:
    """« À quoi s'attendre : », « Vous accompagne : », « Site : », « Courriel : » were
    written in the page's template with a plain space: on a phone, « : » could start a
    line of its own. Every text of the results page now has its no-break spaces."""
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    page = await results_page_for(catalog, EMPLOYER, raw=True)
    assert "Vous accompagne" in page and "Site" in page  # the labels are there
    assert loose_spaces(page) == []
    page = await results_page(load_catalog(local=[pack]), raw=True)
    assert "Courriel" in page
    assert loose_spaces(page) == []


def test_the_printable_take_away_keeps_its_colons_too(catalog: Catalog) -> None:
    """The same labels in the page to print (render_html) had a plain space before « : »."""
    rec = recommend(catalog, EMPLOYER)
    page = report.render_html(report.build(catalog, rec, [], dt.datetime(2026, 11, 27)))
    assert "Vous accompagne" in page
    assert loose_spaces(page) == []


async def test_a_departement_not_understood_offers_the_close_ones_to_tap(
    fixture_catalog: Catalog,
) -> None:
    """« creuz » on a phone: the page said « Vouliez-vous dire : Creuse (23)… ? » and the
    person had to type again. Each close département is now a button; Enter in the field
    still sends what was typed (the buttons come after « Valider »)."""
    front = WebFront(fixture_catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        b = Browser(client, front)
        page = await b.get("/q")
        node = front.conversation.view(b.state_of(page)).current
        while isinstance(node, ChoiceNode):  # the choices before the département question
            choice = {"reponse": node.options[0].id}
            _, where = await b.post(form_token(page), "repondre", choice)
            page = await b.get(where)
            node = front.conversation.view(b.state_of(page)).current
        assert isinstance(node, TextNode) and node.match == "departement"
        assert 'id="reponse"' in page  # the département's text field
        token = form_token(page)
        status, shown = await b.post(token, "repondre", {"reponse": "creuz"})
        assert status == 200
        buttons = re.findall(
            r'<button type="submit" name="departement-propose" value="(\w+)">', shown
        )
        assert "23" in buttons
        assert shown.index('value="repondre"') < shown.index("departement-propose")
        status, where = await b.post(
            token, "repondre", {"reponse": "creuz", "departement-propose": "23"}
        )
        assert status == 303
        state = front.state(parse_qs(urlsplit(where).query)["t"][0])
    answers = {t.node.id: t.answer for t in front.conversation.view(state).transcript}
    assert "23" in [getattr(a, "value", None) for a in answers.values()]
