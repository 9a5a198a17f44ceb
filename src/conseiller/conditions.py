"""Evaluate `when:` conditions (plain data, never code) against a profile."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

SlotValue = str | list[str] | None
Profile = Mapping[str, SlotValue]


def holds(condition: Mapping[str, Any] | None, profile: Profile) -> bool:
    """True when every key of the condition holds (a missing condition always holds).

    `{slot: v}` holds when the slot equals v (or, for a list slot, contains v);
    `{slot: [a, b]}` when it matches any of them; `any`, `all` and `not` combine.
    """
    if not condition:
        return True
    for key, expected in condition.items():
        if key == "any":
            if not any(holds(sub, profile) for sub in expected):
                return False
        elif key == "all":
            if not all(holds(sub, profile) for sub in expected):
                return False
        elif key == "not":
            if holds(expected, profile):
                return False
        elif not _slot_matches(profile.get(key), expected):
            return False
    return True


def _slot_matches(value: SlotValue, expected: Any) -> bool:
    wanted = (
        {str(e).lower() for e in expected}
        if isinstance(expected, list)
        else {str(expected).lower()}
    )
    if value is None:
        return "none" in wanted
    if isinstance(value, list):
        return bool(wanted & set(value))
    return value in wanted


def slot_tests(condition: Mapping[str, Any] | None) -> Iterator[tuple[str, list[str]]]:
    """Every (slot, expected values) pair a condition tests, for checks."""
    if not condition:
        return
    for key, expected in condition.items():
        if key in ("any", "all"):
            for sub in expected:
                yield from slot_tests(sub)
        elif key == "not":
            yield from slot_tests(expected)
        else:
            values = expected if isinstance(expected, list) else [expected]
            yield key, [str(v).lower() for v in values]
