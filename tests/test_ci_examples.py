"""The pre-commit hooks and the GitHub Actions example work as written.

The workflow's ``run:`` lines are read out of the YAML and run against a
folder of bulletins; the hook definitions are held to the rules of
pre-commit's hook manifest (required keys, value types, a ``files`` regex
that compiles). YAML is read with a few lines of code: these files use only
plain ``key: value`` pairs, ``- `` list items and ``[a, b]`` lists.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"
WORKFLOW = ROOT / "examples" / "ci" / "github-workflow.yml"
PRE_COMMIT_CONFIG = ROOT / "examples" / "ci" / "pre-commit-config.yaml"
SEEDS = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
BROKEN = ROOT / "tests" / "data" / "invalid" / "three-problems.txt"

# pre-commit's manifest schema: these keys are required, and no others are known.
_REQUIRED = ("id", "name", "entry", "language")
_OPTIONAL = frozenset(
    {
        "alias",
        "files",
        "exclude",
        "types",
        "types_or",
        "exclude_types",
        "additional_dependencies",
        "args",
        "always_run",
        "fail_fast",
        "pass_filenames",
        "description",
        "language_version",
        "log_file",
        "minimum_pre_commit_version",
        "require_serial",
        "stages",
        "verbose",
    }
)
_LANGUAGES = frozenset(
    {
        "conda",
        "coursier",
        "dart",
        "docker",
        "docker_image",
        "dotnet",
        "fail",
        "golang",
        "haskell",
        "julia",
        "lua",
        "node",
        "perl",
        "pygrep",
        "python",
        "r",
        "ruby",
        "rust",
        "script",
        "swift",
        "system",
    }
)
_PAIR = re.compile(r"^(?P<indent> *)(?:- )?(?P<key>[A-Za-z_$][\w$-]*):(?: +(?P<value>.*))?$")


def _value(raw: str) -> str | list[str]:
    if raw.startswith("[") and raw.endswith("]"):
        return [item.strip().strip("\"'") for item in raw[1:-1].split(",") if item.strip()]
    return raw.strip("\"'") if raw[:1] in "\"'" else raw


def _hooks(path: Path) -> list[dict[str, str | list[str]]]:
    """Each mapping that starts with ``- id:``, with the keys at its indentation."""
    hooks: list[dict[str, str | list[str]]] = []
    indent = -1
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _PAIR.match(line)
        if match is None:
            continue
        here = len(match["indent"]) + (2 if line.lstrip().startswith("- ") else 0)
        if line.lstrip().startswith("- id:"):
            hooks.append({})
            indent = here
        if hooks and here == indent and match["value"] is not None:
            hooks[-1][match["key"]] = _value(match["value"])
    return hooks


def _run_lines(path: Path) -> list[str]:
    """The commands of the workflow's single-line ``run:`` steps."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*(?:- )?run: (?P<command>[^|>].*)$", line)
        if match is not None:
            found.append(match["command"].strip())
    return found


def _prayerdoc(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a ``prayerdoc …`` command line with this interpreter's prayerdoc."""
    words = shlex.split(command)
    assert words[0] == "prayerdoc"
    return subprocess.run(
        [sys.executable, "-m", "prayerdoc", *words[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_hook_manifest_follows_pre_commit_schema() -> None:
    hooks = _hooks(HOOKS)
    assert [hook["id"] for hook in hooks] == ["prayerdoc-check", "prayerdoc-fmt"]
    for hook in hooks:
        for key in _REQUIRED:
            assert isinstance(hook.get(key), str), (hook, key)
            assert hook[key]
        assert set(hook) - set(_REQUIRED) <= _OPTIONAL
        assert hook["language"] in _LANGUAGES
        assert hook["language"] == "python"
        types = hook["types"]
        assert isinstance(types, list)
        assert types == ["text"]
        files = hook["files"]
        assert isinstance(files, str)
        pattern = re.compile(files)
        assert pattern.search("bulletins/2019-04-27.txt")
        assert not pattern.search("README.md")


def test_pre_commit_config_uses_the_same_hooks() -> None:
    published = {hook["id"]: hook for hook in _hooks(HOOKS)}
    configured = _hooks(PRE_COMMIT_CONFIG)
    assert [hook["id"] for hook in configured] == list(published)
    for hook in configured:
        for key in ("name", "entry", "language", "types", "files"):
            assert hook[key] == published[str(hook["id"])][key]
        assert hook["additional_dependencies"] == ["prayerdoc"]


@pytest.mark.parametrize("hook", _hooks(HOOKS), ids=lambda hook: str(hook["id"]))
def test_hook_entries_run_on_file_names(hook: dict[str, str | list[str]], tmp_path: Path) -> None:
    # pre-commit appends the names of the staged files that match to the entry.
    for seed in SEEDS:
        shutil.copyfile(seed, tmp_path / seed.name)
    names = " ".join(seed.name for seed in SEEDS)
    result = _prayerdoc(f"{hook['entry']} {names}", tmp_path)
    assert result.returncode == 0, result.stderr
    if hook["id"] == "prayerdoc-fmt":
        # A fixer's second run finds nothing to change.
        again = _prayerdoc(f"{hook['entry']} --check {names}", tmp_path)
        assert again.returncode == 0, again.stderr


def test_workflow_commands_pass_on_good_bulletins_and_annotate_bad_ones(tmp_path: Path) -> None:
    commands = _run_lines(WORKFLOW)
    assert commands[0] == "pip install prayerdoc"  # the tool under test is already installed
    checks = commands[1:]
    assert checks == ["prayerdoc check --format github bulletins/"]
    folder = tmp_path / "bulletins"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, folder / seed.name)
    for command in checks:
        result = _prayerdoc(command, tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert all(
            line.startswith("::warning file=bulletins/") for line in result.stdout.splitlines()
        )
    shutil.copyfile(BROKEN, folder / "broken.txt")
    for command in checks:
        result = _prayerdoc(command, tmp_path)
        assert result.returncode == 0  # warnings only: the bulletin converts whole
        assert result.stdout.count("::warning file=bulletins/broken.txt,") == 3
    (folder / "empty.txt").write_text("\n", encoding="utf-8")
    for command in checks:
        result = _prayerdoc(command, tmp_path)
        assert result.returncode == 1
        assert result.stdout.count("::error file=bulletins/empty.txt,") == 1


def test_workflow_sets_up_python_and_checks_out() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert re.search(r"uses: actions/checkout@v\d+", text)
    assert re.search(r"uses: actions/setup-python@v\d+", text)
