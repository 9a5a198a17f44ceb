"""A saved session read back: its view, profile, recommendation and hand-off sheet."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from conseiller import report, strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation, Outcome
from conseiller.engine import AnswerError, Engine, FlowError, State, View
from conseiller.matching import LazyMatcher, matcher_for
from conseiller.paths import private_dir, reserve_unique, write_private
from conseiller.recommend import Recommendation
from conseiller.schema import ConfirmNode
from conseiller.store import SessionRecord, Store, StoreError


def _digest(catalog: Catalog, keys: list[str]) -> str:
    sha = hashlib.sha256()
    for key in sorted(keys):
        sha.update(key.encode())
        sha.update(catalog.models[key].model_dump_json().encode())
    return sha.hexdigest()[:12]


def content_version(catalog: Catalog) -> str:
    """Which program, content and packs a session is made with, recorded with it:
    "conseiller 0.1.0; contenu 3f2a…; pack creuse 9b1c…" (a digest of what was loaded)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        program = version("conseiller")
    except PackageNotFoundError:  # a source tree never installed
        program = "?"
    parts = [
        f"conseiller {program}",
        f"contenu {_digest(catalog, [k for k in catalog.models if not k.startswith('local:')])}",
    ]
    for pack in catalog.packs:
        keys = [k for k in pack.files if k in catalog.models]
        parts.append(f"pack {pack.folder.name} {_digest(catalog, keys)}")
    return "; ".join(parts)


#: The newest state format this version reads (`State.version`).
STATE_VERSION: int = State.model_fields["version"].default


class SessionUnreadable(StoreError):
    """A saved session this version cannot read back; `reason` says why, in French."""

    def __init__(self, session_id: str, reason: str) -> None:
        super().__init__(strings.SESSION_UNREADABLE.format(id=session_id, reason=reason))
        self.session_id = session_id
        self.reason = reason


@dataclass(frozen=True)
class Opened:
    """A session with everything derived from its state: the same Outcome as every front."""

    record: SessionRecord
    state: State
    view: View
    outcome: Outcome

    @property
    def recommendation(self) -> Recommendation:
        """The formats and contacts proposed."""
        return self.outcome.recommendation

    @property
    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) in words."""
        return list(self.outcome.answers)

    @property
    def own_words(self) -> str:
        """What the holder typed about their needs."""
        return self.outcome.own_words


def _state(record: SessionRecord) -> State:
    """The saved state, or SessionUnreadable saying what is wrong with it."""
    if record.problem:
        raise SessionUnreadable(record.id, record.problem)
    try:
        data = json.loads(record.state)
    except ValueError:
        raise SessionUnreadable(record.id, strings.STORE_ROW_BAD_JSON) from None
    if not isinstance(data, dict):
        raise SessionUnreadable(record.id, strings.STORE_ROW_NOT_STATE)
    found = data.get("version", STATE_VERSION)
    if isinstance(found, int) and not isinstance(found, bool) and found > STATE_VERSION:
        raise SessionUnreadable(record.id, strings.SESSION_NEWER.format(found=found))
    try:
        return State.from_json(record.state)
    except AnswerError as exc:
        raise SessionUnreadable(record.id, strings.SESSION_BAD_STATE.format(reason=exc)) from None


def _check_content(record: SessionRecord, engine: Engine, state: State) -> None:
    """Every question and need the state refers to must still be in the content."""
    if state.cursor is not None and state.cursor not in engine.nodes:
        raise SessionUnreadable(record.id, strings.SESSION_NODE_GONE.format(id=state.cursor))
    need_slots = {n.slot for n in engine.flow.nodes if isinstance(n, ConfirmNode)}
    for slot, answer in state.answers.items():
        needs = [c.need for c in answer.candidates]
        if slot in need_slots and isinstance(answer.value, list):
            needs += answer.value
        for need in needs:
            if need not in engine.catalog.needs:
                raise SessionUnreadable(record.id, strings.SESSION_NEED_GONE.format(id=need))


def open_session(catalog: Catalog, record: SessionRecord) -> Opened:
    """Rebuild a session's view from its saved state (no matcher is built for this).

    Raises SessionUnreadable (a StoreError) when the state cannot be read back: a state
    from a newer version, damaged JSON, a question or a need removed from the content.
    """
    state = _state(record)
    flow = catalog.flows.get(state.flow) or catalog.default_flow
    conversation = Conversation(catalog, flow, LazyMatcher(partial(matcher_for, catalog)))
    _check_content(record, conversation.engine, state)
    try:
        # The record is every answer given, wherever the screen was looking when saved.
        every_answer = state.model_copy(update={"cursor": None})
        return Opened(record, state, conversation.view(state), conversation.outcome(every_answer))
    except (FlowError, KeyError, ValueError) as exc:
        raise SessionUnreadable(record.id, strings.SESSION_FLOW_BROKEN.format(reason=exc)) from None


def summary(opened: Opened) -> dict[str, Any]:
    """`conseiller sessions show --json`: the session's own fields, then its Outcome."""
    record = opened.record
    return {
        "id": record.id,
        "label": record.label,
        "created": record.created,
        "updated": record.updated,
        "source": record.source,
        "site": record.site,
        "content_version": record.content_version,
        "notes": record.notes,
        **opened.outcome.to_json(),
    }


def export_handoff(
    catalog: Catalog,
    opened: Opened,
    folder: Path,
    *,
    with_notes: bool = False,
    store: Store | None = None,
) -> tuple[Path, Path]:
    """The hand-off sheet for the structure the holder is sent to (notes only if asked).

    The Markdown and HTML files get names no other export has (never overwritten) and are
    readable by their owner only. With `store`, both paths are recorded for the session
    before anything is written in them, so deleting the session deletes them; if that
    fails (StoreError), no file is left behind.
    """
    when = dt.datetime.now()
    extras = report.Extras(
        title=strings.REP_HANDOFF_TITLE,
        own_words=opened.own_words,
        notes=opened.record.notes if with_notes else "",
    )
    stem = f"fiche-{opened.record.id[:8]}" + ("-conseiller" if with_notes else "")
    private_dir(folder, existing_too=False)
    md_path, html_path = reserve_unique(folder, report.file_stem(when, stem), (".md", ".html"))
    try:
        if store is not None:
            for path in (md_path, html_path):
                store.record_export(opened.record.id, path)
        rec, answers = opened.recommendation, opened.answers
        write_private(md_path, report.to_markdown(catalog, rec, answers, when, extras))
        write_private(html_path, report.to_html(catalog, rec, answers, when, extras))
    except BaseException:
        md_path.unlink(missing_ok=True)
        html_path.unlink(missing_ok=True)
        raise
    return md_path, html_path
