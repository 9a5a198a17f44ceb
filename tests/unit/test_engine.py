"""The engine: start, answer, back, edit keeping later answers, JSON round trip, determinism.

On the fixture content (tests/data/fixture), so the shipped texts can change freely."""

from __future__ import annotations

import pytest

from conseiller.catalog import Catalog
from conseiller.engine import AnswerError, Engine, State
from conseiller.matching import matcher_for
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, TextNode


@pytest.fixture(scope="module")
def engine(fixture_catalog: Catalog) -> Engine:
    """The engine on the fixture flow and content (an engine keeps no conversation state)."""
    return Engine(fixture_catalog.default_flow, fixture_catalog, matcher_for(fixture_catalog))


def walk(engine: Engine, *answers: str | list[str] | None) -> State:
    state = engine.start()
    for given in answers:
        state = engine.answer(state, given)
    return state


def current_id(engine: Engine, state: State) -> str:
    return engine.view(state).current.id


def test_first_question_follows_the_welcome_message(engine: Engine) -> None:
    view = engine.view(engine.start())
    assert [t.node.id for t in view.transcript] == ["accueil"]
    assert isinstance(view.current, ChoiceNode)
    assert view.current.slot == "role"
    assert view.number == 1 and view.total >= 6


def test_a_full_walk_reaches_the_end_with_a_profile(engine: Engine) -> None:
    state = walk(
        engine,
        "porteur",
        "idee",
        "Creuse",
        "seul",
        "non",
        "je cherche des financements",
        ["financement"],
    )
    view = engine.view(state)
    assert isinstance(view.current, EndNode)
    profile = engine.profile(state)
    assert profile["role"] == "porteur"
    assert profile["departement"] == "23"
    assert profile["region"] == "75"
    assert profile["besoins"] == ["financement"]


def test_choices_accept_ids_numbers_and_labels(engine: Engine) -> None:
    for given in (
        "collectivite",
        "2",
        "Une commune",  # the fixture's label
    ):
        assert engine.profile(walk(engine, given))["role"] == "collectivite"


def test_a_wrong_answer_is_refused_politely_and_changes_nothing(engine: Engine) -> None:
    state = walk(engine, "porteur")
    with pytest.raises(AnswerError) as err:
        engine.answer(state, "astronaute")
    assert "Choisissez une des réponses" in str(err.value)
    assert current_id(engine, state) == "stade"


def test_unknown_departement_suggests(engine: Engine) -> None:
    state = walk(engine, "porteur", "idee")
    with pytest.raises(AnswerError) as err:
        engine.answer(state, "atlantis")
    assert "Loire-Atlantique (44)" in str(err.value)


def test_dont_know_is_possible_and_uses_the_default(engine: Engine) -> None:
    state = walk(engine, "porteur", "idee", "23", "je ne sais pas")  # collectif: default seul
    assert engine.profile(state)["collectif"] == "seul"
    assert state.answers["collectif"].skipped


def test_dont_know_without_a_default_stays_unknown(engine: Engine) -> None:
    state = walk(engine, "je ne sais pas")  # the fixture's role: no default
    assert engine.profile(state).get("role") is None  # never turned into « porteur »
    assert state.answers["role"].skipped


def test_branching_on_role_skips_holder_questions(engine: Engine) -> None:
    state = walk(engine, "collectivite", "23")
    assert current_id(engine, state) == "besoins-texte-collectivite"
    assert "stade" not in engine.profile(state)


def test_free_text_is_matched_then_confirmed(engine: Engine) -> None:
    state = walk(engine, "porteur", "idee", "23", "seul", "non", "je cherche des financements")
    view = engine.view(state)
    assert isinstance(view.current, ConfirmNode)
    assert view.candidates[0].need == "financement"
    state = engine.answer(state, ["financement", "isolement"])
    assert engine.profile(state)["besoins"] == ["financement", "isolement"]


def test_unknown_need_is_refused(engine: Engine) -> None:
    state = walk(engine, "porteur", "idee", "23", "seul", "non", "des sous")
    with pytest.raises(AnswerError):
        engine.answer(state, ["argent-magique"])


def test_back_keeps_answers_and_asks_again(engine: Engine) -> None:
    state = walk(engine, "porteur", "creation", "23")
    back = engine.back(state)
    view = engine.view(back)
    assert view.current.id == "departement"
    assert view.prefill is not None and view.prefill.value == "23"
    back2 = engine.back(back)
    assert current_id(engine, back2) == "stade"
    with pytest.raises(AnswerError):
        engine.back(engine.start())


def test_edit_keeps_later_answers_still_on_the_path(engine: Engine) -> None:
    state = walk(
        engine, "porteur", "creation", "23", "seul", "oui", "non", "des sous", ["financement"]
    )
    assert isinstance(engine.view(state).current, EndNode)
    edited = engine.answer(engine.edit(state, "stade"), "developpement")
    assert isinstance(engine.view(edited).current, EndNode)
    profile = engine.profile(edited)
    assert profile["stade"] == "developpement"
    assert profile["departement"] == "23"
    assert profile["employeur"] == "oui"
    assert profile["besoins"] == ["financement"]


