"""The conversation widget: a transcript of bubbles and, below it, the current question."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static

from conseiller import strings
from conseiller.describe import answer_label
from conseiller.engine import AnswerError, Engine, State, View
from conseiller.normalize import strip_controls
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, MessageNode, Term, TextNode
from conseiller.tui.widgets.bubble import AdvisorBubble, AnswerRow, literal, with_glossary
from conseiller.tui.widgets.needbox import NeedBox, NeedsList
from conseiller.typography import label_list

TURN = "turn-"


#: The clarifying question's answers, in the order shown and numbered (digit keys pick them).
CLARIFY_KEYS = ("0", "1", "both", "none")


class ChatView(Vertical):
    """One question at a time, the answers so far above it; posts a message per answer."""

    class Answered(Message):
        """An answer was accepted: the new state (for saving, panels, logs)."""

        def __init__(self, state: State, text: str | None, understood: bool) -> None:
            super().__init__()
            self.state = state
            self.text = text
            self.understood = understood

    class Finished(Message):
        """The conversation reached its end."""

        def __init__(self, state: State) -> None:
            super().__init__()
            self.state = state

    class Moved(Message):
        """The person went back or reopened a question: the answers are unchanged."""

        def __init__(self, state: State) -> None:
            super().__init__()
            self.state = state

    class Urgent(Message):
        """A message spoke of danger or distress: show the help lines first."""

        def __init__(self, kinds: tuple[str, ...] = ()) -> None:
            super().__init__()
            self.kinds = kinds

    BINDINGS = [
        Binding("escape", "back", strings.KEY_BACK, id="back"),
        Binding("up", "move(-1)", strings.KEY_PREVIOUS, show=False),
        Binding("down", "move(1)", strings.KEY_NEXT, show=False),
        *(Binding(str(i), f"pick({i})", strings.KEY_PICK, show=False) for i in range(1, 10)),
    ]

    def __init__(self, engine: Engine, state: State | None = None, *, id: str = "chat") -> None:
        super().__init__(id=id)
        self.engine = engine
        self.state = state or engine.start()
        self.view_now: View | None = None
        self._clarified: list[str] | None = None
        self._extra_needs = False
        self._shown: list[tuple[str, ...]] = []
        # The glossary terms marked « (?) » in the transcript, in order (F1 explains them).
        self.terms_shown: list[Term] = []
        # Each rebuild of the answer area is a new turn; its widgets carry the turn's class.
        # An event from a widget of an earlier turn (Enter, Tab, Enter typed at once: the
        # press arrives after the question changed) is dropped, never applied to this one.
        self._turn = 0
        # One change at a time: a key's action (Escape, run by the app) and a press handled
        # here would otherwise rebuild the answer area together (duplicate widget ids).
        self._changing = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Static(id="urgence", classes="hidden")
        yield VerticalScroll(id="transcript")
        with Vertical(id="answer-area"):
            yield Static(id="progress")
            yield Static(id="error", classes="hidden")
            yield Vertical(id="answer")

    async def on_mount(self) -> None:
        # Anchored: the transcript stays scrolled to the bottom when the answer area below
        # it grows (five choices after a text field), so the question is never hidden.
        self.query_one("#transcript", VerticalScroll).anchor()
        await self.show()

    # --- rendering ---------------------------------------------------------------------

    async def show(self) -> None:
        """Render the transcript and the current question from the engine's view."""
        view = self.engine.view(self.state)
        self.view_now = view
        self._set_error("")
        if isinstance(view.current, EndNode):
            # Every answer stays on show, also after a correction made from elsewhere
            # (the advisor's panel): the chat never shows answers that were changed.
            await self._new_turn()
            await self._show_transcript(view)
            self.post_message(self.Finished(self.state))
            return
        self._show_urgence(view.alerts if view.urgence else None)
        self.query_one("#progress", Static).update(
            literal(strings.UI_PROGRESS.format(n=view.number, total=view.total))
        )
        # The answer area first: when the question appears, it is ready for keys.
        await self._show_answer(view)
        await self._show_transcript(view)

    async def _show_transcript(self, view: View) -> None:
        """Update the bubbles, keeping those that did not change (fast turns)."""
        wanted: list[tuple[tuple[str, ...], Callable[[], Widget]]] = []
        glossary = self.engine.catalog.glossary
        explained: set[str] = set()

        def said(text: str, classes: str = "") -> Callable[[], Widget]:
            """A bubble where the first use of each glossary term is marked."""
            shown = with_glossary(text, glossary, explained)
            return partial(AdvisorBubble, text, classes=classes, shown=shown)

        for turn in view.transcript:
            node = turn.node
            wanted.append((("said", node.id, turn.question), said(turn.question)))
            if turn.answer is not None and not isinstance(node, MessageNode):
                label = answer_label(self.engine.catalog, node, turn.answer)
                typed = isinstance(node, TextNode)  # the person's words, shown as typed
                row = partial(AnswerRow, label, node.id, typed=typed)
                wanted.append((("answer", node.id, label), row))
        current = view.current
        if not isinstance(current, EndNode):
            question, help_ = view.question, view.question_help
            wanted.append((("current", current.id, question), said(question, "current")))
            if help_:
                wanted.append((("help", current.id, help_), said(help_, "help")))
        self.terms_shown = [t for t in glossary if t.term in explained]
        keys = [key for key, _ in wanted]
        same = 0
        while same < min(len(keys), len(self._shown)) and keys[same] == self._shown[same]:
            same += 1
        transcript = self.query_one("#transcript", VerticalScroll)
        stale = list(transcript.children)[same:]
        if stale:
            await transcript.remove_children(stale)
        await transcript.mount_all([make() for _, make in wanted[same:]])
        self._shown = keys
        transcript.scroll_end(animate=False)

    async def _new_turn(self) -> Vertical:
        """Empty the answer area for a new turn; returns the area."""
        self._turn += 1
        area = self.query_one("#answer", Vertical)
        await area.remove_children()
        return area

    async def _mount_turn(self, area: Vertical, widgets: list[Widget]) -> None:
        """Mount this turn's widgets, tagged with the turn."""
        for widget in widgets:
            widget.add_class(f"{TURN}{self._turn}")
        await area.mount_all(widgets)

    def _stale(self, widget: Widget) -> bool:
        """Whether an event's widget belongs to an earlier turn (or is gone)."""
        if not widget.is_attached:
            return True
        node: DOMNode | None = widget
        while node is not None and node is not self:
            turns = [c for c in node.classes if c.startswith(TURN)]
            if turns:
                return turns != [f"{TURN}{self._turn}"]
            node = node.parent
        return False

    async def _show_answer(self, view: View) -> None:
        area = await self._new_turn()
        node = view.current
        if isinstance(node, ChoiceNode):
            buttons = [
                Button(literal(f"{i}. {o.label}"), id=f"opt--{i}", classes="choice", compact=True)
                for i, o in enumerate(node.options, start=1)
            ]
            if node.optional:
                buttons.append(
                    Button(
                        literal(strings.UI_DONT_KNOW),
                        id="skip",
                        classes="choice skip",
                        compact=True,
                    )
                )
            await self._mount_turn(area, list(buttons))
            chosen = view.prefill.value if view.prefill else None
            index = next((i for i, o in enumerate(node.options) if o.id == chosen), 0)
            buttons[index].focus()
        elif isinstance(node, TextNode):
            typed = view.prefill.text if view.prefill and view.prefill.text else ""
            # Text, not markup, and never a control character sent to the terminal.
            field = Input(
                value=strip_controls(typed),
                placeholder=strip_controls(node.placeholder or ""),
                id="free",
                max_length=2000,
            )
            row = Horizontal(
                Button(literal(strings.UI_SEND), id="send", variant="primary"),
                *(
                    [Button(literal(strings.UI_DONT_KNOW), id="skip")]
                    if node.optional or node.match == "needs"
                    else []
                ),
                classes="buttons",
            )
            await self._mount_turn(area, [field, row])
            field.focus()
        elif isinstance(node, ConfirmNode):
            await self._show_confirm(area, view)

    async def _show_confirm(self, area: Vertical, view: View) -> None:
        catalog = self.engine.catalog
        candidates = [c.need for c in view.candidates]
        if view.unsure and self._clarified is None and len(candidates) >= 2:
            a, b = (catalog.needs[n].label for n in candidates[:2])
            answers = [a, b, strings.UI_BOTH, strings.UI_NEITHER]
            choices = list(zip(CLARIFY_KEYS, answers, strict=True))
            clarify = [
                Button(
                    literal(f"{number}. {label}"),
                    id=f"clarify--{key}",
                    classes="choice",
                    compact=True,
                )
                for number, (key, label) in enumerate(choices, start=1)
            ]
            await self._mount_turn(
                area,
                [
                    Static(literal(strings.UI_UNSURE.format(a=a, b=b)), classes="prompt"),
                    *clarify,
                ],
            )
            clarify[0].focus()
            return
        if view.prefill is not None and isinstance(view.prefill.value, list):
            checked = list(view.prefill.value)
        elif self._clarified is not None:
            checked = self._clarified
        else:
            checked = [c.need for c in view.candidates if c.likely]
        if checked:
            labels = label_list([catalog.needs[n].label for n in checked], first_in_sentence=True)
            prompt = strings.UI_UNDERSTOOD.format(needs=labels)
        else:
            prompt = strings.UI_CHOOSE_NEEDS if view.words_not_read else strings.UI_UNDERSTOOD_NONE
        shown = list(dict.fromkeys([*candidates, *checked]))
        if not shown or self._extra_needs:
            shown += [n for n in catalog.needs if n not in shown]
        boxes = [
            NeedBox(
                literal(catalog.needs[n].label), value=n in checked, id=f"need--{n}", compact=True
            )
            for n in shown
        ]
        # "That's right" only when something was understood; otherwise the person chooses.
        label = strings.UI_CONFIRM if checked else strings.UI_CONFIRM_CHOICE
        buttons = [Button(literal(label), id="confirm", variant="primary", compact=True)]
        if len(shown) < len(catalog.needs):
            buttons.append(Button(literal(strings.UI_ADD_NEED), id="more", compact=True))
        await self._mount_turn(
            area,
            [
                Static(literal(prompt), classes="prompt"),
                Horizontal(*buttons, classes="buttons compact"),
                NeedsList(*boxes, id="needs"),
            ],
        )
        # With needs understood, "that's right" is one Enter away; otherwise start in the list.
        (buttons[0] if checked or not boxes else boxes[0]).focus()

    def _set_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(literal(strings.UI_ERROR_PREFIX + message if message else ""))
        error.set_class(not message, "hidden")

    def _show_urgence(self, kinds: tuple[str, ...] | None) -> None:
        """The help lines stay on show once distress was read, those of its kind first."""
        banner = self.query_one("#urgence", Static)
        if kinds is not None:
            urgence = self.engine.catalog.about.urgence
            # « · » between lines: the spaces alone ran « …du suicide 3919 : Violences… »
            # together (French typography keeps one space)
            lines = " · ".join(
                f"{h.number} : {h.label.split(':')[0].strip()}" for h in urgence.lines_for(kinds)
            )
            banner.update(literal(f"{urgence.title}\n{lines}"))
        banner.set_class(kinds is None, "hidden")

    # --- answering ---------------------------------------------------------------------

    async def answer(self, given: str | list[str] | None) -> None:
        """Give an answer to the engine; a refused answer is explained, nothing is lost."""
        async with self._changing:
            await self._answer(given)

    async def _answer(self, given: str | list[str] | None) -> None:
        seen = set(self.view_now.alerts) if self.view_now and self.view_now.urgence else set()
        try:
            self.state = self.engine.answer(self.state, given)
        except AnswerError as exc:
            self._set_error(str(exc))
            return
        self._clarified = None
        self._extra_needs = False
        node = self.view_now.current if self.view_now else None
        text: str | None = None
        understood = True
        if isinstance(node, TextNode) and node.match == "needs" and isinstance(given, str):
            recorded = self.state.answers.get(node.slot)
            if recorded is not None and not recorded.urgence:
                text = given
                understood = bool(recorded.candidates and not recorded.unsure)
        self.post_message(self.Answered(self.state, text, understood))
        view = self.engine.view(self.state)
        if view.urgence and (not seen or set(view.alerts) - seen):  # new distress: help first
            self.post_message(self.Urgent(view.alerts))
        await self.show()

    async def replace_state(self, state: State) -> None:
        """Show another state (the advisor changed an answer, a session was resumed)."""
        async with self._changing:
            self.state = state
            self._clarified = None
            await self.show()

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        async with self._changing:
            if not self._stale(event.button):
                await self._press(event.button.id or "")

    async def _press(self, bid: str) -> None:
        node = self.view_now.current if self.view_now else None
        if bid.startswith("opt--") and isinstance(node, ChoiceNode):
            await self._answer(node.options[int(bid.removeprefix("opt--")) - 1].id)
        elif bid == "skip":
            await self._answer(None)
        elif bid == "send":
            fields = self.query_one("#answer", Vertical).query("#free").results(Input)
            field = next(fields, None)
            if field is not None:
                await self._send(field.value)
        elif bid.startswith("edit--"):
            await self._edit(bid.removeprefix("edit--"))
        elif bid.startswith("clarify--"):
            await self._clarify(bid.removeprefix("clarify--"))
        elif bid == "more":
            self._extra_needs = True
            await self._keep_checked_and_redraw()
        elif bid == "confirm":
            await self._answer(self._checked_needs())

    @on(Input.Submitted, "#free")
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        async with self._changing:
            if not self._stale(event.input):
                await self._send(event.value)

    async def _send(self, text: str) -> None:
        """A typed answer; an empty one is asked again (skipping is its own button)."""
        if not text.strip():
            can_skip = bool(self.query_one("#answer", Vertical).query("#skip"))
            self._set_error(strings.UI_EMPTY_OR_SKIP if can_skip else strings.UI_EMPTY_ANSWER)
            return
        await self._answer(text)

    def _checked_needs(self) -> list[str]:
        return [
            (box.id or "").removeprefix("need--")
            for box in self.query(Checkbox)
            if box.value and (box.id or "").startswith("need--") and not self._stale(box)
        ]

    async def _keep_checked_and_redraw(self) -> None:
        self._clarified = self._checked_needs()
        if self.view_now is not None:
            area = await self._new_turn()
            await self._show_confirm(area, _without_prefill(self.view_now))

    async def _clarify(self, choice: str) -> None:
        view = self.view_now
        if view is None:
            return
        first_two = [c.need for c in view.candidates[:2]]
        rest = [c.need for c in view.candidates[2:] if c.likely]  # only what was heard
        picked = {"0": first_two[:1], "1": first_two[1:2], "both": first_two, "none": []}
        self._clarified = picked.get(choice, first_two) + rest
        area = await self._new_turn()
        await self._show_confirm(area, view)

    async def _edit(self, node_id: str) -> None:
        try:
            self.state = self.engine.edit(self.state, node_id)
        except AnswerError as exc:
            self._set_error(str(exc))
            return
        self._clarified = None
        self.post_message(self.Moved(self.state))
        await self.show()

    # --- keys --------------------------------------------------------------------------

    async def action_back(self) -> None:
        """Go back one question (Escape)."""
        async with self._changing:
            try:
                self.state = self.engine.back(self.state)
            except AnswerError as exc:
                self._set_error(str(exc))
                return
            self._clarified = None
            self.post_message(self.Moved(self.state))
            await self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Digits choose only while a choice question, or the clarifying question, is shown."""
        if action == "pick":
            if isinstance(self.screen.focused, Input):
                return False
            current = self.view_now.current if self.view_now else None
            return isinstance(current, ChoiceNode) or self._clarifying()
        return True

    def _clarifying(self) -> bool:
        """Whether the clarifying question (« Vous pensez plutôt à… ») is the one shown."""
        return any(
            str(b.id).startswith("clarify--") and not self._stale(b) for b in self.query(Button)
        )

    async def action_pick(self, number: int) -> None:
        """Press the option with this number (the clarifying question's too)."""
        clarify = CLARIFY_KEYS[number - 1] if number <= len(CLARIFY_KEYS) else None
        for button in self.query(Button):
            if self._stale(button):
                continue
            if button.id == f"opt--{number}" or (clarify and button.id == f"clarify--{clarify}"):
                button.press()
                return

    def action_move(self, step: int) -> None:
        """Arrow keys move between the choices, boxes and buttons of the current question
        (stopping at the first and the last); elsewhere, to the next or previous element."""
        focused = self.screen.focused
        if isinstance(focused, Input):
            return
        answer = self.query_one("#answer", Vertical)
        stops = [w for w in answer.query("*") if w.focusable and not self._stale(w)]
        if focused in stops:
            index = stops.index(focused) + step
            if 0 <= index < len(stops):
                stops[index].focus()
            return
        if step < 0:
            self.screen.focus_previous()
        else:
            self.screen.focus_next()


def _without_prefill(view: View) -> View:
    return View(
        view.transcript,
        view.current,
        None,
        view.candidates,
        view.unsure,
        view.urgence,
        view.number,
        view.total,
    )
