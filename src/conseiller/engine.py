"""The conversation as pure data: a state and an answer in, the next state out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue, holds, slot_tests
from conseiller.matching import MatchResult, NeedMatcher
from conseiller.normalize import fold
from conseiller.schema import (
    ChoiceNode,
    ConfirmNode,
    EndNode,
    Flow,
    MessageNode,
    Node,
    Option,
    Question,
    TextNode,
)
from conseiller.territory import TerritoryError
from conseiller.typography import shorten

SKIP_WORDS = frozenset({"je ne sais pas", "jsp", "je sais pas", "passer", "ne sais pas", "nsp"})


class AnswerError(ValueError):
    """An answer the current question cannot take; the message is for the person."""


class FlowError(RuntimeError):
    """The flow itself is broken (a dead end or a loop); `conseiller check` finds these."""


class Candidate(BaseModel):
    """A need the matcher proposed, with its score."""

    model_config = ConfigDict(frozen=True)

    need: str
    score: float
    likely: bool = True


class Answer(BaseModel):
    """What was answered to one slot: the value, and the words typed if any."""

    model_config = ConfigDict(frozen=True)

    value: str | list[str] | None
    text: str | None = None
    candidates: list[Candidate] = Field(default_factory=list)
    unsure: bool = False
    urgence: bool = False
    alerts: list[str] = Field(default_factory=list, description="Kinds of distress read.")
    skipped: bool = False


class State(BaseModel):
    """Everything needed to resume a conversation; serialises to JSON."""

    model_config = ConfigDict(frozen=True)

    version: Literal[1] = 1
    flow: str
    answers: dict[str, Answer] = Field(default_factory=dict)
    cursor: str | None = Field(
        default=None, description="Question being asked again (after back or edit)."
    )
    alerts: list[str] = Field(
        default_factory=list,
        description="Kinds of distress read in answers that were not kept (a département "
        "field, a choice typed in words): the help lines stay on show.",
    )

    def to_json(self) -> str:
        """Compact JSON for saving."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, data: str) -> State:
        """Read a saved state; a clear error if it is not one."""
        try:
            return cls.model_validate_json(data)
        except ValidationError as exc:
            raise AnswerError(strings.ENG_BAD_STATE.format(reason=exc.error_count())) from None


@dataclass(frozen=True)
class Turn:
    """One line of the transcript: a message, or a question with its answer."""

    node: MessageNode | Question
    answer: Answer | None = None
    none_understood: bool = False

    @property
    def question(self) -> str:
        """The question as it was asked (a confirmation with nothing understood asks otherwise)."""
        return wording(self.node, self.none_understood)[0]


def wording(node: MessageNode | Question | EndNode, none_understood: bool) -> tuple[str, str]:
    """The text and help of a node as asked: a confirmation of needs when nothing was understood
    (or nothing written) does not say « Voici ce que j'ai compris »."""
    help_ = "" if isinstance(node, MessageNode | EndNode) else node.help
    if none_understood and isinstance(node, ConfirmNode):
        return node.text_if_none or node.text, node.help_if_none or help_
    return node.text, help_


@dataclass(frozen=True)
class View:
    """What the UI shows: the transcript so far and the current question (or the end)."""

    transcript: list[Turn]
    current: Question | EndNode
    prefill: Answer | None = None
    candidates: list[Candidate] = field(default_factory=list)
    unsure: bool = False
    urgence: bool = False
    number: int = 1
    total: int = 1
    alerts: tuple[str, ...] = ()
    none_understood: bool = False
    source_skipped: bool = False
    source_urgence: bool = False

    @property
    def finished(self) -> bool:
        """True at the end of the conversation."""
        return isinstance(self.current, EndNode)

    @property
    def words_not_read(self) -> bool:
        """At a confirmation of needs: nothing was written, or distress was read first and the
        words were not read for needs (« Je n'ai pas bien compris » would be untrue)."""
        return self.source_skipped or self.source_urgence

    @property
    def question(self) -> str:
        """The current question's text, as it is asked now."""
        return wording(self.current, self.none_understood)[0]

    @property
    def question_help(self) -> str:
        """The help under the current question, as it is asked now."""
        return wording(self.current, self.none_understood)[1]


