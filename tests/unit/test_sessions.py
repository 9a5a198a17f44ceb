"""Saved sessions read back and used from the command line: bad rows, ids, exports, purge."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from conseiller import report, sessions
from conseiller.catalog import Catalog
from conseiller.cli import main
from conseiller.conversation import Conversation
from conseiller.replay import replay
from conseiller.safe_text import dumps, visible
from conseiller.sessions import SessionUnreadable, export_handoff, open_session
from conseiller.store import FILENAME, Store, StoreError

SCENARIOS = Path(__file__).parent.parent / "scenarios"


@pytest.fixture(scope="module")
def finished_state(catalog: Catalog) -> str:
    """The saved state of a whole conversation (scenario 01)."""
    from conseiller.matching import matcher_for

    doc = yaml.safe_load((SCENARIOS / "01-isolee-idee-creuse.yaml").read_text(encoding="utf-8"))
    conversation = Conversation(catalog, catalog.default_flow, matcher_for(catalog))
    return replay(conversation, doc["answers"]).state.to_json()


def _with(state: str, change: Any) -> str:
    data = json.loads(state)
    change(data)
    return json.dumps(data)


def _old(folder: Path, session_id: str, days: int) -> None:
    """Pretend the session was last touched `days` ago."""
    import sqlite3

    when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    conn = sqlite3.connect(folder / FILENAME)
    conn.execute("UPDATE sessions SET updated = ? WHERE id = ?", (when, session_id))
    conn.commit()
    conn.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `conseiller ARGV` in-process: exit code, stdout, stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# --- one unreadable session ------------------------------------------------------------

BROKEN = {
    "newer": (lambda d: d.update(version=7), "version plus récente"),
    "node removed": (lambda d: d.update(cursor="question-retiree"), "question-retiree"),
    "need removed": (
        lambda d: d["answers"]["besoins"].update(value=["ancien-besoin"]),
        "ancien-besoin",
    ),
    "candidate removed": (
        lambda d: d["answers"]["besoins_texte"]["candidates"].append(
            {"need": "besoin-disparu", "score": 50.0}
        ),
        "besoin-disparu",
    ),
    "not a state": (lambda d: d["answers"].update(role=12), "pas valides"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_an_unreadable_state_says_why_in_french(
    catalog: Catalog, finished_state: str, tmp_path: Path, case: str
) -> None:
    change, words = BROKEN[case]
    store = Store(tmp_path)
    sid = store.create("principal", _with(finished_state, change))
    record = store.get(sid)
    assert record is not None
    with pytest.raises(SessionUnreadable) as err:
        open_session(catalog, record)
    assert isinstance(err.value, StoreError)
    assert words in err.value.reason and sid in str(err.value)


def test_malformed_json_is_unreadable_not_a_traceback(catalog: Catalog, tmp_path: Path) -> None:
    store = Store(tmp_path)
    record = store.get(store.create("principal", '{"version": 1, "flow": '))
    assert record is not None and record.problem
    with pytest.raises(SessionUnreadable, match="JSON"):
        open_session(catalog, record)


def test_one_bad_row_does_not_stop_list_show_or_export(
    finished_state: str, tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = Store(data, db=db)
    good = store.create("principal", finished_state, label="Bonne")
    newer = store.create(
        "principal", _with(finished_state, lambda d: d.update(version=7)), label="Future"
    )
    broken = store.create("principal", "{pas du json", label="Cassée")
    code, out, err = _run(capsys, "sessions", "list", "--data", str(data), "--db", db)
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "terminée" in lines[good]
    assert "illisible" in lines[newer] and "version plus récente" in lines[newer]
    assert "illisible" in lines[broken] and "JSON" in lines[broken]
    code, out, _ = _run(capsys, "sessions", "list", "--json", "--data", str(data), "--db", db)
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows[good]["problem"] is None and rows[good]["needs"] == ["isolement"]
    assert "JSON" in rows[broken]["problem"]
    code, out, err = _run(capsys, "sessions", "show", newer, "--data", str(data), "--db", db)
    assert code == 2 and "illisible" in err and "Traceback" not in err
    code, out, _ = _run(capsys, "sessions", "show", good, "--data", str(data), "--db", db)
    assert code == 0 and "Besoins : isolement" in out
    code, out, err = _run(
        capsys,
        "sessions",
        "export",
        good,
        "--out",
        str(tmp_path / "out"),
        "--data",
        str(data),
        "--db",
        db,
    )
    assert code == 0, err
    code, _, _ = _run(capsys, "sessions", "delete", broken, "--data", str(data), "--db", db)
    assert code == 0 and Store(data, db=db).get(broken) is None


# --- ids and prefixes ------------------------------------------------------------------


def test_every_command_takes_a_unique_prefix_of_eight(
    finished_state: str, tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    sid = Store(data, db=db).create("principal", finished_state)
    assert len(sid) == 32
    code, out, _ = _run(
        capsys, "sessions", "show", sid[:8], "--json", "--data", str(data), "--db", db
    )
    assert code == 0 and json.loads(out)["id"] == sid
    code, _, err = _run(capsys, "sessions", "show", sid[:5], "--data", str(data), "--db", db)
    assert code == 2 and "au moins 8" in err
    code, _, _ = _run(
        capsys,
        "sessions",
        "export",
        sid[:12],
        "--out",
        str(tmp_path / "o"),
        "--data",
        str(data),
        "--db",
        db,
    )
    assert code == 0
    assert len(list((tmp_path / "o").iterdir())) == 2
    code, out, _ = _run(capsys, "sessions", "delete", sid[:8], "--data", str(data), "--db", db)
    assert code == 0 and Store(data, db=db).list() == []
    assert list((tmp_path / "o").iterdir()) == []  # its hand-off sheets went with it


def test_looking_at_sessions_creates_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out, _ = _run(capsys, "sessions", "list", "--data", str(data))
    assert code == 0 and "Aucune session" in out
    code, _, err = _run(capsys, "sessions", "show", "12345678", "--data", str(data))
    assert code == 2 and "inconnue" in err
    _run(capsys, "sessions", "purge", "--older-than", "1d", "--data", str(data))
    assert not data.exists()


def test_replay_save_writes_a_complete_session_in_one_go(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill right after the session is created must not leave a half-saved one."""

    def killed(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "save", killed)
    data = tmp_path / "data"
    code, _, err = _run(
        capsys,
        "replay",
        str(SCENARIOS / "01-isolee-idee-creuse.yaml"),
        "--save",
        "--data",
        str(data),
        "--db",
        db,
    )
    assert code == 0, err
    [record] = Store(data, db=db).list()
    assert record.finished and record.source == "replay"


