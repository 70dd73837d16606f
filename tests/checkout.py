"""Copies of this checkout as a user gets it: a fresh clone, or a git repository to install from."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A commit needs a name; these keep the tests independent of the machine's git settings.
GIT = ["git", "-c", "user.name=prayerdoc tests", "-c", "user.email=tests@example.org"]


def fresh_clone(target: Path) -> Path:
    """``target`` holding the files a clone of this checkout has: tracked and new, none ignored.

    Copied from the working tree rather than cloned, so that changes not yet
    committed are what is tested.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def commit_all(folder: Path, branch: str = "main") -> None:
    """Make ``folder`` a git repository whose ``branch`` holds every file in it."""
    for command in (
        ["init", "-q", "-b", branch],
        ["add", "-A"],
        ["commit", "-q", "--no-verify", "-m", "files"],
    ):
        subprocess.run([*GIT, *command], cwd=folder, capture_output=True, check=True)
