"""The subcommands of the ``prayerdoc`` tool, one module each.

Each module has ``register(subparsers)``, which adds its parser and sets
``run`` to a function ``(args) -> exit code``. Modules import what their work
needs inside ``run``, so that ``prayerdoc check`` does not pay for cattrs.
"""
