"""Command line: argparse sub-commands; Textual is imported only by the UI commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from conseiller import strings
from conseiller.safe_text import visible
from conseiller.typography import plural

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
        return load_catalog(args.content, args.flows, getattr(args, "local", None) or [])
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

    local = getattr(args, "local", None) or []
    report = check(args.content, args.flows, local=local)
    for problem in report.problems:
        print(problem)
    if not report.problems:
        print(strings.CHK_OK.format(n=report.files))
    else:
        print(
            strings.CHK_SUMMARY.format(
                errors=plural(strings.CHK_ERRORS, len(report.errors)),
                warnings=plural(strings.CHK_WARNINGS, len(report.warnings)),
            )
        )
    for reminder in report.reminders:  # left to the operator (about.yaml: report_to)
        print(reminder)
    if local and not report.errors:
        from conseiller.coverage import report_lines

        print()
        print("\n".join(visible(line) for line in report_lines(_catalog(args))))
    if getattr(args, "links", False) and not report.errors:
        from conseiller import links

        lines, code = links.run(_catalog(args))
        print()
        print("\n".join(visible(line) for line in lines))
        return code
    return 1 if report.errors else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema of every file kind, for editors that validate YAML."""
    from conseiller.schema import CONTENT_FILES, OPTIONAL_CONTENT_FILES, Flow

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    kinds: dict[str, Any] = {"flow.schema.json": Flow}
    for name, model in {**CONTENT_FILES, **OPTIONAL_CONTENT_FILES}.items():
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
                "matches": [
                    {"need": m.need, "score": m.score, "likely": m.likely} for m in result.matches
                ],
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
    from conseiller.db import DatabaseError
    from conseiller.paths import data_dir
    from conseiller.unmatched import UnmatchedLog

    try:
        return UnmatchedLog(data_dir(args.data), db=args.db, site=args.site)
    except DatabaseError as exc:
        _fail(visible(str(exc)))


def cmd_unmatched(args: argparse.Namespace) -> int:
    """List the phrases the matcher did not understand, most frequent first."""
    from conseiller.db import DatabaseError
    from conseiller.paths import data_dir
    from conseiller.safe_text import dumps
    from conseiller.unmatched import UnmatchedLog

    try:
        counts = UnmatchedLog(data_dir(args.data), db=args.db).counts()
    except DatabaseError as exc:
        _fail(visible(str(exc)))
    if getattr(args, "suggest", False):
        return _suggest(args, counts)
    if args.json:
        print(dumps([c.__dict__ for c in counts]))
        return 0
    if not counts:
        print(strings.UNMATCHED_NONE)
    for c in counts:
        print(visible(f"{c.count:5d}  {c.last_day}  {c.phrase}"))
    return 0


