"""Stored text made safe to print: control characters are shown, never sent to the terminal."""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls and DEL get their Unicode "control picture" (ESC -> ␛, BEL -> ␇).
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"  # ␡
# C1 controls (0x9B is a one-byte CSI for some terminals) and the bidirectional overrides
# that reorder what is shown are escaped as \x9b, \u202e.
_ESCAPED = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character made visible (`\\x1b` -> `␛`, `\\x9b` -> `\\x9b`).

    With `keep_newlines`, line breaks stay line breaks (for multi-line notes); a carriage
    return never does, since it would let a line overwrite the one before.
    """
    keep = {0x0A} if keep_newlines else set()
    table = {code: pic for code, pic in _PICTURES.items() if code not in keep}
    return _ESCAPED.sub(_escape, text.translate(table))


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """JSON with French letters readable and every control character escaped.

    `json.dumps` escapes C0 controls (`\\u001b`) but, with `ensure_ascii=False`, lets DEL,
    C1 controls and bidirectional overrides through raw: those are escaped here too.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
