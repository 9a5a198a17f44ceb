"""The take-away: the results as Markdown, a printable HTML page, JSON or plain text."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue
from conseiller.glossary import explain, segments, terms_in
from conseiller.normalize import strip_controls
from conseiller.recommend import ContactPick, FormatPick, Recommendation, format_fits
from conseiller.schema import Term
from conseiller.typography import french

# Characters that start Markdown markup anywhere in a line; parentheses, dots and dashes are
# harmless there ("Creuse (23)" stays as written).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# ... and those that start a block only at the beginning of a line.
_MD_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])")


def _md(text: str) -> str:
    """Escape text for Markdown so that user words never become links or markup."""
    escaped = _MD_INLINE.sub(r"\\\1", strip_controls(text)).replace("\n", " ")
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


@dataclass(frozen=True)
class Extras:
    """What a hand-off sheet adds to the take-away."""

    title: str = strings.REP_TITLE
    own_words: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ContactGroup:
    """Contacts shown together under one heading."""

    key: str  # "local", "region", "other" or a need id
    title: str
    picks: tuple[ContactPick, ...]


def group_contacts(catalog: Catalog, rec: Recommendation) -> list[ContactGroup]:
    """The one order every front shows: near the person (their département), their région's
    entry point, then by need in the order the person gave them, then the rest."""
    dept = rec.profile.get("departement")
    local = [
        p for p in rec.contacts if isinstance(dept, str) and dept in p.contact.coverage.departements
    ]
    regional = [p for p in rec.contacts if p not in local and p.contact.regional_entry]
    by_need: dict[str, list[ContactPick]] = {}
    others: list[ContactPick] = []
    for pick in rec.contacts:
        if pick in local or pick in regional:
            continue
        need = next((n for n in rec.needs if n in pick.needs), None)
        if need is None:
            others.append(pick)
        else:
            by_need.setdefault(need, []).append(pick)
    groups = [
        ContactGroup("local", strings.UI_RESULTS_LOCAL, tuple(local)),
        ContactGroup("region", strings.UI_RESULTS_REGIONAL, tuple(regional)),
    ]
    groups += [
        ContactGroup(
            n, strings.UI_RESULTS_FOR_NEED.format(need=catalog.needs[n].label), tuple(by_need[n])
        )
        for n in rec.needs
        if n in by_need
    ]
    groups.append(ContactGroup("other", strings.UI_RESULTS_OTHERS, tuple(others)))
    return [g for g in groups if g.picks]


def checked_line(pick: ContactPick) -> str:
    """Where a contact's facts come from and when they were checked (or that they were not)."""
    c = pick.contact
    line = strings.CHECKED_LINE if c.verified else strings.UNCHECKED_LINE
    return line.format(date=c.checked_on.strftime("%d/%m/%Y"), source=c.source)


def contact_details(pick: ContactPick) -> list[tuple[str, str]]:
    """(label, value) of the phone and email a contact has: only those its file gives."""
    c = pick.contact
    return [
        (label, value)
        for label, value in ((strings.REP_PHONE, c.phone), (strings.REP_EMAIL, c.email))
        if value
    ]


@dataclass(frozen=True)
class RoleLine:
    """What a contact does for the person, one of three ways: `delivers` (« vous
    accompagne »), `points_to` (« trouvez la structure près de chez vous », with the page
    that lists its members) or `informs` (« pour s'informer »)."""

    kind: str
    label: str
    items: str
    link: str | None = None

    def text(self) -> str:
        """The line as plain text (the link, if any, at the end)."""
        link = f" — {self.link}" if self.link else ""
        return f"{self.label} : {self.items}{link}"


def contact_roles(
    catalog: Catalog, pick: ContactPick, profile: Mapping[str, SlotValue] | None = None
) -> tuple[RoleLine, ...]:
    """The one place that says what a contact does for the person, for every front: only
    the formats that fit the person's profile, when it is given (no Fabrique à initiatives,
    which is for communes, on a project holder's card)."""
    c = pick.contact

    def titles(ids: list[str]) -> str:
        return ", ".join(
            catalog.formats[f].title
            for f in ids
            if f in catalog.formats
            and (profile is None or format_fits(catalog.formats[f], profile))
        )

    lines: list[RoleLine] = []
    if c.delivers and titles(c.delivers):
        lines.append(RoleLine("delivers", strings.CONTACT_DELIVERS, titles(c.delivers)))
    if c.points_to and titles(c.points_to.formats):
        link = c.points_to.directory or c.website
        lines.append(
            RoleLine("points_to", strings.CONTACT_POINTS_TO, titles(c.points_to.formats), link)
        )
    informs = [_need_words(catalog.needs[n].label) for n in c.informs if n in catalog.needs]
    if informs:
        lines.append(RoleLine("informs", strings.CONTACT_INFORMS, ", ".join(informs)))
    return tuple(lines)


