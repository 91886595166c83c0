"""How long a conversion takes, next to the floor of work it cannot avoid.

For every fixture file, converts it to each other style several times and
prints milliseconds per file next to the floor measured in the same run:
libcst parse + qualified-name resolution + black formatting of the same file.
Target: at most 1.5x the floor.  The static safety check every conversion
passes (``kconvert/safety``) is timed apart as well: the same conversion with
the check switched off, in the same run.  Only successful conversions count.
Run: python benchmarks/convert_bench.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import black
import libcst as cst
from libcst.metadata import MetadataWrapper, QualifiedNameProvider

import importlib

from kconvert.types import Converted, Options, Style

convert_module = importlib.import_module("kconvert.convert")
convert_source = convert_module.convert_source

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
REPEAT = 7


def best_ms(action) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def floor(text: str) -> None:
    MetadataWrapper(cst.parse_module(text)).resolve(QualifiedNameProvider)
    black.format_str(text, mode=black.Mode())


def _unchecked(text: str, target: Style, path: str):
    check = convert_module.check_conversion
    convert_module.check_conversion = lambda *args: None
    try:
        return convert_source(text, target, Options(), path)
    finally:
        convert_module.check_conversion = check


def main() -> int:
    rows = []
    for path in sorted(FIXTURES.glob("*/*.py")):
        text = path.read_text()
        source = Style(path.stem) if path.stem in {s.value for s in Style} else None
        if source is None:
            continue
        for target in Style:
            if target is source or not isinstance(convert_source(text, target, Options(), str(path)), Converted):
                continue
            ms = best_ms(lambda: convert_source(text, target, Options(), str(path)))
            unchecked = best_ms(lambda: _unchecked(text, target, str(path)))
            base = best_ms(lambda: floor(text))
            rows.append((f"{path.parent.name}/{path.name} -> {target}", ms, base, ms - unchecked))
    width = max(len(row[0]) for row in rows)
    print(f"{'file -> style':<{width}}  {'convert ms':>10}  {'floor ms':>8}  ratio  {'safety ms':>9}")
    for name, ms, base, safety in rows:
        print(f"{name:<{width}}  {ms:>10.1f}  {base:>8.1f}  {ms / base:5.2f}  {safety:>9.1f}")
    ratios = [ms / base for _, ms, base, _ in rows]
    shares = [safety / ms for _, ms, _, safety in rows]
    worst = max(rows, key=lambda row: row[1] / row[2])[0]
    print(f"median ratio {statistics.median(ratios):.2f}, worst {max(ratios):.2f} ({worst}) (target <= 1.5)")
    print(f"safety check: median {100 * statistics.median(shares):.0f}% of a conversion, worst {100 * max(shares):.0f}%")
    print(f"tensorflow imported: {'tensorflow' in sys.modules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
