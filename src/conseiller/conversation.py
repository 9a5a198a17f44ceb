"""One front door to the core: a Conversation (start, answer, back, edit, view) and its Outcome.

Every front (terminal, browser, plain text, replay, saved sessions) asks a Conversation what
to show and reads one frozen, typed Outcome: the profile, the recommendation, the answers in
words, the person's own words, and one JSON shape (`Outcome.to_json`). `Outcome.ids()` is the
view for statistics and the QR code: ids only, never a word the person typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conseiller.catalog import Catalog
from conseiller.describe import profile_lines
from conseiller.engine import Engine, State, View
from conseiller.glossary import explain, terms_in
from conseiller.matching import NeedMatcher, matcher_for
from conseiller.recommend import Recommendation, recommend
from conseiller.report import shown_texts
from conseiller.schema import EndNode, Flow, MessageNode, Term

#: Version of the JSON shape of an Outcome (`"format"` key); a new key is not a new format.
OUTCOME_FORMAT = 1


@dataclass(frozen=True)
class Profile:
    """The public profile of a conversation, typed; other answers stay in `extra`."""

    role: str | None
    stade: str | None
    departement: str | None
    region: str | None
    besoins: tuple[str, ...]
    extra: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def from_answers(cls, answers: dict[str, Any]) -> Profile:
        """Split an engine profile into the public fields and the rest."""

        def text(key: str) -> str | None:
            value = answers.get(key)
            return value if isinstance(value, str) else None

        needs = answers.get("besoins")
        public = {"role", "stade", "departement", "region", "besoins"}
        return cls(
            text("role"),
            text("stade"),
            text("departement"),
            text("region"),
            tuple(needs) if isinstance(needs, list) else (),
            tuple(sorted((k, v) for k, v in answers.items() if k not in public)),
        )

    def as_dict(self) -> dict[str, Any]:
        """Every answered field, public ones under their public names."""
        out: dict[str, Any] = dict(self.extra)
        for key in ("role", "stade", "departement", "region"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.besoins or "besoins" in out:
            out["besoins"] = list(self.besoins)
        return out


@dataclass(frozen=True)
class TranscriptLine:
    """One step of the conversation: a message, or a question with its answer."""

    node: str
    text: str
    slot: str | None = None
    answer: Any = None
    typed: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a conversation came to, for every front to show and every export to keep."""

    profile: Profile
    recommendation: Recommendation
    answers: tuple[tuple[str, str], ...]
    own_words: str
    finished: bool
    current: str | None
    transcript: tuple[TranscriptLine, ...]
    alerts: tuple[str, ...] = ()
    glossary: tuple[Term, ...] = ()  # the field's words used in the results, in order

    def to_json(self) -> dict[str, Any]:
        """The one JSON shape: `replay --json`, `sessions show --json`, exports."""
        rec = self.recommendation
        return {
            "format": OUTCOME_FORMAT,
            "finished": self.finished,
            "current": self.current,
            "profile": self.profile.as_dict(),
            "needs": list(rec.needs),
            "own_words": self.own_words,
            "answers": [{"question": q, "answer": a} for q, a in self.answers],
            "formats": [
                {
                    "id": p.format.id,
                    "title": p.format.title,
                    "why": " ".join(p.why),
                    "rules": p.rules,
                }
                for p in rec.formats
            ],
            "contacts": [
                {
                    "id": p.contact.id,
                    "name": p.contact.name,
                    "website": p.contact.website,
                    "scope": p.scope,
                    "regions": list(p.contact.coverage.regions),
                    "departements": list(p.contact.coverage.departements),
                    "verified": p.contact.verified,
                    "source": p.contact.source,
                    "checked_on": p.contact.checked_on.isoformat(),
                    "why": " ".join(p.why),
                    "rules": p.rules,
                    "kind": p.contact.kind,
                    "delivers": list(p.contact.delivers),
                    "points_to": (
                        p.contact.points_to.model_dump(mode="json") if p.contact.points_to else None
                    ),
                    "informs": list(p.contact.informs),
                    "roles": list(p.contact.roles),
                    "stages": list(p.contact.stages),
                }
                for p in rec.contacts
            ],
            "transcript": [
                {
                    "node": t.node,
                    "text": t.text,
                    **(
                        {"slot": t.slot, "answer": t.answer, "typed": t.typed}
                        if t.slot is not None
                        else {}
                    ),
                }
                for t in self.transcript
            ],
            "glossary": [
                {
                    "term": t.term,
                    "full": t.full,
                    "definition": t.definition,
                    "explained": explain(t),
                }
                for t in self.glossary
            ],
        }

    def ids(self) -> dict[str, Any]:
        """Ids only (statistics, the QR code): never a word the person typed."""
        rec = self.recommendation
        return {
            "needs": list(rec.needs),
            "formats": [p.format.id for p in rec.formats],
            "contacts": [p.contact.id for p in rec.contacts],
            "departement": self.profile.departement,
            "region": self.profile.region,
            "role": self.profile.role,
            "stade": self.profile.stade,
        }


class Conversation:
    """The conversation on one flow; holds no state of its own, so one serves many people."""

    def __init__(
        self, catalog: Catalog, flow: Flow | None = None, matcher: NeedMatcher | None = None
    ) -> None:
        self.catalog = catalog
        self.engine = Engine(
            flow or catalog.default_flow,
            catalog,
            matcher if matcher is not None else matcher_for(catalog),
        )

    @property
    def flow(self) -> Flow:
        """The flow being walked."""
        return self.engine.flow

    def start(self) -> State:
        """A new conversation."""
        return self.engine.start()

    def answer(self, state: State, given: str | list[str] | None) -> State:
        """Record an answer (None: 'je ne sais pas'); AnswerError asks again politely."""
        return self.engine.answer(state, given)

    def back(self, state: State) -> State:
        """Ask the previous question again, keeping every answer."""
        return self.engine.back(state)

    def edit(self, state: State, node_id: str) -> State:
        """Ask an earlier question again, keeping later answers still on the path."""
        return self.engine.edit(state, node_id)

    def view(self, state: State) -> View:
        """What to show now: the transcript and the current question."""
        return self.engine.view(state)

    def outcome(self, state: State) -> Outcome:
        """Everything the conversation came to so far."""
        view = self.engine.view(state)
        answers = self.engine.profile(state)
        own = [a.text for a in state.answers.values() if a.text and a.candidates]
        lines = tuple(
            TranscriptLine(t.node.id, t.node.text)
            if t.answer is None or isinstance(t.node, MessageNode)
            else TranscriptLine(t.node.id, t.question, t.node.slot, t.answer.value, t.answer.text)
            for t in view.transcript
        )
        finished = isinstance(view.current, EndNode)
        rec = recommend(self.catalog, answers)
        return Outcome(
            profile=Profile.from_answers(answers),
            recommendation=rec,
            answers=tuple(profile_lines(self.catalog, view.transcript)),
            own_words=" / ".join(own),
            finished=finished,
            current=None if finished else view.current.id,
            transcript=lines,
            alerts=view.alerts,
            glossary=tuple(terms_in(self.catalog, shown_texts(rec))),
        )