def own_site(pick: ContactPick, roles: Sequence[RoleLine]) -> str | None:
    """The website for a contact's « Site : » line; none when a line of what it does already
    ends with it (« Trouvez la structure près de chez vous : … — https://… »): the same
    address twice in a row says nothing more."""
    site = pick.contact.website
    if site and any(role.link == site for role in roles):
        return None
    return site


def contacts_note(profile: Mapping[str, SlotValue]) -> str:
    """The line under « Qui contacter » when the département was asked but not given: why
    every contact is a national one, and what giving it would add. Empty otherwise (a flow
    that never asks it says nothing of it)."""
    unknown = "departement" in profile and profile["departement"] is None
    return strings.REVIEW5_NO_DEPARTEMENT if unknown else ""


def _need_words(label: str) -> str:
    """A need's label inside a line: first letter lowered, an acronym kept (« ESS »)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def report_line(catalog: Catalog) -> str:
    """Where to report a wrong contact: the operator's address, when set."""
    to = catalog.about.report_to
    return strings.REPORT_ERROR_LINE.format(to=to) if to else ""


@dataclass(frozen=True)
class Document:
    """The take-away (or the hand-off sheet) as data: every renderer shows exactly this."""

    title: str
    date: str
    answers: tuple[tuple[str, str], ...]
    own_words: str
    needs: tuple[str, ...]
    formats: tuple[FormatPick, ...]
    groups: tuple[ContactGroup, ...]
    notes: str
    report: str
    roles: dict[str, tuple[RoleLine, ...]] = field(default_factory=dict)
    report_to: str = ""
    glossary: tuple[Term, ...] = ()
    contacts_note: str = ""


def build(
    catalog: Catalog,
    rec: Recommendation,
    answers: list[tuple[str, str]],
    when: dt.datetime,
    extras: Extras | None = None,
) -> Document:
    """The document for these results."""
    extras = extras or Extras()
    groups = tuple(group_contacts(catalog, rec))
    return Document(
        title=extras.title,
        date=strings.REP_DATE.format(date=when.strftime("%d/%m/%Y")),
        answers=tuple(answers),
        own_words=extras.own_words,
        needs=tuple(catalog.needs[n].label for n in rec.needs if n in catalog.needs),
        formats=tuple(rec.formats),
        groups=groups,
        notes=extras.notes,
        report=catalog.about.report,
        roles={
            p.contact.id: contact_roles(catalog, p, rec.profile) for g in groups for p in g.picks
        },
        report_to=report_line(catalog),
        glossary=tuple(terms_in(catalog, shown_texts(rec))),
        contacts_note=contacts_note(rec.profile),
    )


def render_markdown(doc: Document) -> str:
    """The document as Markdown (user words escaped, never markup)."""
    out = [f"# {_md(doc.title)}", "", doc.date, "", f"## {strings.REP_PROFILE}", ""]
    out.extend(f"- {_md(question)} **{_md(answer)}**" for question, answer in doc.answers)
    if doc.own_words:
        out += ["", f"## {strings.REP_OWN_WORDS}", "", f"> {_md(doc.own_words)}"]
    out += ["", f"## {strings.REP_NEEDS}", ""]
    out += [f"- {_md(label)}" for label in doc.needs] if doc.needs else [strings.REP_NO_NEED]
    out += ["", f"## {strings.REP_FORMATS}", ""]
    explained: set[str] = set()
    for pick in doc.formats:
        fmt = pick.format
        out += [f"### {_md(fmt.title)}", "", _md_glossed(fmt.summary, doc, explained), ""]
        if fmt.expect:
            out += [f"*{strings.REP_EXPECT} :* {_md(fmt.expect)}", ""]
        out += [f"*{strings.REP_WHY}* {_md_glossed(' '.join(pick.why), doc, explained)}", ""]
    out += [f"## {strings.REP_CONTACTS}", ""]
    if doc.contacts_note:
        out += [_md(doc.contacts_note), ""]
    for group in doc.groups:
        out += [f"### {_md(group.title)}", ""]
        for cpick in group.picks:
            c = cpick.contact
            out += [f"#### {_md(_contact_line(cpick))}", "", _md(c.description), ""]
            for role in doc.roles.get(c.id, ()):
                link = f" — <{role.link}>" if role.link else ""
                out += [f"**{_md(role.label)} :** {_md(role.items)}{link}", ""]
            if site := own_site(cpick, doc.roles.get(c.id, ())):
                out += [f"{strings.REP_SITE} : <{site}>", ""]
            for label, value in contact_details(cpick):
                out += [f"{label} : {_md(value)}", ""]
            out += [
                f"*{strings.REP_WHY}* {_md(' '.join(cpick.why))}",
                "",
                f"*{_md(checked_line(cpick))}*",
                "",
            ]
    out += _md_glossary(doc, explained)
    if doc.notes:
        out += [f"## {strings.REP_NOTES}", "", _md(doc.notes), ""]
    out += ["---", "", strings.REP_FOOTER, "", _md(doc.report), ""]
    if doc.report_to:
        out += [_md(doc.report_to), ""]
    return french("\n".join(out))  # French typography (addresses and code untouched)


