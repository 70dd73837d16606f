"""``prayerdoc rule``: print a diagnostic code's page, from the text shipped in the package."""

from __future__ import annotations

import argparse
import sys

from prayerdoc.commands import EXIT_OK, EXIT_USAGE

__all__ = ["DESCRIPTION", "EPILOG", "arguments", "run"]

DESCRIPTION = "Explain a diagnostic code: what it finds, its severity, and how to fix it."

EPILOG = """\
examples:
  prayerdoc rule PD301              # what PD301 finds, its severity, a bad and a good example
  prayerdoc rule unbalanced-quotes  # the same, by name
  prayerdoc rule                    # every code with its severity and name"""


def arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``rule``."""
    parser.add_argument(
        "code", nargs="?", metavar="CODE", help="a code (PD301) or its name; none lists them all"
    )


def run(args: argparse.Namespace) -> int:
    """Print the page of the code asked for, or the list of codes."""
    from prayerdoc import codes

    if args.code is None:
        sys.stdout.write(
            "".join(
                f"{rule.code}  {rule.severity.value:<7}  {rule.name}\n"
                for rule in codes.RULES.values()
            )
        )
        return EXIT_OK
    rule = codes.find(args.code)
    if rule is None:
        print(
            f"prayerdoc rule: error: there is no code '{args.code}'; "
            "'prayerdoc rule' lists them all",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sys.stdout.write(codes.page(rule))
    return EXIT_OK
