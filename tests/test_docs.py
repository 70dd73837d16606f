"""Every command and Python snippet in README.md and docs/*.md runs, and shows its real output.

The fenced code blocks of each document are read with markdown-it-py (so what counts as a
block is what a CommonMark renderer shows) and handled by their language tag:

- ``python``: executed in order, all blocks of one document sharing one namespace;
- ``sh`` and ``bash``: each command line runs in bash and must exit 0;
- ``console``: each ``$ `` line runs in bash; the lines after it, up to the next ``$ `` line,
  are its expected output and must equal the real stdout followed by the real stderr;
- ``text``, ``toml``, ``yaml``, ``json`` and ``markdown`` blocks are shown, not executed.

Every block must carry one of these tags and no block may be indented instead of fenced, so
that a command cannot slip through untested.

Each document runs in its own temporary folder holding a copy of ``examples/`` (so that the
paths the documents use, ``examples/bulletins/bulletin-02.txt``, work and commands such as
``prayerdoc fmt`` change copies only), plus the files a document names without showing how
to make them (``SETUP`` below). ``prayerdoc`` and ``python`` are this interpreter's console
script and interpreter, put first on ``PATH``; ``SOURCE_DATE_EPOCH`` is unset.

``pip install`` commands are never run by the document test, since they would change the
environment the suite runs in. The README's first command, ``python3 -m venv .venv && …
pip install -q . && .venv/bin/prayerdoc convert …``, runs there as its ``prayerdoc convert``
part; a test of its own runs the whole command as written in a fresh copy of the checkout
with a system ``python3`` that refuses global installs (PEP 668), and checks what it
installed: prayerdoc, run from the new environment, with its runtime dependencies and none
of the test tools. The README's second
command installs the test dependencies and runs this suite: it is not run again but must be
exactly the command ``.ci/run`` runs, and both are held to one shape (make or reuse
``.venv``, then only run what is in it). Any other ``pip install`` fails this test until it
is given a stand-in in ``STAND_INS``. The recipes must leave a checkout's ``git status``
clean, and ``prayerdoc rule`` prints the rules page shipped in the package.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from markdown_it import MarkdownIt

from checkout import commit_all, fresh_clone

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
CI_RUN = ROOT / ".ci" / "run"
EXAMPLES = ROOT / "examples"
BULLETIN = EXAMPLES / "bulletins" / "bulletin-02.txt"

EXECUTED = frozenset({"python", "sh", "bash", "console"})
SHOWN = frozenset({"text", "toml", "yaml", "json", "markdown"})

# The README's two commands. Each makes (or reuses) .venv in the clone and installs there.
VENV = "python3 -m venv .venv"
MAIN_INSTALL = f"{VENV} && .venv/bin/python -m pip install -q ."
MAIN_RUN = "prayerdoc convert examples/bulletins/bulletin-02.txt --to markdown"
MAIN_COMMAND = f"{MAIN_INSTALL} && .venv/bin/{MAIN_RUN}"
TEST_COMMAND = (
    f"{VENV} && .venv/bin/python -m pip install -q -e '.[test]' && .venv/bin/python -m pytest"
)
README_SCREEN = 25  # lines: the first screen of the README on GitHub or a terminal
# What pyproject.toml says prayerdoc needs at run time, by name.
_PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME_DEPENDENCIES = frozenset(
    re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()
    for requirement in _PROJECT["dependencies"]
)


@attrs.frozen
class Block:
    """A fenced or indented code block of a document."""

    doc: Path
    line: int  # of the opening fence, counting from 1
    lang: str
    text: str
    fenced: bool

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """The document's code blocks, in order."""
    tokens = MarkdownIt("commonmark").parse(doc.read_text(encoding="utf-8"))
    found = []
    for token in tokens:
        if token.type in ("fence", "code_block"):
            assert token.map is not None
            lang = token.info.split()[0] if token.info.strip() else ""
            found.append(Block(doc, token.map[0] + 1, lang, token.content, token.type == "fence"))
    return found


def _ci_test_command() -> str:
    lines = [line for line in CI_RUN.read_text(encoding="utf-8").splitlines() if "pytest" in line]
    assert len(lines) == 1, lines
    return lines[0].strip()


# --- what a document needs that it names without making --------------------------------------


def _first_text_block(doc: str) -> str:
    return next(block.text for block in blocks(ROOT / "docs" / doc) if block.lang == "text")


def _setup_outputs(work: Path) -> None:
    # "The examples below were made from this bulletin, saved as `sample.txt`".
    (work / "sample.txt").write_text(_first_text_block("outputs.md"), encoding="utf-8")


