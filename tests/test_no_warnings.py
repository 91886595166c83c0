"""Building and calling a converted model raises no Keras warning.

Every fixture direction's expected file (what kconvert writes) is cut to the
statements that build each model, as the verifier cuts it (a model whose code the
conversion kept as it was is left out, as the verifier leaves it), and run in one
TensorFlow process with every warning recorded; each model is then called twice
on zeros of its input shape, so that a layer built in a symbolic scope fails on
the second call.  A Keras warning (``build()`` called on a layer without one,
an input shape passed to a layer) is what an expert would not leave in a file;
one the source's own model raises too comes from lines kconvert keeps as they
are (a layer list the file defines with ``input_shape=``), and is not counted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from kconvert.verify.locate import find_models
from kconvert.verify.slicer import slice_model
from kconvert.verify.source import index_source

from test_fixtures import _directions
from test_fixtures_verify import ELSEWHERE, GIVEN, SHAPES

# One TensorFlow process builds every direction (``_warnings``): on one xdist worker, not once per worker.
pytestmark = [pytest.mark.tensorflow, pytest.mark.xdist_group("no_warnings")]

DIRECTIONS = [
    pytest.param(case / f"{source}.py", expected, id=f"{case.name}:{source}->{target}")
    for case, source, target, expected in (param.values for param in _directions())
    if expected.suffix == ".py" and source != target and case.name not in ELSEWHERE
]

SCRIPT = r"""
import json, sys, warnings
import keras
from kconvert.verify.worker.inputs import FREE_DIMS, _shape_spec, built_spec, model_spec, zeros

def keras_warning(warning):
    if "/keras/" in warning.filename.replace("\\", "/"):
        return f"{warning.category.__name__}: {warning.message}"
    return None

def run(piece):
    namespace = {"__name__": "__main__", "__file__": piece["path"]}
    exec(compile(piece["source"], piece["path"], "exec"), namespace)
    return eval(piece["expr"], namespace)

# A source file is the reference of every direction from it: built once, its warnings kept.
references = {}

def reference_of(reference):
    key = (reference["path"], reference["expr"])
    if key not in references:
        with warnings.catch_warnings(record=True) as known:
            warnings.simplefilter("always")
            model = run(reference)
        references[key] = (model, set(map(keras_warning, known)))
    return references[key]

results = {}
for key, item in json.loads(sys.stdin.read()).items():
    found = []
    try:
        for piece, reference in item:
            other, known = reference_of(reference)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model = run(piece)
                # A subclass the file never built: shaped as the direction's source model.
                spec = model_spec(model) or built_spec(model) or model_spec(other) or built_spec(other)
                # Neither built (the file calls it only inside print()): the shape the verifier's test gives.
                spec = spec or (_shape_spec(piece["shape"]) if piece.get("shape") else None)
                data = zeros(spec, FREE_DIMS[0])
                # A graph model given ``inputs=[x]`` is fed its one input in a list, as written:
                # the verifier's shared spec is the tensor, which such a model takes with a warning.
                listed = getattr(getattr(model, "_functional", None) or model, "_inputs_struct", None)
                if isinstance(listed, list) and len(listed) == 1:
                    data = [data]
                model(data)
                model(data)
            found += [
                text
                for text in map(keras_warning, caught)
                if text is not None and text not in known
            ]
    except Exception as error:
        found.append(f"failed: {type(error).__name__}: {str(error)[:500]}")
    results[key] = found
print(json.dumps(results))
"""


def _pieces(path: Path) -> list[dict[str, str]]:
    index = index_source(path.read_text(), str(path))
    sites = find_models(index)
    # Data a fixture loads from a file is given, as the verifier's test gives it.
    given = GIVEN.get(path.parent.name)
    # What the worker script runs of each slice: its code, the expression that gives the model, and
    # the input shape the verifier's test gives a model the file never builds.
    return [
        {**{field: getattr(piece, field) for field in ("name", "path", "source", "expr")}, "shape": SHAPES.get(path.parent.name)}
        for piece in (slice_model(index, site, sites, given) for site in sites if site.primary)
    ]


def _code(piece: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """What a slice runs, without the blank lines that keep its file's line numbers."""
    return piece["expr"], tuple(line for line in piece["source"].splitlines() if line.strip())


@lru_cache(maxsize=1)
def _warnings() -> dict[str, list[str]]:
    """Every direction's warnings, from one TensorFlow process."""
    items = {}
    for param in DIRECTIONS:
        original, converted = param.values
        references = _pieces(original)
        pieces = _pieces(converted)
        paired = [(piece, references[min(index, len(references) - 1)]) for index, piece in enumerate(pieces)]
        # A model whose code the conversion kept as it was (a shapeless preprocessing Sequential the
        # model calls) is built by its user, as the verifier leaves it: not alone.
        items[param.id] = [pair for pair in paired if _code(pair[0]) != _code(pair[1])]
    root = Path(__file__).parent.parent
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=1800,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.splitlines()[-1])


@pytest.mark.parametrize(("original", "converted"), DIRECTIONS)
def test_a_converted_model_builds_and_runs_without_a_keras_warning(request, original, converted) -> None:
    assert _warnings()[request.node.callspec.id] == []