def _suggest(args: argparse.Namespace, counts: list[Any]) -> int:
    """Group the unmatched phrases and propose the nearest need for each group."""
    from conseiller.matching import matcher_for
    from conseiller.safe_text import dumps
    from conseiller.suggest import SHOWN_PER_GROUP, suggest

    catalog = _catalog(args)
    groups = suggest(matcher_for(catalog), counts)
    if args.json:
        print(
            dumps(
                [
                    {
                        "count": g.count,
                        "need": g.need,
                        "score": g.score,
                        "phrases": [p.phrase for p in g.phrases],
                    }
                    for g in groups
                ]
            )
        )
        return 0
    if not groups:
        print(strings.UNMATCHED_NONE)
    for g in groups:
        if g.need is None:
            print(strings.SUGGEST_NO_NEED.format(n=g.count))
        else:
            print(
                strings.SUGGEST_NEED.format(
                    n=g.count, need=g.need, label=catalog.needs[g.need].label
                )
            )
        for phrase in g.phrases[:SHOWN_PER_GROUP]:
            print(visible(f"    · {phrase.phrase}  ({phrase.count})"))
        if len(g.phrases) > SHOWN_PER_GROUP:
            print(plural(strings.SUGGEST_MORE, len(g.phrases) - SHOWN_PER_GROUP))
        if g.need is not None:
            print(strings.SUGGEST_PASTE.format(need=g.need))
            for phrase in g.phrases[:SHOWN_PER_GROUP]:
                print(visible("        - " + json.dumps(phrase.phrase, ensure_ascii=False)))
        print()
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    """Walk the flow from a YAML file of answers and print the outcome."""
    from conseiller.conversation import Conversation
    from conseiller.loader import ContentError, parse_yaml
    from conseiller.matching import matcher_for
    from conseiller.replay import ReplayError, replay

    try:
        doc = parse_yaml(args.answers)
    except ContentError as exc:
        _fail("\n".join(str(p) for p in exc.problems))
    if not isinstance(doc.data, dict):
        _fail(strings.REPLAY_NOT_MAPPING.format(path=args.answers))
    data = doc.data
    if isinstance(data.get("answers"), dict):  # a scenario file: answers plus expectations
        from conseiller.packs import scenario_packs

        args.local = [
            *(getattr(args, "local", None) or []),
            *scenario_packs(data.get("local"), args.answers),
        ]
        data = data["answers"]
    catalog = _catalog(args)
    answers = {str(k): v for k, v in data.items()}
    flow = catalog.flows[_flow_id(catalog, args.flow)]
    try:
        replayed = replay(Conversation(catalog, flow, matcher_for(catalog)), answers)
    except ReplayError as exc:
        _fail(str(exc))
    for warning in replayed.warnings:
        print(warning, file=sys.stderr)
    data = replayed.outcome.to_json()
    if args.save:
        from conseiller.sessions import content_version
        from conseiller.store import StoreError

        try:  # one transaction: a session saved by replay is complete or absent
            session_id = _store(args).create(
                flow.id,
                replayed.state.to_json(),
                source="replay",
                label=args.answers.stem,
                finished=True,
                content_version=content_version(catalog),
            )
        except StoreError as exc:
            _fail(str(exc))
        data["session"] = session_id
        print(strings.SESSIONS_SAVED.format(id=session_id), file=sys.stderr)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_outcome(data)
    return 0


def _print_outcome(data: dict[str, Any]) -> None:
    print(strings.OUT_NEEDS + (", ".join(data["needs"]) or "-"))
    print(strings.OUT_FORMATS)
    for f in data["formats"]:
        print(f"  - {f['title']} ({f['id']}) : {f['why']}")
    print(strings.OUT_CONTACTS)
    for c in data["contacts"]:
        print(f"  - {c['name']} [{c['scope']}] {c['website'] or ''}")
        line = strings.CHECKED_LINE if c["verified"] else strings.UNCHECKED_LINE
        print("    " + line.format(date=c["checked_on"], source=c["source"]))


def _store(args: argparse.Namespace, *, create: bool = True) -> Store:
    from conseiller.paths import data_dir
    from conseiller.store import Store, StoreError

    try:
        return Store(data_dir(args.data), create=create, db=args.db, site=args.site)
    except StoreError as exc:
        _fail(visible(str(exc)))


def _opened(args: argparse.Namespace, store: Store) -> Opened:
    from conseiller.sessions import open_session
    from conseiller.store import StoreError

    catalog = _catalog(args)
    try:
        record = store.get(store.resolve(args.id))
        if record is None:
            _fail(strings.SESSIONS_UNKNOWN.format(id=visible(args.id)))
        return open_session(catalog, record)
    except StoreError as exc:
        _fail(visible(str(exc)))


def _sessions_list(args: argparse.Namespace, store: Store) -> None:
    """`sessions list`: one line per session; an unreadable one says why, the others show."""
    from conseiller.safe_text import dumps
    from conseiller.sessions import SessionUnreadable, open_session, summary

    catalog = _catalog(args)
    keep = ("id", "label", "created", "updated", "source", "site", "finished", "current", "needs")
    rows: list[dict[str, Any]] = []
    for record in store.list():
        try:
            row = {k: v for k, v in summary(open_session(catalog, record)).items() if k in keep}
            row["problem"] = None
        except SessionUnreadable as exc:
            row = {
                "id": record.id,
                "label": record.label,
                "created": record.created,
                "updated": record.updated,
                "source": record.source,
                "site": record.site,
                "finished": record.finished,
                "current": None,
                "needs": [],
                "problem": exc.reason,
            }
        rows.append(row)
    if args.json:
        print(dumps(rows))
        return
    if not rows:
        print(strings.SESSIONS_NONE)
    for r in rows:
        if r["problem"]:
            where = strings.SESSIONS_UNREADABLE.format(reason=r["problem"])
        elif r["finished"]:
            where = strings.SESSIONS_DONE
        else:
            where = strings.SESSIONS_AT.format(question=r["current"])
        label = visible(r["label"] or "-")
        print(visible(f"{r['id']}  {r['updated']}  {label:20.20s}  {where}"))


