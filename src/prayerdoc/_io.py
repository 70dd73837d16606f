"""Reading inputs and writing outputs for the commands: stdin, sizes, atomic writes."""

from __future__ import annotations

import contextlib
import os
import sys

from prayerdoc.diagnostics import Diagnostic
from prayerdoc.source import decode, too_large

__all__ = ["STDIO", "read_text", "write_atomic"]

#: The path that means stdin when read and stdout when written, everywhere.
STDIO = "-"


def read_text(path: str, *, encoding: str | None, max_bytes: int | None) -> str | Diagnostic:
    """The decoded text of a file or of stdin (``-``), or the finding that stops it.

    ``OSError`` (a missing or unreadable path) is left to the caller: it is a
    usage problem, not a problem of the bulletin.
    """
    if path == STDIO:
        limit = -1 if max_bytes is None else max_bytes + 1
        data = sys.stdin.buffer.read(limit)
    else:
        with open(path, "rb") as file:
            finding = too_large(os.fstat(file.fileno()).st_size, max_bytes)
            if finding is not None:
                return finding
            data = file.read()
    finding = too_large(len(data), max_bytes)
    return finding if finding is not None else decode(data, encoding)


def write_atomic(path: str | os.PathLike[str], text: str, *, durable: bool = True) -> None:
    """Write ``text`` as UTF-8 so that ``path`` holds either the old or the whole new content.

    The text goes to a temporary file in the same folder, which then replaces
    ``path``; on any failure the temporary file is removed and ``path`` is untouched.
    ``durable`` flushes the data to disk before the rename, so that a crash cannot
    leave an empty file in place of a person's own file; generated output that a
    rerun recreates can skip that cost.
    """
    import tempfile

    target = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(target))
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        with contextlib.suppress(OSError):
            keep = os.stat(target).st_mode & 0o7777 if os.path.exists(target) else 0o644
            os.chmod(temporary, keep)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
