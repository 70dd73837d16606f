"""Start-up cost, counted as work rather than time: what ``import prayerdoc`` and
``prayerdoc check`` load.

``prayerdoc check`` runs in pre-commit hooks, where start-up is most of its time;
docs/performance.md has the measured numbers. Each case runs in a fresh
interpreter, since this process has imported everything already.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from prayerdoc import cli

ROOT = Path(__file__).resolve().parent.parent
BULLETIN = ROOT / "examples" / "bulletins" / "bulletin-01.txt"

# Modules only other commands, formats or rare inputs need.
NOT_FOR_CHECK = (
    "cattrs",
    "jsonschema",
    "json",
    "difflib",
    "concurrent.futures",
    "email",
    "prayerdoc.pipeline",
    "prayerdoc.commands.convert",
    "prayerdoc.commands.fmt",
    "prayerdoc.commands.schema",
    "prayerdoc.commands.rule",
    "prayerdoc.formats.json",
    "prayerdoc.formats.markdown",
    "prayerdoc.formats.html",
    "prayerdoc.formats.ical",
    "prayerdoc.formats.email",
    "prayerdoc.formats.text",
    "prayerdoc.formats._markup",
)


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    # Listed with print alone: importing json to write the list would put it in the list.
    probe = f"{code}\nimport sys\nprint('modules:', *sorted(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(done.stdout.rpartition("modules: ")[2].split())


def test_import_prayerdoc_loads_neither_the_parser_nor_any_format() -> None:
    loaded = loaded_after("import prayerdoc")
    assert "prayerdoc.model" in loaded  # the public names are there
    unexpected = {"lark", "prayerdoc._parser", *NOT_FOR_CHECK} & loaded
    assert not unexpected


def test_check_loads_only_what_checking_a_text_file_needs() -> None:
    loaded = loaded_after(
        "import contextlib, io\n"
        "from prayerdoc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['check', {str(BULLETIN)!r}]) == 0\n"
    )
    assert {"prayerdoc.checks", "prayerdoc._parser"} <= loaded  # the work was done
    assert not set(NOT_FOR_CHECK) & loaded


def _commands(argv: list[str]) -> list[str]:
    """The commands ``prayerdoc`` makes a parser for, run with ``argv``."""
    parser = cli._parser(argv)
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(commands.choices)


def test_a_command_run_first_gets_the_only_parser() -> None:
    everything = ["convert", "check", "fmt", "schema", "rule"]
    assert _commands(["check", "bulletin.txt"]) == ["check"]
    assert _commands(["rule"]) == ["rule"]
    # Where the commands may be listed (the top-level help, an unknown command), all are there.
    for argv in ([], ["--help"], ["-h", "check"], ["chekc", "bulletin.txt"]):
        assert _commands(argv) == everything


def test_a_warm_start_does_not_analyse_the_grammar(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = [sys.executable, "-m", "prayerdoc", "check", str(BULLETIN)]
    subprocess.run(run, capture_output=True, check=True, env=env)  # analysed and kept
    refusing = (
        "import sys, lark\n"
        "def refuse(*args, **options):\n"
        "    raise AssertionError('the grammar was analysed')\n"
        "lark.Lark.__init__ = refuse\n"
        "from prayerdoc.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", refusing, "check", str(BULLETIN)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_run_as_the_program_what_start_up_loaded_is_left_out_of_collections() -> None:
    probe = (
        "import contextlib, gc, io, sys\n"
        "from prayerdoc.cli import main\n"
        f"sys.argv = ['prayerdoc', 'check', {str(BULLETIN)!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(sys.argv[1:])\n"  # a caller's own argv: its collector is left alone
        "print(gc.get_freeze_count())\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main()\n"
        "print(gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["0", "True"]


def test_the_parser_is_loaded_by_the_first_parse() -> None:
    loaded = loaded_after(
        f"import prayerdoc\nprayerdoc.parse(open({str(BULLETIN)!r}, encoding='utf-8').read())"
    )
    assert "prayerdoc._parser" in loaded
    assert not {"cattrs", "prayerdoc.formats.json"} & loaded


def test_a_pyproject_that_only_names_prayerdoc_is_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "church-site"\ndependencies = ["prayerdoc>=0.1"]\n\n'
        '[project.scripts]\nprayerdoc = "prayerdoc.cli:main"\n\n'
        '[tool.setuptools.package-data]\n"prayerdoc" = ["*.txt"]\n',
        encoding="utf-8",
    )
    probe = (
        "import sys\nfrom pathlib import Path\nfrom prayerdoc import config\n"
        f"assert config.find_pyproject(Path({str(tmp_path)!r})) is None\n"
        "print('tomllib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]


@pytest.mark.parametrize(
    "table",
    [
        "[tool.prayerdoc]\nstrict = true\n",
        '[ tool . "prayerdoc" ]\nstrict = true\n',
        "[tool.'prayerdoc']\nstrict = true\n",
        "tool.prayerdoc.strict = true\n",
        "tool = { prayerdoc = { strict = true } }\n",
        "[tool]\nprayerdoc = { strict = true }\n",
        '[tool]\n"prayerdoc".strict = true\n',
        "[tool.other]\nx = 1\n[tool]\nprayerdoc.strict = true\n",
    ],
)
def test_every_spelling_of_the_table_is_read(tmp_path: Path, table: str) -> None:
    from prayerdoc import config

    # First in the file: a dotted key or an inline table belongs to the table above it.
    (tmp_path / "pyproject.toml").write_text(f'{table}\n[project]\nname = "x"\n', "utf-8")
    assert config.load(tmp_path).strict is True
