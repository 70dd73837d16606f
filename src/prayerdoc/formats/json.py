"""The JSON document (``docs/json.md``): a contract for other programs, with its JSON Schemas
shipped in this package. One cattrs converter writes and reads it; reading is strict, and
each problem is a PD111 finding named by its ``$.path`` and placed where that value starts."""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, NewType, cast

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn_from_attrs, override

from prayerdoc import codes
from prayerdoc.diagnostics import Diagnostic, ParseError
from prayerdoc.model import Bulletin, FieldError, Paragraph, Position, RequestKind, shown
from prayerdoc.source import decode, line_column

__all__ = ["ARCHIVE_SCHEMA_ID", "FORMAT_VERSION", "SCHEMA_ID", "archive_schema", "converter"]
__all__ += ["dumps", "loads", "loads_all", "read", "schema", "schema_text"]

#: The ``$id`` of the schema; every document names it in its ``$schema`` key.
SCHEMA_ID = "urn:prayerdoc:bulletin:1"
#: The ``$id`` of the archive's schema: a document holding many bulletins.
ARCHIVE_SCHEMA_ID = "urn:prayerdoc:archive:1"
#: The version of the document written here, in its ``prayerdoc`` key.
FORMAT_VERSION = "1.0"
_MAJOR, _MINOR = FORMAT_VERSION.split(".")
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_KINDS = {kind.value: kind for kind in RequestKind}
_TYPES = {str: "a string", int: "a number", float: "a number", list: "an array", dict: "an object"}


def _version(text: str) -> re.Match[str] | None:
    match = _VERSION.fullmatch(text)
    if match and match[1] != _MAJOR:
        said = f"version {shown(text)[1:-1]} is not supported; this prayerdoc reads version"
        raise ValueError(f"{said} {_MAJOR}.x documents")
    return match


def _date(text: str) -> datetime.date | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None  # fromisoformat would also take 20190427 and 2019-W17-6
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


# A document is a record in an envelope: the format version and the $id of its schema.
_BulletinDocument = NewType("_BulletinDocument", Bulletin)
_Archive = attrs.make_class(
    "_Archive", {"bulletins": attrs.field(type=tuple[_BulletinDocument, ...])}
)

# Each type read strictly, and the envelope's version and $schema (cattrs' own hooks would turn
# 5 into "5", "3" into 3 and "ab" into ["a", "b"]): the JSON type of its value, what it must
# be, how to build it (None if it is not that). 6.0 is an integer, as in JSON Schema; 1e400 not.
_STRICT: dict[object, tuple[type | tuple[type, ...], str, Any]] = {
    str: (str, "a string", str),
    int: ((int, float), "an integer", lambda value: int(value) if value % 1 == 0 else None),
    datetime.date: (str, "a date written YYYY-MM-DD", _date),
    RequestKind: (str, f"one of {str(list(_KINDS))[1:-1]}", _KINDS.get),
    Paragraph: (str, "a string", lambda text: Paragraph(text=text)),
    list: (list, "an array", list),
    dict: (dict, "an object", dict),
    "version": (str, f'a version string like "{FORMAT_VERSION}"', _version),
    Bulletin: (str, f'"{SCHEMA_ID}"', {SCHEMA_ID: SCHEMA_ID}.get),  # its document's $schema
    _Archive: (str, f'"{ARCHIVE_SCHEMA_ID}"', {ARCHIVE_SCHEMA_ID: ARCHIVE_SCHEMA_ID}.get),
}


def _strict(value: Any, type_: Any) -> Any:
    kind, what, build = _STRICT[type_]
    built = None if isinstance(value, bool) or not isinstance(value, kind) else build(value)
    if built is None:  # a string is shown as itself where one is wanted, else by its JSON type
        said = shown(value) if isinstance(value, str) and kind is str else _TYPES.get(type(value))
        raise ValueError(f"expected {what}, not {said or json.dumps(value)}")
    return built


def _enveloped(document: Any, record: type) -> Any:
    """``record`` from a whole document whose version and ``$schema`` are right. A later
    minor version may add keys: its unknown keys are let through."""
    errors: list[Exception] = []

    def check(key: str, type_: object) -> Any:  # noted as about the key, for its path
        try:
            return _strict(document[key], type_)
        except (KeyError, ValueError) as error:
            error.add_note(AttributeValidationNote(f"Structuring {key}", key, object))
            errors.append(error)

    _strict(document, dict)
    if version := check("prayerdoc", "version"):  # else nothing else is worth reporting
        check("$schema", record)
        body = {key: document[key] for key in document if key not in ("$schema", "prayerdoc")}
        later = (len(version[2]), version[2]) > (len(_MINOR), _MINOR)  # no leading zeros
        try:
            built: Any = _converter(not later).structure(body, record)
        except ClassValidationError as refused:
            errors += refused.exceptions
    if errors:
        raise ClassValidationError("", errors, record)
    return built


