"""Convert every Keras model in a repository to one style, and print a summary.

    python examples/convert_repo.py PATH [--to functional] [--write]

Without ``--write`` nothing is changed: the script reports what it would do.
It uses only kconvert's public API (``parse``, ``convert_file``,
``ConversionError``), so it is also a template for your own refactoring scripts.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import kconvert


def convert_repo(root: Path, to: str, write: bool) -> Counter[str]:
    tally: Counter[str] = Counter()
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        try:
            models = kconvert.parse(text)
        except kconvert.ConversionError:
            tally["files kconvert cannot parse"] += 1
            continue
        if not models:
            continue
        todo = [model for model in models if model.style != to]
        if not todo:
            tally[f"models already {to}"] += len(models)
            continue
        try:
            kconvert.convert_file(path, to, write=write)
        except kconvert.ConversionError as error:
            tally["models that cannot be converted"] += len(todo)
            for diagnostic in error.diagnostics:
                print(f"  {diagnostic.render()}")
            continue
        tally["models converted" if write else "models to convert"] += len(todo)
        print(f"{'converted' if write else 'would convert'} {path}: {', '.join(m.name for m in todo)}")
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--to", default="functional", choices=["sequential", "functional", "subclass"])
    parser.add_argument("--write", action="store_true", help="rewrite the files (atomically)")
    args = parser.parse_args()
    tally = convert_repo(args.path, args.to, args.write)
    print("summary:")
    for what, count in sorted(tally.items()):
        print(f"  {count:4d} {what}")


if __name__ == "__main__":
    main()
