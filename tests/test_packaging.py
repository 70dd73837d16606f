"""The grammar ships inside the package: a built wheel parses a bulletin from outside the tree."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _from_the_wheel(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """This interpreter in ``folder``, importing prayerdoc from the wheel unpacked in site/."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=folder,
        env={"PYTHONPATH": str(folder / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_wheel_contains_grammar_and_parses_from_outside_the_tree(
    wheel: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "prayerdoc/grammar/prayerdoc.lark" in names
        assert "prayerdoc/py.typed" in names
        assert "prayerdoc/rules.md" in names  # what 'prayerdoc rule' prints
        archive.extractall(tmp_path / "site")
    bulletin = ROOT / "examples" / "bulletins" / "bulletin-02.txt"
    script = (
        "import sys, prayerdoc\n"
        "assert prayerdoc.__file__.startswith(sys.argv[1]), prayerdoc.__file__\n"
        "b = prayerdoc.load(sys.argv[2])\n"
        "print(b.title, b.date, len(b.requests()))\n"
    )
    result = _from_the_wheel(tmp_path, "-c", script, str(tmp_path / "site"), str(bulletin))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "IJM Prayer Request 2019-04-27 5"
    # The command line works from the wheel too: every command module is in it.
    expected = {"check": 0, "convert": 0, "fmt": 1}  # the example is not in canonical layout
    for command in (["check"], ["convert", "--to", "json"], ["fmt", "--check"]):
        cli = _from_the_wheel(tmp_path, "-m", "prayerdoc", *command, str(bulletin))
        assert cli.returncode == expected[command[0]], (command, cli.stderr)
        assert "Traceback" not in cli.stderr
    rule = _from_the_wheel(tmp_path, "-m", "prayerdoc", "rule", "PD301")
    assert rule.returncode == 0, rule.stderr
    assert rule.stdout.startswith("### PD301 unbalanced-quotes\n\nSeverity: warning.\n")


def test_editable_install_finds_the_grammar() -> None:
    # The suite runs against the editable install: the grammar comes from grammar/.
    import importlib.resources

    grammar = importlib.resources.files("prayerdoc.grammar").joinpath("prayerdoc.lark")
    assert grammar.read_text(encoding="utf-8") == (ROOT / "grammar" / "prayerdoc.lark").read_text(
        encoding="utf-8"
    )


def _parse_in_fresh_process(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    script = "import sys, prayerdoc; print(prayerdoc.load(sys.argv[1]).title)"
    bulletin = ROOT / "examples" / "bulletins" / "bulletin-01.txt"
    return subprocess.run(
        [sys.executable, "-c", script, str(bulletin)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_grammar_cache_goes_to_the_user_cache_folder(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    for _ in range(2):  # the second run loads the cache the first one wrote
        result = _parse_in_fresh_process(env, tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "IJM Prayer Requests"
        assert result.stderr == ""
    [kept] = (tmp_path / "cache" / "prayerdoc").iterdir()
    assert re.fullmatch(r"grammar-[0-9a-f]{16}\.tables", kept.name)


def test_parses_without_a_writable_cache_folder(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    env = {"XDG_CACHE_HOME": str(blocked), "HOME": str(tmp_path)}
    result = _parse_in_fresh_process(env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "IJM Prayer Requests"
    assert result.stderr == ""