def _contact_line(pick: ContactPick) -> str:
    scope = strings.REP_SCOPE[pick.scope]
    flag = f" ({strings.REP_TO_CHECK})" if not pick.contact.verified else ""
    return f"{pick.contact.name}{flag} — {scope}"


def _h(text: str) -> str:
    return html.escape(french(strip_controls(text)), quote=True)  # text only, never the CSS


_CSS = """
body { font-family: system-ui, sans-serif; font-size: 13pt; line-height: 1.5; max-width: 46em;
       margin: 2em auto; padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #333; margin-top: 1.6em; }
h3, h4 { margin-bottom: .2em; } .why { color: #333; } .check { color: #8a4b00; font-weight: bold; }
.source { font-size: .9em; color: #444; overflow-wrap: anywhere; }
.site { font-family: monospace; } footer { margin-top: 2em; font-size: .9em; color: #444; }
@media print { body { margin: 0; font-size: 11pt; } a { color: #000; } }
"""


def render_html(doc: Document) -> str:
    """The document as a printable, self-contained HTML page."""
    parts = [
        "<!doctype html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>{_h(doc.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_h(doc.title)}</h1>",
        f"<p>{_h(doc.date)}</p>",
        f"<h2>{_h(strings.REP_PROFILE)}</h2><ul>",
    ]
    parts.extend(f"<li>{_h(q)} <strong>{_h(a)}</strong></li>" for q, a in doc.answers)
    parts.append("</ul>")
    if doc.own_words:
        parts.append(
            f"<h2>{_h(strings.REP_OWN_WORDS)}</h2><blockquote>{_h(doc.own_words)}</blockquote>"
        )
    parts.append(f"<h2>{_h(strings.REP_NEEDS)}</h2>")
    if doc.needs:
        parts.append("<ul>" + "".join(f"<li>{_h(label)}</li>" for label in doc.needs) + "</ul>")
    else:
        parts.append(f"<p>{_h(strings.REP_NO_NEED)}</p>")
    parts.append(f"<h2>{_h(strings.REP_FORMATS)}</h2>")
    explained: set[str] = set()
    for pick in doc.formats:
        fmt = pick.format
        summary = _h_glossed(fmt.summary, doc, explained)
        parts.append(f"<h3>{_h(fmt.title)}</h3><p>{summary}</p>")
        if fmt.expect:
            parts.append(f"<p><em>{_h(strings.REP_EXPECT + ' :')}</em> {_h(fmt.expect)}</p>")
        why = _h_glossed(" ".join(pick.why), doc, explained)
        parts.append(f'<p class="why"><strong>{_h(strings.REP_WHY)}</strong> {why}</p>')
    parts.append(f"<h2>{_h(strings.REP_CONTACTS)}</h2>")
    if doc.contacts_note:
        parts.append(f"<p>{_h(doc.contacts_note)}</p>")
    for group in doc.groups:
        parts.append(f"<h3>{_h(group.title)}</h3>")
        for cpick in group.picks:
            c = cpick.contact
            flag = (
                f' <span class="check">({_h(strings.REP_TO_CHECK)})</span>'
                if not c.verified
                else ""
            )
            parts.append(
                f"<h4>{_h(c.name)}{flag}</h4>"
                f"<p>{_h(strings.REP_SCOPE[cpick.scope])}. {_h(c.description)}</p>"
            )
            for role in doc.roles.get(c.id, ()):
                link = f' — <a href="{_h(role.link)}">{_h(role.link)}</a>' if role.link else ""
                parts.append(
                    f'<p class="role {role.kind}"><strong>{_h(role.label + " :")}</strong> '
                    f"{_h(role.items)}{link}</p>"
                )
            if site := own_site(cpick, doc.roles.get(c.id, ())):
                parts.append(
                    f'<p class="site">{_h(strings.REP_SITE + " :")} '
                    f'<a href="{_h(site)}">{_h(site)}</a></p>'
                )
            parts += [
                f"<p>{_h(label + ' :')} {_h(value)}</p>" for label, value in contact_details(cpick)
            ]
            parts.append(
                f'<p class="why"><strong>{_h(strings.REP_WHY)}</strong> '
                f"{_h(' '.join(cpick.why))}</p>"
                f'<p class="source">{_h(checked_line(cpick))}</p>'
            )
    parts += _h_glossary(doc)
    if doc.notes:
        parts.append(
            f'<h2>{_h(strings.REP_NOTES)}</h2><p style="white-space: pre-wrap">{_h(doc.notes)}</p>'
        )
    parts.append(
        f"<footer><p>{_h(strings.REP_FOOTER)}</p><p>{_h(doc.report)}</p>"
        + (f'<p class="report-to">{_h(doc.report_to)}</p>' if doc.report_to else "")
        + "</footer></body></html>"
    )
    return "\n".join(parts) + "\n"


