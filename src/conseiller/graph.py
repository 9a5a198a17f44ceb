"""Draw a flow as a Mermaid or Graphviz diagram, for authors and advisors."""

from __future__ import annotations

from conseiller.conditions import slot_tests
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
    when = ""
    if node.when:
        tests = ", ".join(f"{s}={'|'.join(v)}" for s, v in slot_tests(node.when))
        when = f" (si {tests})"
    return f"{node.id}{slot}: {text}{when}"


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
