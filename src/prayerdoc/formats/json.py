"""The JSON document: a stable contract for other programs, with a published schema.

``docs/json.md`` describes it; ``schema.json`` and ``archive.schema.json`` in this package
are the JSON Schemas of a bulletin and of an archive of many. One cattrs converter writes
and reads it. Reading is strict: each problem is a PD111 finding named by the path
``cattrs.transform_error`` gives it (``$.sections[2].kind``), placed where that value starts.
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NewType

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn_from_attrs, make_dict_unstructure_fn, override

from prayerdoc import codes
from prayerdoc.diagnostics import Diagnostic, ParseError
from prayerdoc.model import Bulletin, FieldError, Paragraph, RequestKind, shown
from prayerdoc.source import decode, line_column

__all__ = ["ARCHIVE_SCHEMA_ID", "FORMAT_VERSION", "SCHEMA_ID", "archive_schema", "converter"]
__all__ += ["dumps", "loads", "loads_all", "read", "schema", "schema_text"]

#: The ``$id`` of the schema; every document names it in its ``$schema`` key.
SCHEMA_ID = "urn:prayerdoc:bulletin:1"
#: The ``$id`` of the archive's schema: a document holding many bulletins.
ARCHIVE_SCHEMA_ID = "urn:prayerdoc:archive:1"
#: The version of the document written here, in its ``prayerdoc`` key.
FORMAT_VERSION = "1.0"
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_MISSING = "required key is missing"
_UNKNOWN = "unknown key; remove it (the JSON Schema lists every key a document may hold)"
_Hook = Callable[[Any, Any], Any]
_Problem = tuple[str, str]  # the path of the value to point at, and the finding's message


def _type(value: object) -> str:
    """The JSON type of a decoded value, for messages."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    kinds = ((str, "a string"), (int | float, "a number"), (list, "an array"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "an object")


def _what(value: object) -> str:
    """A wrong value, for messages: a string as itself (shortened), else its type."""
    return shown(value) if isinstance(value, str) else _type(value)


# Strict hooks: cattrs' own would turn 5 into "5", "3" into 3 and "ab" into ["a", "b"].


def _strict(kind: type, build: Callable[[Any], Any]) -> _Hook:
    def structure(value: object, _: object) -> Any:
        if not isinstance(value, kind):
            raise TypeError(f"expected {_type(kind())}, not {_type(value)}")
        return build(value)

    return structure


def _int(value: object, _: object) -> int:
    # JSON Schema counts 6.0 as an integer; so does the reader, to agree with the schema.
    if not isinstance(value, int | float) or isinstance(value, bool) or value != int(value):
        raise TypeError(f"expected an integer, not {_type(value)}")
    return int(value)