def render_text(doc: Document) -> str:
    """The document as plain text, for a terminal line by line or a screen reader."""
    out = [doc.title, doc.date, "", strings.REP_PROFILE + " :"]
    out += [f"- {strip_controls(q)} {strip_controls(a)}" for q, a in doc.answers]
    out += ["", strings.REP_NEEDS + " :"]
    out += [f"- {label}" for label in doc.needs] if doc.needs else [strings.REP_NO_NEED]
    out += ["", strings.REP_FORMATS + " :"]
    for pick in doc.formats:
        out += [
            f"- {pick.format.title} : {pick.format.summary}",
            f"  {strings.REP_WHY} {' '.join(pick.why)}",
        ]
    out += ["", strings.REP_CONTACTS + " :"]
    if doc.contacts_note:
        out.append(doc.contacts_note)
    for group in doc.groups:
        out += ["", f"{group.title} :"]  # a heading, not a line of the contact above
        for cpick in group.picks:
            c = cpick.contact
            out.append(f"- {_contact_line(cpick)}")
            out.append(f"  {strip_controls(c.description)}")  # what it is (its words explained)
            out += [f"  {strip_controls(role.text())}" for role in doc.roles.get(c.id, ())]
            if site := own_site(cpick, doc.roles.get(c.id, ())):
                out.append(f"  {strings.REP_SITE} : {site}")
            out += [
                f"  {label} : {strip_controls(value)}" for label, value in contact_details(cpick)
            ]
            out += [f"  {strings.REP_WHY} {' '.join(cpick.why)}", f"  {checked_line(cpick)}"]
    if doc.glossary:
        out += ["", strings.ADV_REP_GLOSSARY + " :"] + [f"- {explain(t)}" for t in doc.glossary]
    out += ["", strings.REP_FOOTER, doc.report]
    out += [doc.report_to, ""] if doc.report_to else [""]
    return french("\n".join(out))


def to_markdown(
    catalog: Catalog,
    rec: Recommendation,
    answers: list[tuple[str, str]],
    when: dt.datetime,
    extras: Extras | None = None,
) -> str:
    """The take-away (or, with extras, the hand-off sheet) as Markdown."""
    return render_markdown(build(catalog, rec, answers, when, extras))


def to_html(
    catalog: Catalog,
    rec: Recommendation,
    answers: list[tuple[str, str]],
    when: dt.datetime,
    extras: Extras | None = None,
) -> str:
    """The take-away (or the hand-off sheet) as a printable, self-contained HTML page."""
    return render_html(build(catalog, rec, answers, when, extras))


