"""The ``prayerdoc`` command line: argparse wiring only; the work is in ``commands/``.

Exit codes are defined in :mod:`prayerdoc.commands`.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from prayerdoc import __version__
from prayerdoc.commands import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, SUMMARIES, register

__all__ = ["main"]


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prayerdoc",
        description="Parse, convert and check plain-text prayer bulletins.",
        epilog="Run 'prayerdoc COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"prayerdoc {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    commands.required = True
    # Start-up time matters in pre-commit hooks: import only the command being
    # run; the others get a stand-in that only lists them in --help. Run as
    # 'prayerdoc COMMAND ...', nothing can list them (no top-level option comes
    # first to ask for help), so they get no parser at all.
    chosen = next((word for word in argv if not word.startswith("-")), None)
    alone = bool(argv) and argv[0] == chosen
    for name, summary in SUMMARIES.items():
        if chosen in (name, None) or chosen not in SUMMARIES:
            register(commands, name)
        elif not alone:
            commands.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tool with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    if argv is None:  # run as the program
        argv = sys.argv[1:]
        # What is loaded by now (modules, classes) lives until the process ends:
        # the cyclic collector need not walk it again at each collection while the
        # command imports the rest and runs, nor at exit. A caller passing argv
        # keeps its collector as it was.
        gc.freeze()
    parser = _parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        # argparse exits 2 on usage errors and 0 for --help/--version.
        return exit.code if isinstance(exit.code, int) else EXIT_USAGE
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``prayerdoc convert … | head``): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    return code
