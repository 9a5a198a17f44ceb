"""Territory packs from spreadsheets: CSV rows to checked contacts (import), and back (export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, get_args, get_origin

import yaml

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.loader import (
    ContentError,
    Document,
    Positions,
    did_you_mean,
    load_model,
    parse_yaml_text,
    validate,
)
from conseiller.normalize import fold
from conseiller.schema import Contact, ContactKind, ContactsFile, FormatsFile
from conseiller.territory import TerritoryError
from conseiller.typography import plural

#: Kind given to a contact when the file has no `type` column.
DEFAULT_KIND = "reseau"
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_SHOWN = 50  # problems printed; the rest are counted

# Accepted column names (folded: lower case, no accents, spaces for _ and -), by field.
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant"),
    "name": ("name", "nom", "structure", "nom de la structure"),
    "kind": ("kind", "type", "sorte"),
    "description": ("description",),
    "website": ("website", "site", "site web", "site internet", "url", "web"),
    "departements": ("departements", "departement", "depts", "dept"),
    "regions": ("regions", "region"),
    "national": ("national",),
    "needs": ("needs", "besoins", "besoin"),
    # What the structure delivers itself; the column keeps its old title « formats ».
    "delivers": ("delivers", "formats", "format", "accompagne", "vous accompagne"),
    "source": ("source", "sources"),
    "checked_on": ("checked on", "verifie le", "date de verification", "date verification"),
    "verified": ("verified", "verifie"),
    "phone": ("phone", "telephone", "tel"),
    "email": ("email", "e mail", "courriel", "mail"),
}
#: Fields a row must fill (a missing column is an error too).
REQUIRED = ("name", "description", "source", "checked_on")
#: Fields read by the coverage columns, and those a CSV never holds.
_AREA = ("departements", "regions", "national")
_NOT_IN_CSV = ("coverage", "when", "points_to", "formats")  # formats: old name of delivers
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_FRENCH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_YES = {"oui", "o", "vrai", "1", "yes", "y", "true", "x"}
_NO = {"non", "n", "faux", "0", "no", "false", ""}
_FORMULA = ("=", "+", "-", "@")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _key(header: str) -> str:
    return " ".join(fold(header.replace("_", " ").replace("-", " ")).split())


def _generic_fields() -> dict[str, str]:
    """Contact fields without a French alias (added by other issues): by their own name."""
    known = set(_ALIASES) | set(_NOT_IN_CSV)
    return {_key(name): name for name in Contact.model_fields if name not in known}


def _columns() -> dict[str, str]:
    out = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
    out.update(_generic_fields())
    return out


@dataclass(frozen=True)
class Imported:
    """The contacts of a CSV file, each with its line, and the fields its columns give."""

    contacts: tuple[Contact, ...]
    lines: dict[str, int]
    fields: frozenset[str]
    warnings: tuple[str, ...] = ()


class CsvError(Exception):
    """The file cannot be imported; `problems` are lines 'file:line: message'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- reading ---------------------------------------------------------------------------


