"""The JSON document: a stable contract for other programs, with a published schema.

The document is described in ``docs/json.md`` and by ``schema.json`` in this
package. Writing goes through one cattrs converter (:func:`make_converter`);
reading is strict: wrong types, unknown or missing keys, impossible dates and
unknown request kinds are errors, each reported with its JSON path
(``$.sections[2].requests[0].kind``) and its line and column in the JSON text.
Source positions are not part of the document.
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
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from prayerdoc import codes
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
_MAJOR, _MINOR = (int(part) for part in FORMAT_VERSION.split("."))

# The order keys are written in: envelope first, then the bulletin in reading order.
_BULLETIN_KEYS = ("title", "date", "preamble", "epigraph", "sections")
_ENVELOPE_KEYS = ("$schema", "prayerdoc")
_RECORDS = (Bulletin, Epigraph, ScriptureRef, Section, Request)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

Path = tuple[str | int, ...]


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# Strict scalar hooks: cattrs' defaults would turn 5 into "5" and "3" into 3.


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, not {_json_type(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        # "\ud800" is valid JSON but not text: no file could hold it.
        raise ValueError(f"lone surrogate {value[error.start]!r} is not a character") from None
    return value


def _structure_int(value: object, _: type) -> int:
    # JSON Schema counts 6.0 as an integer; so does the reader, to agree with the schema.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        shown = "a fraction" if isinstance(value, float) else _json_type(value)
        raise TypeError(f"expected an integer, not {shown}")
    return value


def _structure_date(value: object, _: type) -> datetime.date:
    # date.fromisoformat also takes 20190427 and 2019-W17-6; the document does not.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        shown = repr(value) if isinstance(value, str) else _json_type(value)
        raise ValueError(f"expected a date written YYYY-MM-DD, not {shown}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None


def _structure_kind(value: object, _: type) -> RequestKind:
    choices = ", ".join(f"'{kind.value}'" for kind in RequestKind)
    if not isinstance(value, str):
        raise TypeError(f"expected one of {choices}, not {_json_type(value)}")
    try:
        return RequestKind(value)
    except ValueError:
        raise ValueError(f"expected one of {choices}, not '{value}'") from None


def _unstructure_date(value: datetime.date) -> str:
    # The unbound method writes only the date, even for a datetime.
    return datetime.date.isoformat(value)


def _structure_paragraph(value: object, _: type) -> Paragraph:
    text = _structure_str(value, str)
    try:
        return Paragraph(text=text)
    except FieldError as error:
        raise ValueError(error.problem) from None


def _is_tuple(type_: Any) -> bool:
    return get_origin(type_) is tuple


def _is_record(type_: Any) -> bool:
    return type_ in _RECORDS


def _tuple_hook(type_: Any, converter: cattrs.Converter) -> Callable[[object, Any], Any]:
    """Arrays only: cattrs alone would read the string "ab" as the list ["a", "b"]."""
    structure = homogenous_tuple_structure_factory(type_, converter)

    def structure_array(value: object, cl: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, not {_json_type(value)}")
        return structure(value, cl)

    return structure_array


def _record_hook(
    record: type[Any], converter: cattrs.Converter, forbid_extra_keys: bool
) -> Callable[[object, Any], Any]:
    """An object hook that also insists on every key: the writer always writes them all."""
    fields = [field for field in attrs.fields(record) if field.name != "position"]
    structure = make_dict_structure_fn(
        record,
        converter,
        _cattrs_forbid_extra_keys=forbid_extra_keys,
        _cattrs_detailed_validation=True,
        position=override(omit=True),
    )

    def structure_object(value: object, cl: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, not {_json_type(value)}")
        missing = []
        for field in fields:
            if field.name not in value:
                error = KeyError(field.name)
                note = f"Structuring class {record.__qualname__} @ attribute {field.name}"
                error.__notes__ = [AttributeValidationNote(note, field.name, field.type)]
                missing.append(error)
        if missing:
            raise ClassValidationError(f"While structuring {record.__qualname__}", missing, record)
        return structure(value, cl)

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
    converter.register_structure_hook(Paragraph, _structure_paragraph)
    converter.register_structure_hook_factory(_is_tuple, lambda t: _tuple_hook(t, converter))
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, datetime.date), _unstructure_date
    )
    converter.register_unstructure_hook(RequestKind, lambda kind: kind.value)
    converter.register_unstructure_hook(Paragraph, lambda paragraph: paragraph.text)
    # Factories, not hooks: a hook made now would bake in the defaults of records not yet seen.
    converter.register_structure_hook_factory(
        _is_record, lambda record: _record_hook(record, converter, forbid_extra_keys)
    )
    converter.register_unstructure_hook_factory(
        _is_record,
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
_lenient_converter: cattrs.Converter | None = None


def _document(bulletin: Bulletin) -> dict[str, Any]:
    body = converter.unstructure(bulletin, Bulletin)
    return {
        "$schema": SCHEMA_ID,
        "prayerdoc": FORMAT_VERSION,
        **{key: body[key] for key in _BULLETIN_KEYS},
    }


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


# Reading: errors become findings with a JSON path and a line and column.


def _render(path: Path) -> str:
    """``$.sections[2].requests[0].kind``; odd keys in brackets: ``$['$schema']``."""
    parts = ["$"]
    for segment in path:
        if isinstance(segment, int):
            parts.append(f"[{segment}]")
        elif _IDENTIFIER.fullmatch(segment):
            parts.append(f".{segment}")
        else:
            escaped = segment.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)


def _message(error: BaseException) -> str:
    if isinstance(error, KeyError):
        return "required key is missing"
    return str(error) or type(error).__name__


def _problems(error: BaseException, path: Path) -> Iterator[tuple[Path, str]]:
    """Every (path, message) in a cattrs error tree."""
    if isinstance(error, IterableValidationError):
        with_notes, without = error.group_exceptions()
        for child, item in with_notes:
            yield from _problems(child, (*path, item.index))
        for child in without:
            yield from _problems(child, path)
    elif isinstance(error, ClassValidationError):
        attributes, without = error.group_exceptions()
        for child, attribute in attributes:
            yield from _problems(child, (*path, attribute.name))
        for child in without:
            if isinstance(child, ForbiddenExtraKeysError):
                for key in sorted(child.extra_fields):
                    yield (*path, key), "unknown key; remove it (see docs/json.md for the keys)"
                continue
            if isinstance(child, FieldError):
                yield (*path, child.field), child.problem
            else:
                yield path, _message(child)
    else:
        yield path, _message(error)


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    assert match is not None
    return match.end()


def _child(text: str, index: int, segment: str | int) -> int | None:
    """The offset of ``segment``'s value in the object or array at ``index``."""
    opener = text[index : index + 1]
    if opener == "{" and isinstance(segment, str):
        found = None
        index = _skip(text, index + 1)
        while text[index : index + 1] == '"':
            key, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
            index = _skip(text, _skip(text, index) + 1)
            if key == segment:
                found = index  # the last one wins, as in json.loads
            index = _skip(text, _DECODER.raw_decode(text, index)[1])
            if text[index : index + 1] == ",":
                index = _skip(text, index + 1)
        return found
    if opener == "[" and isinstance(segment, int):
        index = _skip(text, index + 1)
        for _ in range(segment):
            index = _skip(text, _DECODER.raw_decode(text, index)[1])
            if text[index : index + 1] != ",":
                return None
            index = _skip(text, index + 1)
        return index
    return None


