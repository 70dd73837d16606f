"""The pre-commit hooks and the GitHub Actions example work as written.

The workflow's ``run:`` lines are read out of the YAML and run: its install step
in a new virtual environment, installing from a git repository of this checkout,
and its check against a folder of bulletins. The hook definitions are held to the
rules of pre-commit's hook manifest (required keys, value types, a ``files``
regex that compiles), and pre-commit itself runs the example configuration,
installing the hooks from that repository. The one change made to the examples
is the repository's address. YAML is read with a few lines of code: these files
use only plain ``key: value`` pairs, ``- `` list items and ``[a, b]`` lists.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkout import GIT, commit_all, fresh_clone

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"
WORKFLOW = ROOT / "examples" / "ci" / "github-workflow.yml"
PRE_COMMIT_CONFIG = ROOT / "examples" / "ci" / "pre-commit-config.yaml"
SEEDS = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
BROKEN = ROOT / "tests" / "data" / "invalid" / "three-problems.txt"
# The stand-in for prayerdoc's address in the examples; the tests put a local repository there.
REPOSITORY = "https://git.example.org/prayerdoc.git"

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


def test_pre_commit_config_uses_the_hooks_from_the_repository() -> None:
    text = PRE_COMMIT_CONFIG.read_text(encoding="utf-8")
    published = [hook["id"] for hook in _hooks(HOOKS)]
    configured = _hooks(PRE_COMMIT_CONFIG)
    # The hooks come from prayerdoc's repository as published, not from a package index.
    assert configured == [{"id": hook_id} for hook_id in published]
    assert re.search(rf"^  - repo: {re.escape(REPOSITORY)}$", text, re.M)
    assert re.search(r"^    rev: \S+$", text, re.M)
    assert "repo: local" not in text
    assert "additional_dependencies" not in text


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
    # The install step is run by test_workflow_install_step_installs_from_the_repository.
    assert commands[0] == f'python -m pip install "prayerdoc @ git+{REPOSITORY}@main"'
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


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of this checkout, with its files on the branch ``main``."""
    folder = fresh_clone(tmp_path_factory.mktemp("prayerdoc"))
    commit_all(folder)
    return folder


def _env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not key.startswith("GIT_")
    }
    env.update(extra)
    return env


def _canonical(seed: Path) -> str:
    import prayerdoc

    return prayerdoc.format_text(prayerdoc.load(seed))


@pytest.mark.slow
def test_pre_commit_installs_and_runs_the_hooks_from_the_repository(
    repository: Path, tmp_path: Path
) -> None:
    bulletins = tmp_path / "bulletins"
    (bulletins / "2019").mkdir(parents=True)
    for seed in SEEDS:
        (bulletins / "2019" / seed.name).write_text(_canonical(seed), encoding="utf-8")
    config = PRE_COMMIT_CONFIG.read_text(encoding="utf-8")
    assert REPOSITORY in config
    (bulletins / ".pre-commit-config.yaml").write_text(
        config.replace(REPOSITORY, repository.as_uri()), encoding="utf-8"
    )
    commit_all(bulletins)
    env = _env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]

    tidy = subprocess.run(run, cwd=bulletins, env=env, capture_output=True, text=True)
    assert tidy.returncode == 0, tidy.stdout + tidy.stderr
    assert re.search(r"^prayerdoc check\.+Passed$", tidy.stdout, re.M), tidy.stdout
    assert re.search(r"^prayerdoc fmt\.+Passed$", tidy.stdout, re.M), tidy.stdout

    # A bulletin as published: fmt rewrites it and fails the commit, check lets it pass.
    untidy = bulletins / "2019" / "new.txt"
    shutil.copyfile(SEEDS[1], untidy)
    subprocess.run([*GIT, "add", "-A"], cwd=bulletins, check=True)
    fixed = subprocess.run(run, cwd=bulletins, env=env, capture_output=True, text=True)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert re.search(r"^prayerdoc check\.+Passed$", fixed.stdout, re.M), fixed.stdout
    assert re.search(r"^prayerdoc fmt\.+Failed$", fixed.stdout, re.M), fixed.stdout
    assert "files were modified by this hook" in fixed.stdout
    assert untidy.read_text(encoding="utf-8") == _canonical(SEEDS[1])


@pytest.mark.slow
def test_workflow_install_step_installs_from_the_repository(
    repository: Path, tmp_path: Path
) -> None:
    install, check = _run_lines(WORKFLOW)
    environment = tmp_path / "venv"
    # virtualenv, as pre-commit uses: it seeds pip from its own cache in a fraction of
    # the time the standard library's ensurepip takes to install it.
    subprocess.run(
        [sys.executable, "-m", "virtualenv", "--quiet", str(environment)],
        capture_output=True,
        check=True,
    )
    env = _env(PATH=f"{environment / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    # With a host: older pips refuse a file URL without one in a requirement.
    command = install.replace(REPOSITORY, f"file://localhost{repository}")
    assert command != install
    installed = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (environment / "bin" / "prayerdoc").exists()
    (tmp_path / "bulletins").mkdir()
    shutil.copyfile(BROKEN, tmp_path / "bulletins" / "broken.txt")
    checked = subprocess.run(
        ["bash", "-c", check], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr  # warnings only
    assert checked.stdout.count("::warning file=bulletins/broken.txt,") == 3
