"""Plain French labels for answers and profiles, shared by the UIs and the take-away."""

from __future__ import annotations

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.engine import Answer, Turn
from conseiller.normalize import strip_controls
from conseiller.schema import ChoiceNode, ConfirmNode, MessageNode, Question, TextNode
from conseiller.typography import label_list


def answer_label(catalog: Catalog, node: Question, answer: Answer) -> str:
    """What the person answered, in words (user text is returned as typed, minus controls)."""
    if answer.skipped and not (isinstance(node, ConfirmNode) and answer.value):
        if isinstance(node, ChoiceNode) and answer.value:
            return f"{strings.ANS_SKIPPED} ({_option_label(node, answer.value)})"
        return strings.ANS_SKIPPED
    if isinstance(node, ChoiceNode):
        return _option_label(node, answer.value)
    if isinstance(node, ConfirmNode):
        ids = answer.value if isinstance(answer.value, list) else []
        if not ids:
            return strings.ANS_NO_NEED
        return label_list([catalog.needs[i].label for i in ids if i in catalog.needs])
    if isinstance(node, TextNode) and node.match == "departement" and isinstance(answer.value, str):
        dept = catalog.territories.departements.get(answer.value)
        if dept is not None:
            return f"{dept.name} ({dept.code})"
    return strip_controls(answer.text or str(answer.value or ""))


def _option_label(node: ChoiceNode, value: object) -> str:
    for option in node.options:
        if option.id == value:
            return option.label
    return str(value)


def profile_lines(catalog: Catalog, transcript: list[Turn]) -> list[tuple[str, str]]:
    """(question, answer) pairs of the answered questions, in order."""
    lines: list[tuple[str, str]] = []
    for turn in transcript:
        if turn.answer is None or isinstance(turn.node, MessageNode):
            continue
        lines.append((turn.question, answer_label(catalog, turn.node, turn.answer)))
    return lines