def to_text(catalog: Catalog, rec: Recommendation) -> str:
    """A short plain-text summary (formats, contacts, websites): small enough for a QR code."""
    lines = [strings.REP_TEXT_TITLE]
    lines.extend(f"- {p.format.title}" for p in rec.formats)
    lines.append(strings.REP_TEXT_CONTACTS)
    for pick in rec.contacts:
        lines.append(f"- {_site(pick) or pick.contact.name.split(' (')[0]}")
    return "\n".join(dict.fromkeys(lines)) + "\n"


def to_text_short(rec: Recommendation) -> str:
    """Only the contacts' websites: a smaller QR code for a small screen."""
    return "\n".join(dict.fromkeys(s for s in map(_site, rec.contacts) if s)) + "\n"


def _site(pick: ContactPick) -> str:
    """A contact's website, short: without 'https://' and 'www.'."""
    return (pick.contact.website or "").removeprefix("https://").removeprefix("www.")


def file_stem(when: dt.datetime, stem: str = "conseiller") -> str:
    """The name of a take-away file, without its suffix: stem and date-time."""
    return f"{stem}-{when.strftime('%Y%m%d-%H%M%S')}"


def save(
    catalog: Catalog,
    rec: Recommendation,
    answers: list[tuple[str, str]],
    folder: Path,
    *,
    when: dt.datetime | None = None,
    extras: Extras | None = None,
    stem: str = "conseiller",
) -> tuple[Path, Path]:
    """Write the Markdown and HTML files into `folder`; return both paths.

    The names are new ones (`-2`, `-3`… when an export of the same second exists), the
    files are readable by their owner only, and a folder created here is private (0700).
    """
    from conseiller.paths import private_dir, reserve_unique, write_private

    when = when or dt.datetime.now()
    private_dir(folder, existing_too=False)
    md_path, html_path = reserve_unique(folder, file_stem(when, stem), (".md", ".html"))
    try:
        write_private(md_path, to_markdown(catalog, rec, answers, when, extras))
        write_private(html_path, to_html(catalog, rec, answers, when, extras))
    except BaseException:
        md_path.unlink(missing_ok=True)
        html_path.unlink(missing_ok=True)
        raise
    return md_path, html_path


def dumps(data: dict[str, Any]) -> str:
    """JSON with French characters kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- glossary: the words of the field, explained where they first appear (issue 13 §7) ---


def shown_texts(rec: Recommendation) -> list[str]:
    """The texts of the results, in reading order, where glossary terms are looked for."""
    texts: list[str] = []
    for pick in rec.formats:
        texts += [pick.format.title, pick.format.summary, " ".join(pick.why)]
    for cpick in rec.contacts:
        texts += [cpick.contact.description, " ".join(cpick.why)]
    return texts


def _note(doc: Document, term: Term) -> int:
    return doc.glossary.index(term) + 1 if term in doc.glossary else 0


def _md_glossed(text: str, doc: Document, explained: set[str]) -> str:
    """Markdown text with a footnote call after the first use of each glossary term."""
    out = []
    for piece, term in segments(text, doc.glossary, explained):
        number = _note(doc, term) if term else 0
        out.append(_md(piece) + (f"[^{number}]" if number else ""))
    return "".join(out)


def _md_glossary(doc: Document, called: set[str]) -> list[str]:
    """The glossary section: a footnote for each term called in the text, a line for the
    others (used in the contacts' cards)."""
    if not doc.glossary:
        return []
    out = [f"## {strings.ADV_REP_GLOSSARY}", ""]
    for i, term in enumerate(doc.glossary, 1):
        line = _md(explain(term))
        out += [f"[^{i}]: {line}" if term.term in called else f"- {line}", ""]
    return out


def _h_glossed(text: str, doc: Document, explained: set[str]) -> str:
    """HTML text whose first use of each glossary term is an <abbr> with its meaning."""
    out = []
    for piece, term in segments(text, doc.glossary, explained):
        if term is None:
            out.append(_h(piece))
        else:
            out.append(f'<abbr title="{_h(explain(term))}">{_h(piece)}</abbr>')
    return "".join(out)


def _h_glossary(doc: Document) -> list[str]:
    """The glossary section as a definition list."""
    if not doc.glossary:
        return []
    items = "".join(
        f"<dt>{_h(t.term)}{f' ({_h(t.full)})' if t.full else ''}</dt><dd>{_h(t.definition)}</dd>"
        for t in doc.glossary
    )
    return [f'<h2>{_h(strings.ADV_REP_GLOSSARY)}</h2><dl class="glossary">{items}</dl>']
