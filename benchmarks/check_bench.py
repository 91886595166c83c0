"""How fast ``kconvert check`` skips files without a Keras model (not a timed test).

Writes N ordinary Python files (imports, functions, classes: no model words)
into a temporary folder and times ``run_check`` over them, in process, so the
figure is the per-file cost and not Python's start-up.  Then it times the same
for files that do import keras but build no model, on the first run (parsed)
and the second (answered by the cache).

    python benchmarks/check_bench.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

PLAIN = '''"""A helper module."""

import json
import os


def load(path):
    with open(path) as handle:
        return json.load(handle)


class Settings:
    def __init__(self, root=os.getcwd()):
        self.root = root
''' * 8

KERAS_NO_MODEL = "import keras\n\n" + PLAIN


def _time(label: str, paths: list[Path], runs: int = 1) -> None:
    from kconvert.check import run_check

    for run in range(1, runs + 1):
        start = time.perf_counter()
        report = run_check(paths)
        elapsed = time.perf_counter() - start
        per_hundred = elapsed / len(paths) * 100
        statuses = sorted({outcome.status.value for outcome in report.outcomes})
        print(f"{label} (run {run}): {len(paths)} files in {elapsed * 1000:.1f} ms "
              f"= {per_hundred * 1000:.1f} ms per 100 files  [{', '.join(statuses)}]")


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ["KCONVERT_CACHE_DIR"] = str(root / "cache")
        (root / "pyproject.toml").write_text('[tool.kconvert]\nstyle = "functional"\n')
        plain = [root / f"plain_{i}.py" for i in range(count)]
        for path in plain:
            path.write_text(PLAIN)
        keras_only = [root / f"keras_{i}.py" for i in range(count)]
        for i, path in enumerate(keras_only):
            path.write_text(KERAS_NO_MODEL + f"\nVERSION = {i}\n")
        import kconvert.check  # noqa: F401 - import time is not per-file cost

        _time("no model words, skipped unparsed", plain)
        _time("imports keras, no model", keras_only, runs=2)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