def decode(data: bytes, shown: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise CsvError([f"{shown}:1: {strings.CSV_UTF16}"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvError([f"{shown}:{line}: {strings.CSV_ENCODING}"]) from None
    if _MOJIBAKE.search(text):  # UTF-8 and Windows-1252 mixed: name the first odd line
        for line, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raise CsvError([f"{shown}:{line}: {strings.CSV_MIXED}"]) from None
    return text


def sniff(header_line: str) -> str | None:
    """The separator of a file from its first line: ';' or ',' (None: neither)."""
    counts = {sep: header_line.count(sep) for sep in (";", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else None


def _records(text: str, sep: str, skip: int = 0) -> Iterable[tuple[int, list[str]]]:
    """(first line, cells) of every record; a quoted cell may span several lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    end = 0
    for _ in range(skip):
        next(reader, None)
        end = reader.line_num
    for cells in reader:
        start, end = end + 1, reader.line_num
        yield start, cells


def _items(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", cell) if part.strip()]


def _clean(cell: str) -> str:
    return " ".join(cell.split())


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula ('=…' is written \"'=…\")."""
    return f"'{cell}" if cell[:1] in _FORMULA else cell


def _uninert(cell: str) -> str:
    """The cell as `_inert` received it."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA else cell


def slug(name: str) -> str:
    """A stable id from a name: 'Tiers-lieu de l'Exemple' -> 'tiers-lieu-de-l-exemple'."""
    return fold(name).replace(" ", "-")[:60].strip("-")


@dataclass
class _Row:
    """One row being read: its problems, and the contact's data."""

    shown: str
    line: int
    problems: list[str] = field(default_factory=list)

    def bad(self, message: str) -> None:
        self.problems.append(f"{self.shown}:{self.line}: {message}")


class _Reader:
    """Turns cells into contact fields, with the catalog's needs, formats and territories."""

    def __init__(self, catalog: Catalog, formats: Collection[str], today: dt.date) -> None:
        self.cat = catalog
        self.formats = set(formats)
        self.today = today
        self.need_labels = {fold(n.label): n.id for n in catalog.needs.values()}
        self.format_titles = {fold(f.title): f.id for f in catalog.formats.values()}
        self.kinds: tuple[str, ...] = get_args(ContactKind)

    def ids(
        self, row: _Row, cell: str, known: Collection[str], labels: dict[str, str], message: str
    ) -> list[str]:
        out: list[str] = []
        for item in _items(cell):
            folded = fold(item)
            found = folded.replace(" ", "-") if folded.replace(" ", "-") in known else None
            found = found or labels.get(folded)
            if found is None:
                row.bad(
                    message.format(
                        value=item, hint=did_you_mean(folded.replace(" ", "-"), sorted(known))
                    )
                )
            elif found not in out:
                out.append(found)
        return out

    def departements(self, row: _Row, cell: str) -> list[str]:
        terr = self.cat.territories
        out: list[str] = []
        for item in _items(cell):
            code = item.upper()
            if re.fullmatch(r"\d{1,3}", code):
                code = code.zfill(2)
            found = code if code in terr.departements else terr.names.get(fold(item))
            if found is None:
                row.bad(strings.CSV_BAD_DEPT.format(value=item, hint=self._dept_hint(item)))
            elif found not in out:
                out.append(found)
        return out

    def _dept_hint(self, item: str) -> str:
        if item.strip() == "20":
            return strings.CSV_CORSICA
        try:
            dept = self.cat.territories.resolve(item)
        except TerritoryError as exc:
            if not exc.suggestions:
                return ""
            dept = exc.suggestions[0]
        return strings.DID_YOU_MEAN.format(word=f"{dept.name} ({dept.code})")

    def regions(self, row: _Row, cell: str) -> list[str]:
        regions = self.cat.territories.regions
        names = {fold(r.name): code for code, r in regions.items()}
        out: list[str] = []
        for item in _items(cell):
            code = item.zfill(2) if item.isdigit() else names.get(fold(item))
            if code is None or code not in regions:
                hint = did_you_mean(item, sorted(r.name for r in regions.values()))
                row.bad(strings.CSV_BAD_REGION.format(value=item, hint=hint))
            elif code not in out:
                out.append(code)
        return out

    def date(self, row: _Row, cell: str) -> str | None:
        iso, french = _ISO.match(cell), _FRENCH.match(cell)
        try:
            if iso:
                day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            elif french:
                year = int(french[3]) + (2000 if len(french[3]) == 2 else 0)
                day = dt.date(year, int(french[2]), int(french[1]))
            else:
                raise ValueError(cell)
        except ValueError:
            row.bad(strings.CSV_BAD_DATE.format(value=cell))
            return None
        if day > self.today:
            row.bad(strings.CSV_FUTURE_DATE.format(value=cell))
            return None
        return day.isoformat()

    def flag(self, row: _Row, column: str, cell: str) -> bool:
        value = fold(cell)
        if value in _YES:
            return True
        if value not in _NO:
            row.bad(strings.CSV_BAD_FLAG.format(column=column, value=cell))
        return False

    def website(self, row: _Row, cell: str) -> str | None:
        if not cell:
            return None
        site = cell if "://" in cell else f"https://{cell}"
        if not re.fullmatch(r"https://[^\s/]+\.[^\s]+", site):
            row.bad(strings.CSV_BAD_SITE.format(value=cell))
            return None
        return site

    def kind(self, row: _Row, cell: str) -> str:
        value = fold(cell).replace(" ", "-")
        if value in self.kinds:
            return value
        row.bad(
            strings.CSV_UNKNOWN_KIND.format(
                value=cell, hint=did_you_mean(value, list(self.kinds)), known=", ".join(self.kinds)
            )
        )
        return DEFAULT_KIND

    def generic(self, row: _Row, name: str, column: str, cell: str) -> Any:
        annotation = Contact.model_fields[name].annotation
        if annotation is bool:
            return self.flag(row, column, cell)
        if get_origin(annotation) is list:
            return _items(cell)
        return cell or None


def _header(cells: list[str], where: str) -> tuple[list[str | None], list[str]]:
    """The field of each column (None: ignored empty title), and the problems."""
    columns = _columns()
    problems: list[str] = []
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    names = sorted({strings.CSV_HEADERS.get(f, f) for f in columns.values()})
    for title in cells:
        key = _key(title)
        if not key:
            fields.append(None)
            continue
        name = columns.get(key)
        if name is None:
            hint = did_you_mean(key, sorted(columns))
            problems.append(
                f"{where}: "
                + strings.CSV_UNKNOWN_HEADER.format(
                    name=title.strip(), hint=hint, known=", ".join(names)
                )
            )
        elif name in seen:
            problems.append(f"{where}: " + strings.CSV_DUPLICATE_HEADER.format(name=title.strip()))
        else:
            seen[name] = title.strip()
        fields.append(name)
    for name in REQUIRED:
        if name not in seen:
            problems.append(
                f"{where}: " + strings.CSV_MISSING_COLUMN.format(name=strings.CSV_HEADERS[name])
            )
    if not any(a in seen for a in _AREA):
        problems.append(
            f"{where}: "
            + strings.CSV_MISSING_COLUMN.format(name=strings.CSV_HEADERS["departements"])
        )
    return fields, problems


def read_text(
    text: str,
    shown: str,
    catalog: Catalog,
    *,
    formats: Collection[str] = (),
    today: dt.date | None = None,
) -> Imported:
    """Every row of a CSV text checked like content; CsvError lists every problem, located."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CsvError([f"{shown}:1: {strings.CSV_EMPTY}"])
    skip = 0
    if re.fullmatch(r"sep=[;,]", lines[0].strip().lower()):  # Excel's own first line
        sep: str | None = lines[0].strip()[4]
        skip = 1
    else:
        sep = sniff(lines[0])
    if sep is None or len(lines) <= skip:
        raise CsvError([f"{shown}:1: {strings.CSV_NO_SEPARATOR}"])
    reader = _Reader(catalog, {*catalog.formats, *formats}, today or dt.date.today())
    records = iter(_records(text, sep, skip))
    header_line, titles = next(records, (skip + 1, []))
    fields, problems = _header(titles, f"{shown}:{header_line}")
    if problems:
        raise CsvError(problems)
    given = frozenset(f for f in fields if f is not None)
    contacts: list[Contact] = []
    first_line: dict[str, int] = {}
    warnings: list[str] = []
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        row = _Row(shown, line)
        if len(cells) > len(fields):
            row.bad(strings.CSV_COLUMNS.format(n=len(cells), expected=len(fields), sep=sep))
            problems.extend(row.problems)
            continue
        contact = _contact(reader, row, dict(zip(fields, cells, strict=False)), titles, fields)
        problems.extend(row.problems)
        if contact is None:
            continue
        if contact.id in first_line:
            problems.append(
                f"{shown}:{line}: "
                + strings.CSV_DUPLICATE_ID.format(id=contact.id, line=first_line[contact.id])
            )
            continue
        first_line[contact.id] = line
        contacts.append(contact)
        if contact.id in _shipped_ids(catalog):
            warnings.append(
                strings.CSV_REPLACES_SHIPPED.format(path=shown, line=line, id=contact.id)
            )
    if not contacts and not problems:
        problems.append(f"{shown}:{header_line + 1}: {strings.CSV_NO_ROWS}")
    if problems:
        raise CsvError(problems)
    return Imported(tuple(contacts), first_line, given, tuple(warnings))


def _shipped_ids(catalog: Catalog) -> set[str]:
    from_packs = {c.id for pack in catalog.packs for c in pack.contacts}
    return {cid for cid in catalog.contacts if cid not in from_packs}


def _contact(
    reader: _Reader,
    row: _Row,
    cells: dict[str | None, str],
    titles: list[str],
    fields: list[str | None],
) -> Contact | None:
    """One row's contact, or None (its problems are in `row`)."""
    title = {f: t.strip() for f, t in zip(fields, titles, strict=False) if f is not None}
    for name, raw in cells.items():
        if name is not None and _CONTROLS.search(raw):
            row.bad(strings.CSV_CONTROL.format(column=title[name]))
            return None
    cell = {name: _uninert((cells.get(name) or "").strip()) for name in title}
    for name in REQUIRED:
        if not cell[name]:
            row.bad(strings.CSV_EMPTY_CELL.format(column=title[name]))
    data: dict[str, Any] = {
        "name": _clean(cell["name"]),
        "description": _clean(cell["description"]),
        "source": _clean(cell["source"]),
        "kind": reader.kind(row, cell["kind"]) if cell.get("kind") else DEFAULT_KIND,
        "website": reader.website(row, cell.get("website", "")),
        "needs": reader.ids(
            row,
            cell.get("needs", ""),
            reader.cat.needs,
            reader.need_labels,
            strings.CSV_UNKNOWN_NEED,
        ),
        "delivers": reader.ids(
            row,
            cell.get("delivers", ""),
            reader.formats,
            reader.format_titles,
            strings.CSV_UNKNOWN_FORMAT,
        ),
        "verified": reader.flag(row, title.get("verified", ""), cell.get("verified", "")),
    }
    if cell["checked_on"]:
        data["checked_on"] = reader.date(row, cell["checked_on"])
    national = reader.flag(row, title.get("national", ""), cell.get("national", ""))
    coverage: dict[str, Any] = (
        {"national": True}
        if national
        else {
            "departements": reader.departements(row, cell.get("departements", "")),
            "regions": reader.regions(row, cell.get("regions", "")),
        }
    )
    if (
        not national
        and not coverage["departements"]
        and not coverage["regions"]
        and not any(cell.get(a) for a in _AREA)
    ):
        row.bad(strings.CSV_NO_AREA)
    data["coverage"] = coverage
    for name in ("phone", "email"):
        if cell.get(name):  # only when the file gives them
            data[name] = _clean(cell[name])
    if data.get("email") and not _EMAIL.match(data["email"]):
        row.bad(strings.CSV_BAD_EMAIL.format(value=data["email"]))
    for name in _generic_fields().values():
        if name in title and cell[name]:
            data[name] = reader.generic(row, name, title[name], cell[name])
    ident = cell.get("id") or slug(data["name"])
    if cell.get("id") and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", ident):
        row.bad(strings.CSV_BAD_ID.format(value=ident))
    elif not ident and data["name"]:
        row.bad(strings.CSV_NO_ID.format(value=data["name"]))
    data["id"] = ident
    if row.problems:
        return None
    try:
        return validate(Contact, Document(data, Positions(row.shown, None)))
    except ContentError as exc:
        for problem in exc.problems:
            row.bad(problem.message)
        return None


def read_file(
    path: Path,
    catalog: Catalog,
    *,
    formats: Collection[str] = (),
    today: dt.date | None = None,
    shown: str | None = None,
) -> Imported:
    """Read and check a CSV file (see `read_text`)."""
    shown = shown or path.name
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise CsvError([f"{shown}:1: {strings.LOAD_TOO_BIG}"])
        data = path.read_bytes()
    except OSError as exc:
        raise CsvError(
            [f"{shown}:1: " + strings.CSV_UNREADABLE.format(reason=exc.strerror or exc)]
        ) from None
    return read_text(decode(data, shown), shown, catalog, formats=formats, today=today)


# --- the pack --------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    """The pack's new contacts, and what changed from the ones it had."""

    contacts: tuple[Contact, ...]
    added: tuple[str, ...]
    updated: tuple[str, ...]
    same: tuple[str, ...]
    removed: tuple[str, ...]


def merge(imported: Imported, existing: Sequence[Contact]) -> Merged:
    """The file's contacts, keeping from the pack's own what the file has no column for."""
    before = {c.id: c for c in existing}
    given = set(imported.fields) | {"id"}
    if given & set(_AREA):
        given.add("coverage")
    out: list[Contact] = []
    added: list[str] = []
    updated: list[str] = []
    same: list[str] = []
    for contact in imported.contacts:
        old = before.get(contact.id)
        if old is None:
            out.append(contact)
            added.append(contact.id)
            continue
        full = contact.model_dump(mode="json")
        data = old.model_dump(mode="json")
        data.update({k: v for k, v in full.items() if k in given})
        new = Contact.model_validate(data)
        out.append(new)
        (same if new == old else updated).append(contact.id)
    kept = {c.id for c in imported.contacts}
    removed = tuple(cid for cid in before if cid not in kept)
    return Merged(tuple(out), tuple(added), tuple(updated), tuple(same), removed)


def to_yaml(contacts: Sequence[Contact], source: str, today: dt.date) -> str:
    """contacts.yaml of a pack, with a header that says where it comes from."""
    items = [c.model_dump(mode="json", exclude_defaults=True) for c in contacts]
    body = yaml.safe_dump(
        {"contacts": items}, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )
    header = strings.CSV_YAML_HEADER.format(source=source, date=today.strftime("%d/%m/%Y"))
    text = header + body
    validate(ContactsFile, parse_yaml_text(text, "contacts.yaml"))  # what we write loads
    return text


def write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _pack_extras(out: Path) -> tuple[list[Contact], set[str], list[str]]:
    """The pack's current contacts and formats (if any), and the problems reading them."""
    contacts: list[Contact] = []
    formats: set[str] = set()
    problems: list[str] = []
    for name, model in (("contacts.yaml", ContactsFile), ("formats.yaml", FormatsFile)):
        path = out / name
        if not path.is_file():
            continue
        try:
            loaded, _ = load_model(model, path, str(path))
        except ContentError as exc:
            problems.extend(str(p) for p in exc.problems)
            continue
        if isinstance(loaded, ContactsFile):
            contacts = list(loaded.contacts)
        elif isinstance(loaded, FormatsFile):
            formats = {f.id for f in loaded.formats}
    return contacts, formats, problems


def run_import(
    catalog: Catalog,
    csv_path: Path,
    out: Path,
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`conseiller contacts import`: 0 when written (or shown), 2 on any problem."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    today = today or dt.date.today()
    existing, formats, problems = _pack_extras(out)
    if not problems:
        try:
            imported = read_file(
                csv_path, catalog, formats=formats, today=today, shown=str(csv_path)
            )
        except CsvError as exc:
            problems = exc.problems
    if problems:
        for problem in problems[:MAX_SHOWN]:
            print(problem, file=stderr)
        if len(problems) > MAX_SHOWN:
            print(plural(strings.CSV_MORE, len(problems) - MAX_SHOWN), file=stderr)
        print(strings.CSV_NOTHING_WRITTEN, file=stderr)
        return 2
    for warning in imported.warnings:
        print(warning, file=stderr)
    merged = merge(imported, existing)
    target = out / "contacts.yaml"
    text = to_yaml(merged.contacts, csv_path.name, today)
    summary = strings.CSV_WRITTEN.format(
        path=target,
        n=plural(strings.CSV_CONTACTS, len(merged.contacts)),
        added=plural(strings.CSV_ADDED, len(merged.added)),
        updated=len(merged.updated),
        same=plural(strings.CSV_SAME, len(merged.same)),
        removed=plural(strings.CSV_REMOVED, len(merged.removed)),
    )
    if dry_run:
        print(strings.CSV_DRY_RUN.format(path=target), file=stdout)
        print(text, file=stdout)
        print(summary, file=stdout)
        return 0
    try:
        write_atomic(target, text)
    except OSError as exc:
        print(strings.CSV_UNREADABLE.format(reason=exc.strerror or exc), file=stderr)
        print(strings.CSV_NOTHING_WRITTEN, file=stderr)
        return 2
    print(summary, file=stdout)
    print(strings.CSV_NEXT.format(dir=out), file=stdout)
    return 0


# --- export ----------------------------------------------------------------------------


def to_csv(contacts: Sequence[Contact], sep: str = ";") -> str:
    """The contacts as a spreadsheet-ready CSV text (French titles, dates as 27/11/2026)."""
    joiner = ", " if sep != "," else "; "
    names = [
        "id",
        "name",
        "kind",
        "description",
        "website",
        "departements",
        "regions",
        "needs",
        "delivers",
        "source",
        "checked_on",
        "verified",
    ]
    if any(c.coverage.national for c in contacts):
        names.insert(names.index("regions") + 1, "national")
    names += [n for n in ("phone", "email") if any(getattr(c, n) for c in contacts)]
    defaults = {n: f.default for n, f in Contact.model_fields.items()}
    names += [
        n
        for n in _generic_fields().values()
        if any(getattr(c, n) != defaults.get(n) for c in contacts)
    ]

    def cell(contact: Contact, name: str) -> str:
        if name in ("departements", "regions"):
            return joiner.join(getattr(contact.coverage, name))
        if name == "national":
            return strings.CSV_YES if contact.coverage.national else ""
        if name == "checked_on":
            return contact.checked_on.strftime("%d/%m/%Y")
        value = getattr(contact, name)
        if isinstance(value, bool):
            return strings.CSV_YES if value else strings.CSV_NO
        if isinstance(value, list):
            return joiner.join(str(v) for v in value)
        return "" if value is None else str(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow([strings.CSV_HEADERS.get(n, n) for n in names])
    for contact in contacts:
        writer.writerow([_inert(cell(contact, n)) for n in names])
    return buffer.getvalue()


def run_export(
    catalog: Catalog,
    out: Path | None,
    *,
    sep: str = ";",
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`conseiller contacts export`: the packs' contacts (last one wins) as CSV."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not catalog.packs:
        print(strings.CSV_EXPORT_NO_LOCAL, file=stderr)
        return 2
    mine = {c.id: catalog.contacts[c.id] for pack in catalog.packs for c in pack.contacts}
    text = to_csv(list(mine.values()), sep)
    if out is None:
        stdout.write(text)
        return 0
    try:
        # A BOM, so that Excel reads the accents right; LibreOffice ignores it.
        write_atomic(out, "\ufeff" + text)
    except OSError as exc:
        print(strings.CSV_UNREADABLE.format(reason=exc.strerror or exc), file=stderr)
        return 2
    print(plural(strings.CSV_EXPORTED, len(mine), path=out), file=stdout)
    return 0