class Engine:
    """Walks one flow; holds no conversation state itself, so one engine serves many."""

    def __init__(self, flow: Flow, catalog: Catalog, matcher: NeedMatcher) -> None:
        self.flow = flow
        self.catalog = catalog
        self.matcher = matcher
        self.nodes: dict[str, Node] = {n.id: n for n in flow.nodes}
        self._limit = 2 * len(self.nodes) + 10

    # --- walking -----------------------------------------------------------------------

    def start(self) -> State:
        """A new conversation."""
        return State(flow=self.flow.id)

    def _next_id(self, node: Node, answer: Answer | None) -> str | None:
        return Flow.next_for(node, answer.value if answer is not None else None)

    def _walk(self, state: State) -> tuple[list[Turn], Question | EndNode, dict[str, SlotValue]]:
        transcript: list[Turn] = []
        profile: dict[str, SlotValue] = {}
        node_id: str | None = self.flow.start
        for _ in range(self._limit):
            if node_id is None or node_id not in self.nodes:
                raise FlowError(strings.CHK_DEAD_END.format(id=node_id))
            node = self.nodes[node_id]
            if node.when is not None and not holds(node.when, profile):
                node_id = node.next
                continue
            if isinstance(node, EndNode):
                return transcript, node, profile
            if isinstance(node, MessageNode):
                transcript.append(Turn(node))
                node_id = node.next
                continue
            answer = state.answers.get(node.slot)
            if node.id == state.cursor or answer is None:
                return transcript, node, profile
            transcript.append(Turn(node, answer, _none_understood(node, state)))
            profile[node.profile or node.slot] = answer.value
            node_id = self._next_id(node, answer)
        raise FlowError(strings.CHK_CYCLE.format(id=node_id))

    def _remaining(self, node: Question | EndNode, profile: dict[str, SlotValue]) -> int:
        """Questions likely still to come after `node`, following default branches."""
        count = 0
        seen: set[str] = set()
        current: Node | None = node
        while current is not None and not isinstance(current, EndNode) and current.id not in seen:
            seen.add(current.id)
            if not isinstance(current, MessageNode) and _may_ask(current.when, profile):
                count += 1
            edges = Flow.successors(current)
            nxt = current.next or (edges[0][0] if edges else None)
            current = self.nodes.get(nxt) if nxt else None
        return count

    def _total(
        self, transcript: list[Turn], current: Question | EndNode, profile: dict[str, SlotValue]
    ) -> int:
        """How many questions in all, as estimated at each step so far, the largest: the
        counter never goes down while the person moves forward."""
        best, asked = 0, 0
        running: dict[str, SlotValue] = {}
        for turn in transcript:
            if turn.answer is None or isinstance(turn.node, MessageNode):
                continue
            best = max(best, asked + self._remaining(turn.node, running))
            asked += 1
            running[turn.node.profile or turn.node.slot] = turn.answer.value
        if isinstance(current, EndNode):
            return asked
        return max(best, asked + self._remaining(current, profile))

    def view(self, state: State) -> View:
        """The transcript and the current question, with what the UI needs to ask it."""
        transcript, current, profile = self._walk(state)
        asked = sum(1 for t in transcript if t.answer is not None)
        total = self._total(transcript, current, profile)
        alerts = _alerts(state, transcript)
        if isinstance(current, EndNode):
            return View(
                transcript, current, number=total, total=total, urgence=bool(alerts), alerts=alerts
            )
        prefill = state.answers.get(current.slot)
        candidates: list[Candidate] = []
        unsure = False
        urgence = bool(alerts)
        skipped = distress = False
        if isinstance(current, ConfirmNode):
            source = state.answers.get(current.source)
            if source is not None:
                candidates = list(source.candidates)
                unsure = source.unsure
                skipped = source.skipped
                distress = source.urgence
        return View(
            transcript,
            current,
            prefill,
            candidates,
            unsure,
            urgence,
            asked + 1,
            max(total, asked + 1),
            alerts,
            none_understood=_none_understood(current, state),
            source_skipped=skipped,
            source_urgence=distress,
        )

    def profile(self, state: State) -> dict[str, SlotValue]:
        """The answers that are on the path, plus the région derived from the département."""
        _, _, profile = self._walk(state)
        dept = profile.get("departement")
        if isinstance(dept, str) and dept in self.catalog.territories.departements:
            profile["region"] = self.catalog.territories.departements[dept].region
        return profile

    # --- answering ---------------------------------------------------------------------

    def answer(self, state: State, given: str | list[str] | None) -> State:
        """Record an answer to the current question and move on (None means 'skip')."""
        _, current, _ = self._walk(state)
        if isinstance(current, EndNode):
            raise AnswerError(strings.ENG_FINISHED)
        alerts = self._distress(current, given)
        if alerts:
            # Distress typed where a place or a choice was expected: nothing is kept of the
            # words, the help lines come first, and the same question is asked again.
            kept = [*state.alerts, *(k for k in alerts if k not in state.alerts)]
            return State(flow=state.flow, answers=state.answers, cursor=state.cursor, alerts=kept)
        recorded = self._read(current, given)
        answers = dict(state.answers)
        answers[current.slot] = recorded
        if isinstance(current, TextNode) and current.match == "needs":
            # A new text means new candidates: the confirmation must be asked again.
            for node in self.nodes.values():
                if isinstance(node, ConfirmNode) and node.source == current.slot:
                    answers.pop(node.slot, None)
        return State(flow=state.flow, answers=answers, cursor=None, alerts=state.alerts)

    def _distress(self, node: Question, given: str | list[str] | None) -> tuple[str, ...]:
        """The safety net on a typed answer other than a needs text (that one keeps it)."""
        if not isinstance(given, str) or isinstance(node, ConfirmNode):
            return ()
        if isinstance(node, TextNode) and node.match == "needs":
            return ()
        return self.matcher.distress(given)

    def _read(self, node: Question, given: str | list[str] | None) -> Answer:
        if isinstance(given, str) and fold(given) in SKIP_WORDS:
            given = None
        if isinstance(node, ConfirmNode):
            return self._read_confirm(node, given)
        if isinstance(given, list):
            given = " ".join(given)
        if given is None or not given.strip():
            return self._skip(node)
        if isinstance(node, ChoiceNode):
            return Answer(value=self._option(node, given).id)
        if node.match == "needs":
            result = self.matcher.match(given)
            return _from_match(result)
        if node.match == "departement":
            try:
                dept = self.catalog.territories.resolve(given)
            except TerritoryError as exc:
                raise AnswerError(str(exc)) from None
            return Answer(value=dept.code, text=given)
        return Answer(value=given.strip(), text=given)

    def _skip(self, node: Question) -> Answer:
        if isinstance(node, TextNode) and node.match == "needs":
            return Answer(value=None, skipped=True)
        if not node.optional:
            raise AnswerError(strings.ENG_NOT_OPTIONAL)
        default = node.default if isinstance(node, ChoiceNode) else None
        return Answer(value=default, skipped=True)

    def _option(self, node: ChoiceNode, given: str) -> Option:
        key = fold(given)
        for index, option in enumerate(node.options, start=1):
            if key in (option.id, fold(option.id), fold(option.label), str(index)):
                return option
        choices = ", ".join(f"{i}. {o.label}" for i, o in enumerate(node.options, start=1))
        raise AnswerError(strings.ENG_BAD_CHOICE.format(text=shorten(given), choices=choices))

    def _read_confirm(self, node: ConfirmNode, given: str | list[str] | None) -> Answer:
        if given is None:
            return Answer(value=[], skipped=True)
        ids = [given] if isinstance(given, str) else list(given)
        clean: list[str] = []
        for need_id in ids:
            if need_id not in self.catalog.needs:
                raise AnswerError(strings.ENG_UNKNOWN_NEED.format(id=need_id))
            if need_id not in clean:
                clean.append(need_id)
        return Answer(value=clean)

    # --- going back --------------------------------------------------------------------

    def back(self, state: State) -> State:
        """Ask the previous question again; every answer is kept until it is changed."""
        transcript, _, _ = self._walk(state)
        asked = [t.node for t in transcript if t.answer is not None]
        if not asked:
            raise AnswerError(strings.ENG_NO_BACK)
        return State(
            flow=state.flow, answers=state.answers, cursor=asked[-1].id, alerts=state.alerts
        )

    def edit(self, state: State, node_id: str) -> State:
        """Ask an earlier question again; later answers still on the path are kept."""
        transcript, current, _ = self._walk(state)
        on_path = {t.node.id for t in transcript if t.answer is not None}
        if node_id not in on_path and node_id != current.id:
            raise AnswerError(strings.ENG_NOT_ASKED.format(id=node_id))
        return State(flow=state.flow, answers=state.answers, cursor=node_id, alerts=state.alerts)