def _sessions_show(args: argparse.Namespace, store: Store) -> None:
    """`sessions show`: answers, needs, formats, contacts and notes, printed safely."""
    from conseiller.safe_text import dumps
    from conseiller.sessions import summary

    data = summary(_opened(args, store))
    if args.json:
        print(dumps(data))
        return
    for q_and_a in data["answers"]:
        print(visible(f"{q_and_a['question']} → {q_and_a['answer']}"))
    print(visible(strings.OUT_NEEDS + (", ".join(data["needs"]) or "-")))
    print(visible(strings.OUT_FORMATS + " " + ", ".join(f["id"] for f in data["formats"])))
    print(visible(strings.OUT_CONTACTS + " " + ", ".join(c["id"] for c in data["contacts"])))
    if data["notes"]:
        print(strings.OUT_NOTES + visible(data["notes"], keep_newlines=True))


def _sessions_purge(args: argparse.Namespace, store: Store) -> int:
    """`sessions purge`: --dry-run lists; emptying every session needs a yes."""
    from conseiller.store import parse_age

    try:
        age = parse_age(args.older_than)
    except ValueError as exc:
        _fail(visible(str(exc)))
    would = store.purge(age, dry_run=True)
    if args.dry_run:
        print(plural(strings.SESSIONS_PURGE_WOULD, len(would)))
        for session_id in would:
            print(f"  {visible(session_id)}")
        return 0
    total = len(store.list())
    if would and len(would) == total and not args.yes:
        if not sys.stdin.isatty():
            _fail(strings.SESSIONS_PURGE_ALL_REFUSED.format(n=total))
        try:
            reply = input(strings.SESSIONS_PURGE_ALL_ASK.format(n=total))
        except EOFError:
            reply = ""
        if reply.strip().lower() not in ("o", "oui", "y", "yes"):
            print(strings.SESSIONS_PURGE_CANCELLED)
            return 1
    print(plural(strings.SESSIONS_PURGED, len(store.purge(age))))
    if store.undeleted_exports:
        print(
            visible(
                strings.SESSIONS_FILES_LEFT.format(paths="\n".join(store.undeleted_exports)),
                keep_newlines=True,
            ),
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_sessions(args: argparse.Namespace) -> int:
    """List, show, export, delete or purge saved sessions (stored text is printed safely)."""
    from conseiller.sessions import export_handoff
    from conseiller.store import StoreError

    store = _store(args, create=False)  # looking creates nothing before anyone agreed
    action = args.action
    try:
        if action == "list":
            _sessions_list(args, store)
        elif action == "show":
            _sessions_show(args, store)
        elif action == "export":
            opened = _opened(args, store)
            try:
                md, page = export_handoff(
                    _catalog(args), opened, args.out, with_notes=args.advisor, store=store
                )
            except OSError as exc:
                _fail(visible(strings.STORE_IO.format(path=args.out, reason=exc.strerror or exc)))
            print(visible(strings.SESSIONS_EXPORTED.format(md=md, html=page), keep_newlines=True))
        elif action == "delete":
            result = store.delete(store.resolve(args.id))
            if not result:
                _fail(strings.SESSIONS_UNKNOWN.format(id=visible(args.id)))
            print(strings.SESSIONS_DELETED.format(id=visible(args.id)))
            if result.undeleted_files:
                print(
                    visible(
                        strings.SESSIONS_FILES_LEFT.format(paths="\n".join(result.undeleted_files)),
                        keep_newlines=True,
                    ),
                    file=sys.stderr,
                )
                return 1
        elif action == "purge":
            return _sessions_purge(args, store)
    except StoreError as exc:
        _fail(visible(str(exc)))
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """`db upgrade`: create or update the tables of the sessions, the statistics and the
    unmatched log; `db status`: say which versions they are at, changing nothing.

    With --db (or $CONSEILLER_DB): all three, in that database. Without: the files of the
    data folder that exist (each is also upgraded when it is opened).
    """
    import os

    from conseiller import stats, store, unmatched
    from conseiller.db import DatabaseError, read_versions
    from conseiller.dburl import DB_ENV, DbUrlError, resolve
    from conseiller.paths import data_dir
    from conseiller.pg import backend

    folder = data_dir(args.data)
    shared = bool(args.db or os.environ.get(DB_ENV))
    for module in (store, stats, unmatched):
        what = module.SCHEMA.what
        try:
            target = resolve(args.db, folder / module.FILENAME)
            if not shared and not (target.path and target.path.exists()):
                continue
            if args.action == "status":
                with backend(target, what).conn() as conn:
                    found, oldest = read_versions(conn, module.SCHEMA)
                line = strings.DB_STATUS.format(
                    where=target.shown(),
                    what=what,
                    found=found,
                    oldest=oldest,
                    known=module.SCHEMA.version,
                )
                print(visible(line))
                continue
            before, after = module.upgrade(target)
        except (DatabaseError, DbUrlError, ValueError) as exc:
            _fail(visible(str(exc)))
        line = strings.DB_UPGRADED if before < after else strings.DB_UP_TO_DATE
        print(visible(line.format(where=target.shown(), what=what, old=before, new=after)))
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    """Print a flow as a Mermaid or Graphviz diagram."""
    from conseiller.graph import to_dot, to_mermaid

    catalog = _catalog(args)
    flow = catalog.flows[_flow_id(catalog, args.flow)]
    print(to_dot(flow) if args.format == "dot" else to_mermaid(flow), end="")
    return 0


def cmd_kiosk(args: argparse.Namespace) -> int:
    """Set the staff PIN, or run the kiosk (only once a usable PIN exists)."""
    from conseiller.kiosk import Lockout, PinError, require_pin, set_pin, validate_new_pin
    from conseiller.paths import data_dir

    folder = data_dir(args.data)
    if args.set_pin:
        import getpass

        first = getpass.getpass(strings.KIOSK_PIN_ASK)
        try:
            validate_new_pin(first)  # say so before asking for it again
        except PinError as exc:
            _fail(str(exc))
        if getpass.getpass(strings.KIOSK_PIN_AGAIN) != first:
            _fail(strings.KIOSK_PIN_MISMATCH)
        try:
            path = set_pin(folder, first)
            Lockout(folder).reset()  # wrong tries of the old PIN no longer count
        except (PinError, OSError) as exc:
            _fail(visible(str(exc)))
        print(strings.KIOSK_PIN_SET.format(path=path))
        return 0
    try:
        require_pin(folder)  # none, empty or corrupt: a kiosk nobody could leave
    except PinError as exc:
        _fail(visible(str(exc)))
    from conseiller.tui.kiosk_app import KioskApp, run_kiosk

    _export_store_options(args)
    if args.stats:  # the kiosk counts silently: say now if its counters cannot be reached
        from conseiller.db import DatabaseError
        from conseiller.stats import Stats

        try:
            Stats(folder)
        except DatabaseError as exc:
            print(visible(strings.KIOSK_STATS_UNAVAILABLE.format(reason=exc)), file=sys.stderr)

    def load() -> Catalog:
        from conseiller.catalog import load_catalog

        return load_catalog(args.content, args.flows, getattr(args, "local", None) or [])

    def make() -> KioskApp:
        return KioskApp(
            load,
            data=folder,
            theme=args.theme,
            idle=args.idle,
            countdown=args.countdown,
            stats=args.stats,
        )

    # An app that ends on an error is replaced by a new one; only staff (F12) end the kiosk.
    return run_kiosk(make, folder)


def cmd_stats(args: argparse.Namespace) -> int:
    """Visits, needs, formats and départements counted by the kiosk, rounded to 5."""
    import textwrap

    from conseiller.db import DatabaseError
    from conseiller.dburl import resolve
    from conseiller.paths import data_dir
    from conseiller.stats import (
        FILENAME,
        HIDDEN,
        HIDE_BELOW,
        Stats,
        is_month,
        known_values,
        shown,
        to_csv,
    )

    month = getattr(args, "month", None)
    if month is not None and not is_month(month):
        _fail(visible(strings.STATS_BAD_MONTH.format(value=month)))
    folder = data_dir(args.data)
    target = resolve(args.db, folder / FILENAME)  # checked by parse_args
    if not target.is_postgres and not (target.path and target.path.exists()):
        print(strings.STATS_NONE)
        return 0
    # Every need, format and département is listed, counted or not: a line that appears
    # between two outputs would tell what one visitor chose.
    try:
        stats = Stats(folder, db=target)
        known = known_values(_catalog(args))
        if getattr(args, "html", None) is not None:
            return _stats_html(args, stats, month)
        if getattr(args, "by", None):
            return _stats_by(args, stats, month, known)
        published = stats.published(month, known, args.site)
    except DatabaseError as exc:
        _fail(visible(str(exc)))
    if args.csv:
        print(visible(to_csv(published), keep_newlines=True), end="")
        return 0
    print(strings.STATS_SESSIONS.format(n=shown(published.visits), k=HIDE_BELOW))
    if published.months:
        print(strings.STATS_MONTHS.format(months=", ".join(published.months)))
    for title, rows in (
        (strings.STATS_NEEDS, published.needs),
        (strings.STATS_FORMATS, published.formats),
        (strings.STATS_DEPTS, published.departements),
    ):
        print(title)
        for key, value in rows:
            if value is not None:
                print(f"  {visible(key):24s} {value}")
        hidden = ", ".join(visible(key) for key, value in rows if value is None)
        if hidden:
            print(
                textwrap.fill(
                    hidden,
                    width=88,
                    initial_indent=f"  {HIDDEN:24s} ",
                    subsequent_indent=" " * 27,
                    break_on_hyphens=False,
                )
            )
    return 0


def _stats_by(args: argparse.Namespace, stats: Any, month: str | None, known: Any) -> int:
    """`stats --by site|month|departement|need`: one count per line, by the same rule."""
    from conseiller.stats import HIDE_BELOW, by_csv, published_by, shown

    rows = published_by(stats, args.by, month, known, args.site)
    if args.csv:
        print(visible(by_csv(args.by, rows), keep_newlines=True), end="")
        return 0
    print(strings.STATS_BY_TITLE[args.by])
    for key, value in rows:
        name = (key or strings.STATS_NO_SITE) if args.by == "site" else key
        print(visible(f"  {name:30.30s} {shown(value)}"))
    print(strings.STATS_BY_RULE.format(k=HIDE_BELOW))
    return 0


def _stats_html(args: argparse.Namespace, stats: Any, month: str | None) -> int:
    """`stats --html FICHIER`: the one-page territorial report."""
    from conseiller.db import DatabaseError
    from conseiller.paths import data_dir
    from conseiller.stats_html import write_report
    from conseiller.unmatched import UnmatchedLog

    catalog = _catalog(args)
    try:
        phrases = UnmatchedLog(data_dir(args.data), db=args.db).counts()
    except DatabaseError:  # the report is still worth having without the themes
        phrases = None
    try:
        write_report(args.html, stats, catalog, month=month, site=args.site, unmatched=phrases)
    except OSError as exc:
        _fail(visible(strings.STORE_IO.format(path=args.html, reason=exc.strerror or exc)))
    print(visible(strings.STATS_HTML_WRITTEN.format(path=args.html)))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app in a browser (localhost by default); a kiosk needs its staff PIN."""
    from conseiller.tui.serve import serve

    if args.kiosk:
        from conseiller.kiosk import PinError, require_pin
        from conseiller.paths import data_dir

        try:  # none, empty or corrupt: no session could ever be left by the staff
            require_pin(data_dir(args.data))
        except PinError as exc:
            _fail(str(exc))
    return serve(args)


def cmd_web(args: argparse.Namespace) -> int:
    """Serve the conversation as plain web pages (one question each, no session stored)."""
    from conseiller.http_guard import parse_public_url
    from conseiller.web.run import serve as serve_web

    public = getattr(args, "public_url", None)
    if public is not None and parse_public_url(public) is None:
        _fail(strings.SERVE_BAD_PUBLIC_URL.format(url=public))
    return serve_web(args, _catalog(args))


def _purge_expired(args: argparse.Namespace) -> None:
    """Advisor mode: sessions older than the retention period go before the app starts."""
    from conseiller.paths import data_dir
    from conseiller.store import Store, StoreError, retention

    try:
        args.retention = retention(getattr(args, "retention", None))
    except ValueError as exc:
        _fail(visible(str(exc)))
    try:
        store = Store(data_dir(args.data), create=False, db=args.db)
        purged = store.purge_expired(args.retention)
    except StoreError:
        return  # the app opens the store itself and shows the problem there
    if purged:
        print(
            plural(strings.SESSIONS_EXPIRED, len(purged), days=args.retention.days),
            file=sys.stderr,
        )


def cmd_contacts(args: argparse.Namespace) -> int:
    """A territory pack from a spreadsheet (import), or back to one (export)."""
    from conseiller.contacts_csv import run_export, run_import

    catalog = _catalog(args)
    if args.action == "import":
        return run_import(catalog, args.file, args.out, dry_run=args.dry_run)
    return run_export(catalog, args.out, sep=args.sep)


def _export_store_options(args: argparse.Namespace) -> None:
    """--db and --site for the apps, which open their stores themselves (from the
    environment): this process runs one app, then ends."""
    import os

    from conseiller.dburl import DB_ENV, SITE_ENV

    if args.db:
        os.environ[DB_ENV] = args.db
    if args.site is not None:
        os.environ[SITE_ENV] = args.site


def cmd_tui(args: argparse.Namespace) -> int:
    """Start the chat in the terminal (advisor mode: purge expired sessions first)."""
    _export_store_options(args)
    if getattr(args, "mode", None) == "advisor":
        _purge_expired(args)
    from conseiller.tui.app import run

    return run(args)


def cmd_plain(args: argparse.Namespace) -> int:
    """The conversation line by line on stdin and stdout: no colour, no escape byte."""
    from conseiller.conversation import Conversation
    from conseiller.matching import matcher_for
    from conseiller.paths import data_dir
    from conseiller.plain import run

    catalog = _catalog(args)
    flow = catalog.flows[_flow_id(catalog, args.flow)]
    for stream in (sys.stdin, sys.stdout):  # a stray byte never stops the conversation
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    return run(
        Conversation(catalog, flow, matcher_for(catalog)),
        sys.stdin,
        sys.stdout,
        interactive=sys.stdin.isatty(),
        save_dir=args.save,
        exports_dir=data_dir(args.data) / "exports",
    )


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
    q.add_argument(
        "--advisor", action="store_true", help="version du conseiller, avec ses notes privées"
    )
    q = ssub.add_parser("delete", parents=[common], help="supprimer une session")
    q.add_argument("id", help="identifiant de la session")
    q = ssub.add_parser("purge", parents=[common], help="supprimer les vieilles sessions")
    q.add_argument("--older-than", required=True, help="par exemple 90d, 12w, 6m, 1y")
    q.add_argument(
        "--dry-run",
        action="store_true",
        help="seulement lister les sessions qui seraient supprimées",
    )
    q.add_argument(
        "--yes",
        action="store_true",
        help="ne pas demander de confirmation quand toutes les sessions partiraient",
    )
    p.set_defaults(func=cmd_sessions)


def _add_db_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """`conseiller db upgrade`: the only way a shared database's tables change."""
    p = sub.add_parser("db", parents=[common], help=strings.DB_CMD_HELP)
    dsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    dsub.add_parser("upgrade", parents=[common], help=strings.DB_UPGRADE_HELP)
    dsub.add_parser("status", parents=[common], help=strings.DB_STATUS_HELP)
    p.set_defaults(func=cmd_db)


def _add_contacts_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """`conseiller contacts import|export`: territory packs and spreadsheets."""
    p = sub.add_parser("contacts", parents=[common], help=strings.CSV_CMD_HELP)
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = csub.add_parser("import", parents=[common], help=strings.CSV_IMPORT_HELP)
    q.add_argument("file", type=Path, help=strings.CSV_FILE_HELP)
    q.add_argument("--out", type=Path, required=True, metavar="DOSSIER", help=strings.CSV_OUT_HELP)
    q.add_argument("--dry-run", action="store_true", help=strings.CSV_DRY_RUN_HELP)
    q = csub.add_parser("export", parents=[common], help=strings.CSV_EXPORT_HELP)
    q.add_argument("--csv", action="store_true", help=strings.CSV_CSV_HELP)
    q.add_argument(
        "--out", type=Path, default=None, metavar="FICHIER", help=strings.CSV_EXPORT_OUT_HELP
    )
    q.add_argument("--sep", choices=(";", ","), default=";", help=strings.CSV_SEP_HELP)
    p.set_defaults(func=cmd_contacts)


def _add_plain_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """`conseiller plain` (`texte`): the conversation line by line."""
    for name in ("plain", "texte"):
        p = sub.add_parser(name, parents=[common], help=strings.PLAIN_CMD_HELP)
        p.add_argument(
            "--save", type=Path, default=None, metavar="DOSSIER", help=strings.PLAIN_SAVE_HELP
        )
        p.add_argument("--flow", default=None, help="identifiant du parcours")
        p.set_defaults(func=cmd_plain)


class _LocalAction(argparse.Action):
    """`--local DIR`, repeatable, before and after the command: both lists are kept."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        # The command's parser fills a namespace of its own that replaces the main one's
        # values: what comes before the command is kept under another name.
        dest = "local_before" if " " not in parser.prog else "local"
        setattr(namespace, dest, [*getattr(namespace, dest, []), values])


def _add_kiosk_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """`conseiller kiosk` (`borne`), `stats` and `serve`."""
    for name in ("kiosk", "borne"):
        p = sub.add_parser(
            name, parents=[common], help="borne en libre accès : verrouillée, efface chaque visite"
        )
        p.add_argument("--theme", default=None, choices=THEME_NAMES, help=strings.CLI_THEME)
        p.add_argument(
            "--idle",
            type=float,
            default=180.0,
            help="secondes sans activité avant « Vous êtes toujours là ? »",
        )
        p.add_argument(
            "--countdown",
            type=int,
            default=30,
            help="secondes du compte à rebours avant l'effacement",
        )
        p.add_argument(
            "--stats",
            action="store_true",
            help="compter les visites (comptes anonymes par mois, arrondis à 5)",
        )
        p.add_argument(
            "--set-pin",
            action="store_true",
            help="définir le code du personnel, de 4 à 12 chiffres (demandé deux fois)",
        )
        p.set_defaults(func=cmd_kiosk)

    p = sub.add_parser("stats", parents=[common], help="statistiques anonymes de la borne")
    p.add_argument("--csv", action="store_true", help="sortie CSV")
    p.add_argument(
        "--month",
        default=None,
        metavar="AAAA-MM",
        help="un seul mois (par défaut : tous les mois réunis)",
    )
    p.add_argument(
        "--by", choices=("site", "month", "departement", "need"), help=strings.STATS_BY_HELP
    )
    p.add_argument(
        "--html", type=Path, default=None, metavar="FICHIER", help=strings.STATS_HTML_HELP
    )
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", parents=[common], help="servir l'application dans un navigateur")
    _add_http_options(p, port=8000)
    p.add_argument("--kiosk", action="store_true", help="servir le mode borne")
    p.add_argument(
        "--max-sessions", type=int, default=4, help="nombre maximal de sessions ouvertes à la fois"
    )
    p.add_argument(
        "--idle",
        type=float,
        default=None,
        help="avec --kiosk : secondes sans activité avant « Vous êtes toujours là ? »",
    )
    p.add_argument(
        "--countdown",
        type=int,
        default=None,
        help="avec --kiosk : secondes du compte à rebours avant l'effacement",
    )
    p.add_argument(
        "--stats",
        action="store_true",
        help="avec --kiosk : compter les sessions (besoins, département, jour)",
    )
    p.set_defaults(func=cmd_serve)


def _add_http_options(p: argparse.ArgumentParser, *, port: int) -> None:
    """What both browser fronts (serve, web) take: where to listen, and how they are reached."""
    p.add_argument("--host", default="127.0.0.1", help=strings.CLI_HOST)
    p.add_argument("--port", type=int, default=port, help=strings.CLI_PORT)
    p.add_argument("--public-url", default=None, help=strings.CLI_PUBLIC_URL)
    p.add_argument(
        "--trusted-proxy",
        action="append",
        type=_proxy_address,
        metavar="ADRESSE",
        help=strings.CLI_TRUSTED_PROXY,
    )


def _proxy_address(value: str) -> str:
    """`--trusted-proxy`: an IP address or network."""
    import ipaddress

    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(strings.SERVE_BAD_PROXY.format(value=value)) from None
    return value


def _common_options() -> argparse.ArgumentParser:
    """The options every command takes: content, flows, data folder, territory packs."""
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
    common.add_argument(
        "--local", action=_LocalAction, type=Path, metavar="DOSSIER", help=strings.CLI_LOCAL_HELP
    )
    common.add_argument("--db", metavar="URL", help=strings.CLI_DB)
    common.add_argument("--site", metavar="NOM", help=strings.CLI_SITE)
    return common


#: The colour themes of the terminal app (tui/app.py has one Theme for each name).
THEME_NAMES = ("defaut", "contraste-eleve")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("conseiller")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "?"


def _french_argparse(message: str) -> str:
    """argparse's own texts ("usage:", "show this help message and exit"…) in French."""
    return strings.ARGPARSE.get(message, message)


# argparse looks its texts up through its module-level `_` at the moment it prints them.
argparse._ = _french_argparse  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="conseiller", description=strings.CLI_DESCRIPTION, parents=[common]
    )
    parser.add_argument("--theme", default=None, choices=THEME_NAMES, help=strings.CLI_THEME)
    parser.add_argument(
        "--version", action="version", version=f"conseiller {_version()}", help=strings.CLI_VERSION
    )
    parser.add_argument("--log-unmatched", action="store_true", help=strings.CLI_LOG_UNMATCHED)
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(title="commandes", metavar="COMMANDE")

    for name in ("advisor", "accompagnement"):
        p = sub.add_parser(
            name,
            parents=[common],
            help="mode conseiller : session côte à côte, notes, sessions gardées",
        )
        p.add_argument("--theme", default=None, choices=THEME_NAMES, help=strings.CLI_THEME)
        p.add_argument("--log-unmatched", action="store_true", help=strings.CLI_LOG_UNMATCHED)
        p.add_argument("--retention", default=None, help=strings.CLI_RETENTION)
        p.set_defaults(func=cmd_tui, mode="advisor")

    _add_kiosk_parsers(sub, common)

    p = sub.add_parser(
        "web",
        parents=[common],
        help="des pages web, une question par page (téléphone, lecteur d'écran)",
    )
    _add_http_options(p, port=8080)
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="nombre de processus qui se partagent le port (SO_REUSEPORT)",
    )
    p.add_argument(
        "--quiet",
        action="store_true",
        help="sans journal des requêtes (qui ne garde que méthode, chemin, code, durée)",
    )
    p.set_defaults(func=cmd_web)

    p = sub.add_parser("check", parents=[common], help="vérifier le contenu et les parcours")
    p.add_argument("--links", action="store_true", help=strings.LINKS_HELP)
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
    p.add_argument("--suggest", action="store_true", help=strings.CLI_SUGGEST)
    p.set_defaults(func=cmd_unmatched)

    p = sub.add_parser("replay", parents=[common], help="rejouer un parcours depuis un fichier")
    p.add_argument("answers", type=Path, help="fichier YAML « case: réponse »")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--flow", default=None, help="identifiant du parcours")
    p.add_argument(
        "--save",
        action="store_true",
        help="enregistrer la session comme le ferait le mode conseiller",
    )
    p.set_defaults(func=cmd_replay)

    _add_sessions_parser(sub, common)
    _add_contacts_parser(sub, common)
    _add_db_parser(sub, common)

    p = sub.add_parser("graph", parents=[common], help="dessiner un parcours")
    p.add_argument("flow", nargs="?", default=None, help="identifiant du parcours")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.set_defaults(func=cmd_graph)

    _add_plain_parser(sub, common)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse a command line; the common options are None when not given."""
    args = build_parser().parse_args(argv)
    for name in ("content", "flows", "data", "db", "site"):
        if not hasattr(args, name):
            setattr(args, name, None)
    from conseiller.dburl import DbUrlError, resolve, site_name

    try:  # a URL with a password, or an unfit site name: said before anything runs
        resolve(args.db, Path())
        site_name(args.site)
    except DbUrlError as exc:
        _fail(visible(str(exc)))
    from conseiller.packs import local_dirs

    given = [*vars(args).pop("local_before", []), *getattr(args, "local", [])]
    args.local = local_dirs(given)  # none given: $CONSEILLER_LOCAL's
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
