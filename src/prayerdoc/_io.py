"""The one input boundary, and atomic writes: every byte prayerdoc reads comes through here.

A path, an open binary file or stdin is read the same way: never more than
``max_bytes + 1`` bytes, whatever the file claims its size is (``fstat`` says 0
for a pipe or a device), then decoded by :func:`prayerdoc.source.text_of`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from typing import BinaryIO

from prayerdoc.diagnostics import Diagnostic
from prayerdoc.source import DEFAULT_MAX_BYTES, text_of, too_large

__all__ = ["STDIO", "NotAFileError", "kind", "read_text", "write_atomic"]

#: The path that means stdin when read and stdout when written, everywhere.
STDIO = "-"

_KINDS = {
    stat.S_IFIFO: "a pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class NotAFileError(OSError):
    """A path that prayerdoc will not read: a block device or a socket, or anything
    that is not a regular file when it was found by searching a folder."""


def kind(mode: int) -> str:
    """What a file is, in words, from its ``st_mode``."""
    return _KINDS.get(stat.S_IFMT(mode), "a regular file")


def _open(path: str | os.PathLike[str], *, only_regular: bool) -> BinaryIO:
    """Open ``path`` for reading, refusing kinds of file that cannot be a bulletin.

    Named on the command line, a pipe or a character device is read as a
    stream (``<(cmd)`` is a pipe; ``/dev/stdin`` a device). A file found while
    searching a folder must be a regular file: the open does not wait, so a
    FIFO put there (even after the search) is refused, not waited on.
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    if only_regular:
        flags |= os.O_NONBLOCK
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        if stat.S_ISBLK(mode) or stat.S_ISSOCK(mode) or (only_regular and not stat.S_ISREG(mode)):
            what = f"it is {kind(mode)}, not a bulletin file"
            if only_regular:
                what += "; name it on its own to read it as a stream"
            raise NotAFileError(errno.EINVAL, what, os.fspath(path))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _regular_size(file: BinaryIO) -> int | None:
    """The size of ``file`` if it is a regular file on disk; None for anything else."""
    with contextlib.suppress(OSError, AttributeError, ValueError):
        status = os.fstat(file.fileno())
        if stat.S_ISREG(status.st_mode):
            return status.st_size
    return None


def _bounded(file: BinaryIO, max_bytes: int | None) -> bytes | str | Diagnostic:
    """At most ``max_bytes + 1`` bytes of ``file``, or PD109 when there are more.

    A regular file that says it is too large is refused unread; anything else
    (a pipe, a device, a file that grows) is read only one byte past the limit.
    A file opened in text mode gives ``str``, counted in characters.
    """
    size = _regular_size(file)
    finding = None if size is None else too_large(size, max_bytes)
    if finding is not None:
        return finding
    data = file.read(-1 if max_bytes is None else max_bytes + 1)
    return too_large(len(data), max_bytes, exact=False) or data


def read_text(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    only_regular: bool = False,
) -> str | Diagnostic:
    """The decoded (not yet normalised) text of a path, stdin (:data:`STDIO`) or an open
    file, or the finding that stops it (PD108 to PD110).

    ``OSError`` (a missing path, a folder, :class:`NotAFileError`) is left to
    the caller: it is a problem with the path, not with the bulletin.
    ``only_regular`` refuses anything but a regular file, for files found by
    searching a folder rather than named.
    """
    if isinstance(source, str) and source == STDIO:
        data = _bounded(sys.stdin.buffer, max_bytes)
    elif isinstance(source, str | os.PathLike):
        with _open(source, only_regular=only_regular) as file:
            data = _bounded(file, max_bytes)
    else:
        data = _bounded(source, max_bytes)
    if isinstance(data, Diagnostic):
        return data
    return text_of(data, encoding=encoding, max_bytes=None)


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
