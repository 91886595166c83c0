"""Does a change leave every conversion's output as it was?  Byte for byte, on many files.

Converts every file of the set in all four directions in process with
``kconvert.convert.convert_source`` and keeps what a user sees: the converted
text and notes, or the diagnostics of a refusal (or the exception, should one
escape).  With ``--baseline DIR`` the same set is converted by the kconvert of
another checkout as well, in a second process running beside the first, and the
two are compared exactly; both CPU totals are printed, measured in the same run.

The set: ``tests/fixtures/*/``, ``benchmarks/corpus/``, ``examples/`` and the
real-world files (``--realworld DIR``, default ``benchmarks/realworld/files``,
skipped when absent: they are fetched, not committed).

    python benchmarks/same_output.py --baseline /tmp/base [--realworld DIR]
    python benchmarks/same_output.py --dump OUT.json        # this checkout only
    python benchmarks/same_output.py --against OUT.json     # this checkout against a saved dump
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIRECTIONS = ("functional", "sequential", "subclass", "functional-subclass")


def files(realworld: Path) -> list[Path]:
    found = sorted(ROOT.glob("tests/fixtures/*/*.py")) + sorted(ROOT.glob("benchmarks/corpus/**/*.py"))
    found += sorted(ROOT.glob("examples/*.py"))
    return found + (sorted(realworld.glob("*.py")) if realworld.is_dir() else [])


def _shown(result) -> str:
    """What a user is shown of a result: the text and notes, or the diagnostics."""
    if hasattr(result, "source"):
        return "converted\n" + result.source + "".join(f"\n{note!r}" for note in result.notes)
    return "refused" + "".join(f"\n{diagnostic!r}" for diagnostic in result.diagnostics)


def dump(paths: list[Path], out: Path) -> None:
    """Every conversion of ``paths`` by the kconvert on ``sys.path``, written to ``out``."""
    convert_source = importlib.import_module("kconvert.convert").convert_source
    from kconvert.types import Options, Style

    results: dict[str, str] = {}
    started = time.process_time()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name)
        for direction in DIRECTIONS:
            try:
                shown = _shown(convert_source(text, Style(direction), Options(), name))
            except Exception as error:  # noqa: BLE001 - a crash is an outcome to compare too
                shown = f"raised {type(error).__name__}: {error}"
            results[f"{name} -> {direction}"] = shown
    cpu = time.process_time() - started
    out.write_text(json.dumps({"kconvert": importlib.import_module("kconvert").__file__, "cpu": cpu, "results": results}))


def _child(pythonpath: Path, paths_from: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    command = [sys.executable, __file__, "--dump", str(out), "--realworld", str(paths_from)]
    # cwd: a checkout in the working folder would come before PYTHONPATH.
    return subprocess.Popen(command, env=env, cwd=tempfile.gettempdir())


def compare(old: dict, new: dict) -> int:
    print(f"baseline {old['kconvert']}: {old['cpu']:.1f} CPU s")
    print(f"this     {new['kconvert']}: {new['cpu']:.1f} CPU s")
    differ = sorted(key for key in old["results"].keys() | new["results"].keys()
                    if old["results"].get(key) != new["results"].get(key))
    for key in differ[:20]:
        print(f"DIFFERS: {key}")
    print(f"{len(new['results'])} conversions compared, {len(differ)} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a folder holding another checkout's kconvert package")
    parser.add_argument("--against", type=Path, help="a dump of an earlier run to compare with")
    parser.add_argument("--dump", type=Path, help="only write this checkout's results to this file")
    parser.add_argument("--realworld", type=Path, default=ROOT / "benchmarks" / "realworld" / "files")
    args = parser.parse_args()
    paths = files(args.realworld)
    if args.dump:
        dump(paths, args.dump)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        ours = Path(folder) / "ours.json"
        children = [_child(ROOT, args.realworld, ours)]
        if args.baseline:
            theirs = Path(folder) / "baseline.json"
            children.append(_child(args.baseline.resolve(), args.realworld, theirs))
        elif args.against:
            theirs = args.against
        else:
            parser.error("give --baseline DIR, --against FILE or --dump FILE")
        if any(child.wait() != 0 for child in children):
            return 2
        print(f"{len(paths)} files, load average {os.getloadavg()[0]:.1f}")
        return compare(json.loads(theirs.read_text()), json.loads(ours.read_text()))


if __name__ == "__main__":
    sys.exit(main())