@functools.cache
def _converter(forbid_extra_keys: bool = True) -> cattrs.Converter:
    """Strict types, every key, no positions, paragraphs as strings, bulletin documents."""
    no_position: Any = {Position | None: override(omit=True)}  # not in the document
    made = cattrs.Converter(forbid_extra_keys=forbid_extra_keys, type_overrides=no_position)
    for type_ in (str, int, datetime.date, RequestKind, Paragraph):
        made.register_structure_hook(type_, _strict)
    made.register_structure_hook(_BulletinDocument, lambda doc, _: _enveloped(doc, Bulletin))
    made.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    made.register_unstructure_hook(Paragraph, lambda paragraph: paragraph.text)

    # A factory, not a hook: a hook made now would bake in the hooks of records not yet seen.
    @made.register_structure_hook_factory(lambda type_: attrs.has(type_) or is_sequence(type_))
    def strict(type_: Any) -> Any:
        if attrs.has(type_):  # every key is required, defaults or not: the writer writes all
            fields = attrs.fields(attrs.resolve_types(type_))
            required = [f.evolve(default=attrs.NOTHING) for f in fields if f.name != "position"]
            record: Any = make_dict_structure_fn_from_attrs(required, type_, made)
            return lambda value, _: record(_strict(value, dict), type_)
        items = homogenous_tuple_structure_factory(type_, made)
        return lambda value, _: items(_strict(value, list), type_)

    return made


#: The cattrs converter between :class:`Bulletin` and the document's plain data.
converter = _converter()


def dumps(bulletins: Bulletin | Iterable[Bulletin]) -> str:
    """A bulletin as a JSON document, or many as one archive document whose ``bulletins`` are
    whole bulletin documents. Keys come in a fixed order, so equal bulletins give equal bytes."""

    def document(bulletin: Bulletin) -> dict[str, Any]:
        body = converter.unstructure(bulletin, Bulletin)
        keys = ("title", "date", "preamble", "epigraph", "sections")  # docs/json.md's order
        return {"$schema": SCHEMA_ID, "prayerdoc": FORMAT_VERSION} | {k: body[k] for k in keys}

    if isinstance(bulletins, Bulletin):
        written = document(bulletins)
    else:
        items = [document(bulletin) for bulletin in bulletins]
        written = {"$schema": ARCHIVE_SCHEMA_ID, "prayerdoc": FORMAT_VERSION, "bulletins": items}
    return json.dumps(written, ensure_ascii=False, indent=2) + "\n"


@functools.cache
def schema_text(*, archive: bool = False) -> str:
    """The JSON Schema of the document, or with ``archive`` of the archive, as shipped."""
    name = "archive.schema.json" if archive else "schema.json"
    return importlib.resources.files("prayerdoc").joinpath(name).read_text("utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema of the document as a fresh dict, for validators."""
    return dict(json.loads(schema_text()))


def archive_schema() -> dict[str, Any]:
    """The JSON Schema of the archive, with the bulletin's schema bundled in its ``$defs``."""
    return {**json.loads(schema_text(archive=True)), "$defs": {"bulletin": schema()}}


def loads(data: str | bytes, *, source: str = "<string>") -> Bulletin:
    """Rebuild a bulletin from its JSON document.

    Raises :class:`~prayerdoc.ParseError` with a ``PD111`` finding for each problem: its
    message starts with the JSON path, its line and column point into ``data``. A verse
    that does not exist is not a JSON problem (``prayerdoc check`` reports it). An archive
    of many bulletins is refused with a finding that says to read it with :func:`loads_all`.
    """
    return cast(Bulletin, _read(data, source, archives=False))


def read(data: str | bytes, *, source: str = "<string>") -> Bulletin | tuple[Bulletin, ...]:
    """The bulletin of a bulletin document, or the bulletins of an archive as a tuple. Problems
    are as for :func:`loads`, with paths into an archive (``$.bulletins[3].date``); one bad
    bulletin fails the whole read."""
    return cast(Bulletin | tuple[Bulletin, ...], _read(data, source, archives=True))


def loads_all(data: str | bytes, *, source: str = "<string>") -> tuple[Bulletin, ...]:
    """Every bulletin of an archive, or the one bulletin of a bulletin document."""
    found = read(data, source=source)
    return found if isinstance(found, tuple) else (found,)


def _read(data: str | bytes, source: str, *, archives: bool) -> Any:
    text = decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if isinstance(text, Diagnostic):
        raise ParseError([text], source=source)
    try:  # int() refuses NaN and Infinity, which json.loads takes though they are not JSON
        document = json.loads(text, parse_constant=int)
    except (ValueError, RecursionError) as error:
        at, said = _unreadable(text, error)
        finding = codes.INVALID_JSON.at(*line_column(text, at), message=f"not valid JSON: {said}")
        raise ParseError([finding], source=source, text=text) from None
    try:
        if isinstance(document, dict) and (
            "bulletins" in document or document.get("$schema") == ARCHIVE_SCHEMA_ID
        ):
            if not archives:
                count = len(got) if isinstance(got := document.get("bulletins"), list) else 0
                said = f"an archive of {count} bulletin{'' if count == 1 else 's'}, not one"
                raise ValueError(f"{said} bulletin; read it with prayerdoc.loads_all")
            return _enveloped(document, _Archive).bulletins
        return _enveloped(document, Bulletin)
    except Exception as error:
        raise _failure(text, source, error) from None


# Places. json.loads keeps none, so the text of a document with problems is read again, a
# token at a time, keeping the path of each value as it goes.
_TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")(\s*:)?|[\[\]{},]|[^\s\[\]{},:"]+')


