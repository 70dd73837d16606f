"""``prayerdoc schema``: print the JSON Schema of the documents ``convert --to json`` writes."""

from __future__ import annotations

import argparse
import sys

from prayerdoc._io import STDIO
from prayerdoc.commands import EXIT_OK, EXIT_USAGE

__all__ = ["DESCRIPTION", "EPILOG", "arguments", "run"]

DESCRIPTION = """\
Print the JSON Schema (draft 2020-12) of the JSON document that
'prayerdoc convert --to json' writes. Its $id, urn:prayerdoc:bulletin:1, is the
value of every document's "$schema" key; the schema describes each key.

With --archive, print instead the schema of the archive that several inputs
make (urn:prayerdoc:archive:1). It refers to the bulletin's schema by that $id
for each of its bulletins, so a validator needs both schemas."""

EPILOG = """\
examples:
  prayerdoc schema -o prayerdoc.schema.json
  prayerdoc schema --archive -o prayerdoc.archive.schema.json
  prayerdoc schema | python -m json.tool --sort-keys"""


def arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``schema``."""
    parser.add_argument(
        "--archive",
        action="store_true",
        help="the schema of an archive of many bulletins, not of one bulletin",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout ('-': stdout)"
    )


def run(args: argparse.Namespace) -> int:
    """Print or write the schema."""
    from prayerdoc import _io
    from prayerdoc.formats.json import schema_text

    text = schema_text(archive=args.archive)
    if args.output in (None, STDIO):
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    try:
        _io.write_file(args.output, text)
    except OSError as error:
        print(
            f"prayerdoc schema: cannot write '{args.output}': {_io.reason(error)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK
