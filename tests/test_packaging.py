"""The grammar ships inside the package: a built wheel parses a bulletin from outside the tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_grammar_and_parses_from_outside_the_tree(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("prayerdoc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "prayerdoc/grammar/prayerdoc.lark" in names
        assert "prayerdoc/py.typed" in names
        archive.extractall(tmp_path / "site")
    bulletin = ROOT / "examples" / "bulletins" / "bulletin-02.txt"
    script = (
        "import sys, prayerdoc\n"
        "assert prayerdoc.__file__.startswith(sys.argv[1]), prayerdoc.__file__\n"
        "b = prayerdoc.load(sys.argv[2])\n"
        "print(b.title, b.date, len(b.requests()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "site"), str(bulletin)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "IJM Prayer Request 2019-04-27 5"


def test_editable_install_finds_the_grammar() -> None:
    # The suite runs against the editable install: the grammar comes from grammar/.
    import importlib.resources

    grammar = importlib.resources.files("prayerdoc.grammar").joinpath("prayerdoc.lark")
    assert grammar.read_text(encoding="utf-8") == (ROOT / "grammar" / "prayerdoc.lark").read_text(
        encoding="utf-8"
    )
