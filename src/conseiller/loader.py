"""Safe YAML to models: every error names the file, line, column, field and a close match."""

from __future__ import annotations

import difflib
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from conseiller import strings

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
NODE_KINDS = ("message", "choice", "text", "confirm", "end")

Loc = tuple[str | int, ...]
# libyaml's C parser when PyYAML has it (5-10x faster); both only build plain data.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One problem found in content, located in a file."""

    path: str
    line: int
    col: int
    level: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message}"


class ContentError(Exception):
    """Content could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class Positions:
    """Line and column (1-based) of every key and value of a YAML document, by path.

    The table is built on first use: content without problems never pays for it.
    """

    def __init__(self, path: str, root: yaml.Node | None) -> None:
        self.path = path
        self._root = root
        self._marks: dict[Loc, tuple[int, int]] | None = None

    @property
    def marks(self) -> dict[Loc, tuple[int, int]]:
        """Every path of the document and where it starts."""
        if self._marks is None:
            self._marks = {}
            if self._root is not None:
                _walk(self._root, (), self._marks)
        return self._marks

    def at(self, loc: Loc) -> tuple[int, int]:
        """The position of the deepest known prefix of `loc`."""
        marks = self.marks
        for cut in range(len(loc), -1, -1):
            found = marks.get(loc[:cut])
            if found:
                return found
        return (1, 1)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its data and where each part stands."""

    data: Any
    positions: Positions


def _explain_yaml(problem: str) -> str:
    """The YAML parser's reason in plain French when we know it, else as it is."""
    for needle, french in strings.YAML_PROBLEMS.items():
        if needle in problem:
            return french.format(detail=problem.rsplit("tag:yaml.org,2002:", maxsplit=1)[-1][:60])
    return problem


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _walk(node: yaml.Node, loc: Loc, marks: dict[Loc, tuple[int, int]]) -> None:
    marks.setdefault(loc, _mark(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            marks[(*loc, key)] = _mark(key_node)
            _walk(value_node, (*loc, key), marks)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), marks)


class _Unusual(Exception):
    """A tag or merge key the fast builder leaves to PyYAML's safe constructor."""


class _Duplicate(Exception):
    """A key written twice in one mapping (YAML would silently keep the last one)."""

    def __init__(self, key_node: yaml.Node) -> None:
        super().__init__(str(key_node.value))
        self.key_node = key_node


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALARS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_SAFE = yaml.SafeLoader("")


def _build(node: yaml.Node) -> Any:
    """Plain data from a composed document, for the tags content uses (fast path)."""
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR:
                raise _Unusual
            if key_node.value in out:
                raise _Duplicate(key_node)
            out[key_node.value] = _build(value_node)
        return out
    if tag == _SEQ:
        return [_build(item) for item in node.value]
    if tag in _SCALARS:
        return _SAFE.construct_object(node, deep=True)
    raise _Unusual


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes the document has once its aliases are expanded (shared nodes once)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a cycle counts once
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo) for item in node.value)
    memo[id(node)] = min(size, MAX_NODES + 1)
    return memo[id(node)]


class _TooBig(Exception):
    pass


