"""The take-away: the results as Markdown, a printable HTML page, JSON or plain text."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.normalize import strip_controls
from conseiller.recommend import ContactPick, Recommendation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|])")


def _md(text: str) -> str:
    """Escape text for Markdown so that user words never become links or markup."""
    return _MD_SPECIAL.sub(r"\\\1", strip_controls(text)).replace("\n", " ")


def _contact_line(pick: ContactPick) -> str:
    scope = strings.REP_SCOPE[pick.scope]
    flag = f" ({strings.REP_TO_CHECK})" if not pick.contact.verified else ""
    return f"{pick.contact.name}{flag} — {scope}"


@dataclass(frozen=True)
class Extras:
    """What a hand-off sheet adds to the take-away."""

    title: str = strings.REP_TITLE
    own_words: str = ""
    notes: str = ""


def to_markdown(
    catalog: Catalog,
    rec: Recommendation,
    answers: list[tuple[str, str]],
    when: dt.datetime,
    extras: Extras | None = None,
) -> str:
    """The take-away (or, with extras, the hand-off sheet) as Markdown."""
    extras = extras or Extras()
    out = [f"# {_md(extras.title)}", "",
           strings.REP_DATE.format(date=when.strftime("%d/%m/%Y")), "",
           f"## {strings.REP_PROFILE}", ""]
    out.extend(f"- {_md(question)} **{_md(answer)}**" for question, answer in answers)
    if extras.own_words:
        out += ["", f"## {strings.REP_OWN_WORDS}", "", f"> {_md(extras.own_words)}"]
    out += ["", f"## {strings.REP_NEEDS}", ""]
    if rec.needs:
        out.extend(f"- {_md(catalog.needs[n].label)}" for n in rec.needs)
    else:
        out.append(strings.REP_NO_NEED)
    out += ["", f"## {strings.REP_FORMATS}", ""]
    for pick in rec.formats:
        fmt = pick.format
        out += [f"### {_md(fmt.title)}", "", _md(fmt.summary), ""]
        if fmt.expect:
            out += [f"*{strings.REP_EXPECT} :* {_md(fmt.expect)}", ""]
        out += [f"*{strings.REP_WHY}* {_md(' '.join(pick.why))}", ""]
    out += [f"## {strings.REP_CONTACTS}", ""]
    for cpick in rec.contacts:
        c = cpick.contact
        out += [f"### {_md(_contact_line(cpick))}", "", _md(c.description), ""]
        if c.website:
            out += [f"{strings.REP_SITE} : <{c.website}>", ""]
        out += [f"*{strings.REP_WHY}* {_md(' '.join(cpick.why))}", ""]
    if extras.notes:
        out += [f"## {strings.REP_NOTES}", "", _md(extras.notes), ""]
    out += ["---", "", strings.REP_FOOTER, ""]
    return "\n".join(out)


def _h(text: str) -> str:
    return html.escape(strip_controls(text), quote=True)


_CSS = """
body { font-family: system-ui, sans-serif; font-size: 13pt; line-height: 1.5; max-width: 46em;
       margin: 2em auto; padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #333; margin-top: 1.6em; }
h3 { margin-bottom: .2em; } .why { color: #333; } .check { color: #8a4b00; font-weight: bold; }
.site { font-family: monospace; } footer { margin-top: 2em; font-size: .9em; color: #444; }
@media print { body { margin: 0; font-size: 11pt; } a { color: #000; } }
"""


def to_html(
    catalog: Catalog,
    rec: Recommendation,
    answers: list[tuple[str, str]],
    when: dt.datetime,
    extras: Extras | None = None,
) -> str:
    """The take-away (or the hand-off sheet) as a printable, self-contained HTML page."""
    extras = extras or Extras()
    parts = [
        "<!doctype html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>{_h(extras.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_h(extras.title)}</h1>",
        f"<p>{_h(strings.REP_DATE.format(date=when.strftime('%d/%m/%Y')))}</p>",
        f"<h2>{_h(strings.REP_PROFILE)}</h2><ul>",
    ]
    parts.extend(f"<li>{_h(q)} <strong>{_h(a)}</strong></li>" for q, a in answers)
    parts.append("</ul>")
    if extras.own_words:
        parts.append(f"<h2>{_h(strings.REP_OWN_WORDS)}</h2>"
                     f"<blockquote>{_h(extras.own_words)}</blockquote>")
    parts.append(f"<h2>{_h(strings.REP_NEEDS)}</h2>")
    if rec.needs:
        parts.append("<ul>" + "".join(f"<li>{_h(catalog.needs[n].label)}</li>"
                                      for n in rec.needs) + "</ul>")
    else:
        parts.append(f"<p>{_h(strings.REP_NO_NEED)}</p>")
    parts.append(f"<h2>{_h(strings.REP_FORMATS)}</h2>")
    for pick in rec.formats:
        fmt = pick.format
        parts.append(f"<h3>{_h(fmt.title)}</h3><p>{_h(fmt.summary)}</p>")
        if fmt.expect:
            parts.append(f"<p><em>{_h(strings.REP_EXPECT)} :</em> {_h(fmt.expect)}</p>")
        parts.append(f'<p class="why"><strong>{_h(strings.REP_WHY)}</strong> '
                     f"{_h(' '.join(pick.why))}</p>")
    parts.append(f"<h2>{_h(strings.REP_CONTACTS)}</h2>")
    for cpick in rec.contacts:
        c = cpick.contact
        flag = (f' <span class="check">({_h(strings.REP_TO_CHECK)})</span>'
                if not c.verified else "")
        parts.append(f"<h3>{_h(c.name)}{flag}</h3>"
                     f"<p>{_h(strings.REP_SCOPE[cpick.scope])}. {_h(c.description)}</p>")
        if c.website:
            parts.append(f'<p class="site">{_h(strings.REP_SITE)} : '
                         f'<a href="{_h(c.website)}">{_h(c.website)}</a></p>')
        parts.append(f'<p class="why"><strong>{_h(strings.REP_WHY)}</strong> '
                     f"{_h(' '.join(cpick.why))}</p>")
    if extras.notes:
        parts.append(f"<h2>{_h(strings.REP_NOTES)}</h2>"
                     f'<p style="white-space: pre-wrap">{_h(extras.notes)}</p>')
    parts.append(f"<footer>{_h(strings.REP_FOOTER)}</footer></body></html>")
    return "\n".join(parts) + "\n"


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
