"""Random walks over every shipped flow: never crash, always end, always recommend."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conseiller.catalog import Catalog
from conseiller.engine import AnswerError, Engine, State
from conseiller.matching import Matcher
from conseiller.recommend import recommend
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, TextNode

TEXTS = [
    "je cherche des sous",
    "un local",
    "Creuse",
    "23",
    "jsp",
    "",
    "xx",
    "bénévoles",
    "je ne sais pas",
    "[b]x[/b]",
    "2A",
    "ardeche",
    "on veut acheter la ferme ensemble",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_walks_end_with_recommendations(
    data: st.DataObject, catalog: Catalog, matcher: Matcher
) -> None:
    for flow in catalog.flows.values():
        engine = Engine(flow, catalog, matcher)
        state = engine.start()
        for _ in range(60):
            view = engine.view(state)
            node = view.current
            if isinstance(node, EndNode):
                break
            action = data.draw(st.sampled_from(["answer", "answer", "answer", "back", "edit"]))
            try:
                if action == "back":
                    state = engine.back(state)
                    continue
                if action == "edit" and view.transcript:
                    asked = [t.node.id for t in view.transcript if t.answer is not None]
                    if asked:
                        state = engine.edit(state, data.draw(st.sampled_from(asked)))
                        continue
                if isinstance(node, ChoiceNode):
                    given: str | list[str] | None = data.draw(
                        st.sampled_from(
                            [o.id for o in node.options] + ([None] if node.optional else [])
                        )
                    )
                elif isinstance(node, ConfirmNode):
                    given = data.draw(st.lists(st.sampled_from(sorted(catalog.needs)), max_size=3))
                elif isinstance(node, TextNode):
                    given = data.draw(st.sampled_from([*TEXTS, None]))
                state = engine.answer(state, given)
            except AnswerError:
                continue
        state = _finish(engine, state)
        rec = recommend(catalog, engine.profile(state))
        assert rec.formats, engine.profile(state)


def _finish(engine: Engine, state: State) -> State:
    for _ in range(40):
        node = engine.view(state).current
        if isinstance(node, EndNode):
            return state
        if isinstance(node, ChoiceNode):
            state = engine.answer(state, node.options[0].id)
        elif isinstance(node, ConfirmNode):
            state = engine.answer(state, [])
        else:
            state = engine.answer(state, "23" if node.match == "departement" else None)
    raise AssertionError("the flow did not end")
