"""The subcommands of the ``prayerdoc`` tool, one module each.

Each module has ``DESCRIPTION`` and ``EPILOG`` (its ``--help``),
``arguments(parser)``, which declares its options, and ``run(args) -> exit
code``; :func:`register` puts them together. Only the module of the command
being run is imported (see ``prayerdoc.cli``), and modules import what their
work needs inside ``run``, so that ``prayerdoc check`` does not pay for cattrs.

Every command exits with one of the codes below, and only these.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

#: Success: nothing wrong was found, everything asked for was done.
EXIT_OK = 0
#: Problems in the input: findings, a bulletin that cannot be converted or formatted.
EXIT_PROBLEMS = 1
#: A usage error: bad options, or a path that cannot be read or written.
EXIT_USAGE = 2
#: Stopped by Ctrl-C, as shells report SIGINT (128 + 2).
EXIT_INTERRUPTED = 130

#: Each command and its one-line summary, in the order ``--help`` lists them.
SUMMARIES = {
    "convert": "convert bulletins to json, markdown, ical or text",
    "check": "report problems in bulletin files",
    "fmt": "rewrite bulletin files in the canonical layout",
    "schema": "print the JSON Schema of the JSON output",
    "rule": "explain a diagnostic code",
}


def register(subparsers: Any, name: str) -> None:
    """Add command ``name`` from its module, listed with its summary; its help keeps its
    line breaks."""
    module = importlib.import_module(f"prayerdoc.commands.{name}")
    parser = subparsers.add_parser(
        name,
        help=SUMMARIES[name],
        description=module.DESCRIPTION,
        epilog=module.EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    module.arguments(parser)
    parser.set_defaults(run=module.run)
