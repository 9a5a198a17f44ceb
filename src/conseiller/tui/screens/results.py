"""The results: formats, then contacts grouped by need, each with its reason; the take-away."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue
from conseiller.recommend import ContactPick, FormatPick, Recommendation
from conseiller.report import (
    checked_line,
    contact_details,
    contact_roles,
    contacts_note,
    group_contacts,
    own_site,
    report_line,
)
from conseiller.schema import Term
from conseiller.tui.messages import BackFromResults, RequestQuit, Restart
from conseiller.tui.screens.base import AppScreen
from conseiller.tui.widgets.bubble import literal, verbatim
from conseiller.tui.widgets.footer import KeyBar
from conseiller.tui.widgets.titlebar import TitleBar


def format_card(pick: FormatPick) -> Vertical:
    """One format: title, what it is, what to expect, why."""
    fmt = pick.format
    parts: list[Widget] = [
        Static(literal(fmt.title), classes="card-title"),
        Static(literal(fmt.summary)),
    ]
    if fmt.expect:
        parts.append(Static(literal(fmt.expect), classes="expect"))
    parts.append(Static(literal(strings.UI_WHY + " ".join(pick.why)), classes="why"))
    return Vertical(*parts, classes="card")


def contact_card(
    pick: ContactPick,
    catalog: Catalog | None = None,
    profile: Mapping[str, SlotValue] | None = None,
) -> Vertical:
    """One contact: name, where it works, what it does, website, why."""
    c = pick.contact
    flag = strings.UI_TO_CHECK if not c.verified else ""
    parts: list[Widget] = [
        Static(literal(f"{c.name}{flag}"), classes="card-title"),
        Static(literal(f"{strings.REP_SCOPE[pick.scope]}. {c.description}")),
    ]
    # vous accompagne / trouvez près de chez vous / pour s'informer
    roles = contact_roles(catalog, pick, profile) if catalog is not None else ()
    parts += [
        Static(literal(role.text()), classes=f"role {role.kind.replace('_', '-')}")
        for role in roles
    ]
    if site := own_site(pick, roles):
        parts.append(Static(literal(strings.UI_SITE + site), classes="site"))
    parts += [
        Static(literal(f"{label} : {value}"), classes="site")
        for label, value in contact_details(pick)
    ]
    parts.append(Static(literal(strings.UI_WHY + " ".join(pick.why)), classes="why"))
    parts.append(Static(literal(checked_line(pick)), classes="source"))
    return Vertical(*parts, classes="card")


class ResultsScreen(AppScreen):
    """What can help, and who to contact, with a take-away to keep."""

    BINDINGS = [Binding("escape", "back", strings.KEY_BACK, id="back")]
    # Under 84 columns the action buttons no longer fit on one line: two columns then.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (84, "-wide")]

    def __init__(
        self, catalog: Catalog, rec: Recommendation, answers: list[tuple[str, str]]
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.rec = rec
        self.glossary_shown: list[Term] = []  # marked « (?) », explained by F1
        self.answers = answers

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="results"):
            yield Static(literal(strings.UI_RESULTS_TITLE), classes="title")
            yield Static(literal(strings.UI_RESULTS_INTRO))
            yield Static(literal(strings.TUI_ACRONYM_HINT), id="glossary-hint", classes="help")
            yield Static(literal(strings.UI_RESULTS_PROFILE), classes="section")
            for question, answer in self.answers:
                yield Static(literal(f"• {question} → {answer}"), classes="profile")
            yield Static(literal(strings.UI_RESULTS_FORMATS), classes="section")
            for pick in self.rec.formats:
                yield format_card(pick)
            yield Static(literal(strings.UI_RESULTS_CONTACTS), classes="section")
            if note := contacts_note(self.rec.profile):
                yield Static(literal(note), classes="contacts-note")
            for group in group_contacts(self.catalog, self.rec):
                yield Static(literal(group.title), classes="subsection")
                for cpick in group.picks:
                    yield contact_card(cpick, self.catalog, self.rec.profile)
            if report_line(self.catalog):
                yield Static(literal(report_line(self.catalog)), classes="source")
            if self.kiosk:
                yield from self._take_away()
            yield Static(id="saved", classes="hidden")
        with Horizontal(id="actions", classes="buttons"):
            if self.kiosk:
                yield Button(literal(strings.UI_BACK), id="back")
                yield Button(literal(strings.KIOSK_QR_OPEN), id="qr-open", variant="primary")
                yield Button(literal(strings.KIOSK_END), id="kiosk-end", variant="warning")
            else:
                yield Button(literal(strings.UI_SAVE), id="save", variant="primary")
                yield Button(literal(strings.UI_BACK), id="back")
                yield Button(literal(strings.UI_RESTART), id="restart")
                yield Button(literal(strings.UI_QUIT), id="quit", variant="error")
        yield KeyBar()

    @property
    def kiosk(self) -> bool:
        """True at a kiosk: nothing is written, the take-away is a QR code."""
        return self.conseiller.kiosk

    def _take_away(self) -> ComposeResult:
        from conseiller.qr import qr_lines
        from conseiller.report import to_text

        text = to_text(self.catalog, self.rec)
        yield Static(literal(strings.KIOSK_QR_TITLE), classes="section")
        try:
            lines = qr_lines(text)
        except ValueError:
            yield Static(literal(strings.KIOSK_QR_TOO_LONG))
        else:
            # A code wider than the screen would be cut, and a cut code does not scan.
            if len(lines[0]) <= self.app.size.width - 6:
                yield Static(verbatim("\n".join(lines)), id="qr", classes="qr")
            else:
                yield Static(literal(strings.TUI_QR_INLINE_SMALL), id="qr-small")
        yield Static(literal(strings.KIOSK_TEXT_TITLE), classes="section")
        yield Static(literal(text), id="take-away-text")

    def on_mount(self) -> None:
        self._mark_glossary()
        self.query_one("#results", VerticalScroll).focus()

    def _mark_glossary(self) -> None:
        """The first use of each glossary term in the results, in reading order, marked
        « (?) »; a line under the introduction says that F1 explains them."""
        from conseiller.tui.widgets.bubble import with_glossary

        glossary = self.catalog.glossary
        explained: set[str] = set()
        skip = {"qr", "take-away-text", "saved", "glossary-hint"}
        # Never inside what the person said, a name, an address or a source line.
        untouched = {"profile", "card-title", "site", "source", "title", "section"}
        for static in self.query_one("#results", VerticalScroll).query(Static):
            if static.id in skip or not glossary or untouched & set(static.classes):
                continue
            text = str(static.render())
            before = len(explained)
            marked = with_glossary(text, glossary, explained)
            if len(explained) > before:
                static.update(marked)
        self.glossary_shown = [t for t in glossary if t.term in explained]
        hint = self.query_one("#glossary-hint", Static)
        hint.display = bool(self.glossary_shown)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id
        if bid == "save":
            self.save()
        elif bid == "back":
            self.action_back()
        elif bid == "restart":
            self.post_message(Restart())
        elif bid == "quit":
            self.post_message(RequestQuit())
        elif bid == "qr-open":
            self.open_qr()
        elif bid == "kiosk-end":
            self.app.call_later(self.app.run_action, "wipe")

    def open_qr(self) -> None:
        """The QR codes alone: the whole summary where it fits, then one per contact website,
        in the order of the results."""
        from conseiller.report import to_text
        from conseiller.tui.screens.kiosk import QrPage, QrScreen

        sites: dict[str, QrPage] = {}
        for group in group_contacts(self.catalog, self.rec):
            for pick in group.picks:
                site = pick.contact.website
                if site and site not in sites:
                    sites[site] = QrPage(pick.contact.name, site)
        summary = QrPage(strings.TUI_QR_SUMMARY, to_text(self.catalog, self.rec))
        self.app.push_screen(QrScreen(list(sites.values()), summary))

    def save(self) -> None:
        """Write the Markdown and HTML take-aways and show where (in a browser: download)."""
        from conseiller.report import save

        saved = self.query_one("#saved", Static)
        if self.app.is_web:
            saved.update(literal(strings.UI_SAVED_WEB.format(name=self._deliver())))
        else:
            try:
                md, page = save(self.catalog, self.rec, self.answers, self.conseiller.exports_dir)
            except OSError as exc:
                saved.update(literal(strings.UI_SAVE_FAILED.format(reason=exc.strerror or exc)))
            else:
                saved.update(literal(strings.UI_SAVED.format(md=md, html=page)))
        saved.remove_class("hidden")
        self.query_one("#results", VerticalScroll).scroll_end(animate=False)

    def _deliver(self) -> str:
        """Send the printable page to the browser (nothing is written on the server)."""
        import datetime as dt
        import io

        from conseiller.report import file_stem, to_html

        when = dt.datetime.now()
        name = f"{file_stem(when)}.html"
        page = to_html(self.catalog, self.rec, self.answers, when)
        self.app.deliver_text(
            io.StringIO(page), save_filename=name, mime_type="text/html", encoding="utf-8"
        )
        return name

    def action_back(self) -> None:
        """Back to the last question."""
        self.post_message(BackFromResults())
