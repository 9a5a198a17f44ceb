"""Walk a flow headlessly from a mapping of slot -> answer, and describe the outcome as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.engine import AnswerError, Engine, State
from conseiller.recommend import Recommendation, recommend
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, MessageNode, TextNode


class ReplayError(ValueError):
    """An answer file that cannot be replayed; the message names the slot and why."""


@dataclass
class Outcome:
    """The final state, the recommendation and the warnings of one replay."""

    state: State
    recommendation: Recommendation
    warnings: list[str] = field(default_factory=list)


def replay(engine: Engine, answers: Mapping[str, Any]) -> Outcome:
    """Answer each question from `answers` until the end; unused answers become warnings."""
    state = engine.start()
    used: set[str] = set()
    for _ in range(len(engine.nodes) * 2 + 10):
        node = engine.view(state).current
        if isinstance(node, EndNode):
            break
        key, given = _given(node, answers, state)
        if key is None:
            if not node.optional and not _always_answerable(node):
                raise ReplayError(strings.REPLAY_MISSING.format(slot=node.slot, question=node.text))
        else:
            used.add(key)
        try:
            state = engine.answer(state, given)
        except AnswerError as exc:
            raise ReplayError(
                strings.REPLAY_INVALID.format(slot=key or node.slot, reason=exc)
            ) from None
    else:
        raise ReplayError(strings.REPLAY_LOOP)
    warnings = [strings.REPLAY_UNUSED.format(slot=k) for k in answers if k not in used]
    return Outcome(state, recommend(engine.catalog, engine.profile(state)), warnings)


Given = str | list[str] | None


def _always_answerable(node: ChoiceNode | TextNode | ConfirmNode) -> bool:
    """Needs questions take 'je ne sais pas': no answer means no need yet."""
    return isinstance(node, ConfirmNode) or (isinstance(node, TextNode) and node.match == "needs")


def _given(
    node: ChoiceNode | TextNode | ConfirmNode, answers: Mapping[str, Any], state: State
) -> tuple[str | None, Given]:
    """(answer-file key used, value to give); the key is None when nothing was given."""
    if isinstance(node, TextNode) and node.match == "needs":
        if node.slot in answers:
            return node.slot, _as_text(answers[node.slot])
        value = answers.get("besoins")
        if value is None:
            return None, None
        # A list of ids is given at the confirmation; the text question is left empty.
        return "besoins", None if isinstance(value, list) else _as_text(value)
    if isinstance(node, ConfirmNode):
        key: str = node.slot if node.slot in answers else (node.profile or node.slot)
        value = answers.get(key)
        if isinstance(value, list):
            return key, [str(v) for v in value]
        source = state.answers.get(node.source)
        # Free text was matched: confirm what the matcher understood.
        matched = [c.need for c in source.candidates if c.likely] if source else []
        return (node.slot if node.slot in answers else None), matched
    for name in (node.slot, node.profile):
        if name is not None and name in answers:
            return name, _as_text(answers[name])
    return None, None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def outcome_json(catalog: Catalog, engine: Engine, outcome: Outcome) -> dict[str, Any]:
    """The public JSON shape of `conseiller replay --json`."""
    rec = outcome.recommendation
    transcript = [
        {
            "node": turn.node.id,
            "text": turn.node.text,
            **(
                {"slot": turn.node.slot, "answer": turn.answer.value, "typed": turn.answer.text}
                if turn.answer is not None and not isinstance(turn.node, MessageNode)
                else {}
            ),
        }
        for turn in engine.view(outcome.state).transcript
    ]
    return {
        "profile": dict(rec.profile),
        "needs": list(rec.needs),
        "formats": [
            {"id": p.format.id, "title": p.format.title, "why": " ".join(p.why), "rules": p.rules}
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
                "why": " ".join(p.why),
            }
            for p in rec.contacts
        ],
        "transcript": transcript,
    }
