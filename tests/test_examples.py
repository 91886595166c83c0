"""The refactoring script the docs show (examples/convert_repo.py) runs and does what it prints."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "convert_repo.py"), *args],
        capture_output=True, text=True, check=True,
    )
    return done.stdout


def test_convert_repo_converts_what_it_can_and_summarises(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "mnist_mlp" / "functional.py", tmp_path / "mlp.py")
    (tmp_path / "pkg").mkdir()
    shutil.copy(FIXTURES / "two_models" / "functional.py", tmp_path / "pkg" / "two.py")
    shutil.copy(FIXTURES / "shared_layer" / "functional.py", tmp_path / "pkg" / "shared.py")
    (tmp_path / "pkg" / "util.py").write_text("x = 1\n")

    dry = _run(str(tmp_path), "--to", "sequential")
    assert "   3 models to convert" in dry and "   1 models that cannot be converted" in dry
    assert (tmp_path / "mlp.py").read_text() == (FIXTURES / "mnist_mlp" / "functional.py").read_text()

    wet = _run(str(tmp_path), "--to", "sequential", "--write")
    assert "   3 models converted" in wet
    assert (tmp_path / "mlp.py").read_text() == (FIXTURES / "mnist_mlp" / "functional_to_sequential.py").read_text()
    assert (tmp_path / "pkg" / "shared.py").read_text() == (FIXTURES / "shared_layer" / "functional.py").read_text()
    assert "   3 models already sequential" in _run(str(tmp_path), "--to", "sequential")
