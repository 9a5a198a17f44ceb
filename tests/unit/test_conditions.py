"""Conditions are data: slot equality, lists, any/all/not, list slots and missing slots."""

from conseiller.conditions import holds, slot_tests


def test_equal_and_any_of() -> None:
    assert holds({"role": "porteur"}, {"role": "porteur"})
    assert not holds({"role": "porteur"}, {"role": "collectivite"})
    assert holds({"stade": ["idee", "creation"]}, {"stade": "creation"})


def test_list_slots_match_when_they_contain_a_value() -> None:
    assert holds({"besoins": "financement"}, {"besoins": ["isolement", "financement"]})
    assert not holds({"besoins": "financement"}, {"besoins": []})


def test_combinators() -> None:
    profile = {"role": "porteur", "stade": "idee"}
    assert holds({"all": [{"role": "porteur"}, {"stade": "idee"}]}, profile)
    assert holds({"any": [{"role": "elu"}, {"stade": "idee"}]}, profile)
    assert not holds({"not": {"stade": "idee"}}, profile)
    assert holds({"role": "porteur", "stade": "idee"}, profile)  # several keys: all


def test_missing_slot_is_none() -> None:
    assert not holds({"stade": "idee"}, {})
    assert holds({"stade": ["idee", "none"]}, {})
    assert holds({"stade": ["idee", "none"]}, {"stade": None})


def test_slot_tests_lists_every_slot() -> None:
    cond = {"any": [{"role": "porteur"}, {"not": {"stade": ["idee", "creation"]}}]}
    assert list(slot_tests(cond)) == [("role", ["porteur"]), ("stade", ["idee", "creation"])]
