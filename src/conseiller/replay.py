"""Walk a flow headlessly from a mapping of slot -> answer, and describe the outcome as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conseiller import strings
from conseiller.conversation import Conversation, Outcome
from conseiller.engine import AnswerError, State
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, TextNode


class ReplayError(ValueError):
    """An answer file that cannot be replayed; the message names the slot and why."""


@dataclass(frozen=True)
class Replayed:
    """The final state, what it came to, and the warnings of one replay."""

    state: State
    outcome: Outcome
    warnings: list[str] = field(default_factory=list)


def replay(conversation: Conversation, answers: Mapping[str, Any]) -> Replayed:
    """Answer each question from `answers` until the end; unused answers become warnings."""
    engine = conversation.engine
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
    return Replayed(state, conversation.outcome(state), warnings)


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
