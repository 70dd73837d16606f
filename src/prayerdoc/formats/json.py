"""The JSON document: a stable contract for other programs, with a published schema.

The document is described in ``docs/json.md`` and by ``schema.json`` in this
package. One cattrs converter (:func:`make_converter`) writes and reads it.
Reading is strict: wrong types, unknown or missing keys, impossible dates and
unknown request kinds are errors, each reported with its JSON path
(``$.sections[2].requests[0].kind``, from :func:`cattrs.transform_error`) and
its line and column in the JSON text. Source positions are not part of the
document.
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeGuard, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn_from_attrs, make_dict_unstructure_fn, override

from prayerdoc import codes
from prayerdoc._json_places import offsets, segments, unreadable
from prayerdoc.diagnostics import Diagnostic, ParseError
from prayerdoc.model import (
    Bulletin,
    Epigraph,
    FieldError,
    Paragraph,
    Request,
    RequestKind,
    ScriptureRef,
    Section,
    shown,
)
from prayerdoc.source import decode, line_column

__all__ = [
    "ARCHIVE_SCHEMA_ID",
    "FORMAT_VERSION",
    "SCHEMA_ID",
    "archive_schema",
    "configure_converter",
    "converter",
    "dumps",
    "loads",
    "loads_all",
    "make_converter",
    "read",
    "schema",
    "schema_text",
]

#: The ``$id`` of the schema; every document names it in its ``$schema`` key.
SCHEMA_ID = "urn:prayerdoc:bulletin:1"
#: The ``$id`` of the archive's schema: a document holding many bulletins.
ARCHIVE_SCHEMA_ID = "urn:prayerdoc:archive:1"
#: The version of the document written here, in its ``prayerdoc`` key.
FORMAT_VERSION = "1.0"
_MAJOR, _MINOR = FORMAT_VERSION.split(".")
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MISSING = "required key is missing"
_UNKNOWN = "unknown key; remove it (the JSON Schema lists every key a document may hold)"
_MAX_FINDINGS = 100
_RECORDS = (Bulletin, Epigraph, ScriptureRef, Section, Request)


def _type(value: object) -> str:
    """The JSON type of a decoded value, for messages."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _what(value: object) -> str:
    """A value of the wrong kind, for messages: a string as itself (shortened), else its type."""
    return shown(value) if isinstance(value, str) else _type(value)


