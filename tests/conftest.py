"""Fixtures shared by several test modules."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

import profiles  # noqa: F401  (registers and loads the suite's Hypothesis profiles)

ROOT = Path(__file__).resolve().parent.parent

# The ``run_cli`` fixture: ``prayerdoc`` with these arguments, run in this process.
RunCli = Callable[..., tuple[int, str, str]]


def _keep_bytecode() -> None:
    """Let this run's workers and commands write bytecode, as Python does by default.

    With PYTHONDONTWRITEBYTECODE set, every test worker of every run rewrites and
    compiles each test module anew, and each command a test starts compiles
    prayerdoc from source: seconds a worker and a tenth of a second a command,
    hundreds of times a run. xdist's workers start after this file is read, so
    they and the commands the tests run write ``__pycache__`` folders, which git
    ignores, beside the sources.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


_keep_bytecode()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slow tests first, in their files' order.

    pytest-xdist's worksteal gives each worker a run of the list and lets an idle
    worker take the end of another's queue: with the long tests (mypy's cold run,
    the installs, the large inputs) at the front, what is left at the end is short,
    and no core waits for a half-minute test that started last.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """prayerdoc's wheel, built once a run from this checkout.

    The build writes into the source tree (setuptools' build folder), so two
    test workers must not build at once: the first builds under a lock in the
    run's shared temporary folder, the others take its wheel.
    """
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # every worker's folder lies in the run's own folder
    folder = shared / "wheel"
    with FileLock(shared / "wheel.lock"):
        if not folder.is_dir():
            building = shared / "wheel.building"
            pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
            result = subprocess.run(
                [*pip, "wheel", "--no-deps", "-w", str(building), str(ROOT)],
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            building.rename(folder)
    (built,) = folder.glob("prayerdoc-*.whl")
    return built


@pytest.fixture
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder, away from any pyproject.toml with settings."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run ``prayerdoc`` with the given arguments in this process: (exit code, stdout, stderr)."""
    from prayerdoc.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