def _may_ask(when: Mapping[str, Any] | None, profile: dict[str, SlotValue]) -> bool:
    """True if a node's condition holds, or depends on a slot not answered yet."""
    if when is None or holds(when, profile):
        return True
    return any(slot not in profile for slot, _ in slot_tests(when))


def _alerts(state: State, transcript: list[Turn]) -> tuple[str, ...]:
    """Every kind of distress read so far, first seen first."""
    seen: list[str] = list(state.alerts)
    for turn in transcript:
        if turn.answer is None or not turn.answer.urgence:
            continue
        for kind in turn.answer.alerts or ["urgence"]:
            if kind not in seen:
                seen.append(kind)
    return tuple(seen)


def _from_match(result: MatchResult) -> Answer:
    return Answer(
        value=result.text,
        text=result.text,
        candidates=[Candidate(need=m.need, score=m.score, likely=m.likely) for m in result.matches],
        unsure=result.unsure,
        urgence=result.urgence,
        alerts=list(result.alerts),
    )


def _none_understood(node: Node, state: State) -> bool:
    """Whether a confirmation of needs has nothing understood to confirm (nothing written, or
    nothing recognised, and no choice between two readings to offer)."""
    if not isinstance(node, ConfirmNode):
        return False
    source = state.answers.get(node.source)
    if source is None:
        return True
    return not source.unsure and not any(c.likely for c in source.candidates)