def _place(text: str, path: Path) -> tuple[int, int]:
    """Line and column of the value at ``path``, or of its nearest ancestor that exists."""
    index = _skip(text, 0)
    for segment in path:
        found = _child(text, index, segment)
        if found is None:
            break
        index = found
    return line_column(text, index)


def _finding(text: str, path: Path, message: str) -> Diagnostic:
    line, column = _place(text, path)
    return codes.INVALID_JSON.at(line, column, message=f"{_render(path)}: {message}")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _decode(text: str) -> tuple[object, Diagnostic | None]:
    try:
        return json.loads(text, parse_constant=_reject_constant), None
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg[:1].lower()}{error.msg[1:]}"
        return None, codes.INVALID_JSON.at(error.lineno, error.colno, message=message)
    except RecursionError:
        return None, codes.INVALID_JSON.at(1, 1, message="not valid JSON: it nests too deeply")
    except ValueError as error:
        return None, codes.INVALID_JSON.at(1, 1, message=f"not valid JSON: {error}")


def _version(
    text: str, document: dict[str, Any], at: Path = (), schema_id: str = SCHEMA_ID
) -> tuple[int | None, list[Diagnostic]]:
    """The minor version of the document at ``at``, or None when it cannot be read."""
    if "prayerdoc" not in document:
        return None, [_finding(text, (*at, "prayerdoc"), "required key is missing")]
    version = document["prayerdoc"]
    match = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        message = f'expected a version string like "{FORMAT_VERSION}", not {json.dumps(version)}'
        return None, [_finding(text, (*at, "prayerdoc"), message)]
    major, minor = int(match.group(1)), int(match.group(2))
    if major != _MAJOR:
        message = (
            f"version {version} is not supported; this prayerdoc reads version {_MAJOR}.x documents"
        )
        return None, [_finding(text, (*at, "prayerdoc"), message)]
    findings = []
    if "$schema" not in document:
        findings.append(_finding(text, (*at, "$schema"), "required key is missing"))
    elif document["$schema"] != schema_id:
        found = json.dumps(document["$schema"], ensure_ascii=False)
        findings.append(_finding(text, (*at, "$schema"), f'expected "{schema_id}", not {found}'))
    return minor, findings


