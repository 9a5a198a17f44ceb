"""Advisor mode: the list of saved sessions, and the consent question for a new one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Static

from conseiller import strings
from conseiller.tui.widgets.bubble import literal, literal_text
from conseiller.tui.widgets.footer import KeyBar
from conseiller.tui.widgets.titlebar import TitleBar


def _local_time(updated: str) -> str:
    """A session's time as the advisor reads a clock: local time, French order."""
    try:
        return dt.datetime.fromisoformat(updated).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return updated.replace("T", " ")[:16]


@dataclass(frozen=True)
class SessionRow:
    """One line of the list; `problem` says why a session cannot be opened."""

    id: str
    label: str
    updated: str
    where: str
    problem: str | None = None


class SessionsScreen(Screen[None]):
    """Saved sessions, most recent first: resume one, start a new one, or delete one."""

    # Notices at the top: at the bottom (Textual's default) they covered the buttons.
    DEFAULT_CSS = """
    SessionsScreen > ToastRack { dock: top; align: right top; margin: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("n", "new", strings.ADV_NEW, id="new"),
        Binding("delete", "delete", strings.ADV_DELETE_KEY, id="delete"),
    ]

    def __init__(
        self,
        rows: list[SessionRow],
        on_choice: Callable[[str | None], None],
        on_delete: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.on_choice = on_choice
        self.on_delete = on_delete
        self._problems = {row.id: row.problem for row in rows if row.problem}

    def compose(self) -> ComposeResult:
        yield TitleBar(strings.ADV_TITLE)
        with Vertical(id="sessions"):
            yield Static(literal(strings.ADV_SESSIONS_TITLE), classes="title")
            yield Static(literal(strings.ADV_SESSIONS_HELP), classes="help")
            table: DataTable[object] = DataTable(id="session-table", cursor_type="row")
            table.add_columns(*(literal_text(c) for c in strings.ADV_COLUMNS))
            for row in self.rows:
                where = (
                    strings.SESSIONS_UNREADABLE.format(reason=row.problem)
                    if row.problem
                    else row.where
                )
                # Labels and texts are data: Rich Text, never markup ("[/]" must not crash).
                table.add_row(
                    literal_text(row.label or "-"),
                    literal_text(_local_time(row.updated)),
                    literal_text(where),
                    key=row.id,
                )
            yield table
            if not self.rows:
                yield Static(literal(strings.REVIEW_NO_SESSION), id="no-session", classes="help")
            with Horizontal(classes="buttons"):
                yield Button(literal(strings.ADV_NEW), id="new", variant="primary")
                yield Button(literal(strings.ADV_RESUME), id="resume", disabled=not self.rows)
                yield Button(
                    literal(strings.ADV_DELETE),
                    id="delete-row",
                    variant="error",
                    disabled=not self.rows or self.on_delete is None,
                )
        yield KeyBar()

    def on_mount(self) -> None:
        target = "#session-table" if self.rows else "#new"
        self.query_one(target).focus()

    def _chosen(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value)

    def _open(self, session_id: str) -> None:
        problem = self._problems.get(session_id)
        if problem:
            self.notify(
                literal(strings.ADV_UNREADABLE_OPEN.format(reason=problem)).plain,
                severity="warning",
                markup=False,
            )
            return
        self.on_choice(session_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new":
            self.on_choice(None)
        elif event.button.id == "resume":
            chosen = self._chosen()
            if chosen is not None:
                self._open(chosen)
        elif event.button.id == "delete-row":
            self.action_delete()

    def action_new(self) -> None:
        """Start a new session."""
        self.on_choice(None)

    def action_delete(self) -> None:
        """Delete the session under the cursor, after a confirmation."""
        chosen = self._chosen()
        on_delete = self.on_delete
        if chosen is None or on_delete is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                on_delete(chosen)

        self.app.push_screen(
            ConfirmScreen(
                strings.ADV_DELETE_QUESTION, strings.ADV_DELETE_YES, strings.ADV_DELETE_NO
            ),
            done,
        )


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; "no" has the focus, Escape means no."""

    BINDINGS = [Binding("escape", "dismiss(False)", strings.UI_CLOSE)]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question), classes="title")
            with Horizontal(classes="buttons"):
                yield Button(literal(self.no), id="no", variant="primary")
                yield Button(literal(self.yes), id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class ConsentScreen(ModalScreen[tuple[bool, str]]):
    """Ask the holder before anything is kept: what for, and for how long."""

    def __init__(self, retention: str = strings.ADV_RETENTION_DEFAULT) -> None:
        super().__init__()
        self.retention = retention

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(strings.ADV_CONSENT_TITLE), classes="title")
            yield Static(
                literal(strings.ADV_CONSENT_TEXT.format(retention=self.retention)),
                id="consent-text",
            )
            yield Static(literal(strings.ADV_CONSENT_LABEL), classes="help")
            yield Input(id="label", max_length=60)
            with Horizontal(classes="buttons"):
                yield Button(literal(strings.ADV_CONSENT_YES), id="yes", variant="primary")
                yield Button(literal(strings.ADV_CONSENT_NO), id="no")

    def on_mount(self) -> None:
        # The optional label first: what the advisor types lands in it, then Tab to a
        # button; consent is never the default answer of a stray Enter.
        self.query_one("#label", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the label goes on to « Oui, garder », which then needs its own Enter."""
        event.stop()
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        label = self.query_one("#label", Input).value.strip()
        self.dismiss((event.button.id == "yes", label if event.button.id == "yes" else ""))
