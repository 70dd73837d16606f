"""The one input boundary, and the one way to write a file: every byte in and out passes here.

A path, an open binary file or stdin is read the same way: never more than
``max_bytes + 1`` bytes, whatever the file claims its size is (``fstat`` says 0
for a pipe or a device), then decoded by :func:`prayerdoc.source.text_of`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from prayerdoc.diagnostics import Diagnostic
from prayerdoc.source import DEFAULT_MAX_BYTES, text_of, too_large

__all__ = [
    "STDIO",
    "NotAFileError",
    "Staging",
    "is_stream",
    "kind",
    "read_bytes",
    "read_text",
    "reason",
    "remove_stale",
    "temporary_prefix",
    "writable_destination",
    "write_atomic",
    "write_file",
    "write_stdout",
]

#: The path that means stdin when read and stdout when written, everywhere.
STDIO = "-"

# What the operating system says in its own words ("No such file or directory"),
# said as every message of prayerdoc says it.
_REASONS = {
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
}


def reason(error: OSError) -> str:
    """Why a path cannot be read or written, in the same words in every command.

    A reason prayerdoc gave itself (``it is read-only; make it writable ...``)
    is kept as it is.
    """
    own = error.errno is None or error.strerror != os.strerror(error.errno)
    if error.strerror and own:
        return error.strerror
    return _REASONS.get(error.errno or 0, error.strerror or str(error))


def missing(path: str) -> str:
    """The message for a path that does not exist, as every command words it."""
    return f"cannot read '{path}': {_REASONS[errno.ENOENT]}"


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
            raise IsADirectoryError(errno.EISDIR, _REASONS[errno.EISDIR], os.fspath(path))
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
    data = read_bytes(source, max_bytes=max_bytes, only_regular=only_regular)
    if isinstance(data, Diagnostic):
        return data
    return text_of(data, encoding=encoding, max_bytes=None)


def read_bytes(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    only_regular: bool = False,
) -> bytes | str | Diagnostic:
    """What :func:`read_text` reads, not decoded (a file opened in text mode gives
    ``str``): for the readers of pages and messages, which find their own encoding."""
    if isinstance(source, str) and source == STDIO:
        return _bounded(sys.stdin.buffer, max_bytes)
    if isinstance(source, str | os.PathLike):
        with _open(source, only_regular=only_regular) as file:
            return _bounded(file, max_bytes)
    return _bounded(source, max_bytes)


# Temporary files and staging folders carry the id of the process that made
# them, so that a later run can tell those of a killed run from a live one's.
# A pattern string, compiled (and cached by re) on first use: commands that
# write nothing never pay for it at start-up.
_TEMPORARY = r"^\.(?:.*\.)?prayerdoc-(\d+)-[^.]+\.(?:tmp|staging)$"
# Folders already cleaned by this process: once each, not once per file written.
_CLEANED: set[str] = set()


def temporary_prefix() -> str:
    """The start of the name of this process's temporary files and staging folders."""
    return f"prayerdoc-{os.getpid()}-"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def remove_stale(folder: str | os.PathLike[str]) -> None:
    """Remove from ``folder`` the temporaries of prayerdoc runs that were killed.

    A run that ends by itself removes its own; one killed with ``kill -9`` cannot,
    and the next run that writes into the same folder removes what it left.
    """
    import shutil

    folder = os.path.abspath(folder)
    if folder in _CLEANED:
        return
    _CLEANED.add(folder)
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = re.match(_TEMPORARY, entry.name)
            if match is None or _running(int(match.group(1))):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _new_file_mode() -> int:
    """The mode a new file gets from ``open``: 0o666 less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def writable_destination(path: str | os.PathLike[str], *, through_links: bool = True) -> str:
    """Where writing ``path`` really goes, after checking it can be written; else OSError.

    A symlink is followed to its target when ``through_links`` (``fmt``, ``-o``: the
    file the name leads to is the one that changes, as with a shell's ``>``);
    otherwise the link itself is replaced. A folder, or a file without write
    permission (checked on the mode bits, so that it holds for root too), is
    refused: prayerdoc keeps a read-only file read-only. A pipe or a device
    is returned as it is, to be written as a stream.
    """
    target = os.path.realpath(path) if through_links else os.path.abspath(path)
    try:
        status = os.stat(target, follow_symlinks=through_links)
    except FileNotFoundError:
        folder = os.path.dirname(target)
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise NotADirectoryError(errno.ENOTDIR, "its folder is a file", target) from None
        return target
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, _REASONS[errno.EISDIR], os.fspath(path))
    if stat.S_ISREG(status.st_mode) and not status.st_mode & 0o222:
        raise PermissionError(
            errno.EACCES, "it is read-only; make it writable to let prayerdoc replace it", target
        )
    return target


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a pipe or a device, written as a stream rather than replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def write_file(
    path: str | os.PathLike[str], text: str, *, durable: bool = True, create_folders: bool = False
) -> str:
    """Write ``text`` as UTF-8 to ``path`` the way a person expects; return where it went.

    A regular file is replaced atomically and keeps its permissions; a symlink
    is written through to its target; a pipe or a device is written as a
    stream; a folder or a read-only file is refused with ``OSError`` (see
    :func:`writable_destination`). ``create_folders`` makes missing folders first.
    """
    target = writable_destination(path)
    if create_folders:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    if is_stream(target):
        with open(target, "wb") as stream:
            stream.write(text.encode("utf-8"))
        return target
    write_atomic(target, text, durable=durable)
    return target


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 bytes, line ends as they are (iCalendar's CRLF too)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stdout replaced by a text-only stream (a test's capture)
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


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
    remove_stale(folder)
    prefix = f".{name}.{temporary_prefix()}"
    fd, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        try:
            old = os.stat(target, follow_symlinks=False)
        except FileNotFoundError:
            os.chmod(temporary, _new_file_mode())
        else:
            regular = stat.S_ISREG(old.st_mode)
            os.chmod(temporary, stat.S_IMODE(old.st_mode) if regular else _new_file_mode())
            with contextlib.suppress(OSError):  # only root may give a file to someone else
                os.chown(temporary, old.st_uid, old.st_gid)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class Staging:
    """Outputs wait in a hidden folder inside their destination folder until all are ready.

    The folder is on the destination's file system, so moving a file into
    place is one atomic rename, and it is inside the destination, so nothing
    is left elsewhere; a run that is killed leaves it to be removed by the
    next run (see :func:`remove_stale`). Folders this run had to
    create are removed again when it fails. Staged files are named by their
    order, so nothing is kept per file.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.created: Path | None = None  # the outermost folder this run created
        self.folder: Path | None = None
        self.count = 0

    def add(self, text: str) -> None:
        import tempfile

        if self.folder is None:
            missing = self.out_dir.absolute()
            while not missing.parent.exists():
                missing = missing.parent
            if not missing.exists():
                self.created = missing
            self.out_dir.mkdir(parents=True, exist_ok=True)
            remove_stale(self.out_dir)
            self.folder = Path(
                tempfile.mkdtemp(
                    prefix=f".{temporary_prefix()}", suffix=".staging", dir=self.out_dir
                )
            )
        # Straight into the private folder: the rename into place is the atomic step.
        (self.folder / str(self.count)).write_text(text, encoding="utf-8", newline="")
        self.count += 1

    def commit(self, destinations: Iterable[str | None]) -> None:
        """Move the staged files to ``destinations``, given again in the order added."""
        if self.folder is None:
            return
        files = (destination for destination in destinations if destination is not None)
        for index, destination in zip(range(self.count), files, strict=False):
            try:
                os.replace(self.folder / str(index), destination)
            except OSError as error:
                error.filename, error.filename2 = destination, None  # the path the user knows
                raise
        self.created = None  # kept: it holds the outputs now

    def discard(self) -> None:
        import shutil

        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if self.created is not None:
            shutil.rmtree(self.created, ignore_errors=True)
            self.created = None
