"""Advisor mode: the list of saved sessions, and the consent question for a new one."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Static

from conseiller import strings
from conseiller.tui.widgets.bubble import literal
from conseiller.tui.widgets.footer import KeyBar
from conseiller.tui.widgets.titlebar import TitleBar


class SessionsScreen(Screen[None]):
    """Saved sessions, most recent first: resume one, or start a new one."""

    BINDINGS = [Binding("n", "new", strings.ADV_NEW, id="new")]

    def __init__(
        self, rows: list[tuple[str, str, str, str]], on_choice: Callable[[str | None], None]
    ) -> None:
        super().__init__()
        self.rows = rows
        self.on_choice = on_choice

    def compose(self) -> ComposeResult:
        yield TitleBar(strings.ADV_TITLE)
        with Vertical(id="sessions"):
            yield Static(literal(strings.ADV_SESSIONS_TITLE), classes="title")
            yield Static(literal(strings.ADV_SESSIONS_HELP), classes="help")
            table: DataTable[str] = DataTable(id="session-table", cursor_type="row")
            table.add_columns(*strings.ADV_COLUMNS)
            for session_id, label, updated, where in self.rows:
                table.add_row(label or "-", updated.replace("T", " ")[:16], where,
                              key=session_id)
            yield table
            with Horizontal(classes="buttons"):
                yield Button(literal(strings.ADV_NEW), id="new", variant="primary")
                yield Button(literal(strings.ADV_RESUME), id="resume",
                             disabled=not self.rows)
        yield KeyBar()

    def on_mount(self) -> None:
        target = "#session-table" if self.rows else "#new"
        self.query_one(target).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.on_choice(str(event.row_key.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new":
            self.on_choice(None)
        elif event.button.id == "resume":
            table = self.query_one(DataTable)
            if table.row_count:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
                self.on_choice(str(key.value))

    def action_new(self) -> None:
        """Start a new session."""
        self.on_choice(None)


class ConsentScreen(ModalScreen[tuple[bool, str]]):
    """Ask the holder before anything is kept."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(strings.ADV_CONSENT_TITLE), classes="title")
            yield Static(literal(strings.ADV_CONSENT_TEXT))
            yield Static(literal(strings.ADV_CONSENT_LABEL), classes="help")
            yield Input(id="label", max_length=60)
            with Horizontal(classes="buttons"):
                yield Button(literal(strings.ADV_CONSENT_YES), id="yes", variant="primary")
                yield Button(literal(strings.ADV_CONSENT_NO), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        label = self.query_one("#label", Input).value.strip()
        self.dismiss((event.button.id == "yes", label if event.button.id == "yes" else ""))
