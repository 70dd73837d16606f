"""The version of prayerdoc, in one place: the package, its metadata and outputs read it."""

__version__ = "0.1.0"
