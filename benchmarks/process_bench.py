"""Whole-process timings: kconvert next to ``black --check`` on the same files, in the same run.

What a user waits for, start-up included (not a timed test):

- ``kconvert --version`` (the issue's bound: under 0.3 s);
- one file: ``kconvert to-functional --check`` and ``black --check`` on the
  bundled example (the issue's bound: at most 2x black);
- a 400-file tree made by copying the examples and the test fixtures into a
  temporary folder: ``kconvert to-functional --check -j 2`` and
  ``black --check --workers 2`` (bound: at most 1.5x black).  Every file of it
  holds a model, which a real repository's files mostly do not: with
  ``TREE=DIR``, the first 400 Python files of DIR (a checkout of a real
  repository, in sorted order) are timed as well.

Both tools run with empty cache folders, so neither is helped by an earlier run;
the last row runs both again on the tree with the caches of a first run, as a
repeated run (pre-commit, CI on the same files) does.  Each figure is the
median of several runs.  With ``BASELINE=DIR`` in the environment, the tree is
also converted by the kconvert of another checkout, in the same run, so that a
change is judged by ratios measured together on a loaded machine.

The kconvert sources timed are compiled to bytecode first, as installing a
package does: with ``PYTHONDONTWRITEBYTECODE`` set, every run would otherwise
compile its hundred modules again, which black (compiled) and libcst
(installed) never do.

    [BASELINE=DIR] [TREE=DIR] python benchmarks/process_bench.py [RUNS]
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mnist_mlp.py"
TREE_SIZE = 400


def _seconds(command: list[str], env: dict[str, str], runs: int, cache: str | None = None) -> float:
    """The median time of ``command``, with empty caches unless ``cache`` names a warm one."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as empty:
            folder = cache or empty
            started = time.perf_counter()
            # cwd: ``python -m`` puts the working folder before PYTHONPATH, and a checkout there would win.
            subprocess.run(
                command, env={**env, "BLACK_CACHE_DIR": folder, "KCONVERT_CACHE_DIR": folder},
                capture_output=True, check=False, cwd=empty,
            )
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _tree(folder: Path) -> int:
    """Copies the examples and fixtures into ``folder`` until it holds TREE_SIZE files."""
    sources = sorted(ROOT.glob("examples/*.py")) + sorted(ROOT.glob("tests/fixtures/*/*.py"))
    for index in range(TREE_SIZE):
        source = sources[index % len(sources)]
        target = folder / f"batch{index // len(sources)}" / f"{source.parent.name}_{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return TREE_SIZE


def _real_tree(source: Path, folder: Path) -> int:
    """Copies the first TREE_SIZE Python files of ``source`` (sorted) into ``folder``."""
    found = sorted(path for path in source.rglob("*.py") if ".git" not in path.parts)[:TREE_SIZE]
    for path in found:
        target = folder / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return len(found)


def _row(label: str, ours: float, black: float, target: str) -> str:
    ratio = f"ratio {ours / black:4.2f}x" if black > 0 else "ratio    -"
    return f"{label:<40} kconvert {ours:6.2f} s   black {black:6.2f} s   {ratio}   target {target}"


def main(runs: int = 5) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    kconvert = [sys.executable, "-m", "kconvert"]
    black = [sys.executable, "-m", "black", "-q"]
    checkouts = [ROOT] + ([Path(os.environ["BASELINE"]).resolve()] if os.environ.get("BASELINE") else [])
    for checkout in checkouts:
        compileall.compile_dir(checkout / "kconvert", quiet=1)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {runs} runs,"
          f" load average {os.getloadavg()[0]:.1f}")
    version = _seconds([*kconvert, "--version"], env, runs)
    print(_row("--version", version, _seconds([*black, "--version"], env, runs), "< 0.3 s"))
    one = [*kconvert, "to-functional", "--check", str(EXAMPLE)]
    print(_row("one file (examples/mnist_mlp.py)", _seconds(one, env, runs), _seconds([*black, "--check", str(EXAMPLE)], env, runs), "<= 2x"))
    if os.environ.get("BASELINE"):
        baseline = {**env, "PYTHONPATH": str(Path(os.environ["BASELINE"]).resolve())}
        print(_row("one file, baseline", _seconds(one, baseline, runs), _seconds([*black, "--check", str(EXAMPLE)], env, runs), "-"))
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as warm:
        count = _tree(Path(folder))
        ours = [*kconvert, "to-functional", "--check", "-j", "2", folder]
        theirs = [*black, "--check", "--workers", "2", folder]
        few = max(1, runs // 2)
        print(_row(f"{count} model files, -j 2", _seconds(ours, env, few), _seconds(theirs, env, few), "<= 1.5x"))
        if os.environ.get("BASELINE"):
            baseline = {**env, "PYTHONPATH": str(Path(os.environ["BASELINE"]).resolve())}
            print(_row(f"{count} model files, -j 2, baseline", _seconds(ours, baseline, few), _seconds(theirs, env, few), "-"))
        _seconds(ours, env, 1, warm), _seconds(theirs, env, 1, warm)  # fills both caches
        print(_row(
            f"{count} model files, -j 2, repeated", _seconds(ours, env, runs, warm), _seconds(theirs, env, runs, warm),
            "<= 1.5x",
        ))
    if os.environ.get("TREE"):
        _timed_real_tree(Path(os.environ["TREE"]), kconvert, black, env, max(1, runs // 2))
    print(f"load average {os.getloadavg()[0]:.1f}")


def _timed_real_tree(source: Path, kconvert: list[str], black: list[str], env: dict[str, str], runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        count = _real_tree(source, Path(folder))
        ours = [*kconvert, "to-functional", "--check", "-j", "2", folder]
        theirs = [*black, "--check", "--workers", "2", folder]
        label = f"{count} files of {source.name}, -j 2"
        print(_row(label, _seconds(ours, env, runs), _seconds(theirs, env, runs), "<= 1.5x"))
        if os.environ.get("BASELINE"):
            baseline = {**env, "PYTHONPATH": str(Path(os.environ["BASELINE"]).resolve())}
            print(_row(f"{label}, baseline", _seconds(ours, baseline, runs), _seconds(theirs, env, runs), "-"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