# Strict hooks: cattrs' defaults would turn 5 into "5", "3" into 3 and "ab" into ["a", "b"].


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, not {_type(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    # JSON Schema counts 6.0 as an integer; so does the reader, to agree with the schema.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, not {_type(value)}")
    return value


def _structure_date(value: object, _: type) -> datetime.date:
    # date.fromisoformat also takes 20190427 and 2019-W17-6; the document does not.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date written YYYY-MM-DD, not {_what(value)}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None


def _structure_kind(value: object, _: type) -> RequestKind:
    choices = ", ".join(f"'{kind.value}'" for kind in RequestKind)
    try:
        return RequestKind(value)
    except ValueError:
        raise ValueError(f"expected one of {choices}, not {_what(value)}") from None


def _is_tuple(type_: Any) -> bool:
    return get_origin(type_) is tuple


def _array_hook(type_: Any, converter: cattrs.Converter) -> Callable[[object, Any], Any]:
    structure = homogenous_tuple_structure_factory(type_, converter)

    def structure_array(value: object, cl: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, not {_type(value)}")
        return structure(value, cl)

    return structure_array


def _noted(errors: Iterable[Exception], record: type) -> Iterator[Exception]:
    """``errors`` with a note naming the key each is about, for transform_error's paths."""
    for error in errors:
        if isinstance(error, ForbiddenExtraKeysError):
            for key in sorted(error.extra_fields):
                unknown = ForbiddenExtraKeysError("", record, {key})
                unknown.add_note(AttributeValidationNote("unknown key", key, object))
                yield unknown
            continue
        if isinstance(error, FieldError) and not hasattr(error, "__notes__"):
            # A model validator refused one field's value: the finding points at that key.
            error.add_note(AttributeValidationNote(error.problem, error.field, object))
        yield error


def _record_hook(
    record: type[Any], converter: cattrs.Converter, forbid_extra_keys: bool
) -> Callable[[object, Any], Any]:
    # Every key is required, defaults or not: the writer always writes them all.
    fields = [
        f.evolve(default=attrs.NOTHING)
        for f in attrs.fields(attrs.resolve_types(record))
        if f.name != "position"
    ]
    structure = make_dict_structure_fn_from_attrs(
        fields,
        record,
        converter,
        _cattrs_forbid_extra_keys=forbid_extra_keys,
        _cattrs_detailed_validation=True,
    )

    def structure_object(value: object, cl: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, not {_type(value)}")
        try:
            return structure(value, cl)
        except ClassValidationError as error:
            noted = list(_noted(error.exceptions, cl))
            raise ClassValidationError(error.message, noted, cl) from None

    return structure_object


def configure_converter(converter: cattrs.Converter, *, forbid_extra_keys: bool = True) -> None:
    """Teach ``converter`` the document: strict types, no positions, paragraphs as strings.

    ``forbid_extra_keys`` is turned off only to read a document of a later minor
    version, whose added keys an older reader may safely ignore.
    """
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(datetime.date, _structure_date)
    converter.register_structure_hook(RequestKind, _structure_kind)
    converter.register_structure_hook(
        Paragraph, lambda value, _: Paragraph(text=_structure_str(value, str))
    )
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_unstructure_hook(RequestKind, lambda kind: kind.value)
    converter.register_unstructure_hook(Paragraph, lambda paragraph: paragraph.text)
    # Factories, not hooks: a hook made now would bake in the hooks of records not yet seen.
    converter.register_structure_hook_factory(
        _is_tuple, lambda type_: _array_hook(type_, converter)
    )
    converter.register_structure_hook_factory(
        lambda type_: type_ in _RECORDS,
        lambda record: _record_hook(record, converter, forbid_extra_keys),
    )
    converter.register_unstructure_hook_factory(
        lambda type_: type_ in _RECORDS,
        lambda record: make_dict_unstructure_fn(record, converter, position=override(omit=True)),
    )


def make_converter(*, forbid_extra_keys: bool = True) -> cattrs.Converter:
    """A converter between :class:`Bulletin` and the JSON document's plain data."""
    converter = cattrs.Converter(
        detailed_validation=True,
        forbid_extra_keys=forbid_extra_keys,
        unstruct_collection_overrides={tuple: list},
    )
    configure_converter(converter, forbid_extra_keys=forbid_extra_keys)
    return converter


#: The converter used by :func:`dumps` and :func:`loads`.
converter = make_converter()


@functools.cache
def _lenient_converter() -> cattrs.Converter:
    """For a later minor version: the keys it added are optional by definition, so skipped."""
    return make_converter(forbid_extra_keys=False)


def _document(bulletin: Bulletin) -> dict[str, Any]:
    body = converter.unstructure(bulletin, Bulletin)
    # The envelope first, then the bulletin in reading order.
    document = {"$schema": SCHEMA_ID, "prayerdoc": FORMAT_VERSION}
    document.update(
        (key, body[key]) for key in ("title", "date", "preamble", "epigraph", "sections")
    )
    return document


def dumps(bulletins: Bulletin | Iterable[Bulletin]) -> str:
    """A bulletin as a JSON document, or many as one archive document.

    2-space indent, non-ASCII kept, final newline. Keys come in a fixed order,
    so equal bulletins give equal bytes. The archive is
    ``{"$schema": ARCHIVE_SCHEMA_ID, "prayerdoc": version, "bulletins": [...]}``
    and each of its items is a whole bulletin document, in the order given.
    """
    if isinstance(bulletins, Bulletin):
        document = _document(bulletins)
    else:
        items = [_document(bulletin) for bulletin in bulletins]
        document = {"$schema": ARCHIVE_SCHEMA_ID, "prayerdoc": FORMAT_VERSION, "bulletins": items}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@functools.cache
def schema_text() -> str:
    """The JSON Schema of the document, as shipped in the package (``$id`` is :data:`SCHEMA_ID`)."""
    return importlib.resources.files("prayerdoc").joinpath("schema.json").read_text("utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema of the document as a fresh dict, for validators."""
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


def archive_schema() -> dict[str, Any]:
    """The JSON Schema of the archive, with the bulletin's schema bundled in its ``$defs``."""
    text = importlib.resources.files("prayerdoc").joinpath("archive.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    loaded["$defs"] = {"bulletin": schema()}
    return loaded


# Reading: every problem becomes a finding with a JSON path, a line and a column.


def _describe(error: BaseException, _: object) -> str:
    """The message of one error of cattrs' tree, for :func:`cattrs.transform_error`."""
    if isinstance(error, KeyError):
        return _MISSING
    if isinstance(error, RecursionError):
        return "nests too deeply to read"
    if isinstance(error, ForbiddenExtraKeysError):
        return _UNKNOWN
    if isinstance(error, FieldError):
        return error.problem
    return str(error) or type(error).__name__


def _reject(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _envelope(
    document: dict[str, Any], at: str, schema_id: str
) -> tuple[list[tuple[str, str]], bool | None]:
    """Problems with ``prayerdoc`` and ``$schema``, and whether the version is a later minor
    one: None when the version cannot be read, and nothing else is worth reporting."""
    version = document.get("prayerdoc", _MISSING)
    match = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if version is _MISSING:
        return [(f"{at}.prayerdoc", _MISSING)], None
    if match is None:
        message = f'expected a version string like "{FORMAT_VERSION}", not {_what(version)}'
        return [(f"{at}.prayerdoc", message)], None
    if match.group(1) != _MAJOR:
        message = (
            f"version {shown(version)[1:-1]} is not supported;"
            f" this prayerdoc reads version {_MAJOR}.x documents"
        )
        return [(f"{at}.prayerdoc", message)], None
    found = document.get("$schema", _MISSING)
    problems = []
    if found != schema_id:
        message = f'expected "{schema_id}", not {_what(found)}' if found is not _MISSING else found
        problems.append((f"{at}['$schema']", message))
    # A minor version too long for int() is certainly a later one.
    return problems, len(match.group(2)) > 9 or int(match.group(2)) > int(_MINOR)


def _bulletin(document: object, at: str = "$") -> tuple[Bulletin | None, list[tuple[str, str]]]:
    """The bulletin document found at path ``at``, or every problem in it as (path, message)."""
    if not isinstance(document, dict):
        return None, [(at, f"expected an object, not {_type(document)}")]
    problems, later = _envelope(document, at, SCHEMA_ID)
    if later is None:
        return None, problems
    body = {key: value for key, value in document.items() if key not in ("$schema", "prayerdoc")}
    reader = _lenient_converter() if later else converter
    try:
        bulletin: Bulletin = reader.structure(body, Bulletin)
    except Exception as error:
        for line in cattrs.transform_error(error, at, _describe):
            # transform_error writes "message @ $.path"; an unknown key may hold " @ " too.
            message, _, path = line.rpartition(" @ $")
            problems.append(("$" + path, message))
        return None, problems
    return (None if problems else bulletin), problems


def _is_archive(document: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(document, dict) and (
        "bulletins" in document or document.get("$schema") == ARCHIVE_SCHEMA_ID
    )


def _archive(document: dict[str, Any]) -> tuple[list[Bulletin], list[tuple[str, str]]]:
    """Every bulletin of an archive, and every problem in it."""
    problems, later = _envelope(document, "$", ARCHIVE_SCHEMA_ID)
    if later is None:
        return [], problems
    if not later:
        unknown = set(document) - {"$schema", "prayerdoc", "bulletins"}
        problems += [(f"$.{key}", _UNKNOWN) for key in sorted(unknown)]
    items = document.get("bulletins", _MISSING)
    if not isinstance(items, list):
        message = _MISSING if items is _MISSING else f"expected an array, not {_type(items)}"
        return [], [*problems, ("$.bulletins", message)]
    bulletins = []
    for index, item in enumerate(items):
        bulletin, found = _bulletin(item, f"$.bulletins[{index}]")
        problems += found
        if bulletin is not None:
            bulletins.append(bulletin)
    return bulletins, problems


def _decoded(data: str | bytes, source: str) -> tuple[str, object]:
    """The text and the decoded document; ParseError for what is not JSON."""
    if isinstance(data, bytes):
        decoded = decode(data)
        if isinstance(decoded, Diagnostic):
            raise ParseError([decoded], source=source)
        data = decoded
    if not isinstance(data, str):
        raise TypeError(f"expected str or bytes, not {type(data).__name__}")
    text = data.removeprefix("\ufeff")
    try:
        return text, json.loads(text, parse_constant=_reject)
    except json.JSONDecodeError as error:
        place = (error.lineno, error.colno)
        message = f"not valid JSON: {error.msg[:1].lower()}{error.msg[1:]}"
    except (ValueError, RecursionError):
        # NaN, an integer too long for int(), or nesting too deep for the decoder.
        offset, reason = unreadable(text)
        place, message = line_column(text, offset), f"not valid JSON: {reason}"
    raise ParseError([codes.INVALID_JSON.at(*place, message=message)], source=source, text=text)


def _failure(text: str, source: str, problems: list[tuple[str, str]]) -> ParseError:
    """A ParseError with a finding for each problem, placed where its path points."""
    # Past a hundred, more findings help no one, and each costs a count of the lines.
    listed = problems[:_MAX_FINDINGS]
    paths = [segments(path) for path, _ in listed]
    starts = offsets(text, paths)
    findings = [
        codes.INVALID_JSON.at(*line_column(text, starts[found]), message=f"{path}: {said}")
        for found, (path, said) in zip(paths, listed, strict=True)
    ]
    if len(problems) > len(listed):
        last = max(findings, key=lambda finding: (finding.line, finding.column))
        more = f"{len(problems) - len(listed)} more problems like these are not listed"
        findings.append(codes.INVALID_JSON.at(last.line, last.column, message=more))
    findings.sort(key=lambda finding: (finding.line, finding.column))
    return ParseError(findings, source=source, text=text)


def read(data: str | bytes, *, source: str = "<string>") -> Bulletin | tuple[Bulletin, ...]:
    """The bulletin of a bulletin document, or the bulletins of an archive as a tuple.

    Problems are reported as by :func:`loads`; in an archive, with paths into it
    (``$.bulletins[3].date``), and one bad bulletin fails the whole read.
    """
    text, document = _decoded(data, source)
    if _is_archive(document):
        bulletins, problems = _archive(document)
        if not problems:
            return tuple(bulletins)
    else:
        bulletin, problems = _bulletin(document)
        if bulletin is not None:
            return bulletin
    raise _failure(text, source, problems)


def loads(data: str | bytes, *, source: str = "<string>") -> Bulletin:
    """Rebuild a bulletin from its JSON document.

    Raises :class:`~prayerdoc.ParseError` with a ``PD111`` finding for each
    problem: its message starts with the JSON path, its line and column point
    into ``data``. A reference to a verse that does not exist is not a JSON
    problem; ``prayerdoc check`` reports it in the text. An archive of many
    bulletins is refused with a finding that says so: read it with
    :func:`loads_all`.
    """
    text, document = _decoded(data, source)
    if _is_archive(document):
        items = document.get("bulletins")
        count = len(items) if isinstance(items, list) else 0
        message = (
            f"an archive of {count} bulletin{'' if count == 1 else 's'}, not one bulletin; "
            "read it with prayerdoc.loads_all"
        )
        raise _failure(text, source, [("$", message)])
    bulletin, problems = _bulletin(document)
    if bulletin is None:
        raise _failure(text, source, problems)
    return bulletin


def loads_all(data: str | bytes, *, source: str = "<string>") -> tuple[Bulletin, ...]:
    """Every bulletin of an archive, or the one bulletin of a bulletin document."""
    found = read(data, source=source)
    return found if isinstance(found, tuple) else (found,)
