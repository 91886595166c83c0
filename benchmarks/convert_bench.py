"""How long a conversion takes, next to the floor of work it cannot avoid.

Every fixture written in one style (``tests/fixtures/<case>/<style>.py``) is
converted to each of the other three styles; only conversions that succeed and
change the file are timed.  Each is printed in milliseconds (the best of a few
runs) next to its floor, measured in the same run on the same texts: libcst's
parse of the input with the metadata the parsers read (positions and scopes,
through libcst's ``MetadataWrapper``), and black formatting the converted file.
Target: at most 1.5x the floor.  The static safety check every conversion passes
(``kconvert/safety``) is timed apart as well: the same conversion with the check
switched off.  The summary gives, per direction and over all, the median and the
worst file.

    python benchmarks/convert_bench.py
"""

from __future__ import annotations

import importlib
import statistics
import sys
import time
from pathlib import Path

import black
import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider, ScopeProvider

from kconvert.types import Converted, Options, Style

convert_module = importlib.import_module("kconvert.convert")
convert_source = convert_module.convert_source

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
REPEAT = 3


def best_ms(action) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def floor(text: str, converted: str) -> None:
    MetadataWrapper(cst.parse_module(text)).resolve_many((PositionProvider, ScopeProvider))
    black.format_str(converted, mode=black.Mode())


def _unchecked(text: str, target: Style, path: str):
    check = convert_module.check_conversion
    convert_module.check_conversion = lambda *args: None
    try:
        return convert_source(text, target, Options(), path)
    finally:
        convert_module.check_conversion = check


def _sources() -> list[tuple[Path, Style]]:
    styles = {style.value.replace("-", "_"): style for style in Style}
    return [(path, styles[path.stem]) for path in sorted(FIXTURES.glob("*/*.py")) if path.stem in styles]


def measure() -> list[tuple[str, Style, float, float, float]]:
    """``(file, target, convert ms, floor ms, safety ms)`` of every successful conversion."""
    rows = []
    for path, source in _sources():
        text = path.read_text()
        for target in Style:
            if target is source:
                continue
            result = convert_source(text, target, Options(), str(path))
            if not isinstance(result, Converted) or result.source == text:
                continue
            ms = best_ms(lambda: convert_source(text, target, Options(), str(path)))
            unchecked = best_ms(lambda: _unchecked(text, target, str(path)))
            base = best_ms(lambda: floor(text, result.source))
            rows.append((f"{path.parent.name}/{path.name}", target, ms, base, ms - unchecked))
    return rows


def _summary(label: str, rows: list) -> str:
    ratios = [ms / base for _, _, ms, base, _ in rows]
    worst = max(rows, key=lambda row: row[2] / row[3])
    return (
        f"{label:<22} {len(rows):>4} conversions  median {statistics.median(ratios):5.2f}x"
        f"  worst {max(ratios):5.2f}x ({worst[0]} -> {worst[1].value}, {worst[2]:.0f} ms)"
    )


def main() -> int:
    rows = measure()
    width = max(len(name) + len(target.value) for name, target, *_ in rows) + 4
    print(f"{'file -> style':<{width}}  {'convert ms':>10}  {'floor ms':>8}  ratio  {'safety ms':>9}")
    for name, target, ms, base, safety in rows:
        print(f"{name + ' -> ' + target.value:<{width}}  {ms:>10.1f}  {base:>8.1f}  {ms / base:5.2f}  {safety:>9.1f}")
    print()
    for target in Style:
        chosen = [row for row in rows if row[1] is target]
        if chosen:
            print(_summary(f"to {target.value}", chosen))
    print(_summary("all directions", rows) + "  (target <= 1.5x)")
    shares = [safety / ms for *_, ms, _, safety in rows]
    print(f"safety check: median {100 * statistics.median(shares):.0f}% of a conversion, worst {100 * max(shares):.0f}%")
    print(f"tensorflow imported: {'tensorflow' in sys.modules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
