"""How long the converted code is next to its source: lines out / lines in, per fixture direction.

Counts the non-blank lines of each golden fixture's source and of what kconvert
writes from it (the whole file: the rest of it is the same on both sides).  The
targets (issue 10): to-subclass at most 1.8x the source for a model of helper
blocks, to-functional at most 1.3x.  Run from the repository root:

    python benchmarks/fixture_lines.py [CASE...]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from kconvert.convert import convert_source
from kconvert.ir.nodes import Op
from kconvert.parse import find_models
from kconvert.types import Converted, Options, Style

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
TARGETS = {"subclass": 1.8, "functional": 1.3}


def _lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def _has_blocks(source: str) -> bool:
    """Whether a model of ``source`` calls a helper that builds layers (a block)."""
    return any(
        model.problem is None and any(isinstance(node, Op) and node.helper for node in model.graph.walk())
        for model in find_models(source)
    )


def main(names: list[str]) -> None:
    rows = []
    for case in sorted(path for path in FIXTURES.iterdir() if path.is_dir()):
        if names and case.name not in names:
            continue
        for source_path in sorted(case.glob("*.py")):
            stem = source_path.stem
            if stem not in {style.stem for style in Style}:
                continue
            text = source_path.read_text()
            for style in Style:
                if style.stem == stem:
                    continue
                result = convert_source(text, style, Options(), "model.py")
                if isinstance(result, Converted):
                    ratio = _lines(result.source) / _lines(text)
                    rows.append((case.name, stem, style.stem, ratio, _has_blocks(text)))
    width = max((len(f"{c}:{s}->{t}") for c, s, t, _, _ in rows), default=10)
    print(f"{'case:source->target':<{width}}  lines out / in")
    for case, source, target, ratio, blocks in rows:
        mark = "  (blocks)" if blocks else ""
        print(f"{case + ':' + source + '->' + target:<{width}}  {ratio:5.2f}{mark}")
    print()
    for target, goal in TARGETS.items():
        for blocks in (True, False):
            ratios = [r for _, _, t, r, b in rows if t == target and b == blocks]
            if ratios:
                kind = "block-based" if blocks else "other"
                print(
                    f"to-{target} ({kind}, {len(ratios)} directions): median {statistics.median(ratios):.2f},"
                    f" max {max(ratios):.2f} (target <= {goal})"
                )


if __name__ == "__main__":
    main(sys.argv[1:])