def _reader(minor: int) -> cattrs.Converter:
    """Keys added by a later minor version are optional by definition, so they may be skipped."""
    global _lenient_converter
    if minor <= _MINOR:
        return converter
    if _lenient_converter is None:
        _lenient_converter = make_converter(forbid_extra_keys=False)
    return _lenient_converter


def _bulletin(text: str, document: object, at: Path) -> tuple[Bulletin | None, list[Diagnostic]]:
    """The bulletin document found at ``at`` in ``text``, already decoded."""
    if not isinstance(document, dict):
        return None, [_finding(text, at, f"expected an object, not {_json_type(document)}")]
    minor, findings = _version(text, document, at)
    if minor is None:
        return None, findings
    body = {key: value for key, value in document.items() if key not in _ENVELOPE_KEYS}
    try:
        bulletin: Bulletin = _reader(minor).structure(body, Bulletin)
    except Exception as error:
        findings += [_finding(text, path, message) for path, message in _problems(error, at)]
        return None, findings
    return (bulletin if not findings else None), findings


def _is_archive(document: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(document, dict) and (
        "bulletins" in document or document.get("$schema") == ARCHIVE_SCHEMA_ID
    )


def _archive(text: str, document: dict[str, Any]) -> tuple[list[Bulletin], list[Diagnostic]]:
    """Every bulletin of an archive, and every problem in it."""
    minor, findings = _version(text, document, (), ARCHIVE_SCHEMA_ID)
    if minor is None:
        return [], findings
    if minor <= _MINOR:
        for key in sorted(set(document) - {*_ENVELOPE_KEYS, "bulletins"}):
            message = "unknown key; remove it (see docs/json.md for the keys)"
            findings.append(_finding(text, (key,), message))
    if "bulletins" not in document:
        return [], [*findings, _finding(text, ("bulletins",), "required key is missing")]
    items = document["bulletins"]
    if not isinstance(items, list):
        message = f"expected an array, not {_json_type(items)}"
        return [], [*findings, _finding(text, ("bulletins",), message)]
    bulletins = []
    for index, item in enumerate(items):
        bulletin, problems = _bulletin(text, item, ("bulletins", index))
        findings += problems
        if bulletin is not None:
            bulletins.append(bulletin)
    return bulletins, findings


def _text(data: str | bytes, source: str) -> str:
    if isinstance(data, bytes):
        decoded = decode(data)
        if isinstance(decoded, Diagnostic):
            raise ParseError([decoded], source=source)
        data = decoded
    if not isinstance(data, str):
        raise TypeError(f"expected str or bytes, not {type(data).__name__}")
    return data.removeprefix("\ufeff")


def _fail(findings: list[Diagnostic], source: str, text: str) -> ParseError:
    findings.sort(key=lambda finding: (finding.line, finding.column))
    return ParseError(findings, source=source, text=text)


def _parsed(data: str | bytes, source: str) -> tuple[str, object]:
    text = _text(data, source)
    document, syntax = _decode(text)
    if syntax is not None:
        raise ParseError([syntax], source=source, text=text)
    return text, document


def _one(text: str, document: object, source: str) -> Bulletin:
    bulletin, findings = _bulletin(text, document, ())
    if bulletin is None:
        raise _fail(findings, source, text)
    return bulletin


def read(data: str | bytes, *, source: str = "<string>") -> Bulletin | tuple[Bulletin, ...]:
    """The bulletin of a bulletin document, or the bulletins of an archive as a tuple.

    Problems are reported as by :func:`loads`; in an archive, with paths into it
    (``$.bulletins[3].date``), and one bad bulletin fails the whole read.
    """
    text, document = _parsed(data, source)
    if not _is_archive(document):
        return _one(text, document, source)
    bulletins, findings = _archive(text, document)
    if findings:
        raise _fail(findings, source, text)
    return tuple(bulletins)


def loads(data: str | bytes, *, source: str = "<string>") -> Bulletin:
    """Rebuild a bulletin from its JSON document.

    Raises :class:`~prayerdoc.ParseError` with a ``PD111`` finding for each
    problem: its message starts with the JSON path, its line and column point
    into ``data``. A reference to a verse that does not exist is not a JSON
    problem; ``prayerdoc check`` reports it in the text. An archive of many
    bulletins is refused with a finding that says so: read it with
    :func:`loads_all`.
    """
    text, document = _parsed(data, source)
    if _is_archive(document):
        items = document.get("bulletins")
        count = len(items) if isinstance(items, list) else 0
        message = (
            f"an archive of {count} bulletin{'' if count == 1 else 's'}, not one bulletin; "
            "read it with prayerdoc.loads_all"
        )
        raise _fail([_finding(text, (), message)], source, text)
    return _one(text, document, source)


def loads_all(data: str | bytes, *, source: str = "<string>") -> tuple[Bulletin, ...]:
    """Every bulletin of an archive, or the one bulletin of a bulletin document."""
    found = read(data, source=source)
    return found if isinstance(found, tuple) else (found,)