def parse_yaml(path: Path, display: str | None = None) -> Document:
    """Parse one YAML file safely (no Python tags, no alias bombs, no huge files)."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError([Problem(shown, 1, 1, "error", strings.LOAD_TOO_BIG)])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, 1, 1, "error", strings.LOAD_NOT_UTF8)]) from None
    except OSError as exc:
        msg = strings.LOAD_UNREADABLE.format(reason=exc.strerror or exc)
        raise ContentError([Problem(shown, 1, 1, "error", msg)]) from None
    return parse_yaml_text(text, shown)


def parse_yaml_text(text: str, shown: str) -> Document:
    """Parse YAML text; `shown` is the name used in messages."""
    loader = _SAFE_LOADER(text)
    collecting = gc.isenabled()
    gc.disable()  # parsing allocates many small objects and no cycles: no GC passes
    try:
        root = loader.get_single_node()
        if root is None:
            raise ContentError([Problem(shown, 1, 1, "error", strings.LOAD_EMPTY)])
        if "&" in text and _expanded_size(root, {}) > MAX_NODES:
            raise _TooBig
        try:
            data = _build(root)
        except _Unusual:
            data = loader.construct_document(root)
    except _TooBig:
        raise ContentError([Problem(shown, 1, 1, "error", strings.LOAD_ALIAS_BOMB)]) from None
    except _Duplicate as dup:
        line, col = _mark(dup.key_node)
        msg = strings.LOAD_DUPLICATE_KEY.format(key=dup.key_node.value)
        raise ContentError([Problem(shown, line, col, "error", msg)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = strings.LOAD_SYNTAX.format(reason=_explain_yaml(exc.problem or str(exc)))
        raise ContentError([Problem(shown, line, col, "error", msg)]) from None
    except yaml.YAMLError as exc:
        msg = strings.LOAD_SYNTAX.format(reason=exc)
        raise ContentError([Problem(shown, 1, 1, "error", msg)]) from None
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    return Document(data, Positions(shown, root))


def _field_names(model: type[BaseModel], raw_loc: Loc) -> list[str]:
    """Field names allowed where the last part of `raw_loc` stands (for 'did you mean')."""
    candidates: list[type[BaseModel]] = [model]
    for part in raw_loc[:-1]:
        if isinstance(part, int):
            continue
        tagged = [c for c in candidates if _kind_of(c) == part]
        if tagged:
            candidates = tagged
            continue
        nxt: list[type[BaseModel]] = []
        for c in candidates:
            info = c.model_fields.get(part)
            if info is not None:
                nxt.extend(_models_in(info.annotation))
        candidates = nxt
    names: list[str] = []
    for c in candidates:
        names.extend(n for n in c.model_fields if n not in names)
    return names


def _kind_of(model: type[BaseModel]) -> str | None:
    info = model.model_fields.get("kind")
    args = getattr(info.annotation, "__args__", ()) if info else ()
    return str(args[0]) if args else None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every BaseModel class inside an annotation like list[X], X | None or Annotated[...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and not found:
        found.extend(_models_in(origin))
    return found


def _clean_loc(raw: Loc) -> Loc:
    """Drop the tags pydantic inserts after a list index for tagged unions ('choice')."""
    out: list[str | int] = []
    previous: str | int | None = None
    for part in raw:
        if isinstance(previous, int) and part in NODE_KINDS:
            previous = part
            continue
        out.append(part)
        previous = part
    return tuple(out)


def did_you_mean(word: str, choices: list[str]) -> str:
    """' (vouliez-vous dire « x » ?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return strings.DID_YOU_MEAN.format(word=close[0]) if close else ""


def _describe(error: Any, model: type[BaseModel], doc: Document) -> Problem:
    raw: Loc = tuple(error["loc"])
    loc = _clean_loc(raw)
    line, col = doc.positions.at(loc)
    field = ".".join(str(p) for p in loc) or strings.ROOT_FIELD
    etype = error["type"]
    if etype == "extra_forbidden":
        hint = did_you_mean(str(loc[-1]), _field_names(model, raw))
        msg = strings.ERR_UNKNOWN_FIELD.format(field=field, hint=hint)
    elif etype == "missing":
        msg = strings.ERR_MISSING_FIELD.format(field=field)
    elif etype == "union_tag_invalid":
        msg = strings.ERR_BAD_KIND.format(field=field, got=error["input"].get("kind"))
    elif etype == "union_tag_not_found":
        msg = strings.ERR_NO_KIND.format(field=field)
    elif etype == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        got = error.get("input")
        msg = strings.ERR_LITERAL.format(field=field, got=got, expected=expected)
    elif etype == "string_pattern_mismatch":
        msg = strings.ERR_PATTERN.format(field=field, got=error.get("input"))
    elif etype in (
        "string_type",
        "list_type",
        "dict_type",
        "bool_parsing",
        "bool_type",
        "model_type",
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
    ):
        msg = strings.ERR_TYPE.format(field=field, expected=strings.TYPE_NAMES.get(etype, etype))
    elif etype in ("too_short", "string_too_short"):
        msg = strings.ERR_EMPTY.format(field=field)
    else:
        text = str(error.get("msg", "")).removeprefix("Value error, ")
        msg = f"{field} : {text}"
    return Problem(doc.positions.path, line, col, "error", msg)


def validate(model: type[M], doc: Document) -> M:
    """Validate parsed data against a model; raise ContentError with located problems."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_describe(e, model, doc) for e in exc.errors()]
        problems.sort(key=lambda p: (p.line, p.col))
        raise ContentError(problems) from None


def load_model(model: type[M], path: Path, display: str | None = None) -> tuple[M, Positions]:
    """Parse and validate one file."""
    doc = parse_yaml(path, display)
    return validate(model, doc), doc.positions
