"""The subcommands of the ``prayerdoc`` tool, one module each.

Each module has ``register(subparsers)``, which adds its parser and sets
``run`` to a function ``(args) -> exit code``. Only the module of the command
being run is imported (see ``prayerdoc.cli``), and modules import what their
work needs inside ``run``, so that ``prayerdoc check`` does not pay for cattrs.
"""

#: Each command and its one-line summary, in the order ``--help`` lists them.
SUMMARIES = {
    "convert": "convert bulletins to json, markdown, ical or text",
    "check": "report problems in bulletin files",
    "fmt": "rewrite bulletin files in the canonical layout",
    "schema": "print the JSON Schema of the JSON output",
}
