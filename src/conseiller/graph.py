"""Draw a flow as a Mermaid or Graphviz diagram, for authors and advisors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, Flow, MessageNode, Node, TextNode

_SHAPES_MERMAID = {
    MessageNode: ('("', '")'),
    ChoiceNode: ('{"', '"}'),
    TextNode: ('[/"', '"/]'),
    ConfirmNode: ('[["', '"]]'),
    EndNode: ('(["', '"])'),
}
_SHAPES_DOT = {
    MessageNode: "note",
    ChoiceNode: "diamond",
    TextNode: "parallelogram",
    ConfirmNode: "box3d",
    EndNode: "doublecircle",
}


def _label(node: Node, limit: int = 60) -> str:
    text = node.text if len(node.text) <= limit else node.text[: limit - 1] + "…"
    slot = f" [{node.slot}]" if isinstance(node, ChoiceNode | TextNode | ConfirmNode) else ""
    when = f" (si {_condition(node.when)})" if node.when else ""
    return f"{node.id}{slot}: {text}{when}"


def _condition(condition: Mapping[str, Any], negate: bool = False) -> str:
    """A `when` in short words: « role≠collectivite », « (lieu=terres ou agricole=oui) »."""
    parts: list[str] = []
    for key, expected in condition.items():
        if key == "not":
            inner = _condition(expected, negate=not negate)
            parts.append(inner if len(expected) == 1 else f"pas ({inner})")
        elif key in ("any", "all"):
            joined = (" ou " if key == "any" else ", ").join(_condition(c) for c in expected)
            parts.append(f"pas ({joined})" if negate else f"({joined})")
        else:
            values = expected if isinstance(expected, list) else [expected]
            parts.append(f"{key}{'≠' if negate else '='}{'|'.join(str(v) for v in values)}")
    return ", ".join(parts)


def _edges(node: Node) -> list[tuple[str, str]]:
    """(target, label) pairs leaving a node."""
    labels = {o.id: o.label for o in node.options} if isinstance(node, ChoiceNode) else {}
    return [
        (target, labels.get(option, "") if option else "")
        for target, option in Flow.successors(node)
    ]


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def to_mermaid(flow: Flow) -> str:
    """A Mermaid flowchart (renders on GitHub and in many editors)."""
    lines = ["flowchart TD"]
    for node in flow.nodes:
        left, right = _SHAPES_MERMAID[type(node)]
        lines.append(f"    {_mid(node.id)}{left}{_mermaid_text(_label(node))}{right}")
    for node in flow.nodes:
        for target, label in _edges(node):
            arrow = f' -->|"{_mermaid_text(label[:40])}"| ' if label else " --> "
            lines.append(f"    {_mid(node.id)}{arrow}{_mid(target)}")
    return "\n".join(lines) + "\n"


def _mid(node_id: str) -> str:
    return "n_" + node_id.replace("-", "_")


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(flow: Flow) -> str:
    """A Graphviz digraph (render with `dot -Tsvg`)."""
    lines = [f'digraph "{_dot_text(flow.id)}" {{', "    rankdir=TB;", '    node [fontname="sans"];']
    for node in flow.nodes:
        shape = _SHAPES_DOT[type(node)]
        lines.append(f'    "{node.id}" [shape={shape}, label="{_dot_text(_label(node))}"];')
    for node in flow.nodes:
        for target, label in _edges(node):
            attr = f' [label="{_dot_text(label[:40])}"]' if label else ""
            lines.append(f'    "{node.id}" -> "{target}"{attr};')
    lines.append("}")
    return "\n".join(lines) + "\n"
