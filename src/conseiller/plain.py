"""`conseiller plain` (`texte`): the conversation line by line, plain text only, no escape byte."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from conseiller import report, strings
from conseiller.conversation import Conversation
from conseiller.describe import answer_label
from conseiller.engine import SKIP_WORDS, AnswerError, State, View
from conseiller.normalize import fold
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, MessageNode, Question, TextNode
from conseiller.typography import french, label_list, shorten

#: The longest answer read from one line; the rest of the line is dropped.
MAX_LINE = 2000

# Everything a terminal could take as a command: C0 controls but the line feed (a tab becomes
# a space), DEL, C1 controls (0x9b is a one-byte CSI) and the bidirectional overrides that
# reorder what is shown. None of them ever reaches standard output.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_NUMBERS = re.compile(r"[\s,;]+|\bet\b")

HELP = ("?", "aide", "help")
BACK = ("retour", "revenir", "precedent")
QUIT = ("quitter", "quit", "exit", "au revoir")
ACCEPT = ("ok", "oui", "c est bien ca", "d accord", "valider")
NONE = ("aucun", "aucune", "rien")
MORE = ("autres", "autre", "plus", "tous")
YES = ("o", "oui", "y", "yes")
NO = ("n", "non", "no")


def clean(text: str) -> str:
    """Text made safe to print: no control character but the line feed, tabs as spaces."""
    return _UNPRINTABLE.sub("", text.replace("\t", " ").replace("\r\n", "\n"))


class _EndOfInput(Exception):
    """Standard input ended (Ctrl+D, or the end of a piped file)."""


class _Quit(Exception):
    """The person typed « quitter »."""


@dataclass
class _Asking:
    """What the current question has shown so far (reset when the question changes)."""

    node: str | None = None
    clarified: list[str] | None = None
    more: bool = False
    shown: list[str] = field(default_factory=list)


class PlainSession:
    """One conversation on a pair of text streams; every line printed goes through `say`."""

    def __init__(
        self,
        conversation: Conversation,
        stdin: TextIO,
        stdout: TextIO,
        *,
        interactive: bool,
        save_dir: Path | None = None,
        exports_dir: Path | None = None,
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.conversation = conversation
        self.catalog = conversation.catalog
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = interactive
        self.save_dir = save_dir
        self.exports_dir = exports_dir
        self.now = now
        self.alerts_shown: list[str] = []
        self.messages_shown: set[str] = set()
        self.asking = _Asking()

    # --- input and output --------------------------------------------------------------

    def say(self, text: str = "") -> None:
        """Print one or more lines, cleaned of every control character."""
        self.stdout.write(clean(french(text)) + "\n")  # French typography, like every front
        self.stdout.flush()

    def ask(self) -> str:
        """The prompt on its own line, then one line of input (EOF ends the conversation)."""
        self.stdout.write("> ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise _EndOfInput
        line = clean(line.rstrip("\r\n")).replace("\n", " ")[:MAX_LINE]
        if not self.interactive:  # piped: the answer shows in the transcript, on its line
            self.stdout.write(line + "\n")
        self.stdout.flush()
        return line

    # --- the conversation --------------------------------------------------------------

    def run(self) -> int:
        """Walk the whole conversation; 0 at the end or at EOF, 130 on Ctrl+C."""
        try:
            self.say(strings.PLAIN_WELCOME)
            state = self._converse(self.conversation.start())
            self._results(state)
        except _EndOfInput:
            self.say(strings.PLAIN_EOF)
            return 0
        except _Quit:
            self.say(strings.PLAIN_QUIT)
            return 0
        except KeyboardInterrupt:
            self.stdout.write("\n")
            self.say(strings.PLAIN_INTERRUPTED)
            return 130
        return 0

    def _converse(self, state: State) -> State:
        """Ask question after question until the end; returns the final state."""
        while True:
            view = self.conversation.view(state)
            self._show_alerts(view.alerts)
            self._show_messages(view)
            if isinstance(view.current, EndNode):
                return state
            node = view.current
            if self.asking.node != node.id:
                self.asking = _Asking(node=node.id)
                self._show_question(view, node)
            state = self._turn(state, view, node)

    def _show_alerts(self, kinds: Sequence[str]) -> None:
        """The help lines, first, once (again only when a new kind of distress is read)."""
        if not kinds or all(k in self.alerts_shown for k in kinds):
            return
        self.alerts_shown += [k for k in kinds if k not in self.alerts_shown]
        urgence = self.catalog.about.urgence
        self.say(strings.PLAIN_URGENCE_TITLE.format(title=urgence.title))
        self.say(urgence.intro)
        for line in urgence.lines_for(list(kinds)):
            # « — » as on the other fronts: the label has its own « : » (« 3114 : Prévention
            # du suicide : si vous… » read as two pairs)
            self.say(f"  {line.number} — {line.label}")
        self.say()

    def _show_messages(self, view: View) -> None:
        for turn in view.transcript:
            if isinstance(turn.node, MessageNode) and turn.node.id not in self.messages_shown:
                self.messages_shown.add(turn.node.id)
                self.say(turn.node.text)
                self.say()

    def _show_question(self, view: View, node: Question) -> None:
        """The question, once: progress, text, help, then its choices or its list."""
        self.say(strings.UI_PROGRESS.format(n=view.number, total=view.total))
        self.say(view.question)
        if view.question_help:
            self.say(view.question_help)
        if isinstance(node, ChoiceNode):
            for i, option in enumerate(node.options, start=1):
                self.say(f"{i}. {option.label}")
        if isinstance(node, ConfirmNode):
            self._show_needs(view)
        elif _skippable(node):
            self.say(strings.PLAIN_SKIP_HINT)

    def _remind(self, view: View, node: Question) -> None:
        """A short reminder of how to answer (after a refused answer or the help)."""
        skip = strings.PLAIN_REMIND_SKIP if _skippable(node) else ""
        if isinstance(node, ChoiceNode):
            self.say(strings.PLAIN_REMIND_CHOICE.format(n=len(node.options), skip=skip))
        elif isinstance(node, ConfirmNode):
            if self._clarifying(view):
                self.say(strings.PLAIN_REMIND_CLARIFY)
            else:
                self.say(strings.PLAIN_REMIND_CONFIRM)
        else:
            self.say(strings.PLAIN_REMIND_TEXT.format(question=shorten(node.text, 70), skip=skip))

    def _turn(self, state: State, view: View, node: Question) -> State:
        """Read one line and act on it; returns the state to show next."""
        line = self.ask()
        key = fold(line)
        if line.strip() in HELP or key in HELP:
            self.say(strings.PLAIN_HELP)
            self._remind(view, node)
            return state
        if key in QUIT:
            raise _Quit
        if key in BACK:
            try:
                state = self.conversation.back(state)
            except AnswerError as exc:
                self.say(str(exc))
                self._remind(view, node)
                return state
            self.asking = _Asking()
            self.say()
            return state
        if isinstance(node, ConfirmNode):
            return self._confirm_turn(state, view, node, line, key)
        given: str | None = line
        if key in SKIP_WORDS or (not line.strip() and _skippable(node)):
            given = None
        elif not line.strip():
            self.say(strings.PLAIN_EMPTY)
            self._remind(view, node)
            return state
        return self._answer(state, view, node, given)

    def _answer(
        self, state: State, view: View, node: Question, given: str | list[str] | None
    ) -> State:
        """Give an answer; a refused one prints the engine's words and asks again."""
        try:
            new = self.conversation.answer(state, given)
        except AnswerError as exc:
            self.say(str(exc))
            self._remind(view, node)
            return state
        recorded = new.answers.get(node.slot)
        if recorded is None or (new.answers == state.answers and new.cursor == state.cursor):
            # Distress read where a place or a choice was expected: nothing was kept, the
            # help lines come first, then the same question is asked again.
            self._show_alerts(self.conversation.view(new).alerts)
            self._remind(view, node)
            return new
        if not isinstance(node, TextNode) or node.match != "needs":
            self.say(strings.PLAIN_NOTED.format(answer=answer_label(self.catalog, node, recorded)))
        self.say()
        return new

    # --- the needs: clarifying question, then the list to confirm ----------------------

    def _clarifying(self, view: View) -> bool:
        return view.unsure and self.asking.clarified is None and len(view.candidates) >= 2

    def _show_needs(self, view: View) -> None:
        """The clarifying question when the matcher is unsure, else the numbered list."""
        needs = self.catalog.needs
        if self._clarifying(view):
            a, b = (needs[c.need].label for c in view.candidates[:2])
            self.say(strings.UI_UNSURE.format(a=a, b=b))
            for i, label in enumerate((a, b, strings.UI_BOTH, strings.UI_NEITHER), start=1):
                self.say(f"{i}. {label}")
            return
        checked = self._checked(view)
        candidates = [c.need for c in view.candidates]
        shown = list(dict.fromkeys([*candidates, *checked]))
        if not shown or self.asking.more:
            shown += [n for n in needs if n not in shown]
        self.asking.shown = shown
        if checked:
            self.say(
                strings.UI_UNDERSTOOD.format(
                    needs=label_list([needs[n].label for n in checked], first_in_sentence=True)
                )
            )
        else:
            self.say(strings.UI_CHOOSE_NEEDS if view.words_not_read else strings.UI_UNDERSTOOD_NONE)
        for i, need in enumerate(shown, start=1):
            self.say(f"{i}. [{'x' if need in checked else ' '}] {needs[need].label}")
        self.say(strings.PLAIN_REMIND_CONFIRM)
        if len(shown) < len(needs):
            self.say(strings.PLAIN_MORE_HINT)

    def _checked(self, view: View) -> list[str]:
        if view.prefill is not None and isinstance(view.prefill.value, list):
            return list(view.prefill.value)
        if self.asking.clarified is not None:
            return self.asking.clarified
        return [c.need for c in view.candidates if c.likely]

    def _confirm_turn(
        self, state: State, view: View, node: ConfirmNode, line: str, key: str
    ) -> State:
        if self._clarifying(view):
            return self._clarify_turn(state, view, node, line, key)
        if key in ACCEPT:
            return self._answer(state, view, node, self._checked(view))
        if key in SKIP_WORDS:
            return self._answer(state, view, node, None)
        if key in NONE:
            return self._answer(state, view, node, [])
        if not line.strip():
            self.say(strings.PLAIN_EMPTY)
            self._remind(view, node)
            return state
        if key in MORE:
            self.asking.more = True
            self._show_needs(view)
            return state
        picked = self._numbers(line, len(self.asking.shown))
        if picked is None:
            self._refused(view, node, line)
            return state
        return self._answer(state, view, node, [self.asking.shown[i - 1] for i in picked])

    def _clarify_turn(
        self, state: State, view: View, node: ConfirmNode, line: str, key: str
    ) -> State:
        first_two = [c.need for c in view.candidates[:2]]
        rest = [c.need for c in view.candidates[2:] if c.likely]  # only what was heard
        picked = self._numbers(line, 4)
        if key in SKIP_WORDS:
            picked = [3]
        if picked is None or len(picked) != 1:
            self._refused(view, node, line)
            return state
        chosen = {1: first_two[:1], 2: first_two[1:2], 3: first_two, 4: []}[picked[0]]
        self.asking.clarified = chosen + rest
        self._show_needs(view)
        return state

    def _numbers(self, line: str, top: int) -> list[int] | None:
        """`1 3`, `1, 3` or `1 et 3` as numbers from 1 to `top`; None if it is not that."""
        parts = [p for p in _NUMBERS.split(line.strip()) if p]
        if not parts or not all(p.isdigit() and 1 <= int(p) <= top for p in parts):
            return None
        return list(dict.fromkeys(int(p) for p in parts))

    def _refused(self, view: View, node: ConfirmNode, line: str) -> None:
        """Not a command nor numbers: the safety net reads it, then a reminder."""
        kinds = self.conversation.engine.matcher.distress(line) if line.strip() else ()
        if kinds:
            self._show_alerts(kinds)
        else:
            top = 4 if self._clarifying(view) else len(self.asking.shown)
            self.say(strings.PLAIN_BAD_NUMBERS.format(text=shorten(line, 70), n=top))
        self._remind(view, node)

    # --- the end -----------------------------------------------------------------------

    def _results(self, state: State) -> None:
        """The results in plain text, then the take-away (asked, given by --save, or not)."""
        view = self.conversation.view(state)
        outcome = self.conversation.outcome(state)
        self.say(view.current.text)
        self.say()
        when = self.now()
        answers = list(outcome.answers)
        rec = outcome.recommendation
        self.say(report.render_text(report.build(self.catalog, rec, answers, when)))
        folder = self.save_dir
        if folder is None and self.interactive and self.exports_dir is not None:
            self.say(strings.PLAIN_SAVE_ASK.format(folder=self.exports_dir))
            if self._yes():
                folder = self.exports_dir
            else:
                self.say(strings.PLAIN_NOT_SAVED)
        if folder is not None:
            try:
                md, page = report.save(self.catalog, rec, answers, folder, when=when)
            except OSError as exc:
                self.say(strings.UI_SAVE_FAILED.format(reason=exc.strerror or exc))
            else:
                self.say(strings.UI_SAVED.format(md=md, html=page))
        self.say(strings.PLAIN_BYE)

    def _yes(self) -> bool:
        """Oui or non; no by default (an empty line)."""
        while True:
            key = fold(self.ask())
            if key in YES:
                return True
            if not key or key in NO or key in SKIP_WORDS:
                return False
            self.say(strings.PLAIN_YES_NO)


def _skippable(node: Question) -> bool:
    """Whether « je ne sais pas » (or an empty line) passes this question."""
    if isinstance(node, TextNode) and node.match == "needs":
        return True
    return node.optional and not isinstance(node, ConfirmNode)


def run(
    conversation: Conversation,
    stdin: TextIO,
    stdout: TextIO,
    *,
    interactive: bool,
    save_dir: Path | None = None,
    exports_dir: Path | None = None,
) -> int:
    """Run one plain-text conversation; the exit code (0, or 130 on Ctrl+C)."""
    return PlainSession(
        conversation,
        stdin,
        stdout,
        interactive=interactive,
        save_dir=save_dir,
        exports_dir=exports_dir,
    ).run()
