"""The kiosk's staff PIN: what --set-pin accepts, a broken PIN file, the shared lockout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conseiller.cli import main
from conseiller.kiosk import (
    FILENAME,
    LOCKOUT_FILENAME,
    Lockout,
    PinError,
    check_pin,
    require_pin,
    set_pin,
)


class FakeClock:
    """Wall-clock seconds that only move when a test says so."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_pin_is_stored_salted_and_hashed(tmp_path: Path) -> None:
    path = set_pin(tmp_path, "13579")
    stored = path.read_text(encoding="utf-8")
    assert "13579" not in stored
    assert check_pin(tmp_path, "13579") and not check_pin(tmp_path, "13578")
    other = tmp_path / "other"
    set_pin(other, "13579")
    assert (other / path.name).read_text(encoding="utf-8") != stored  # a new salt each time
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("pin", ["123", "1" * 13, "1" * 50, "١٢٣٤", "１２３４", "12a4", ""])
def test_set_pin_refuses_what_cannot_be_typed_or_is_too_short(tmp_path: Path, pin: str) -> None:
    """4 to 12 ASCII digits: the PIN field takes only 0-9, at most 32 of them."""
    with pytest.raises(PinError, match="de 4 à 12 chiffres"):
        set_pin(tmp_path, pin)
    assert not (tmp_path / FILENAME).exists()


@pytest.mark.parametrize("pin", ["1234", "123456789012"])
def test_set_pin_takes_4_to_12_digits(tmp_path: Path, pin: str) -> None:
    set_pin(tmp_path, pin)
    assert check_pin(tmp_path, pin)


@pytest.mark.parametrize("pin", ["123", "1" * 13, "1" * 50, "١٢٣٤"])
def test_cli_set_pin_refuses_with_code_2(
    tmp_path: Path, pin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass

    monkeypatch.setattr(getpass, "getpass", lambda prompt="": pin)
    with pytest.raises(SystemExit) as stop:
        main(["kiosk", "--data", str(tmp_path), "--set-pin"])
    assert stop.value.code == 2
    assert "de 4 à 12 chiffres" in capsys.readouterr().err
    assert not (tmp_path / FILENAME).exists()


@pytest.mark.parametrize(
    "content",
    ["", "{", "[]", '{"salt": "", "hash": ""}', '{"salt": "zz", "hash": "00"}', '{"salt": "0011"}'],
)
def test_broken_pin_file_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / FILENAME).write_text(content, encoding="utf-8")
    with pytest.raises(PinError, match="vide ou abîmé") as error:
        require_pin(tmp_path)
    assert "--set-pin" in str(error.value) and str(tmp_path / FILENAME) in str(error.value)


def test_require_pin(tmp_path: Path) -> None:
    with pytest.raises(PinError, match="--set-pin"):
        require_pin(tmp_path)
    set_pin(tmp_path, "2468")
    require_pin(tmp_path)


@pytest.mark.parametrize("content", ["", "pas du json"])
def test_kiosk_with_a_broken_pin_file_does_not_start(
    tmp_path: Path,
    content: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conseiller.tui import kiosk_app

    def started(*args: object, **kwargs: object) -> int:
        raise AssertionError("the kiosk started with a broken PIN file")

    monkeypatch.setattr(kiosk_app, "run_kiosk", started)
    monkeypatch.setattr(kiosk_app.KioskApp, "run", started)
    (tmp_path / FILENAME).write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["kiosk", "--data", str(tmp_path)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "vide ou abîmé" in err and "Traceback" not in err


def test_lockout_grows_and_caps() -> None:
    clock = FakeClock()
    lock = Lockout(clock=clock)
    assert [lock.fail() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert lock.remaining() == 60
    clock.now += 59.5
    assert lock.remaining() == 0.5
    clock.now += 0.5
    assert lock.remaining() == 0
    lock.reset()
    assert lock.fail() == 1


def test_the_wait_survives_a_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    first = Lockout(tmp_path, clock=clock)
    first.fail()
    first.fail()
    again = Lockout(tmp_path, clock=clock)  # a new kiosk process on the same folder
    assert again.failures == 2 and again.remaining() == 2
    clock.now += 2
    assert again.remaining() == 0
    assert again.fail() == 4  # the count goes on
    assert oct((tmp_path / LOCKOUT_FILENAME).stat().st_mode & 0o777) == "0o600"
    again.reset()
    assert Lockout(tmp_path, clock=clock).failures == 0


def test_no_try_writes_nothing(tmp_path: Path) -> None:
    lock = Lockout(tmp_path, clock=FakeClock())
    assert lock.remaining() == 0 and lock.failures == 0
    lock.reset()
    assert list(tmp_path.iterdir()) == []


def test_clock_set_back_does_not_lock_staff_out(tmp_path: Path) -> None:
    clock = FakeClock()
    Lockout(tmp_path, clock=clock).fail()
    clock.now -= 86_400  # the machine's clock was a day ahead, now corrected
    assert Lockout(tmp_path, clock=clock).remaining() == 0


def test_corrupt_lockout_file_still_makes_one_wait(tmp_path: Path) -> None:
    path = tmp_path / LOCKOUT_FILENAME
    path.write_text("{oops", encoding="utf-8")
    clock = FakeClock(path.stat().st_mtime)
    lock = Lockout(tmp_path, clock=clock)
    assert lock.remaining() == 60
    clock.now += 60
    assert lock.remaining() == 0
    assert lock.fail() == 60
    assert json.loads(path.read_text(encoding="utf-8"))["failures"] == 7


def test_processes_failing_at_once_are_all_counted(tmp_path: Path) -> None:
    """`serve --kiosk` runs one process per visitor: no wrong PIN may be lost between them."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from conseiller.kiosk import Lockout\n"
        "lock = Lockout(Path(sys.argv[1]))\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"  # all start together
        "for _ in range(40):\n"
        "    lock.fail()\n"
    )
    import time

    start = str(time.time() + 1.5)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), start], env=env)
        for _ in range(4)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    assert Lockout(tmp_path).failures == 160
    leftovers = {p.name for p in tmp_path.iterdir()} - {
        LOCKOUT_FILENAME,
        f".{LOCKOUT_FILENAME}.lock",
    }
    assert not leftovers


def test_cli_set_pin_stores_it_and_clears_the_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    Lockout(tmp_path).fail()
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "20262027")
    assert main(["kiosk", "--data", str(tmp_path), "--set-pin"]) == 0
    assert check_pin(tmp_path, "20262027")
    assert Lockout(tmp_path).remaining() == 0 and Lockout(tmp_path).failures == 0