def _date(value: object, _: object) -> datetime.date:
    # date.fromisoformat also takes 20190427 and 2019-W17-6; the document does not.
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(f"expected a date written YYYY-MM-DD, not {_what(value)}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None


def _kind(value: object, _: object) -> RequestKind:
    if value not in (kinds := [kind.value for kind in RequestKind]):
        raise ValueError(f"expected one of {str(kinds)[1:-1]}, not {_what(value)}")
    return RequestKind(value)


# A document is a record in an envelope: the format version and the $id of its schema.

_BulletinDocument = NewType("_BulletinDocument", Bulletin)


@attrs.frozen
class _Archive:
    bulletins: tuple[_BulletinDocument, ...]


_ArchiveDocument = NewType("_ArchiveDocument", _Archive)


def _wrong(document: dict[str, Any], key: str, said: str) -> Exception:
    """The error about ``key``: missing, or else ``said``; noted as about that key, so that
    transform_error gives it the key's path."""
    error = ValueError(said) if key in document else KeyError()
    error.add_note(AttributeValidationNote(f"Structuring {key}", key, object))
    return error


def _enveloped(schema_id: str, record: type) -> _Hook:
    """A hook for a whole document: its version and ``$schema`` checked, the rest read as
    ``record``. Unknown keys are allowed only from a later minor version, which may add keys."""

    def structure(document: dict[str, Any]) -> Any:
        (major, minor), version = FORMAT_VERSION.split("."), document.get("prayerdoc")
        match = isinstance(version, str) and _VERSION.fullmatch(version)
        if not match or match[1] != major:  # then nothing else is worth reporting
            said = f'expected a version string like "{FORMAT_VERSION}", not {_what(version)}'
            if match:
                said = f"version {shown(version)[1:-1]} is not supported; this prayerdoc reads"
                said += f" version {major}.x documents"
            raise ClassValidationError("", [_wrong(document, "prayerdoc", said)], record)
        found = document.get("$schema")
        said = f'expected "{schema_id}", not {_what(found)}'
        errors = [] if found == schema_id else [_wrong(document, "$schema", said)]
        body = {
            key: value for key, value in document.items() if key not in ("$schema", "prayerdoc")
        }
        # A minor version has no leading zeros: the longer of two is the later.
        later = (len(match[2]), match[2]) > (len(minor), minor)
        try:
            built: Any = _converter(not later).structure(body, record)
        except ClassValidationError as refused:
            errors += refused.exceptions
        if errors:
            raise ClassValidationError("", errors, record)
        return built

    return _strict(dict, structure)


@functools.cache
def _converter(forbid_extra_keys: bool = True) -> cattrs.Converter:
    """Strict types, every key, no positions, paragraphs as strings, whole documents."""
    made = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    made.register_structure_hook(str, _strict(str, str))
    made.register_structure_hook(int, _int)
    made.register_structure_hook(datetime.date, _date)
    made.register_structure_hook(RequestKind, _kind)
    made.register_structure_hook(Paragraph, _strict(str, lambda text: Paragraph(text=text)))
    made.register_structure_hook(_BulletinDocument, _enveloped(SCHEMA_ID, Bulletin))
    made.register_structure_hook(_ArchiveDocument, _enveloped(ARCHIVE_SCHEMA_ID, _Archive))
    made.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    made.register_unstructure_hook(Paragraph, lambda paragraph: paragraph.text)

    # Factories, not hooks: a hook made now would bake in the hooks of records not yet seen.
    def sequence(type_: Any) -> _Hook:
        items = homogenous_tuple_structure_factory(type_, made)
        return _strict(list, lambda value: items(value, type_))

    def record(type_: type) -> _Hook:
        # Every key is required, defaults or not: the writer always writes them all.
        fields = [f for f in attrs.fields(attrs.resolve_types(type_)) if f.name != "position"]
        required = [field.evolve(default=attrs.NOTHING) for field in fields]
        structure: _Hook = make_dict_structure_fn_from_attrs(required, type_, made)
        return _strict(dict, lambda value: structure(value, type_))

    made.register_structure_hook_factory(is_sequence, sequence)
    made.register_structure_hook_factory(attrs.has, record)
    made.register_unstructure_hook_factory(
        attrs.has, lambda type_: make_dict_unstructure_fn(type_, made, position=override(omit=True))
    )
    return made


#: The cattrs converter between :class:`Bulletin` and the document's plain data.
converter = _converter()


def _document(bulletin: Bulletin) -> dict[str, Any]:
    body = converter.unstructure(bulletin, Bulletin)
    order = ("title", "date", "preamble", "epigraph", "sections")
    return {"$schema": SCHEMA_ID, "prayerdoc": FORMAT_VERSION} | {key: body[key] for key in order}


def dumps(bulletins: Bulletin | Iterable[Bulletin]) -> str:
    """A bulletin as a JSON document, or many as one archive document.

    2-space indent, non-ASCII kept, final newline. Keys come in a fixed order, so equal
    bulletins give equal bytes. The archive is ``{"$schema": ARCHIVE_SCHEMA_ID,
    "prayerdoc": version, "bulletins": [...]}``, each item a whole bulletin document.
    """
    if isinstance(bulletins, Bulletin):
        document = _document(bulletins)
    else:
        items = [_document(bulletin) for bulletin in bulletins]
        document = {"$schema": ARCHIVE_SCHEMA_ID, "prayerdoc": FORMAT_VERSION, "bulletins": items}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


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


# Reading: every problem becomes a finding with a JSON path, a line and a column.


def _problems(error: Exception) -> list[_Problem]:
    """The problems in cattrs' ``error``, each at the path transform_error gives it."""
    errors: list[tuple[BaseException, object]] = []

    def numbered(error: BaseException, type_: object) -> str:
        # transform_error writes "message @ path"; a number cannot hold " @ " as a key can.
        errors.append((error, type_))
        return str(len(errors) - 1)

    problems: list[_Problem] = []
    for line in cattrs.transform_error(error, "$", numbered):
        number, _, path = line.partition(" @ ")
        found, type_ = errors[int(number)]
        if isinstance(found, FieldError) and not type_:  # a record's validator names its field
            path += f".{found.field}"
        named = path[:-8] + "['$schema']" if path.endswith(".$schema") else path
        if isinstance(found, ForbiddenExtraKeysError):
            keys = sorted(found.extra_fields)
            problems += [(f"{path}.{key}", f"{path}.{key}: {_UNKNOWN}") for key in keys]
        elif isinstance(found, KeyError):  # placed at the object the key is missing from
            problems.append((path[: path.rfind(".")], f"{named}: {_MISSING}"))
        else:
            said = found.problem if isinstance(found, FieldError) else str(found)
            said = "nests too deeply to read" if isinstance(found, RecursionError) else said
            problems.append((path, f"{named}: {said or type(found).__name__}"))
    return problems


def _decoded(data: str | bytes, source: str) -> tuple[str, Any]:
    """The text and the decoded document; ParseError for what is not JSON."""
    text = decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if isinstance(text, Diagnostic):
        raise ParseError([text], source=source)
    try:
        # int() refuses NaN and Infinity, which json.loads takes though they are not JSON.
        return text, json.loads(text, parse_constant=int)
    except json.JSONDecodeError as error:
        place, said = (error.lineno, error.colno), error.msg[:1].lower() + error.msg[1:]
    except (ValueError, RecursionError):  # NaN, an integer too long for int(), deep nesting
        offset, said = _unreadable(text)
        place = line_column(text, offset)
    finding = codes.INVALID_JSON.at(*place, message=f"not valid JSON: {said}")
    raise ParseError([finding], source=source, text=text)


def _read(data: str | bytes, source: str, *, archives: bool) -> Any:
    text, document = _decoded(data, source)
    archive = isinstance(document, dict) and (
        "bulletins" in document or document.get("$schema") == ARCHIVE_SCHEMA_ID
    )
    if archive and not archives:
        count = len(items) if isinstance(items := document.get("bulletins"), list) else 0
        said = f"an archive of {count} bulletin{'' if count == 1 else 's'}, not one bulletin"
        raise _failure(text, source, [("$", f"$: {said}; read it with prayerdoc.loads_all")])
    kind = _ArchiveDocument if archive else _BulletinDocument
    try:
        found: Any = converter.structure(document, kind)
    except Exception as error:
        raise _failure(text, source, _problems(error)) from None
    return found.bulletins if archive else found


def read(data: str | bytes, *, source: str = "<string>") -> Bulletin | tuple[Bulletin, ...]:
    """The bulletin of a bulletin document, or the bulletins of an archive as a tuple.

    Problems are reported as by :func:`loads`; in an archive, with paths into it
    (``$.bulletins[3].date``), and one bad bulletin fails the whole read.
    """
    found: Bulletin | tuple[Bulletin, ...] = _read(data, source, archives=True)
    return found


def loads(data: str | bytes, *, source: str = "<string>") -> Bulletin:
    """Rebuild a bulletin from its JSON document.

    Raises :class:`~prayerdoc.ParseError` with a ``PD111`` finding for each problem: its
    message starts with the JSON path, its line and column point into ``data``. A verse
    that does not exist is not a JSON problem (``prayerdoc check`` reports it). An archive
    of many bulletins is refused with a finding that says to read it with :func:`loads_all`.
    """
    bulletin: Bulletin = _read(data, source, archives=False)
    return bulletin


def loads_all(data: str | bytes, *, source: str = "<string>") -> tuple[Bulletin, ...]:
    """Every bulletin of an archive, or the one bulletin of a bulletin document."""
    found = read(data, source=source)
    return found if isinstance(found, tuple) else (found,)


# Places. json.loads keeps none, so the text of a document with problems is read again, a
# token at a time, keeping the path of each value as it goes.

_TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")(\s*:)?|[\[\]{},]|[^\s\[\]{},:"]+')