def test_edit_drops_answers_no_longer_on_the_path(engine: Engine) -> None:
    state = walk(
        engine, "porteur", "creation", "23", "seul", "oui", "non", "des sous", ["financement"]
    )
    edited = engine.answer(engine.edit(state, "stade"), "idee")
    profile = engine.profile(edited)
    assert "employeur" not in profile  # only asked at creation or development
    assert isinstance(engine.view(edited).current, EndNode)


def test_edit_to_another_role_asks_the_new_questions(engine: Engine) -> None:
    state = walk(engine, "collectivite", "23", "un bâtiment vide", ["local-foncier"], None)
    edited = engine.answer(engine.edit(state, "role"), "porteur")
    assert current_id(engine, edited) == "stade"


def test_new_text_asks_the_confirmation_again(engine: Engine) -> None:
    state = walk(engine, "porteur", "idee", "23", "seul", "non", "des sous", ["financement"])
    edited = engine.answer(engine.edit(state, "besoins-texte"), "je me sens seule")
    assert current_id(engine, edited) == "besoins"


def test_edit_refuses_questions_not_on_the_path(engine: Engine) -> None:
    with pytest.raises(AnswerError):
        engine.edit(walk(engine, "porteur"), "lieu")


def test_state_round_trips_through_json(engine: Engine) -> None:
    state = walk(engine, "porteur", "idee", "Creuse", "seul", "non", "des sous")
    again = State.from_json(state.to_json())
    assert again == state
    assert engine.view(again).current.id == engine.view(state).current.id


def test_bad_saved_state_is_a_clear_error() -> None:
    with pytest.raises(AnswerError):
        State.from_json('{"flow": 3}')


def test_engine_is_deterministic(engine: Engine) -> None:
    answers = ("porteur", "idee", "Creuse", "seul", "non", "je cherche un local et des sous")
    assert walk(engine, *answers).to_json() == walk(engine, *answers).to_json()


def test_answer_after_the_end_is_refused(engine: Engine) -> None:
    state = walk(engine, "collectivite", "23", "aider les assos", [])
    assert isinstance(engine.view(state).current, EndNode)
    with pytest.raises(AnswerError):
        engine.answer(state, "x")


def test_optional_text_question_can_be_skipped(engine: Engine) -> None:
    state = walk(engine, "porteur", "idee", None)
    assert engine.profile(state)["departement"] is None
    node = engine.view(state).current
    assert not isinstance(node, TextNode) or node.slot != "departement"


def test_the_question_counter_never_goes_down_while_moving_forward(engine: Engine) -> None:
    state = engine.start()
    seen: list[tuple[int, int]] = []
    for given in ("porteur", "idee", "Creuse", "seul", "non", "je suis seule", None, None):
        view = engine.view(state)
        if view.finished:
            break
        seen.append((view.number, view.total))
        state = engine.answer(state, given)
    numbers = [n for n, _ in seen]
    totals = [t for _, t in seen]
    assert numbers == sorted(numbers) and totals == sorted(totals)  # never down
    assert all(n <= t for n, t in seen)


def test_a_confirmation_with_nothing_understood_does_not_say_what_was_understood(
    engine: Engine,
) -> None:
    """« Je ne sais pas » or gibberish at the needs: the list is asked for with its own words,
    and the transcript keeps the question as it was asked."""
    skipped = walk(engine, "porteur", "idee", "Creuse", "seul", "non", None)
    view = engine.view(skipped)
    assert isinstance(view.current, ConfirmNode)
    assert view.none_understood and view.source_skipped
    assert (view.question, view.question_help) == (
        "Lesquels choisissez-vous ?",
        "Cochez dans la liste.",
    )

    gibberish = walk(engine, "porteur", "idee", "Creuse", "seul", "non", "zorglub blip")
    view = engine.view(gibberish)
    assert view.none_understood and not view.source_skipped
    assert view.question == "Lesquels choisissez-vous ?"

    understood = walk(
        engine, "porteur", "idee", "Creuse", "seul", "non", "je cherche des financements"
    )
    view = engine.view(understood)
    assert not view.none_understood
    assert view.question == view.current.text == "C'est bien ça ?"

    after = engine.view(engine.answer(skipped, ["financement"]))
    (turn,) = [t for t in after.transcript if isinstance(t.node, ConfirmNode)]
    assert turn.question == "Lesquels choisissez-vous ?"


def test_a_refused_long_answer_is_quoted_back_shortened_between_words(engine: Engine) -> None:
    said = "je sui toute seul et jai pa trouvé de local ni de sous pour la ferme de mon oncle"
    with pytest.raises(AnswerError) as refused:
        engine.answer(engine.start(), said)
    message = str(refused.value)
    assert "…" in message and said not in message
    quoted = message.split("« ", 1)[1].split("…", 1)[0]
    assert said.startswith(quoted) and said[len(quoted)] == " "  # cut after a whole word
