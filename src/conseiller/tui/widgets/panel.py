"""The advisor's panel: what the tool understood, why it recommends, and private notes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Select, Static, TextArea

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation
from conseiller.engine import Engine, State
from conseiller.normalize import strip_controls
from conseiller.report import checked_line
from conseiller.schema import ConfirmNode
from conseiller.tui.widgets.bubble import literal, literal_text
from conseiller.tui.widgets.needbox import NeedBox


class AdvisorPanel(Vertical):
    """Profile so far, needs with scores, rules that fired, notes; the advisor can correct."""

    DEFAULT_CSS = """
    AdvisorPanel #adv-status { height: auto; padding: 0 1; }
    AdvisorPanel #adv-status.error { background: $error; color: $background; }
    """

    class NeedsChanged(Message):
        """The advisor accepted, rejected or added needs."""

        def __init__(self, needs: list[str]) -> None:
            super().__init__()
            self.needs = needs

    class NotesChanged(Message):
        """The advisor typed in the notes."""

        def __init__(self, notes: str) -> None:
            super().__init__()
            self.notes = notes

    def __init__(self, engine: Engine, notes: str = "", *, saved: bool) -> None:
        super().__init__(id="panel")
        self.engine = engine
        self._notes = notes
        self._saved = saved
        self._updating = False

    @property
    def catalog(self) -> Catalog:
        """The content."""
        return self.engine.catalog

    def compose(self) -> ComposeResult:
        yield Static(
            literal(strings.ADV_SAVED if self._saved else strings.ADV_NOT_SAVED),
            id="saved-state",
            classes="saved" if self._saved else "not-saved",
        )
        with VerticalScroll(id="panel-body"):
            yield Static(literal(strings.ADV_PROFILE), classes="section")
            yield Static(id="adv-profile")
            yield Static(literal(strings.ADV_NEEDS), classes="section")
            yield Static(id="adv-needs-help", classes="help")
            yield Vertical(id="adv-needs")
            yield Select[str]([], prompt=strings.ADV_ADD_NEED, id="adv-add", allow_blank=True)
            yield Static(literal(strings.ADV_RULES), classes="section")
            yield Static(id="adv-rules")
            yield Static(literal(strings.ADV_NOTES), classes="section")
            yield TextArea(strip_controls(self._notes), id="adv-notes", soft_wrap=True)
            yield Static(id="adv-alert", classes="hidden")
        with Vertical(id="panel-actions"):
            yield Static(id="adv-status", classes="hidden")
            yield Button(
                literal(strings.ADV_HANDOFF), id="handoff", compact=True, disabled=not self._saved
            )
            yield Button(
                literal(strings.ADV_EXPORT_MINE),
                id="export-mine",
                compact=True,
                disabled=not self._saved,
            )
            yield Button(
                literal(strings.ADV_DELETE),
                id="delete",
                variant="error",
                compact=True,
                disabled=not self._saved,
            )

    async def refresh_from(self, state: State) -> None:
        """Redraw from the conversation's state."""
        catalog = self.catalog
        view = self.engine.view(state)
        outcome = Conversation(catalog, self.engine.flow, self.engine.matcher).outcome(state)
        self.query_one("#adv-profile", Static).update(
            literal("\n".join(f"• {a}" for _, a in outcome.answers) or strings.ADV_EMPTY)
        )
        confirm = next((t for t in view.transcript if isinstance(t.node, ConfirmNode)), None)
        source = None
        if confirm is not None:
            assert isinstance(confirm.node, ConfirmNode)
            source = state.answers.get(confirm.node.source)
        elif isinstance(view.current, ConfirmNode):
            source = state.answers.get(view.current.source)
        scores = {c.need: c.score for c in source.candidates} if source else {}
        chosen_ids = list(outcome.profile.besoins)
        shown = list(dict.fromkeys([*scores, *chosen_ids]))
        editable = confirm is not None
        self.query_one("#adv-needs-help", Static).update(
            literal(strings.ADV_NEEDS_EDIT if editable else strings.ADV_NEEDS_WAIT)
        )
        box = self.query_one("#adv-needs", Vertical)
        self._updating = True
        await box.remove_children()
        await box.mount_all(
            [
                NeedBox(
                    literal(_need_label(catalog, n, scores.get(n))),
                    value=n in chosen_ids,
                    id=f"adv-need--{n}",
                    compact=True,
                    disabled=not editable,
                )
                for n in shown
            ]
        )
        add = self.query_one("#adv-add", Select)
        add.set_options(
            [(literal_text(catalog.needs[n].label), n) for n in catalog.needs if n not in shown]
        )
        add.disabled = not editable
        self._updating = False
        rec = outcome.recommendation
        rules = [f"{p.format.title} ← {', '.join(p.rules)}" for p in rec.formats]
        rules += [
            f"{p.contact.name} ← {', '.join(p.rules) or p.scope}"
            # a contact near the person (often from a territory pack): where from, when
            + (f"\n    {checked_line(p)}" if p.scope == "departemental" else "")
            for p in rec.contacts
        ]
        self.query_one("#adv-rules", Static).update(
            literal("\n".join(rules) if chosen_ids or view.finished else strings.ADV_RULES_WAIT)
        )

    def set_saved_state(self, text: str, *, saved: bool) -> None:
        """Change the line at the top: saved, not saved, deleted, last change not saved."""
        header = self.query_one("#saved-state", Static)
        header.update(literal(text))
        header.set_class(saved, "saved")
        header.set_class(not saved, "not-saved")

    def set_status(self, text: str, *, error: bool = False) -> None:
        """A lasting message above the buttons (an export path, a failure); "" hides it."""
        status = self.query_one("#adv-status", Static)
        status.update(literal(text))
        status.set_class(not text, "hidden")
        status.set_class(error, "error")

    def disable_actions(self) -> None:
        """No saved session any more: nothing to export or delete."""
        for button in self.query("#panel-actions Button").results(Button):
            button.disabled = True

    def _current_needs(self) -> list[str]:
        return [(b.id or "").removeprefix("adv-need--") for b in self.query(Checkbox) if b.value]

    @on(Checkbox.Changed)
    def _need_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        if not self._updating:
            self.post_message(self.NeedsChanged(self._current_needs()))

    @on(Select.Changed, "#adv-add")
    def _need_added(self, event: Select.Changed) -> None:
        event.stop()
        if self._updating or not isinstance(event.value, str):
            return
        self.post_message(self.NeedsChanged([*self._current_needs(), event.value]))

    @on(TextArea.Changed, "#adv-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        area = event.text_area
        clean = strip_controls(area.text)
        if clean != area.text:
            # A pasted escape sequence would go to the terminal as it is: it is dropped
            # (this change comes back here once more, clean).
            area.text = clean
            area.move_cursor(area.document.end)
            return
        self._check_distress(clean)
        self.post_message(self.NotesChanged(clean))

    def _check_distress(self, notes: str) -> None:
        """The safety net reads the notes too: a discreet line, for the advisor's eyes."""
        kinds = self.engine.matcher.distress(notes) if notes.strip() else ()
        alert = self.query_one("#adv-alert", Static)
        if kinds:
            lines = self.catalog.about.urgence.lines_for(kinds)
            numbers = ", ".join(f"{h.number} ({h.label.split(':')[0]})" for h in lines[:3])
            alert.update(literal(strings.ADV_NOTES_ALERT.format(lines=numbers)))
        alert.set_class(not kinds, "hidden")

    @property
    def notes(self) -> str:
        """The notes as typed."""
        return self.query_one("#adv-notes", TextArea).text


def _need_label(catalog: Catalog, need: str, score: float | None) -> str:
    label = catalog.needs[need].label
    return f"{label} ({score:.0f})" if score is not None else f"{label} ({strings.ADV_BY_HAND})"