def _values(
    text: str, key: Callable[[str], str | int] = json.loads
) -> Iterator[tuple[int, list[str | int], str]]:
    """Each value of a JSON text: where it starts, the keys and indexes that lead to it (one
    list, changed as the reading goes on) and its first token (all of a number). Past where
    json.loads gave up (nesting too deep) the text may be anything: nothing fails here."""
    keys: list[str | int] = []
    for token in _TOKEN.finditer(text):
        word = token.group()
        if word in ("]", "}"):
            del keys[-1:]
        elif token.group(2):
            keys[-1:] = [key(token.group(1))]
        elif word != ",":
            yield token.start(), keys, word
            if word in ("[", "{"):
                keys.append(0 if word == "[" else "")
        elif keys and isinstance(index := keys[-1], int):
            keys[-1] = index + 1


def _unreadable(text: str) -> tuple[int, str]:
    """Where and why json.loads refused a text of JSON shape: the first NaN or Infinity, the
    first integer too long for int(), or else the deepest nesting."""
    deepest = (0, 0)
    for start, keys, word in _values(text, key=str):  # keys as written: only depth counts here
        digits = word.removeprefix("-")
        if word[-1] in "Ny":
            return start, f"{word} is not a JSON number"
        if digits.isdigit() and len(digits) > sys.get_int_max_str_digits() > 0:
            return start, f"a number of {len(digits)} digits is too long to read"
        if word in ("[", "{"):
            deepest = max(deepest, (len(keys), -start))
    return -deepest[1], "it nests too deeply"


def _failure(text: str, source: str, problems: list[_Problem]) -> ParseError:
    """A finding for each problem (past a hundred, more help no one), placed at the value
    its path names; of a key written twice, the last, which json.loads keeps."""
    listed = problems[:100]
    wanted, places = {path for path, _ in listed}, {}
    deepest = max(path.count(".") + path.count("[") for path in wanted)
    for start, keys, _ in _values(text):
        if len(keys) <= deepest:  # no path asked for goes deeper: spare building its path
            path = "$" + "".join(f".{k}" if isinstance(k, str) else f"[{k}]" for k in keys)
            if path in wanted:
                places[path] = start
    findings = [
        codes.INVALID_JSON.at(*line_column(text, places.get(path, 0)), message=message)
        for path, message in listed
    ]
    if len(problems) > len(listed):
        last = max(findings, key=lambda finding: (finding.line, finding.column))
        more = f"{len(problems) - len(listed)} more problems like these are not listed"
        findings.append(codes.INVALID_JSON.at(last.line, last.column, message=more))
    return ParseError(sorted(findings, key=lambda f: (f.line, f.column)), source=source, text=text)
