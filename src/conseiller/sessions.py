"""A saved session read back: its view, profile, recommendation and hand-off sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from conseiller import report, strings
from conseiller.catalog import Catalog
from conseiller.describe import profile_lines
from conseiller.engine import Engine, State, View
from conseiller.matching import LazyMatcher, matcher_for
from conseiller.recommend import Recommendation, recommend
from conseiller.schema import EndNode
from conseiller.store import SessionRecord


@dataclass(frozen=True)
class Opened:
    """A session with everything derived from its state."""

    record: SessionRecord
    state: State
    view: View
    profile: dict[str, Any]
    recommendation: Recommendation
    answers: list[tuple[str, str]]

    @property
    def own_words(self) -> str:
        """What the holder typed about their needs."""
        texts = [a.text for a in self.state.answers.values() if a.text and a.candidates]
        return " / ".join(texts)


def open_session(catalog: Catalog, record: SessionRecord) -> Opened:
    """Rebuild a session's view from its saved state (no matcher is built for this)."""
    state = State.from_json(record.state)
    flow = catalog.flows.get(state.flow) or catalog.default_flow
    engine = Engine(flow, catalog, LazyMatcher(partial(matcher_for, catalog)))
    view = engine.view(state)
    profile = engine.profile(state)
    return Opened(record, state, view, profile, recommend(catalog, profile),
                  profile_lines(catalog, view.transcript))


def summary(opened: Opened) -> dict[str, Any]:
    """The JSON shape of `conseiller sessions show --json` (and one row of `list`)."""
    rec = opened.recommendation
    current = opened.view.current
    return {
        "id": opened.record.id,
        "label": opened.record.label,
        "created": opened.record.created,
        "updated": opened.record.updated,
        "source": opened.record.source,
        "finished": isinstance(current, EndNode),
        "current": None if isinstance(current, EndNode) else current.id,
        "profile": opened.profile,
        "needs": rec.needs,
        "own_words": opened.own_words,
        "answers": [{"question": q, "answer": a} for q, a in opened.answers],
        "formats": [{"id": p.format.id, "why": " ".join(p.why), "rules": p.rules}
                    for p in rec.formats],
        "contacts": [{"id": p.contact.id, "scope": p.scope, "rules": p.rules}
                     for p in rec.contacts],
        "notes": opened.record.notes,
    }


def export_handoff(catalog: Catalog, opened: Opened, folder: Path,
                   *, with_notes: bool = False) -> tuple[Path, Path]:
    """The hand-off sheet for the structure the holder is sent to (notes only if asked)."""
    extras = report.Extras(
        title=strings.REP_HANDOFF_TITLE,
        own_words=opened.own_words,
        notes=opened.record.notes if with_notes else "",
    )
    stem = f"fiche-{opened.record.id}" + ("-conseiller" if with_notes else "")
    return report.save(catalog, opened.recommendation, opened.answers, folder,
                       when=dt.datetime.now(), extras=extras, stem=stem)
