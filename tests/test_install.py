"""The wheel installed into an empty virtual environment runs the README's main command.

The wheel is built from this checkout; its runtime dependencies (attrs, cattrs, lark) are
fetched with pip's configured index into a folder, and the install into the new environment
then uses that folder only (``--no-index``), so nothing else can slip in. The command runs
in a folder outside the source tree holding a copy of the bundled bulletins.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_DEPENDENCIES = ("attrs", "cattrs", "lark")
MAIN_COMMAND = ["convert", "examples/bulletins/bulletin-02.txt", "--to", "markdown"]


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_wheel_in_an_empty_venv_runs_the_readme_main_command(wheel: Path, tmp_path: Path) -> None:
    dependencies = tmp_path / "dependencies"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "download", "--quiet", "-d", str(dependencies), *RUNTIME_DEPENDENCIES], tmp_path)

    # No pip of its own (the outer pip installs into it): nothing but what is installed here.
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=False, system_site_packages=False)
    bin_dir = environment / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    into_it = [*pip, "--python", str(python)]
    offline = ["--no-index", "--find-links", str(dependencies)]
    _run([*into_it, "install", "--quiet", *offline, str(wheel)], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "examples" / "bulletins", elsewhere / "examples" / "bulletins")
    env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(tmp_path)}
    where = _run([str(python), "-c", "import prayerdoc; print(prayerdoc.__file__)"], elsewhere, env)
    assert Path(where.strip()).is_relative_to(environment), where
    installed = _run([*into_it, "list", "--format=freeze"], elsewhere)
    names = {line.split("==")[0].lower() for line in installed.splitlines()}
    assert {"prayerdoc", *RUNTIME_DEPENDENCIES} <= names
    assert not names & {"pytest", "hypothesis", "mypy", "markdown-it-py", "icalendar"}

    output = _run([str(bin_dir / "prayerdoc"), *MAIN_COMMAND], elsewhere, env)
    lines = output.splitlines()
    assert lines[0] == "# IJM Prayer Request"
    assert "*April 27, 2019*" in lines
    assert "## Latin America" in lines