# --- control characters ----------------------------------------------------------------

ATTACK_LABEL = "\x1b]0;PIRATE\x07Marie"
ATTACK_NOTES = "\x1b[2J\x1b[Heffacé\x9b31m\x7f\u202egnp.exe\r\nligne 2"


def test_stored_text_is_shown_never_sent_to_the_terminal(
    finished_state: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = Store(data)
    sid = store.create("principal", finished_state, label=ATTACK_LABEL)
    store.save_notes(sid, ATTACK_NOTES)
    for command in ("list", "show"):
        argv = ["sessions", command, *([sid] if command == "show" else []), "--data", str(data)]
        code, out, _ = _run(capsys, *argv)
        assert code == 0
        assert not any(ch in out for ch in "\x1b\x07\x9b\x7f\r\u202e"), repr(out)
        if command == "list":
            assert "␛]0;PIRATE␇Marie" in out
    assert "␛[2J␛[Heffacé\\x9b31m␡\\u202egnp.exe␍\nligne 2" in out  # notes keep their lines
    for command in ("list", "show"):
        argv = [
            "sessions",
            command,
            *([sid] if command == "show" else []),
            "--json",
            "--data",
            str(data),
        ]
        code, out, _ = _run(capsys, *argv)
        assert not any(ch in out for ch in "\x1b\x07\x9b\x7f\r\u202e"), repr(out)
        shown = json.loads(out)
        row = shown[0] if command == "list" else shown
        assert row["label"] == ATTACK_LABEL
        if command == "show":
            assert row["notes"] == ATTACK_NOTES


def test_visible_and_dumps() -> None:
    assert visible("a\x1bb\x00c\nd") == "a␛b␀c␊d"
    assert visible("a\nb\r", keep_newlines=True) == "a\nb␍"
    assert visible("\x9b\u2066") == "\\x9b\\u2066"
    assert json.loads(dumps({"t": "\x9b\x1b\x7f"})) == {"t": "\x9b\x1b\x7f"}
    assert "\x9b" not in dumps({"t": "\x9b"}) and "é" in dumps({"t": "é"})


# --- purge -----------------------------------------------------------------------------


def test_purge_refuses_huge_ages_and_asks_before_emptying_everything(
    finished_state: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    store = Store(data)
    old, recent = (store.create("principal", finished_state) for _ in range(2))
    _old(data, old, 400)
    code, _, err = _run(
        capsys, "sessions", "purge", "--older-than", "99999999999d", "--data", str(data)
    )
    assert code == 2 and "trop longue" in err and "Traceback" not in err
    code, out, _ = _run(
        capsys, "sessions", "purge", "--older-than", "0d", "--dry-run", "--data", str(data)
    )
    assert code == 0 and "2 sessions seraient" in out and old in out and recent in out
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: --yes needed
    code, _, err = _run(capsys, "sessions", "purge", "--older-than", "0d", "--data", str(data))
    assert code == 2 and "--yes" in err
    assert len(store.list()) == 2
    terminal = io.StringIO("n\n")
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", terminal)
    code, out, _ = _run(capsys, "sessions", "purge", "--older-than", "0d", "--data", str(data))
    assert code == 1 and "TOUTES" in out and len(store.list()) == 2
    code, out, _ = _run(capsys, "sessions", "purge", "--older-than", "1y", "--data", str(data))
    assert code == 0 and "1 session supprimée." in out  # not everything: no question
    assert [r.id for r in store.list()] == [recent]
    code, out, _ = _run(
        capsys, "sessions", "purge", "--older-than", "0d", "--yes", "--data", str(data)
    )
    assert code == 0 and store.list() == []


def test_purge_on_a_damaged_file_says_so(
    finished_state: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = Store(data)
    for _ in range(6):
        store.create("principal", finished_state)
    path = data / FILENAME
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as raw:
        raw.seek(path.stat().st_size - 4096)
        raw.write(b"\xff" * 4096)
    code, out, err = _run(capsys, "sessions", "purge", "--older-than", "90d", "--data", str(data))
    assert code == 2 and "abîmé" in err and "supprimée" not in out


# --- retention -------------------------------------------------------------------------


@pytest.fixture
def no_app(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """`conseiller advisor` without the app: what it would have been given."""
    import conseiller.tui.app

    started: list[Any] = []

    def run(args: Any) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(conseiller.tui.app, "run", run)
    return started


def test_advisor_start_purges_sessions_past_the_retention(
    finished_state: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    no_app: list[Any],
) -> None:
    data = tmp_path / "data"
    store = Store(data)
    ancient, old, recent = (store.create("principal", finished_state) for _ in range(3))
    _old(data, ancient, 400)
    _old(data, old, 100)
    monkeypatch.delenv("CONSEILLER_RETENTION", raising=False)
    code, _, err = _run(capsys, "accompagnement", "--data", str(data))
    assert code == 0 and no_app and "1 session de plus de" in err
    assert {r.id for r in store.list()} == {old, recent}
    monkeypatch.setenv("CONSEILLER_RETENTION", "90d")
    _run(capsys, "advisor", "--data", str(data))
    assert [r.id for r in store.list()] == [recent]
    _old(data, recent, 40)
    code, _, _ = _run(capsys, "advisor", "--retention", "30d", "--data", str(data))
    assert code == 0 and store.list() == []
    assert no_app[-1].retention == dt.timedelta(days=30)
    code, _, err = _run(capsys, "advisor", "--retention", "0d", "--data", str(data))
    assert code == 2 and "conservation" in err


def test_advisor_start_creates_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_app: list[Any]
) -> None:
    data = tmp_path / "data"
    assert _run(capsys, "advisor", "--data", str(data))[0] == 0
    assert not (data / FILENAME).exists()


# --- exports ---------------------------------------------------------------------------


def test_exports_of_the_same_second_are_private_kept_and_deleted_with_the_session(
    catalog: Catalog, finished_state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = dt.datetime(2026, 11, 27, 9, 30, 0)
    fixed = SimpleNamespace(datetime=SimpleNamespace(now=lambda: moment))
    monkeypatch.setattr(sessions, "dt", fixed)
    store = Store(tmp_path / "data")
    sid = store.create("principal", finished_state)
    store.save_notes(sid, "NOTE PRIVÉE")
    record = store.get(sid)
    assert record is not None
    folder = tmp_path / "exports"
    first = export_handoff(catalog, open_session(catalog, record), folder, store=store)
    second = export_handoff(
        catalog, open_session(catalog, record), folder, store=store, with_notes=True
    )
    third = export_handoff(
        catalog, open_session(catalog, record), folder, store=store, with_notes=True
    )
    paths = [*first, *second, *third]
    assert len(set(paths)) == 6 and all(p.exists() for p in paths)
    assert "NOTE PRIVÉE" not in first[0].read_text(encoding="utf-8")
    assert "NOTE PRIVÉE" in second[0].read_text(encoding="utf-8")
    assert _mode(folder) == 0o700 and all(_mode(p) == 0o600 for p in paths)
    saved = store.get(sid)
    assert saved is not None and set(saved.exports) == {str(p) for p in paths}
    result = store.delete(sid)
    assert result and result.undeleted_files == ()
    assert not any(p.exists() for p in paths)


def test_take_aways_of_the_same_second_do_not_overwrite_each_other(
    catalog: Catalog, finished_state: str, tmp_path: Path
) -> None:
    record = Store(tmp_path).get(Store(tmp_path).create("principal", finished_state))
    assert record is not None
    opened = open_session(catalog, record)
    when = dt.datetime(2026, 11, 27, 9, 30, 0)
    folder = tmp_path / "exports"
    one = report.save(catalog, opened.recommendation, opened.answers, folder, when=when)
    one[0].write_text("déjà imprimé", encoding="utf-8")
    two = report.save(catalog, opened.recommendation, opened.answers, folder, when=when)
    assert set(one).isdisjoint(two) and one[0].read_text(encoding="utf-8") == "déjà imprimé"
    assert all(_mode(p) == 0o600 for p in two)


def test_a_session_saved_while_looking_back_keeps_every_answer(
    catalog: Catalog, finished_state: str, tmp_path: Path
) -> None:
    """An older version saved the screen's cursor with the answers: the export, the profile
    and 'finished' still count every answer given."""
    from conseiller.sessions import open_session, summary

    looking_back = _with(finished_state, lambda d: d.__setitem__("cursor", "role"))
    store = Store(tmp_path)
    session_id = store.create("principal", looking_back, label="x")
    record = store.get(session_id)
    assert record is not None
    shown = summary(open_session(catalog, record))
    assert shown["finished"] is True and shown["needs"] == ["isolement"]
    assert shown["profile"]["departement"] == "23"
