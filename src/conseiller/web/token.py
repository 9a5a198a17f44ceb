"""The conversation state in a URL: choices and need ids only, encrypted and signed (HMAC-SHA256).

A token carries no word the person typed: the département is kept as its code, a needs text
as the need ids it was understood as. It is also encrypted (an HMAC-SHA256 keystream, then
an HMAC-SHA256 tag over everything: encrypt-then-MAC with two keys derived from the secret),
so that a link in the history or a bookmark does not show which needs were chosen, nor that
the safety net fired.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import zlib
from pathlib import Path
from typing import Any

from conseiller.catalog import Catalog
from conseiller.engine import Answer, Candidate, State
from conseiller.paths import make_private, private_dir, write_private
from conseiller.schema import ChoiceNode, ConfirmNode, Flow, TextNode

#: The secret's file in the data folder (0600), made on first run.
SECRET_FILE = "web-secret"  # noqa: S105 (a file name)
SECRET_ENV = "CONSEILLER_SECRET"  # noqa: S105 (a variable name)
#: A link older than this is refused (a bookmark of results lasts about three months).
MAX_AGE = 90 * 24 * 3600
#: The longest token accepted (a full conversation is a few hundred characters).
MAX_TOKEN = 4096
VERSION = b"\x01"
NONCE = 12
TAG = 16


class TokenError(ValueError):
    """A token that was changed, is too old, or no longer fits the content."""


def load_secret(folder: Path) -> bytes:
    """$CONSEILLER_SECRET, else the data folder's secret file (created 0600 if missing)."""
    given = os.environ.get(SECRET_ENV)
    if given:
        return given.encode("utf-8")
    path = folder / SECRET_FILE
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        private_dir(folder, existing_too=False)
        text = secrets.token_urlsafe(48)
        try:
            write_private(path, text + "\n", exclusive=True)
        except FileExistsError:  # another process wrote it first: use theirs
            text = path.read_text(encoding="ascii", errors="replace").strip()
    if len(text) < 32:  # empty or damaged: a new key (older links stop working)
        text = secrets.token_urlsafe(48)
        write_private(path, text + "\n")
    make_private(path)
    return text.encode("ascii", "replace")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sealer:
    """Seals a dict into a token and opens it again (authenticated encryption)."""

    def __init__(self, secret: bytes) -> None:
        self._enc = hmac.new(secret, b"conseiller-web-enc", hashlib.sha256).digest()
        self._mac = hmac.new(secret, b"conseiller-web-mac", hashlib.sha256).digest()

    def _stream(self, nonce: bytes, size: int) -> bytes:
        blocks = (
            hmac.new(self._enc, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest()
            for i in range((size + 31) // 32)
        )
        return b"".join(blocks)[:size]

    def seal(self, data: dict[str, Any], now: float | None = None) -> str:
        """The token for `data`, stamped with the time."""
        stamp = int(now if now is not None else time.time()).to_bytes(5, "big")
        plain = zlib.compress(stamp + json.dumps(data, separators=(",", ":")).encode(), 9)
        nonce = secrets.token_bytes(NONCE)
        cipher = bytes(a ^ b for a, b in zip(plain, self._stream(nonce, len(plain)), strict=True))
        body = VERSION + nonce + cipher
        return _b64(body + hmac.new(self._mac, body, hashlib.sha256).digest()[:TAG])

    def open(self, token: str, now: float | None = None) -> dict[str, Any]:
        """The data of a token; TokenError if it was changed or is too old."""
        if not token or len(token) > MAX_TOKEN:
            raise TokenError("size")
        try:
            raw = _unb64(token)
        except (ValueError, TypeError):
            raise TokenError("base64") from None
        body, tag = raw[:-TAG], raw[-TAG:]
        if len(body) <= 1 + NONCE or body[:1] != VERSION:
            raise TokenError("version")
        if not hmac.compare_digest(tag, hmac.new(self._mac, body, hashlib.sha256).digest()[:TAG]):
            raise TokenError("signature")
        nonce, cipher = body[1 : 1 + NONCE], body[1 + NONCE :]
        try:
            plain = zlib.decompress(
                bytes(a ^ b for a, b in zip(cipher, self._stream(nonce, len(cipher)), strict=True))
            )
            stamp, data = int.from_bytes(plain[:5], "big"), json.loads(plain[5:])
        except (zlib.error, ValueError):
            raise TokenError("payload") from None
        age = (now if now is not None else time.time()) - stamp
        if age > MAX_AGE or age < -300:
            raise TokenError("expired")
        if not isinstance(data, dict):
            raise TokenError("payload")
        return data


def _typed(flow: Flow, slot: str) -> str | None:
    """ "needs" or "free" for a slot answered in the person's own words, else None."""
    for node in flow.nodes:
        if isinstance(node, TextNode) and node.slot == slot and node.match != "departement":
            return "needs" if node.match == "needs" else "free"
    return None


def state_to_data(flow: Flow, state: State) -> dict[str, Any]:
    """The state as ids only: never the words typed (a needs text keeps its need ids)."""
    answers: dict[str, Any] = {}
    for slot, answer in state.answers.items():
        item: dict[str, Any] = {}
        typed = _typed(flow, slot)
        if typed == "needs":
            item["c"] = [[c.need, int(c.likely)] for c in answer.candidates]
            if answer.unsure:
                item["u"] = 1
            if answer.alerts or answer.urgence:
                item["a"] = list(answer.alerts) or ["urgence"]
        elif typed is None:
            item["v"] = answer.value
        if answer.skipped:
            item["s"] = 1
        answers[slot] = item
    data: dict[str, Any] = {"f": state.flow, "a": answers}
    if state.cursor:
        data["c"] = state.cursor
    if state.alerts:
        data["x"] = list(state.alerts)
    return data


def data_to_state(catalog: Catalog, data: dict[str, Any]) -> State:
    """The state back from a token's data; TokenError if it does not fit the content."""
    flow = catalog.flows.get(str(data.get("f")))
    raw = data.get("a")
    if flow is None or not isinstance(raw, dict):
        raise TokenError("flow")
    questions = {
        n.slot: n for n in flow.nodes if isinstance(n, ChoiceNode | TextNode | ConfirmNode)
    }
    answers: dict[str, Answer] = {}
    try:
        for slot, item in raw.items():
            node = questions.get(slot)
            if node is None or not isinstance(item, dict):
                raise TokenError("slot")
            skipped = bool(item.get("s"))
            typed = _typed(flow, slot)
            if typed == "free":  # the words were not kept: only that it was answered
                answers[slot] = Answer(value=None, skipped=skipped)
                continue
            if typed == "needs":
                cands = [Candidate(need=str(n), score=0.0, likely=bool(k)) for n, k in item["c"]]
                if any(c.need not in catalog.needs for c in cands):
                    raise TokenError("need")
                alerts = [str(a) for a in item.get("a", [])]
                answers[slot] = Answer(
                    value=None,
                    candidates=cands,
                    unsure=bool(item.get("u")),
                    urgence=bool(alerts),
                    alerts=alerts,
                    skipped=skipped,
                )
                continue
            value = item.get("v")
            _check_value(catalog, node, value)
            answers[slot] = Answer(value=value, skipped=skipped)
        cursor = data.get("c")
        if cursor is not None and cursor not in {n.id for n in flow.nodes}:
            raise TokenError("cursor")
        return State(
            flow=flow.id, answers=answers, cursor=cursor, alerts=[str(a) for a in data.get("x", [])]
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, TokenError):
            raise
        raise TokenError("state") from None


def _check_value(
    catalog: Catalog, node: ChoiceNode | TextNode | ConfirmNode, value: object
) -> None:
    """A value the question could have recorded (the content may have changed since)."""
    if value is None:
        return
    if isinstance(node, ChoiceNode):
        ok = value in {o.id for o in node.options} or value == node.default
    elif isinstance(node, ConfirmNode):
        ok = isinstance(value, list) and all(v in catalog.needs for v in value)
    else:
        ok = value in catalog.territories.departements
    if not ok:
        raise TokenError("value")
