"""The glossary: which words of a text it explains, where they first appear, missing acronyms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from conseiller.catalog import Catalog
from conseiller.schema import Term

#: An acronym: two capitals or more, maybe with digits ("ESS", "PTCE", "CRESS").
ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{1,}(?![\w-])")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})


def _pattern(form: str) -> re.Pattern[str]:
    words = re.escape(form.translate(_APOSTROPHES)).replace("'", "['’]")
    if form.isupper():  # an acronym: as written, never inside a word ("ESS" not in "ESSAI")
        return re.compile(rf"(?<![\w-]){words}(?![\w-])")
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", re.IGNORECASE)


def _patterns(term: Term) -> tuple[re.Pattern[str], ...]:
    return _compiled((term.term, *term.forms))


@lru_cache(maxsize=256)
def _compiled(forms: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(_pattern(f) for f in sorted(set(forms), key=len, reverse=True))


def spans(terms: Sequence[Term], text: str) -> list[tuple[int, int, Term]]:
    """The first place each term appears in `text`, in order, never overlapping."""
    found: list[tuple[int, int, Term]] = []
    for term in terms:
        hits = [m for p in _patterns(term) if (m := p.search(text))]
        if hits:
            first = min(hits, key=lambda m: (m.start(), -m.end()))
            found.append((first.start(), first.end(), term))
    found.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, Term]] = []
    for start, end, term in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, term))
    return kept


def glossary_terms(catalog: Catalog, text: str) -> list[Term]:
    """The glossary's terms found in `text`, in the order they first appear."""
    return [term for _, _, term in spans(catalog.glossary, text)]


def terms_in(catalog: Catalog, texts: Iterable[str]) -> list[Term]:
    """The terms used anywhere in these texts, each once, in order of first use."""
    seen: dict[str, Term] = {}
    for text in texts:
        for term in glossary_terms(catalog, text):
            seen.setdefault(term.term, term)
    return list(seen.values())


def segments(
    text: str, terms: Sequence[Term], explained: set[str]
) -> list[tuple[str, Term | None]]:
    """`text` cut into pieces; the first use of each term not yet in `explained` comes with
    its Term (and is added to `explained`), so a renderer marks it once per document."""
    out: list[tuple[str, Term | None]] = []
    last = 0
    for start, end, term in spans(terms, text):
        if term.term in explained:
            continue
        explained.add(term.term)
        out += [(text[last:start], None), (text[start:end], term)]
        last = end
    out.append((text[last:], None))
    return [(piece, term) for piece, term in out if piece]


def explain(term: Term) -> str:
    """A term in one line: « CAE (coopérative d'activité et d'emploi) : une coopérative… »."""
    name = f"{term.term} ({term.full})" if term.full else term.term
    words = term.definition
    if words[:1].isupper() and not words[1:2].isupper():  # « : une coopérative… »
        words = words[:1].lower() + words[1:]
    return f"{name} : {words}"


def undefined_acronyms(terms: Sequence[Term], text: str) -> list[str]:
    """Acronyms of `text` that no term explains (as a term or one of its forms)."""
    known = {f for t in terms for f in (t.term, *t.forms) if f.isupper()}
    known |= {w for t in terms for f in t.forms for w in f.split() if w.isupper()}
    return [a for a in dict.fromkeys(ACRONYM.findall(text)) if a not in known]
