"""French typography for every text a person reads: no-break spaces, single spaces, checks."""

from __future__ import annotations

import re

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"  # the fonts of a text console often lack it: the plain one is used

# Spans never touched: addresses, e-mails, inline code, times and ratios, emoticons.
_PROTECTED = re.compile(
    r"`[^`\n]*`"  # code
    r"|(?:https?|ftp|mailto|file)://[^\s<>\"']*[^\s<>\"'.,;:!?)\]»]"  # web addresses
    r"|\bwww\.[^\s<>\"']*[^\s<>\"'.,;:!?)\]»]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mails
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"  # times (10:30)
    r"|\b\d+:\d+\b"  # ratios (1:2)
    r"|(?<![\w])[:;]-?[()DPpO/\\|]\B"  # emoticons :) ;-) :D
    r"|(?<![\w])[:;]-?[()DPpO/\\|](?=[ \t\n]|$)"
)
_SPACES = " " + NBSP + NARROW_NBSP
# A run of spaces, or none, before ; : ! ? » (after a character that is not a space).
_BEFORE = re.compile(rf"(?<=[^\s{NBSP}{NARROW_NBSP}])[{_SPACES}]*([;:!?»])")
_BEFORE_SPACED = re.compile(rf"(?<=\S)[{_SPACES}]+([;:!?»])")  # not an indented « ? »
_AFTER_OPEN = re.compile(rf"«[{_SPACES}]*")
_DOUBLE = re.compile(rf"(?<=\S)[ {NBSP}]{{2,}}(?=\S)")  # trailing ones (Markdown's break) kept
_MIXED = re.compile(rf"[ {NBSP}]*{NBSP}[ {NBSP}]*")  # a run holding a no-break space: one


def _needs_space(text: str, start: int, mark: str) -> bool:
    """Whether a mark written without a space before it is the French kind that takes one."""
    before = text[start - 1] if start > 0 else ""
    after = text[start + 1] if start + 1 < len(text) else ""
    if mark == "»":
        return True
    if before in "!?;:" or before in "«":  # "?!": the space goes before the first one only
        return False
    if mark == ":" and before.isdigit() and after.isdigit():
        return False
    # A real sentence mark ends a word: a space, the end, a closing mark or another mark follows.
    return after == "" or after.isspace() or after in "!?»)\"'.,…"


def _fix(part: str, *, after_span: bool = False) -> str:
    """Typeset a stretch of text that holds no protected span (after one: "x.org!")."""
    if after_span and part:
        return _fix("x" + part)[1:]  # a stand-in for the span's last character
    part = part.replace(NARROW_NBSP, NBSP)
    part = _AFTER_OPEN.sub("«" + NBSP, part)
    part = _BEFORE_SPACED.sub(lambda m: NBSP + m.group(1), part)

    def glued(m: re.Match[str]) -> str:
        mark = m.group(1)
        start = m.start(1)
        if m.start() != start:  # spaces were there: handled above
            return m.group(0)
        return (NBSP + mark) if _needs_space(part, start, mark) else mark

    part = _BEFORE.sub(glued, part)
    part = _MIXED.sub(NBSP, part)
    return _DOUBLE.sub(lambda m: NBSP if NBSP in m.group(0) else " ", part)


def french(text: str) -> str:
    """The text with French typography: a no-break space (U+00A0) before ; : ! ? » and after
    «, no double spaces inside a line; addresses, e-mails, times, ratios, emoticons and
    `code` are left as they are. Idempotent: french(french(t)) == french(t)."""
    if not text:
        return text
    out: list[str] = []
    last = 0
    for m in _PROTECTED.finditer(text):
        out.append(_fix(text[last : m.start()], after_span=last > 0))
        out.append(m.group(0))
        last = m.end()
    out.append(_fix(text[last:], after_span=last > 0))
    return "".join(out)


# --- what the helper cannot fix at render: words to change in the text itself ----------------

_CHECKS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\w·\w|\w\(e\)", re.IGNORECASE),
        "forme inclusive abrégée (« seul·e ») : écrire les deux formes ou une tournure neutre",
    ),
    (
        re.compile(
            r"(?:\b(?:être|suis|es|est|êtes|sommes|sens|sent|sentez|sentir|reste|restez|"
            r"rester|tout)|,)\s+(?<!seule, )(?<!seule ou )seuls?\b(?![\s,]+(?:ou\s+)?seules?)",
            re.IGNORECASE,
        ),
        "« seul » au masculin seul : écrire « seul ou seule » ou une tournure neutre",
    ),
    (
        re.compile(
            r"(?<=[a-zà-ÿ,])[\s\u00a0]*:[\s\u00a0]+(?:Vous|Votre|Vos|Il|Elle|Ils|Elles|On|Nous|"
            r"Le|La|Les|Un|Une|Des|Ce|Cette|Ces|Je|Tu|En|Pour|Si|Quand)\b"
        ),
        "majuscule après un deux-points au milieu d'une phrase",
    ),
    (
        re.compile(r"\b(?:le|du|au|dans le)\s+(?:sud|nord)[\s-](?:est|ouest)\b(?!\s+d)"),
        "point cardinal qui nomme une région : « le Sud-Est », avec majuscules",
    ),
    (
        re.compile(r"\b(?:Sud|Nord)\s+(?:Est|Ouest)\b"),
        "point cardinal composé : un trait d'union (« Sud-Est »)",
    ),
]

# A fact a card should state once: said again in another field, it reads as a repetition.
_FACTS: dict[str, re.Pattern[str]] = {
    "gratuit": re.compile(r"\bgratuit(?:e|s|es|é)?\b", re.IGNORECASE),
}


def problems(text: str) -> list[str]:
    """What `french` cannot fix in a text (wording to change at the source), in French."""
    found = []
    for pattern, what in _CHECKS:
        m = pattern.search(text)
        if m:
            found.append(f"{what} : « {m.group(0).strip()} »")
    return found


def repeated(fields: list[str]) -> list[str]:
    """Facts or sentences that one card (a format, a contact) states in two of its fields."""
    found = []
    for fact, pattern in _FACTS.items():
        holding = [f for f in fields if f and pattern.search(f)]
        if len(holding) > 1:
            found.append(f"« {fact} » dit deux fois : " + " / ".join(holding))
    seen: set[str] = set()
    for field in fields:
        for sentence in re.split(r"(?<=[.!?])\s+", field or ""):
            key = re.sub(r"\W+", " ", sentence).strip().lower()
            if len(key) < 12:
                continue
            if key in seen:
                found.append(f"phrase répétée : « {sentence} »")
            seen.add(key)
    return found


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: « Trouver un local » → « trouver un local »,
    but « ESS », « CAE… » or « Comprendre l'ESS » keep every capital after the first letter."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def label_list(labels: list[str], *, first_in_sentence: bool = False) -> str:
    """Labels joined with commas, each after the first as inside a sentence."""
    return ", ".join(
        in_sentence(label) if i or first_in_sentence else label for i, label in enumerate(labels)
    )


def plural(forms: tuple[str, str], n: int, **values: object) -> str:
    """A count that agrees in French: the first form for 0 and 1, the second from 2
    (« 1 session supprimée », « 3 sessions supprimées »), never « session(s) »."""
    return forms[0 if abs(n) < 2 else 1].format(n=n, **values)


def shorten(text: str, width: int = 60) -> str:
    """The start of a text on one line, cut between words and ended with « … » when it is
    longer than `width` (a word longer than that is cut where it must be)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"
