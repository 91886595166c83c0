"""Wall time of the verifier next to a plain script that builds and runs the same models.

    python benchmarks/verify_bench.py                      # default pairs, N = 1x, 2x, 4x
    python benchmarks/verify_bench.py A.py B.py C.py D.py  # pairs (A, B), (C, D)
    python benchmarks/verify_bench.py --repeat 1,3

Default pairs: every case of tests/verify_cases/cases.toml, plus, for each folder
of tests/fixtures/, every pair of its sequential.py / functional.py / subclass.py.

*plain*: one process imports TensorFlow, then for each file of each pair execs
the slice of each of its models, builds it and calls it once on zeros (what any
check must do at least). *verifier*: ``verify_many`` with one Worker (slicing,
two traced passes per model, weight copy, comparison, reports). Both include
process start and the TensorFlow import. Each size runs the pair list repeated,
to show that time grows linearly in N after one import. Figures, not a test.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kconvert.verify import Worker, verify_many  # noqa: E402
from kconvert.verify.locate import find_models  # noqa: E402
from kconvert.verify.slicer import slice_model  # noqa: E402
from kconvert.verify.source import SourceIndex, index_source  # noqa: E402

Pair = tuple[Path, Path]

PLAIN = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
import numpy as np

slices = json.load(open(sys.argv[1]))
failed = 0
for piece in slices:
    namespace = {"__name__": "__main__", "__file__": piece["path"]}
    try:
        exec(compile(piece["source"], piece["path"], "exec"), namespace)
        model = eval(piece["expr"], namespace)
        graph = getattr(model, "_functional", None) or model
        spec = getattr(graph, "_inputs_struct", None)
        if spec is None:
            shapes = getattr(model, "_build_shapes_dict", None) or {}
            spec = [keras.KerasTensor(s) for s in shapes.values()][:1] or None
            spec = spec and spec[0]
        if spec is not None:
            batch = keras.tree.map_structure(
                lambda t: np.zeros((4, *(8 if d is None else d for d in t.shape[1:])), t.dtype), spec
            )
            model(batch, training=False)
    except Exception:
        failed += 1
print(len(slices), failed)
"""


def default_pairs() -> list[Pair]:
    cases = ROOT / "tests" / "verify_cases"
    pairs = [
        (cases / case["original"], cases / case["converted"])
        for case in tomllib.loads((cases / "cases.toml").read_text())["case"]
    ]
    fixtures = ROOT / "tests" / "fixtures"
    for folder in (
        sorted(p for p in fixtures.iterdir() if p.is_dir()) if fixtures.is_dir() else []
    ):
        styles = [folder / f"{s}.py" for s in ("sequential", "functional", "subclass")]
        pairs += itertools.combinations([p for p in styles if p.exists()], 2)
    return pairs


def slices_of(path: Path) -> list[dict[str, str]]:
    index = index_source(path.read_text(), str(path))
    if not isinstance(index, SourceIndex):
        return []
    sites = find_models(index)
    return [asdict(slice_model(index, site, sites)) for site in sites if site.primary]


def time_plain(pairs: list[Pair]) -> tuple[float, str]:
    pieces = [piece for pair in pairs for path in pair for piece in slices_of(path)]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(pieces, handle)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", PLAIN, handle.name],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    elapsed = time.perf_counter() - start
    os.unlink(handle.name)
    built, failed = run.stdout.split()
    return elapsed, f"{built} models, {failed} failed"


def time_verifier(pairs: list[Pair]) -> tuple[float, str]:
    start = time.perf_counter()
    with Worker() as worker:
        reports = verify_many(pairs, worker=worker)
    elapsed = time.perf_counter() - start
    verdicts = sorted({r.verdict.value for r in reports})
    counts = ", ".join(
        f"{sum(r.verdict.value == v for r in reports)} {v}" for v in verdicts
    )
    return elapsed, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="original converted [original converted ...]",
    )
    parser.add_argument(
        "--repeat", default="1,2,4", help="sizes, as multiples of the pair list"
    )
    args = parser.parse_args(argv)
    if len(args.files) % 2:
        parser.error("files come in (original, converted) pairs")
    pairs = list(zip(args.files[::2], args.files[1::2])) or default_pairs()
    print(f"{len(pairs)} pairs, Python {sys.version.split()[0]}")
    print(
        f"{'N pairs':>8}  {'plain s':>8}  {'verifier s':>10}  {'ratio':>5}  verifier found / plain built"
    )
    rows = []
    for times in (int(n) for n in args.repeat.split(",")):
        batch = pairs * times
        plain, plain_note = time_plain(batch)
        verifier, verifier_note = time_verifier(batch)
        rows.append((len(batch), plain, verifier))
        print(
            f"{len(batch):>8}  {plain:>8.2f}  {verifier:>10.2f}  {verifier / plain:>5.2f}  {verifier_note} / {plain_note}"
        )
    if len(rows) > 1:
        (n1, p1, v1), (n2, p2, v2) = rows[0], rows[-1]
        slope_p, slope_v = (p2 - p1) / (n2 - n1), (v2 - v1) / (n2 - n1)
        print(
            f"per pair after startup: plain {slope_p * 1000:.0f} ms, verifier {slope_v * 1000:.0f} ms; "
            f"startup (process + TensorFlow import): plain {p1 - n1 * slope_p:.2f} s, verifier {v1 - n1 * slope_v:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