def _values(text: str, deepest: int = -1) -> Iterator[tuple[int, int, str, str]]:
    """Each value: where it starts, how deep, its path (built no deeper than ``deepest``, else
    ""), its first token. Past where json.loads gave up, anything goes."""
    keys: list[str | int] = []  # quoted keys and indexes
    for token in _TOKEN.finditer(text):
        word = token.group()
        if word in ("]", "}"):
            del keys[-1:]
        elif token.group(2):
            keys[-1:] = [token.group(1)]
        elif word != ",":
            steps = (f".{json.loads(k)}" if isinstance(k, str) else f"[{k}]" for k in keys)
            path = "$" + "".join(steps) if len(keys) <= deepest else ""
            yield token.start(), len(keys), path, word
            if word in ("[", "{"):
                keys.append(0 if word == "[" else "")
        elif keys and isinstance(index := keys[-1], int):
            keys[-1] = index + 1


def _unreadable(text: str, error: Exception) -> tuple[int, str]:
    """Where and why json.loads refused ``text``: where ``error`` says; for a RecursionError,
    which says nothing of where, the deepest nesting; else the first NaN, Infinity or integer
    too long for int(), which is all json.loads refuses without saying where."""
    if isinstance(error, json.JSONDecodeError):
        return error.pos, error.msg[:1].lower() + error.msg[1:]
    deepest = (0, 0)
    for start, depth, _, word in _values(text):
        digits = word.removeprefix("-")
        if isinstance(error, RecursionError):
            deepest = max(deepest, (depth, -start)) if word in ("[", "{") else deepest
        elif word in ("NaN", "Infinity", "-Infinity"):
            return start, f"{word} is not a JSON number"
        elif digits.isdigit() and len(digits) > sys.get_int_max_str_digits() > 0:
            return start, f"a number of {len(digits)} digits is too long to read"
    return -deepest[1], "it nests too deeply"


def _failure(text: str, source: str, error: Exception) -> ParseError:
    """A finding for each problem in ``error`` (past a hundred, more help no one), named by the
    path transform_error gives it and placed at the value that path names (of a key written
    twice, the last, which json.loads keeps)."""
    errors: list[tuple[BaseException, object]] = []

    def noted(error: BaseException, type_: object) -> str:  # called once a line, in order
        errors.append((error, type_))
        return ""

    problems: list[tuple[str, str]] = []  # where to place each, and its message
    for line, (found, type_) in zip(cattrs.transform_error(error, "$", noted), errors, strict=True):
        path = line.removeprefix(" @ ")
        if isinstance(found, FieldError) and not type_:  # a record's validator names its field
            path += f".{found.field}"
        named = path[:-8] + "['$schema']" if path.endswith(".$schema") else path
        if isinstance(found, ForbiddenExtraKeysError):
            unknown = "unknown key; remove it (the JSON Schema lists every key a document may hold)"
            problems += [
                (f"{path}.{k}", f"{path}.{k}: {unknown}") for k in sorted(found.extra_fields)
            ]
        elif isinstance(found, KeyError):  # placed at the object the key is missing from
            problems.append((path[: path.rfind(".")], f"{named}: required key is missing"))
        else:
            said = found.problem if isinstance(found, FieldError) else str(found)
            said = "nests too deeply to read" if isinstance(found, RecursionError) else said
            problems.append((path, f"{named}: {said or type(found).__name__}"))
    # No path asked for goes deeper than this: spare building deeper ones.
    deepest = max(path.count(".") + path.count("[") for path, _ in problems[:100])
    where = {path: start for start, _, path, _ in _values(text, deepest)}
    listed = sorted(((where.get(p, 0), m) for p, m in problems[:100]), key=lambda x: x[0])
    if len(problems) > 100:
        more = f"{len(problems) - 100} more problems like these are not listed"
        listed.append((listed[-1][0], more))
    findings = [codes.INVALID_JSON.at(*line_column(text, at), message=m) for at, m in listed]
    return ParseError(findings, source=source, text=text)
