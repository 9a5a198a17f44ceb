"""`conseiller stats --html`: a one-page territorial report, SVG drawn here, no JavaScript.

Every number follows the statistics rule of stats.py (rounded to 5, "<5" under 5); the
not-understood phrases appear only as themes (the nearest need of a group of phrases)
counted 5 times or more, never as phrases. Every chart has a title, a description and
the same numbers in a table, for screen readers and for printing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.paths import write_private
from conseiller.stats import (
    HIDDEN,
    HIDE_BELOW,
    JOINT,
    ROUND_TO,
    UNKNOWN,
    Stats,
    known_values,
    published_by,
    published_count,
)
from conseiller.unmatched import UnmatchedCount

Row = tuple[str, int | None]  # a label and its published count (None: "<5")
Row2 = tuple[str, list[int | None]]  # a label and its published count for each month

WIDTH = 680
LABEL_W = 250
BAR_H = 20
GAP = 6
INK = "#1f3a5f"
MAX_DEP_COLUMNS = 8  # the départements with the most visits, in the needs-by-département chart
MUTED = "#5a5a5a"

CSS = """
body { font-family: system-ui, sans-serif; color: #111; max-width: 46rem; margin: 1.5rem auto;
  padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 1.6rem; border-bottom: 2px solid #1f3a5f; }
.meta, .note { color: #333; font-size: .95rem; }
figure { margin: .6rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: .4rem 0; font-size: .9rem; }
th, td { border: 1px solid #888; padding: .15rem .5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: .3rem 0 1rem; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  details { display: block; }
  details > summary { display: none; }
  h2 { break-after: avoid; }
}
"""


def _text(x: float, y: float, label: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}"{extra}>{escape(label)}</text>'


def hbars(key: str, title: str, desc: str, rows: Sequence[Row]) -> str:
    """A horizontal bar chart (SVG) of published counts; "<5" is written, not drawn."""
    top = max((v for _, v in rows if v is not None), default=ROUND_TO)
    height = len(rows) * (BAR_H + GAP) + GAP
    span = WIDTH - LABEL_W - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{key}-t {key}-d">',
        f'<title id="{key}-t">{escape(title)}</title>',
        f'<desc id="{key}-d">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_H + GAP)
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(_text(LABEL_W - 8, y + BAR_H - 5, short, text_anchor="end", font_size="13"))
        if value is None:
            parts.append(_text(LABEL_W + 4, y + BAR_H - 5, HIDDEN, fill=MUTED, font_size="13"))
            continue
        w = max(2.0, span * value / top)
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{INK}"/>')
        parts.append(_text(LABEL_W + w + 6, y + BAR_H - 5, str(value), font_size="13"))
    parts.append("</svg>")
    return "".join(parts)


def dots(key: str, title: str, desc: str, columns: Sequence[str], grid: Sequence[Row2]) -> str:
    """Needs (rows) by month or département (columns): a disc whose area follows the count,
    the number in it; a dot alone for "<5"."""
    col_w = max(38, min(70, (WIDTH - LABEL_W) // max(1, len(columns))))
    width = LABEL_W + col_w * len(columns) + 10
    row_h = 30
    height = 24 + row_h * len(grid) + 6
    top = max((v for _, vals in grid for v in vals if v is not None), default=ROUND_TO)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{key}-t {key}-d">',
        f'<title id="{key}-t">{escape(title)}</title>',
        f'<desc id="{key}-d">{escape(desc)}</desc>',
    ]
    for j, column in enumerate(columns):
        x = LABEL_W + col_w * j + col_w / 2
        parts.append(_text(x, 16, column, text_anchor="middle", font_size="12"))
    for i, (label, values) in enumerate(grid):
        y = 24 + row_h * i + row_h / 2
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(_text(LABEL_W - 8, y + 4, short, text_anchor="end", font_size="13"))
        for j, value in enumerate(values):
            x = LABEL_W + col_w * j + col_w / 2
            if value is None:
                parts.append(_text(x, y + 4, "·", text_anchor="middle", fill=MUTED))
                continue
            r = 4 + 10 * (value / top) ** 0.5
            parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="#c9d8ea"/>')
            parts.append(_text(x, y + 4, str(value), text_anchor="middle", font_size="11"))
    parts.append("</svg>")
    return "".join(parts)


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = [f"<table><caption>{escape(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{escape(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        first, *rest = row
        out.append(f'<tr><th scope="row">{escape(first)}</th>')
        out += [f'<td class="n">{escape(cell)}</td>' for cell in rest]
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _shown(value: int | None) -> str:
    return HIDDEN if value is None else str(value)


def _figure(key: str, title: str, desc: str, rows: Sequence[Row], head: str) -> str:
    """Bars for the counts of 5 or more, the rest named in one sentence; a table too."""
    counted = [(label, v) for label, v in rows if v is not None]
    hidden = [label for label, v in rows if v is None]
    parts = [f"<figure><figcaption>{escape(title)}</figcaption>"]
    if counted:
        parts.append(hbars(key, title, desc, counted))
        parts.append("<details><summary>" + escape(strings.REPORT_TABLE) + "</summary>")
        parts.append(
            _table(title, [head, strings.REPORT_COUNT], [(k, _shown(v)) for k, v in counted])
        )
        parts.append("</details>")
    else:
        parts.append(f'<p class="note">{escape(strings.REPORT_NOTHING.format(k=HIDE_BELOW))}</p>')
    if hidden:
        parts.append(f'<p class="note">{escape(_hidden_note(len(hidden)))}</p>')
    parts.append("</figure>")
    return "".join(parts)


def _themes(catalog: Catalog, unmatched: Sequence[UnmatchedCount] | None) -> list[Row] | None:
    """Not-understood phrases as themes (their nearest need), kept only if counted 5+ times."""
    if not unmatched:
        return None
    from conseiller.matching import matcher_for
    from conseiller.suggest import suggest

    totals: dict[str, int] = {}
    for group in suggest(matcher_for(catalog), list(unmatched)):
        name = catalog.needs[group.need].label if group.need else strings.REPORT_THEME_OTHER
        totals[name] = totals.get(name, 0) + group.count
    rows = [(name, published_count(n)) for name, n in totals.items()]
    return sorted(((k, v) for k, v in rows if v is not None), key=lambda r: (-(r[1] or 0), r[0]))


def _needs_by_departement(
    stats: Stats, catalog: Catalog, departements: Sequence[Row], month: str | None, site: str | None
) -> str:
    """Needs (rows) in the départements with 5 visits or more (columns, most visits first)."""
    top = sorted(((v, k) for k, v in departements if v is not None and k != UNKNOWN), reverse=True)
    codes = [k for _, k in top[:MAX_DEP_COLUMNS]]
    counters = stats.counters(month, site)
    grid: list[Row2] = []
    for need in sorted(catalog.needs):
        values = [published_count(counters.get((JOINT, f"{need}@{code}"), 0)) for code in codes]
        if any(v is not None for v in values):
            grid.append((catalog.needs[need].label, values))
    if not grid:
        return ""
    title = strings.REPORT_F_NEEDS_DEPS
    return "".join(
        [
            f"<figure><figcaption>{escape(title)}</figcaption>",
            dots("besoins-departements", title, strings.REPORT_D_NEEDS_DEPS, codes, grid),
            "<details><summary>" + escape(strings.REPORT_TABLE) + "</summary>",
            _table(
                title,
                [strings.REPORT_NEED, *codes],
                [(label, *(_shown(v) for v in values)) for label, values in grid],
            ),
            "</details></figure>",
        ]
    )


def render(
    stats: Stats,
    catalog: Catalog,
    *,
    month: str | None = None,
    site: str | None = None,
    unmatched: Sequence[UnmatchedCount] | None = None,
    today: dt.date | None = None,
) -> str:
    """The report as one HTML page (French, printable, no script, SVG drawn here)."""
    known = known_values(catalog)
    published = stats.published(month, known, site)
    months = published.months
    need_label = {k: n.label for k, n in catalog.needs.items()}
    fmt_label = {k: f.title for k, f in catalog.formats.items()}
    deps = catalog.territories.departements

    def dep_label(code: str) -> str:
        if code == UNKNOWN:
            return strings.REPORT_NO_DEP
        found = deps.get(code)
        return f"{code} {found.name}" if found is not None else code

    by_month = [(month_name(m), n) for m, n in published_by(stats, "month", month, known, site)]
    grid: list[Row2] = []
    per_month = {m: stats.counters(m, site) for m in months}
    for need in known["need"]:
        values = [published_count(per_month[m].get(("need", need), 0)) for m in months]
        if any(v is not None for v in values):
            grid.append((need_label.get(need, need), values))
    sites = [s or strings.STATS_NO_SITE for s in stats.sites()] if site is None else [site]
    period = ", ".join(month_name(m) for m in months) if months else "-"
    head = [
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(strings.REPORT_TITLE)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(strings.REPORT_TITLE)}</h1>",
        f'<p class="meta">{escape(strings.REPORT_PERIOD.format(months=period))}<br>',
        escape(strings.REPORT_SITES.format(sites=", ".join(sites) or "-")) + "<br>",
        escape(strings.REPORT_VISITS.format(n=_shown(published.visits))) + "<br>",
        escape(strings.REPORT_MADE.format(day=(today or dt.date.today()).strftime("%d/%m/%Y"))),
        "</p>",
        f'<p class="note">{escape(strings.REPORT_RULE.format(k=HIDE_BELOW))}</p></header>',
        "<main>",
    ]
    body = [f"<h2>{escape(strings.REPORT_H_MONTHS)}</h2>"]
    body.append(
        _figure(
            "mois",
            strings.REPORT_F_VISITS,
            strings.REPORT_D_VISITS,
            by_month,
            strings.REPORT_MONTH,
        )
    )
    if grid:
        title = strings.REPORT_F_NEEDS_MONTHS
        body.append(f"<figure><figcaption>{escape(title)}</figcaption>")
        columns = [f"{m[5:]}/{m[:4]}" for m in months]
        body.append(dots("besoins-mois", title, strings.REPORT_D_NEEDS_MONTHS, columns, grid))
        body.append("<details><summary>" + escape(strings.REPORT_TABLE) + "</summary>")
        body.append(
            _table(
                title,
                [strings.REPORT_NEED, *months],
                [(label, *(_shown(v) for v in values)) for label, values in grid],
            )
        )
        body.append("</details></figure>")
    body.append(f"<h2>{escape(strings.REPORT_H_NEEDS)}</h2>")
    needs = sorted(
        ((need_label.get(k, k), v) for k, v in published.needs),
        key=lambda r: (-(r[1] or 0), r[0]),
    )
    body.append(_figure("besoins", strings.REPORT_F_NEEDS, strings.REPORT_D_NEEDS, needs, "Besoin"))
    body.append(f"<h2>{escape(strings.REPORT_H_DEPS)}</h2>")
    departements = sorted(
        ((dep_label(k), v) for k, v in published.departements),
        key=lambda r: (-(r[1] or 0), r[0]),
    )
    body.append(
        _figure(
            "departements",
            strings.REPORT_F_DEPS,
            strings.REPORT_D_DEPS,
            departements,
            strings.REPORT_DEP,
        )
    )
    body.append(_needs_by_departement(stats, catalog, published.departements, month, site))
    body.append(f"<h2>{escape(strings.REPORT_H_FORMATS)}</h2>")
    formats = sorted(
        ((fmt_label.get(k, k), v) for k, v in published.formats),
        key=lambda r: (-(r[1] or 0), r[0]),
    )
    body.append(
        _figure("formats", strings.REPORT_F_FORMATS, strings.REPORT_D_FORMATS, formats, "Format")
    )
    body.append(f"<h2>{escape(strings.REPORT_H_THEMES)}</h2>")
    themes = _themes(catalog, unmatched)
    body.append(f'<p class="note">{escape(strings.REPORT_THEMES_NOTE.format(k=HIDE_BELOW))}</p>')
    if themes:
        body.append(
            _figure(
                "themes",
                strings.REPORT_F_THEMES,
                strings.REPORT_D_THEMES,
                themes,
                strings.REPORT_THEME,
            )
        )
    else:
        body.append(f'<p class="note">{escape(strings.REPORT_NO_THEMES.format(k=HIDE_BELOW))}</p>')
    tail = ["</main>", f'<footer><p class="note">{escape(strings.REPORT_FOOT)}</p></footer>']
    return "".join([*head, *body, *tail, "</body></html>\n"])


def write_report(
    path: Path,
    stats: Stats,
    catalog: Catalog,
    *,
    month: str | None = None,
    site: str | None = None,
    unmatched: Sequence[UnmatchedCount] | None = None,
) -> Path:
    """Write the report (readable by its owner only, like every file we write)."""
    write_private(path, render(stats, catalog, month=month, site=site, unmatched=unmatched))
    return path


def month_name(month: str) -> str:
    """« 2026-06 » as a person reads it: « juin 2026 » (anything else is left as it is)."""
    year, _, number = month.partition("-")
    if year.isdigit() and number.isdigit() and 1 <= int(number) <= 12:
        return f"{strings.MONTHS[int(number) - 1]} {year}"
    return month


def _hidden_note(n: int) -> str:
    """How many rows were left out for being under the publication threshold."""
    if n == 1:
        return strings.REPORT_HIDDEN_ONE.format(k=HIDE_BELOW)
    return strings.REPORT_HIDDEN.format(k=HIDE_BELOW, n=n)
