"""Command line: argparse sub-commands; Textual is imported only by the UI commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from conseiller import strings

if TYPE_CHECKING:
    from conseiller.catalog import Catalog
    from conseiller.sessions import Opened
    from conseiller.store import Store
    from conseiller.unmatched import UnmatchedLog


def _fail(message: str, code: int = 2) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(code)


def _catalog(args: argparse.Namespace) -> Catalog:
    from conseiller.catalog import load_catalog
    from conseiller.loader import ContentError

    try:
        return load_catalog(args.content, args.flows)
    except ContentError as exc:
        _fail("\n".join(str(p) for p in exc.problems))


def _flow_id(catalog: Catalog, wanted: str | None) -> str:
    from conseiller.loader import did_you_mean

    if wanted is None:
        return catalog.default_flow.id
    if wanted not in catalog.flows:
        hint = did_you_mean(wanted, list(catalog.flows))
        _fail(strings.CLI_UNKNOWN_FLOW.format(id=wanted, hint=hint))
    return wanted


# --- sub-commands ----------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    """Check content and flows; exit 0 when clean, 1 on errors (warnings do not fail)."""
    from conseiller.checks import check

    report = check(args.content, args.flows)
    for problem in report.problems:
        print(problem)
    if not report.problems:
        print(strings.CHK_OK.format(n=report.files))
    else:
        print(strings.CHK_SUMMARY.format(errors=len(report.errors), warnings=len(report.warnings)))
    return 1 if report.errors else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema of every file kind, for editors that validate YAML."""
    from conseiller.schema import CONTENT_FILES, Flow

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    kinds: dict[str, Any] = {"flow.schema.json": Flow}
    for name, model in CONTENT_FILES.items():
        kinds[name.replace(".yaml", ".schema.json")] = model
    for filename, model in kinds.items():
        schema = model.model_json_schema()
        (out / filename).write_text(
            json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    print(strings.CLI_SCHEMA_WRITTEN.format(path=out))
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    """Show what the matcher understands of a text, or speak JSON lines on stdin/stdout."""
    from conseiller.matching import matcher_for

    catalog = _catalog(args)
    matcher = matcher_for(catalog)
    log = _unmatched_log(args)
    if args.jsonl:
        out = sys.stdout
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            result = matcher.match(text)
            record: dict[str, Any] = {
                "text": text,
                "matches": [{"need": m.need, "score": m.score, "likely": m.likely}
                            for m in result.matches],
            }
            if result.urgence:
                record["urgence"] = True
                record["alerts"] = list(result.alerts)
            if result.unsure:
                record["unsure"] = True
            if log is not None and (result.abstained or result.unsure):
                log.record(text)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
        return 0
    text = " ".join(args.text)
    result = matcher.match(text)
    if log is not None and (result.abstained or result.unsure):
        log.record(text)
    if result.urgence:
        print(strings.MATCH_URGENCE)
        for line in catalog.about.urgence.lines_for(result.alerts):
            print(f"  {line.number} : {line.label}")
        return 0
    if not result.matches:
        print(strings.MATCH_NOTHING)
        return 0
    for m in result.matches:
        print(f"{m.score:5.1f}  {m.need:22s} {catalog.needs[m.need].label}")
    if result.unsure:
        print(strings.MATCH_UNSURE)
    return 0


def _unmatched_log(args: argparse.Namespace) -> UnmatchedLog | None:
    """The log of misunderstood phrases, only when asked for (--log-unmatched)."""
    if not getattr(args, "log_unmatched", False):
        return None
    from conseiller.paths import data_dir
    from conseiller.unmatched import UnmatchedLog

    return UnmatchedLog(data_dir(args.data))


def cmd_unmatched(args: argparse.Namespace) -> int:
    """List the phrases the matcher did not understand, most frequent first."""
    from conseiller.paths import data_dir
    from conseiller.unmatched import UnmatchedLog

    counts = UnmatchedLog(data_dir(args.data)).counts()
    if args.json:
        print(json.dumps([c.__dict__ for c in counts], ensure_ascii=False, indent=2))
        return 0
    if not counts:
        print(strings.UNMATCHED_NONE)
    for c in counts:
        print(f"{c.count:5d}  {c.last_day}  {c.phrase}")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    """Walk the flow from a YAML file of answers and print the outcome."""
    from conseiller.engine import Engine
    from conseiller.loader import ContentError, parse_yaml
    from conseiller.matching import matcher_for
    from conseiller.replay import ReplayError, outcome_json, replay

    catalog = _catalog(args)
    try:
        doc = parse_yaml(args.answers)
    except ContentError as exc:
        _fail("\n".join(str(p) for p in exc.problems))
    if not isinstance(doc.data, dict):
        _fail(strings.REPLAY_NOT_MAPPING.format(path=args.answers))
    data = doc.data
    if isinstance(data.get("answers"), dict):  # a scenario file: answers plus expectations
        data = data["answers"]
    answers = {str(k): v for k, v in data.items()}
    flow = catalog.flows[_flow_id(catalog, args.flow)]
    engine = Engine(flow, catalog, matcher_for(catalog))
    try:
        outcome = replay(engine, answers)
    except ReplayError as exc:
        _fail(str(exc))
    for warning in outcome.warnings:
        print(warning, file=sys.stderr)
    data = outcome_json(catalog, engine, outcome)
    if args.save:
        store = _store(args)
        session_id = store.create(flow.id, outcome.state.to_json(), source="replay",
                                  label=args.answers.stem)
        store.save(session_id, outcome.state.to_json(), finished=True)
        data["session"] = session_id
        print(strings.SESSIONS_SAVED.format(id=session_id), file=sys.stderr)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_outcome(data)
    return 0


def _print_outcome(data: dict[str, Any]) -> None:
    print("Besoins : " + (", ".join(data["needs"]) or "-"))
    print("Formats :")
    for f in data["formats"]:
        print(f"  - {f['title']} ({f['id']}) : {f['why']}")
    print("Contacts :")
    for c in data["contacts"]:
        print(f"  - {c['name']} [{c['scope']}] {c['website'] or ''}")


def _store(args: argparse.Namespace) -> Store:
    from conseiller.paths import data_dir
    from conseiller.store import Store, StoreError

    try:
        return Store(data_dir(args.data))
    except StoreError as exc:
        _fail(str(exc))


def _opened(args: argparse.Namespace, store: Store) -> Opened:
    from conseiller.sessions import open_session

    record = store.get(args.id)
    if record is None:
        _fail(strings.SESSIONS_UNKNOWN.format(id=args.id))
    return open_session(_catalog(args), record)


def cmd_sessions(args: argparse.Namespace) -> int:
    """List, show, export, delete or purge saved sessions."""
    from conseiller.sessions import export_handoff, open_session, summary
    from conseiller.store import parse_age

    store = _store(args)
    action = args.action
    if action == "list":
        catalog = _catalog(args)
        rows = [summary(open_session(catalog, r)) for r in store.list()]
        if args.json:
            keep = ("id", "label", "created", "updated", "source", "finished", "current", "needs")
            print(json.dumps([{k: r[k] for k in keep} for r in rows], ensure_ascii=False,
                             indent=2))
        elif not rows:
            print(strings.SESSIONS_NONE)
        for r in rows if not args.json else []:
            where = strings.SESSIONS_DONE if r["finished"] else strings.SESSIONS_AT.format(
                question=r["current"])
            print(f"{r['id']}  {r['updated']}  {r['label'] or '-':20.20s}  {where}")
    elif action == "show":
        data = summary(_opened(args, store))
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            for q_and_a in data["answers"]:
                print(f"{q_and_a['question']} → {q_and_a['answer']}")
            print("Besoins : " + (", ".join(data["needs"]) or "-"))
            print("Formats : " + ", ".join(f["id"] for f in data["formats"]))
            print("Contacts : " + ", ".join(c["id"] for c in data["contacts"]))
            if data["notes"]:
                print(f"Notes : {data['notes']}")
    elif action == "export":
        opened = _opened(args, store)
        md, page = export_handoff(_catalog(args), opened, args.out, with_notes=args.advisor)
        print(strings.SESSIONS_EXPORTED.format(md=md, html=page))
    elif action == "delete":
        if not store.delete(args.id):
            _fail(strings.SESSIONS_UNKNOWN.format(id=args.id))
        print(strings.SESSIONS_DELETED.format(id=args.id))
    elif action == "purge":
        try:
            age = parse_age(args.older_than)
        except ValueError as exc:
            _fail(str(exc))
        print(strings.SESSIONS_PURGED.format(n=store.purge(age)))
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    """Print a flow as a Mermaid or Graphviz diagram."""
    from conseiller.graph import to_dot, to_mermaid

    catalog = _catalog(args)
    flow = catalog.flows[_flow_id(catalog, args.flow)]
    print(to_dot(flow) if args.format == "dot" else to_mermaid(flow), end="")
    return 0


def cmd_kiosk(args: argparse.Namespace) -> int:
    """Set the staff PIN, or run the kiosk (only once a PIN exists)."""
    from conseiller.kiosk import PinError, has_pin, set_pin
    from conseiller.paths import data_dir

    folder = data_dir(args.data)
    if args.set_pin:
        import getpass

        first = getpass.getpass(strings.KIOSK_PIN_ASK)
        if getpass.getpass(strings.KIOSK_PIN_AGAIN) != first:
            _fail(strings.KIOSK_PIN_MISMATCH)
        try:
            path = set_pin(folder, first)
        except PinError as exc:
            _fail(str(exc))
        print(strings.KIOSK_PIN_SET.format(path=path))
        return 0
    if not has_pin(folder):
        _fail(strings.KIOSK_NO_PIN)
    from conseiller.tui.kiosk_app import KioskApp

    def load() -> Catalog:
        from conseiller.catalog import load_catalog

        return load_catalog(args.content, args.flows)

    app = KioskApp(load, data=folder, theme_name=args.theme or "defaut", idle=args.idle,
                   countdown=args.countdown, stats=args.stats)
    app.run()
    return app.return_code or 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Counts per need and per département from the kiosk's anonymous statistics."""
    from conseiller.paths import data_dir
    from conseiller.stats import FILENAME, HIDE_BELOW, Stats, to_csv

    folder = data_dir(args.data)
    if not (folder / FILENAME).exists():
        print(strings.STATS_NONE)
        return 0
    counts = Stats(folder).counts()
    if args.csv:
        print(to_csv(counts), end="")
        return 0
    print(strings.STATS_SESSIONS.format(n=counts.sessions, k=HIDE_BELOW))
    for title, rows in ((strings.STATS_NEEDS, counts.needs),
                        (strings.STATS_DEPTS, counts.departements)):
        print(title)
        for key, value in rows:
            print(f"  {key:24s} {value if value is not None else f'<{HIDE_BELOW}'}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app in a browser with textual-serve (localhost by default)."""
    from conseiller.tui.serve import serve

    return serve(args)


def cmd_tui(args: argparse.Namespace) -> int:
    """Start the chat in the terminal."""
    from conseiller.tui.app import run

    return run(args)


# --- parser ----------------------------------------------------------------------------


def _add_sessions_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """`conseiller sessions list|show|export|delete|purge`."""
    p = sub.add_parser("sessions", parents=[common], help="gérer les sessions enregistrées")
    ssub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = ssub.add_parser("list", parents=[common], help="lister les sessions")
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q = ssub.add_parser("show", parents=[common], help="montrer une session")
    q.add_argument("id", help="identifiant de la session")
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q = ssub.add_parser("export", parents=[common], help="écrire la fiche de liaison")
    q.add_argument("id", help="identifiant de la session")
    q.add_argument("--out", type=Path, default=Path("."), help="dossier de sortie")
    q.add_argument("--advisor", action="store_true",
                   help="version du conseiller, avec ses notes privées")
    q = ssub.add_parser("delete", parents=[common], help="supprimer une session")
    q.add_argument("id", help="identifiant de la session")
    q = ssub.add_parser("purge", parents=[common], help="supprimer les vieilles sessions")
    q.add_argument("--older-than", required=True, help="par exemple 90d, 12w, 6m, 1y")
    p.set_defaults(func=cmd_sessions)


def _add_kiosk_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """`conseiller kiosk` (`borne`), `stats` and `serve`."""
    for name in ("kiosk", "borne"):
        p = sub.add_parser(name, parents=[common],
                           help="borne en libre accès : verrouillée, efface chaque visite")
        p.add_argument("--theme", default=None, help="thème : defaut ou contraste-eleve")
        p.add_argument("--idle", type=float, default=180.0,
                       help="secondes sans activité avant « Vous êtes toujours là ? »")
        p.add_argument("--countdown", type=int, default=30,
                       help="secondes du compte à rebours avant l'effacement")
        p.add_argument("--stats", action="store_true",
                       help="compter les sessions (identifiants de besoins, département, jour)")
        p.add_argument("--set-pin", action="store_true",
                       help="définir le code du personnel (demandé deux fois)")
        p.set_defaults(func=cmd_kiosk)

    p = sub.add_parser("stats", parents=[common], help="statistiques anonymes de la borne")
    p.add_argument("--csv", action="store_true", help="sortie CSV")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", parents=[common], help="servir l'application dans un navigateur")
    p.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (locale par défaut)")
    p.add_argument("--port", type=int, default=8000, help="port d'écoute")
    p.add_argument("--kiosk", action="store_true", help="servir le mode borne")
    p.add_argument("--max-sessions", type=int, default=4,
                   help="nombre maximal de sessions ouvertes à la fois")
    p.set_defaults(func=cmd_serve)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    # These options work before or after the command (`conseiller --data D kiosk` and
    # `conseiller kiosk --data D`): SUPPRESS keeps a command's parser from resetting them.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--content", type=Path, help="dossier du contenu (par défaut : celui fourni)"
    )
    common.add_argument(
        "--flows", type=Path, help="dossier des parcours (par défaut : ceux fournis)"
    )
    common.add_argument(
        "--data",
        help="dossier des données (par défaut : $CONSEILLER_DATA, sinon celui de l'utilisateur)",
    )
    parser = argparse.ArgumentParser(
        prog="conseiller", description=strings.CLI_DESCRIPTION, parents=[common]
    )
    parser.add_argument("--theme", default=None, help="thème : defaut ou contraste-eleve")
    parser.add_argument("--log-unmatched", action="store_true", help=strings.CLI_LOG_UNMATCHED)
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(title="commandes", metavar="COMMANDE")

    for name in ("advisor", "accompagnement"):
        p = sub.add_parser(name, parents=[common],
                           help="mode conseiller : session côte à côte, notes, sessions gardées")
        p.add_argument("--theme", default=None, help="thème : defaut ou contraste-eleve")
        p.add_argument("--log-unmatched", action="store_true", help=strings.CLI_LOG_UNMATCHED)
        p.set_defaults(func=cmd_tui, mode="advisor")

    _add_kiosk_parsers(sub, common)

    p = sub.add_parser("check", parents=[common], help="vérifier le contenu et les parcours")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("schema", parents=[common], help="écrire les schémas JSON du contenu")
    p.add_argument("--out", type=Path, default=Path("schemas"), help="dossier de sortie")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("match", parents=[common], help="tester la compréhension d'un texte")
    p.add_argument("text", nargs="*", help="le texte à comprendre")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="lire une phrase par ligne sur l'entrée, écrire du JSON par ligne",
    )
    p.add_argument("--log-unmatched", action="store_true", help=strings.CLI_LOG_UNMATCHED)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("unmatched", parents=[common], help="lister les phrases non comprises")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(func=cmd_unmatched)

    p = sub.add_parser("replay", parents=[common], help="rejouer un parcours depuis un fichier")
    p.add_argument("answers", type=Path, help="fichier YAML « case: réponse »")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--flow", default=None, help="identifiant du parcours")
    p.add_argument("--save", action="store_true",
                   help="enregistrer la session comme le ferait le mode conseiller")
    p.set_defaults(func=cmd_replay)

    _add_sessions_parser(sub, common)

    p = sub.add_parser("graph", parents=[common], help="dessiner un parcours")
    p.add_argument("flow", nargs="?", default=None, help="identifiant du parcours")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.set_defaults(func=cmd_graph)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse a command line; the common options are None when not given."""
    args = build_parser().parse_args(argv)
    for name in ("content", "flows", "data"):
        if not hasattr(args, name):
            setattr(args, name, None)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `conseiller` command."""
    args = parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
