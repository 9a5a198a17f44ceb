"""`conseiller plain`: the conversation line by line, through pipes and in-process."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation
from conseiller.matching import Matcher
from conseiller.plain import PlainSession, clean
from conseiller.schema import ConfirmNode

# role porteur, stade idée, Creuse, seul, not agricultural, needs in words, confirmed.
WALK = ["1", "1", "Creuse", "1", "2", "je suis seule et je cherche des sous", "ok"]
ROLE_Q = "Pour commencer, qui êtes-vous ?"
STADE_Q = "Où en est le projet ?"
DEPT_Q = "Dans quel département se trouve le projet ?"
NEEDS_Q = "En quelques mots, de quoi avez-vous besoin ?"
# Every C0 control but the line feed, DEL and the C1 controls (0x9b is a one-byte CSI).
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def walk(
    catalog: Catalog,
    matcher: Matcher,
    lines: list[str],
    *,
    interactive: bool = False,
    save_dir: Path | None = None,
    exports_dir: Path | None = None,
) -> tuple[int, str]:
    """Run the plain conversation in-process on these input lines; (exit code, output)."""
    out = io.StringIO()
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    code = PlainSession(
        Conversation(catalog, matcher=matcher),
        stdin,
        out,
        interactive=interactive,
        save_dir=save_dir,
        exports_dir=exports_dir,
    ).run()
    return code, out.getvalue().replace("\xa0", " ")  # no-break spaces (typography) as spaces


def plain(
    *args: str,
    input: str,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """The real command, through pipes."""
    return subprocess.run(
        [sys.executable, "-m", "conseiller", "plain", *args],
        input=input.encode(),
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )


def asked(output: str, question: str) -> int:
    """How many times a question was printed in full (on a line of its own)."""
    return output.splitlines().count(question)


def section(output: str, title: str) -> list[str]:
    """The lines of one section of the plain-text results."""
    lines = output.splitlines()
    start = lines.index(title + " :") + 1
    end = lines.index("", start)
    return lines[start:end]


# --- in-process ------------------------------------------------------------------------


def test_full_walk_ends_with_the_results_and_writes_nothing(
    catalog: Catalog, matcher: Matcher, private_home: Path
) -> None:
    code, out = walk(catalog, matcher, WALK)
    assert code == 0
    assert asked(out, ROLE_Q) == 1  # each question printed once
    assert "1. Je porte un projet, seule, seul ou à plusieurs" in out
    assert "\n> 1\n" in out  # the prompt on its own line (the piped answer shows after it)
    assert "- Dans quel département se trouve le projet ? Creuse (23)" in out
    needs = sorted(section(out, strings.REP_NEEDS))  # both said, in either order
    assert needs == ["- Sortir de l'isolement", "- Trouver de l'argent"]
    assert section(out, strings.REP_FORMATS)  # formats, each with its reason
    assert strings.REP_CONTACTS + " :" in out and strings.REP_WHY in out
    assert out.rstrip().endswith(strings.PLAIN_BYE)
    # Piped input, no --save: nothing asked, nothing written.
    assert "Enregistrer vos pistes" not in out
    assert not (private_home / "conseiller-data").exists()


def test_a_wrong_answer_gives_the_reason_and_a_short_reminder(
    catalog: Catalog, matcher: Matcher
) -> None:
    code, out = walk(catalog, matcher, ["7", "1"])
    assert code == 0
    assert "Je n'ai pas compris « 7 ». Choisissez une des réponses : 1. Je porte" in out
    assert strings.PLAIN_REMIND_CHOICE.format(n=3, skip=strings.PLAIN_REMIND_SKIP) in out
    assert asked(out, ROLE_Q) == 1  # asked again, not reprinted in full
    assert "Réponse notée : Je porte un projet, seule, seul ou à plusieurs" in out
    assert STADE_Q in out


def test_an_unknown_departement_is_asked_again(catalog: Catalog, matcher: Matcher) -> None:
    code, out = walk(catalog, matcher, ["1", "1", "Atlantide", "23"])
    assert code == 0
    after = out.split("> Atlantide\n", 1)[1]
    assert after.index("Question : Dans quel département") < after.index("> 23")
    assert asked(out, DEPT_Q) == 1
    assert "Réponse notée : Creuse (23)" in out


def test_retour_asks_the_previous_question_again(catalog: Catalog, matcher: Matcher) -> None:
    code, out = walk(catalog, matcher, ["1", "retour", "2"])
    assert code == 0
    assert asked(out, ROLE_Q) == 2  # the previous question, shown again in full
    assert "Réponse notée : Je suis élu" in out
    assert "Les communes et les communautés de communes" in out  # the elected's path
    # At the first question there is nothing before: the engine says so.
    code, out = walk(catalog, matcher, ["retour"])
    assert strings.ENG_NO_BACK in out and code == 0


def test_question_mark_prints_the_commands_without_answering(
    catalog: Catalog, matcher: Matcher
) -> None:
    code, out = walk(catalog, matcher, ["?", "aide", "1"])
    assert code == 0
    assert out.count(strings.PLAIN_HELP) == 2
    assert "retour : revenir à la question précédente" in out
    assert asked(out, ROLE_Q) == 1
    assert out.index(strings.PLAIN_HELP) < out.index("Réponse notée")


def test_je_ne_sais_pas_and_an_empty_line_skip(catalog: Catalog, matcher: Matcher) -> None:
    code, out = walk(catalog, matcher, ["je ne sais pas", "jsp", ""])
    assert code == 0
    # « Je ne sais pas » stays unknown: never turned into « porteur » or « idée ».
    assert "Réponse notée : Je ne sais pas (" not in out
    assert out.count("Réponse notée : Je ne sais pas") == 3  # role, stade, département
    assert strings.PLAIN_EOF in out


def test_the_needs_are_confirmed_by_number(catalog: Catalog, matcher: Matcher) -> None:
    code, out = walk(catalog, matcher, [*WALK[:-1], "2"])
    assert code == 0
    first, second = sorted(["Sortir de l'isolement", "Trouver de l'argent"], key=out.index)
    assert f"1. [x] {first}\n2. [x] {second}\n" in out  # likely: ticked
    assert section(out, strings.REP_NEEDS) == [f"- {second}"]


def test_the_needs_can_be_none_or_taken_from_the_whole_list(
    catalog: Catalog, matcher: Matcher
) -> None:
    code, out = walk(catalog, matcher, [*WALK[:-1], "aucun"])
    assert section(out, strings.REP_NEEDS) == [strings.REP_NO_NEED]
    code, out = walk(catalog, matcher, [*WALK[:-1], "autres", "25", "1 3, 5"])
    assert code == 0
    assert f"{len(catalog.needs)}. [ ]" in out  # every need, once « autres » is typed
    assert "Je n'ai pas compris « 25 » : tapez des numéros de 1 à 20." in out
    listed = out.split("> autres\n", 1)[1].splitlines()[1 : len(catalog.needs) + 1]
    labels = [line.split("] ", 1)[1] for line in listed]
    assert sorted(labels[:2]) == ["Sortir de l'isolement", "Trouver de l'argent"]  # first
    assert sorted(section(out, strings.REP_NEEDS)) == sorted(
        f"- {labels[i - 1]}" for i in (1, 3, 5)
    )


def test_the_clarifying_question_when_the_matcher_is_unsure(
    catalog: Catalog, matcher: Matcher
) -> None:
    text = "trouver une salle"  # a room: premises to find, or a place to meet?
    result = matcher.match(text)
    assert result.unsure
    first, second = (catalog.needs[n].label for n in result.need_ids[:2])
    code, out = walk(catalog, matcher, [*WALK[:5], text, "2", "ok", "1"])
    assert code == 0
    assert f"Vous pensez plutôt à « {first} » ou à « {second} » ?" in out
    assert "3. Les deux\n4. Ni l'un ni l'autre\n" in out
    assert f"[x] {second}" in out and f"[ ] {first}" in out  # « 2 »: the second reading
    assert section(out, strings.REP_NEEDS) == [f"- {second}"]


def test_distress_in_the_needs_shows_the_help_lines_first_and_once(
    catalog: Catalog, matcher: Matcher
) -> None:
    code, out = walk(catalog, matcher, [*WALK[:5], "je veux mourir", "aucun"])
    assert code == 0
    after = out.split("> je veux mourir\n", 1)[1].lstrip("\n")
    urgence = catalog.about.urgence
    assert after.startswith(strings.PLAIN_URGENCE_TITLE.format(title=urgence.title))
    first = urgence.lines_for(["suicide"])[0]
    assert first.number == "3114"
    (confirm,) = [n for n in catalog.default_flow.nodes if isinstance(n, ConfirmNode)]
    assert after.index(f"  {first.number} — ") < after.index(confirm.text_if_none)
    assert out.count(f"  {first.number} — ") == 1  # once, not before every question
    # The words were read for distress, not for needs: « pas bien compris » would be untrue.
    assert strings.UI_UNDERSTOOD_NONE not in after and strings.UI_CHOOSE_NEEDS in after


def test_distress_in_the_departement_is_not_kept(catalog: Catalog, matcher: Matcher) -> None:
    code, out = walk(catalog, matcher, ["1", "1", "je veux en finir avec la vie", "23"])
    assert code == 0
    after = out.split("> je veux en finir avec la vie\n", 1)[1]
    assert after.startswith(strings.PLAIN_URGENCE_TITLE.format(title=catalog.about.urgence.title))
    assert "Réponse notée : Creuse (23)" in after
    assert "en finir" not in after


def test_interactive_asks_before_saving_no_by_default(
    catalog: Catalog, matcher: Matcher, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    code, out = walk(catalog, matcher, [*WALK, ""], interactive=True, exports_dir=exports)
    assert code == 0
    assert strings.PLAIN_SAVE_ASK.format(folder=exports) in out
    assert strings.PLAIN_NOT_SAVED in out and not exports.exists()
    code, out = walk(
        catalog, matcher, [*WALK, "peut-être", "oui"], interactive=True, exports_dir=exports
    )
    assert strings.PLAIN_YES_NO in out
    assert sorted(p.suffix for p in exports.iterdir()) == [".html", ".md"]


def test_quitter_ends_without_saving(catalog: Catalog, matcher: Matcher) -> None:
    code, out = walk(catalog, matcher, ["1", "quitter"])
    assert code == 0
    assert out.rstrip().endswith(strings.PLAIN_QUIT)


def test_an_unknown_flow_is_refused_with_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    from conseiller.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["plain", "--flow", "inconnu"])
    assert stop.value.code == 2
    assert "parcours inconnu : « inconnu »" in capsys.readouterr().err


def test_clean_keeps_text_and_drops_every_control() -> None:
    assert clean("a\x1b[31mb\x9bc\x07d\te\rf\u202eg\n") == "a[31mbcd efg\n"


# --- the real command, through pipes ---------------------------------------------------


def test_piped_walk_to_the_end(private_home: Path) -> None:
    done = plain(input="\n".join(WALK) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode().replace("\xa0", " ")
    assert strings.REP_FORMATS + " :" in out and out.rstrip().endswith(strings.PLAIN_BYE)
    assert not UNSAFE.search(out)
    assert not (private_home / "conseiller-data").exists()


def test_texte_alias_and_eof_mid_way_end_cleanly() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "conseiller", "texte"],
        input=b"1\n1\n",
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0
    out = proc.stdout.decode().replace("\xa0", " ")
    assert DEPT_Q in out and out.rstrip().endswith(strings.PLAIN_EOF)
    assert proc.stderr == b""


def test_save_dir_writes_the_two_files(tmp_path: Path) -> None:
    folder = tmp_path / "pistes"
    done = plain("--save", str(folder), input="\n".join(WALK) + "\n")
    assert done.returncode == 0, done.stderr
    md, page = sorted(folder.glob("*.md")), sorted(folder.glob("*.html"))
    assert len(md) == 1 and len(page) == 1
    assert "Trouver de l'argent" in md[0].read_text(encoding="utf-8")
    assert page[0].read_text(encoding="utf-8").startswith("<!doctype html>")
    assert str(md[0]) in done.stdout.decode().replace("\xa0", " ")


def test_no_escape_byte_even_from_content_and_typed_text(content_copy: tuple[Path, Path]) -> None:
    content, flows = content_copy
    flow = flows / "principal.yaml"
    nasty = r"Je porte \e[31mun projet\e[0m [bold]seul[/bold] \x9b2J\a ou \u202eà plusieurs"
    text = flow.read_text(encoding="utf-8")
    assert '"Je porte un projet, seule, seul ou à plusieurs"' in text
    label = '"Je porte un projet, seule, seul ou à plusieurs"'
    flow.write_text(text.replace(label, f'"{nasty}"'), encoding="utf-8")
    needs = content / "needs.yaml"
    text = needs.read_text(encoding="utf-8")
    needs.write_text(
        text.replace(
            "label: Trouver de l'argent", 'label: "Trouver \\e]0;titre\\a de l\'argent [red]"'
        ),
        encoding="utf-8",
    )
    typed = [
        "\x1b[2J",
        "1",
        "1",
        "\x1b]0;x\x07",
        "23\x07",
        "1",
        "2",
        "je cherche des sous \x1b[5m[link=x]ici[/link]\x9b\ttab\r",
        "ok",
    ]
    done = plain("--content", str(content), "--flows", str(flows), input="\n".join(typed) + "\n")
    assert done.returncode == 0, done.stderr
    assert not UNSAFE.search(done.stdout.decode().replace("\xa0", " "))
    assert b"\x1b" not in done.stdout
    out = done.stdout.decode().replace("\xa0", " ")
    assert "1. Je porte [31mun projet[0m [bold]seul[/bold] 2J ou à plusieurs" in out
    assert "] Trouver ]0;titre de l'argent [red]" in out  # brackets are text
    assert "[link=x]ici[/link]" in out
    assert strings.REP_FORMATS + " :" in out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_ends_with_130_and_no_traceback() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "conseiller", "plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    seen = b""
    while b"\n> " not in seen:  # the first prompt: the conversation is waiting for input
        chunk = os.read(proc.stdout.fileno(), 4096)
        assert chunk, seen
        seen += chunk
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert strings.PLAIN_INTERRUPTED in (seen + rest).decode().replace("\xa0", " ")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_in_a_terminal_it_asks_before_saving(private_home: Path) -> None:
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conseiller", "texte"],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    try:  # typed ahead: the terminal keeps the lines until the conversation reads them
        os.write(master, ("\n".join([*WALK, "oui"]) + "\n").encode())
        seen = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            assert ready, seen[-500:]
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the conversation ended and closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert err == b""
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = seen.decode().replace("\r\n", "\n").replace("\xa0", " ")
    assert b"\x1b" not in seen
    exports = private_home / "conseiller-data" / "exports"
    assert strings.PLAIN_SAVE_ASK.format(folder=exports) in out
    assert sorted(p.suffix for p in exports.iterdir()) == [".html", ".md"]
    assert out.rstrip().endswith(strings.PLAIN_BYE)


def test_needs_skipped_or_not_understood_are_chosen_from_the_list_without_a_false_summary(
    catalog: Catalog, matcher: Matcher
) -> None:
    """« Je ne sais pas » at the needs: no « Voici ce que j'ai compris », no « pas compris »."""
    (confirm,) = [n for n in catalog.default_flow.nodes if isinstance(n, ConfirmNode)]
    assert confirm.text_if_none and confirm.text_if_none != confirm.text
    code, out = walk(catalog, matcher, [*WALK[:-2], "je ne sais pas", "2"])
    assert code == 0
    asked = out.split("> je ne sais pas\n", 1)[1]
    assert confirm.text not in asked and strings.UI_UNDERSTOOD_NONE not in asked
    assert confirm.text_if_none in asked and strings.UI_CHOOSE_NEEDS in asked
    assert section(out, strings.REP_NEEDS) == [f"- {list(catalog.needs.values())[1].label}"]

    _code, out = walk(catalog, matcher, [*WALK[:-2], "zorglub blip", "aucun"])
    asked = out.split("> zorglub blip\n", 1)[1]
    assert confirm.text_if_none in asked and strings.UI_UNDERSTOOD_NONE in asked
    assert confirm.text not in asked


def test_after_clarifying_only_what_was_heard_is_ticked(catalog: Catalog, matcher: Matcher) -> None:
    text = (
        "l'accompagnement on l'a déjà avec la couveuse, "
        "il nous manque un endroit pour travailler ensemble"
    )
    result = matcher.match(text)
    assert result.unsure and len(result.matches) > 2
    unheard = [catalog.needs[m.need].label for m in result.matches[2:] if not m.likely]
    assert unheard  # needs the words brushed against: offered, not ticked
    code, out = walk(catalog, matcher, [*WALK[:5], text, "1", "ok", "1"])
    assert code == 0
    after = out.split("> 1\n", 1)[1]
    for label in unheard:
        assert f"[x] {label}" not in after
