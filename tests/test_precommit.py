"""The pre-commit hook, end to end, exactly as a user meets it.

A copy of this checkout's working tree is committed to a temporary git repository
(so that uncommitted work is what gets tested, and CI needs no published
release); pre-commit installs kconvert from it into its own virtualenv, which
needs PyPI and takes tens of seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kconvert.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEQUENTIAL = ROOT / "tests" / "fixtures" / "mnist_mlp" / "sequential.py"
# What pre-commit needs to install kconvert and find its hooks.
CHECKOUT_FILES = ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md", "LICENSE")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=kconvert tests", "-c", "user.email=tests@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def _commit_all(repo: Path) -> None:
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "snapshot")


def _checkout_copy(target: Path) -> Path:
    shutil.copytree(ROOT / "kconvert", target / "kconvert", ignore=shutil.ignore_patterns("__pycache__"))
    for name in CHECKOUT_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, target / name)
    _commit_all(target)
    return target


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_kconvert_check_hook_fails_on_sequential_then_passes_after_to_functional(tmp_path: Path) -> None:
    checkout = _checkout_copy(tmp_path / "kconvert")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.kconvert]\nstyle = "functional"\n')
    (project / "model.py").write_text(SEQUENTIAL.read_text())
    (project / "helpers.py").write_text("def double(x):\n    return 2 * x\n")
    _commit_all(project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "KCONVERT_CACHE_DIR": str(tmp_path / "kconvert-cache")}

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(checkout), "kconvert-check", "--all-files"],
            cwd=project, env=env, capture_output=True, text=True, timeout=600,
        )

    failing = try_repo()
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "model.py:13:1: model is sequential, house style is functional" in failing.stdout
    assert "helpers.py" not in failing.stdout

    converted = CliRunner().invoke(main, ["to-functional", "-w", str(project / "model.py")])
    assert converted.exit_code == 0, converted.output

    passing = try_repo()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