def _setup_cli(work: Path) -> None:
    # `bulletin.txt` and a `bulletins/` folder named by date; 2019-04-27 is bulletin-02's date.
    shutil.copyfile(BULLETIN, work / "bulletin.txt")
    (work / "bulletins").mkdir()
    shutil.copyfile(
        EXAMPLES / "bulletins" / "bulletin-03.txt", work / "bulletins" / "2019-04-27.txt"
    )
    (work / "bulletins" / "2019-05-04.txt").write_text(
        "Prayer Requests\n\n“Act justly and love mercy.”\n\n— Hezekiah 3:4\n\n"
        "  • Pray for the team in Kenya.\n",
        encoding="utf-8",
    )


def _setup_json(work: Path) -> None:
    # "`bad.json` is the example document above written on one line, with the date
    # `2019-02-30` and `prayer` as the first request's kind".
    import json

    text = next(block.text for block in blocks(ROOT / "docs" / "json.md") if block.lang == "json")
    document = json.loads(text)
    document["date"] = "2019-02-30"
    document["sections"][0]["requests"][0]["kind"] = "prayer"
    (work / "bad.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _setup_tools(*folders: str) -> Callable[[Path], None]:
    # The fuzzer and the benchmarks run from a copy of their folders and of the
    # fixtures the benchmark corpus is made of.
    def setup(work: Path) -> None:
        for folder in folders:
            shutil.copytree(
                ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__")
            )

    return setup


def _setup_checkout(work: Path) -> None:
    # The recipes run in a checkout of prayerdoc: a git repository with its .gitignore.
    shutil.copyfile(ROOT / ".gitignore", work / ".gitignore")
    commit_all(work)


SETUP: dict[str, Callable[[Path], None]] = {
    "recipes.md": _setup_checkout,
    "outputs.md": _setup_outputs,
    "cli.md": _setup_cli,
    "json.md": _setup_json,
    "robustness.md": _setup_tools("fuzz"),
    "performance.md": _setup_tools("benchmarks", "tests/data/valid"),
}


def _checkout_is_clean(work: Path) -> None:
    # What the recipes write must leave `git status` clean: it all goes under build/.
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""
    assert (work / "build" / "site" / "index.md").exists()  # the recipes did write


# What must hold once all of a document's commands have run.
AFTER: dict[str, Callable[[Path], None]] = {"recipes.md": _checkout_is_clean}

# Commands of the documents that cannot run here as written, and what runs instead: `pip
# install` (see the module docstring) and long runs, which get a short run of the same code.
STAND_INS: dict[str, str] = {
    MAIN_COMMAND: MAIN_RUN,
    "python fuzz/fuzz_parse.py -max_total_time=600 fuzz/corpus": (
        "python fuzz/fuzz_parse.py -max_total_time=2 fuzz/corpus"
    ),
    "python benchmarks/run.py": "python benchmarks/run.py --quick",
    "python benchmarks/profile_parse.py": "python benchmarks/profile_parse.py --quick",
}


# --- running -----------------------------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder holding a copy of examples/ and commands that run this interpreter."""
    folder = tmp_path / "work"
    shutil.copytree(EXAMPLES, folder / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _environment(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    console_script = Path(sys.executable).parent / "prayerdoc"
    assert console_script.exists(), f"{console_script} is missing: install prayerdoc first"
    # Wrappers rather than symlinks: a symlinked venv interpreter can lose its venv.
    for name, target in (("python", sys.executable), ("prayerdoc", str(console_script))):
        wrapper = bin_dir / name
        wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(target)} "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    return env


def _command_lines(text: str) -> Iterator[str]:
    """The commands of an ``sh`` block: lines joined at a trailing backslash, comments dropped."""
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if line and not line.startswith("#"):
            yield line
    assert not pending, "a command ends in a backslash"


def _console_steps(text: str) -> Iterator[tuple[str, str]]:
    """Each ``$ `` command of a ``console`` block with the output shown below it."""
    command: str | None = None
    output: list[str] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            if command is not None:
                yield command, "\n".join(output)
            command, output = line[2:].strip(), []
        else:
            assert command is not None, f"output before any command: {line!r}"
            output.append(line)
    if command is not None:
        yield command, "\n".join(output)


def _stand_in(command: str, where: str) -> str | None:
    """What runs for ``command``: itself, another command, or nothing (None)."""
    if command == TEST_COMMAND:
        return None  # this very run; test_readme_second_command_is_what_ci_runs holds it
    if command in STAND_INS:
        return STAND_INS[command]
    if "pip install" in command:
        pytest.fail(
            f"{where}: `{command}` would change the environment the tests run in; "
            "give it a stand-in in STAND_INS in tests/test_docs.py or reword the document"
        )
    return command


def _bash(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _run_block(block: Block, namespace: dict[str, object], cwd: Path, env: dict[str, str]) -> None:
    if block.lang == "python":
        code = compile(block.text, block.where, "exec")
        exec(code, namespace)
    elif block.lang in ("sh", "bash"):
        for line in _command_lines(block.text):
            command = _stand_in(line, block.where)
            if command is None:
                continue
            result = _bash(command, cwd, env)
            output = result.stdout + result.stderr
            assert result.returncode == 0, (
                f"{block.where}: `{line}` exited {result.returncode}\n{output}"
            )
            assert "Traceback" not in result.stderr, f"{block.where}: {result.stderr}"
    elif block.lang == "console":
        for line, expected in _console_steps(block.text):
            command = _stand_in(line, block.where)
            if command is None:
                continue
            result = _bash(command, cwd, env)
            real = (result.stdout + result.stderr).rstrip("\n")
            assert real == expected.rstrip("\n"), (
                f"{block.where}: `{line}` (exit {result.returncode}) printed\n{real}\n"
                f"but the document shows\n{expected}"
            )


# --- the tests ---------------------------------------------------------------------------------


def _doc_id(doc: Path) -> str:
    return str(doc.relative_to(ROOT))


@pytest.mark.parametrize("doc", DOCS, ids=_doc_id)
def test_every_code_block_is_fenced_with_a_known_language(doc: Path) -> None:
    problems = []
    for block in blocks(doc):
        if not block.fenced:
            problems.append(f"{block.where}: an indented code block; fence it with a language tag")
        elif not block.lang:
            problems.append(f"{block.where}: a code block without a language tag")
        elif block.lang not in EXECUTED | SHOWN:
            problems.append(
                f"{block.where}: language {block.lang!r}; use one of {sorted(EXECUTED | SHOWN)}"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", DOCS, ids=_doc_id)
def test_every_command_and_snippet_runs(
    doc: Path, work: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work.mkdir(exist_ok=True)
    setup = SETUP.get(doc.name if doc.parent.name == "docs" else "")
    if setup is not None:
        setup(work)
    env = _environment(tmp_path)
    monkeypatch.chdir(work)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    namespace: dict[str, object] = {"__name__": "__doc_snippet__"}
    ran = 0
    for block in blocks(doc):
        if block.lang in EXECUTED:
            _run_block(block, namespace, work, env)
            ran += 1
    after = AFTER.get(doc.name if doc.parent.name == "docs" else "")
    if after is not None:
        after(work)
    # The structure test reports untagged blocks; here, nothing executable may be hiding.
    unrunnable = [block.where for block in blocks(doc) if block.lang not in EXECUTED | SHOWN]
    assert not unrunnable, f"blocks that are neither run nor shown: {unrunnable}"
    assert ran or doc.name in _DOCS_WITHOUT_COMMANDS, f"{_doc_id(doc)} has no command or snippet"


# Documents that only describe: no command or snippet in them is expected.
_DOCS_WITHOUT_COMMANDS = frozenset({"format.md", "rules.md"})


def test_readme_first_screen_has_both_commands() -> None:
    screen = README.read_text(encoding="utf-8").splitlines()[:README_SCREEN]
    assert MAIN_COMMAND in screen
    assert TEST_COMMAND in screen
    first, second = (
        block for block in blocks(README) if block.lang == "sh" and block.line <= README_SCREEN
    )
    assert first.text.strip() == MAIN_COMMAND
    assert second.text.strip() == TEST_COMMAND


@pytest.mark.parametrize("command", [MAIN_COMMAND, TEST_COMMAND], ids=["main", "test"])
def test_readme_commands_install_only_into_the_clone_venv(command: str) -> None:
    # One line that makes or reuses .venv in the clone, then runs only what is in it: no
    # bare pip, python or prayerdoc that would reach the system's Python.
    first, *rest = [step.strip() for step in command.split("&&")]
    assert first == VENV
    assert rest
    for step in rest:
        assert step.startswith(".venv/bin/"), step
        if "pip" in step:
            assert step.startswith(".venv/bin/python -m pip install "), step


def test_readme_second_command_is_what_ci_runs() -> None:
    assert _ci_test_command() == TEST_COMMAND


def test_readme_main_command_prints_the_bulletin_as_markdown(work: Path, tmp_path: Path) -> None:
    result = _bash(MAIN_RUN, work, _environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "# IJM Prayer Request"
    assert lines[2] == "*April 27, 2019*"
    assert sum(line.startswith("## ") for line in lines) == 4


# --- the rule pages ship with the package ------------------------------------------------------


SHIPPED_RULES = ROOT / "src" / "prayerdoc" / "rules.md"


def test_shipped_rule_pages_are_docs_rules_md() -> None:
    assert SHIPPED_RULES.read_bytes() == (ROOT / "docs" / "rules.md").read_bytes(), (
        "docs/rules.md changed: copy it to src/prayerdoc/rules.md, which 'prayerdoc rule' prints"
    )


def _sections(doc: str) -> dict[str, str]:
    """Each ``### CODE name`` section of the rules page, up to the next heading."""
    found = re.findall(r"^(### (PD\d{3}) [a-z-]+\n.*?)(?=^##|\Z)", doc, re.M | re.S)
    return {code: text.rstrip("\n") + "\n" for text, code in found}


def test_rule_command_prints_each_code_page(capsys: pytest.CaptureFixture[str]) -> None:
    from prayerdoc import codes
    from prayerdoc.cli import main

    sections = _sections((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))
    assert set(sections) == set(codes.RULES)
    for code, rule in codes.RULES.items():
        for asked in (code, code.lower(), rule.name):
            assert main(["rule", asked]) == 0
            out = capsys.readouterr().out
            assert out == sections[code]
            assert f"Severity: {rule.severity.value}." in out
    assert main(["rule"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split() for line in listed] == [
        [code, rule.severity.value, rule.name] for code, rule in codes.RULES.items()
    ]
    assert main(["rule", "PD999"]) == 2
    assert "no code 'PD999'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["convert"], ["check"], ["fmt"], ["schema"], ["rule"]])
def test_help_names_no_file_the_install_lacks(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from prayerdoc.cli import main

    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    pages = "|".join(doc.stem for doc in DOCS if doc.parent.name == "docs")
    assert not re.search(rf"docs/|\b({pages})\.md\b", out), out


# --- the README's commands on a system Python that refuses global installs ---------------------


def _externally_managed_python3() -> str:
    """A ``python3`` outside any virtual environment that refuses ``pip install`` (PEP 668)."""
    probe = (
        "import os, sys, sysconfig; print(sys.prefix == sys.base_prefix and os.path.exists("
        "os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"
    )
    for folder in ("/usr/bin", "/usr/local/bin", *os.environ.get("PATH", "").split(os.pathsep)):
        candidate = shutil.which("python3", path=folder)
        if candidate is None:
            continue
        result = subprocess.run(
            [candidate, "-c", probe], capture_output=True, text=True, check=False
        )
        if result.stdout.strip() == "True":
            return candidate
    pytest.fail("no python3 here refuses global installs; Debian's python3 package is one")


@pytest.mark.slow
def test_readme_main_command_runs_as_written_where_pip_refuses_global_installs(
    tmp_path: Path,
) -> None:
    clone = fresh_clone(tmp_path / "clone")
    assert not (clone / ".venv").exists()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(_externally_managed_python3())
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_USER")
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin"

    # The premise: a bare pip install is refused by this python3.
    refused = _bash("python3 -m pip install --no-index prayerdoc", clone, env)
    assert refused.returncode != 0
    assert "externally-managed-environment" in refused.stderr

    result = _bash(MAIN_COMMAND, clone, env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# IJM Prayer Request"
    assert "*April 27, 2019*" in lines
    # Everything went into the clone's .venv; the system Python has no prayerdoc.
    assert (clone / ".venv" / "bin" / "prayerdoc").exists()
    outside = _bash("cd / && python3 -c 'import prayerdoc'", clone, env)
    assert "No module named 'prayerdoc'" in outside.stderr
    # The environment runs the installed package, not the checkout's source, and holds
    # prayerdoc's runtime dependencies and none of the test tools.
    where = _bash(
        f"{clone}/.venv/bin/python -c 'import prayerdoc; print(prayerdoc.__file__)'", tmp_path, env
    )
    assert Path(where.stdout.strip()).is_relative_to(clone / ".venv"), where.stdout + where.stderr
    installed = {
        path.name.partition("-")[0].lower().replace("_", "-")
        for path in (clone / ".venv").glob("lib/python*/site-packages/*.dist-info")
    }
    assert {"prayerdoc", *RUNTIME_DEPENDENCIES} <= installed
    assert not installed & {"pytest", "hypothesis", "mypy", "markdown-it-py", "icalendar"}
    # Run again, the command's first step reuses the environment instead of failing.
    again = _bash(f"{VENV} && .venv/bin/{MAIN_RUN}", clone, env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == result.stdout
