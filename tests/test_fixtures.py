"""Every golden fixture, in every direction: exact output, stability and round trips.

``tests/fixtures/<case>/`` holds the same model in each style it can be written
in (``sequential.py``, ``functional.py``, ``subclass.py``, ``functional_subclass.py``).  Converting ``A.py``
to style B must give ``B.py`` byte for byte, unless ``A_to_B.py`` (or ``to_B.py``,
shared by every source style that writes the same) says what that direction
writes instead, or ``A_to_B.err`` holds the diagnostics of a refusal.  Converting the result back must build the same model, unless
``A_to_B.back.py`` says what a one-way direction (a helper written out) gives back.  The expected files are written by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconvert.convert import convert_source
from kconvert.ir.lint import lint
from kconvert.ir.structure import structure
from kconvert.parse import SourceFile, find_models
from kconvert.safety.same_graph import model_keys
from kconvert.types import Converted, Options, Refused, Style

FIXTURES = Path(__file__).parent / "fixtures"
# Files are named by the style's stem: ``functional_subclass.py`` for ``functional-subclass``.
STYLES = [style.stem for style in Style]
VIEW = "a view of that model's graph"
CASES = sorted(path for path in FIXTURES.iterdir() if path.is_dir())


def _expected(case: Path, source: str, target: str) -> Path | None:
    shared = (f"to_{target}.py",) if source != target else ()
    for candidate in (f"{source}_to_{target}.err", f"{source}_to_{target}.py", *shared, f"{target}.py"):
        if (case / candidate).exists():
            return case / candidate
    return None


def _directions():
    for case in CASES:
        for source in STYLES:
            if not (case / f"{source}.py").exists():
                continue
            for target in STYLES:
                expected = _expected(case, source, target)
                if expected is not None:
                    yield pytest.param(case, source, target, expected, id=f"{case.name}:{source}->{target}")


# Every file is converted as the module ``model`` (the file a user's model is typically in): the
# package an emitted class is registered under is then the same whatever style it came from.
MODULE = "model.py"


def _convert(text: str, target: str, path: str):
    result = convert_source(text, Style.parse(target), Options(), MODULE)
    if isinstance(result, Refused):
        return Refused(tuple(diagnostic.at(path) for diagnostic in result.diagnostics))
    return result


@pytest.mark.parametrize(("case", "source", "target", "expected"), list(_directions()))
def test_direction(case: Path, source: str, target: str, expected: Path) -> None:
    text = (case / f"{source}.py").read_text()
    result = _convert(text, target, f"{source}.py")
    if expected.suffix == ".err":
        assert isinstance(result, Refused), f"expected a refusal, got:\n{getattr(result, 'source', '')}"
        rendered = "".join(diagnostic.render() + "\n" for diagnostic in result.diagnostics)
        assert rendered == expected.read_text()
        return
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    assert result.source == expected.read_text()

    again = _convert(result.source, target, "again.py")
    assert isinstance(again, Converted) and again.source == result.source, "not stable"

    if result.source == text:
        return  # already in the target style: there is nothing to convert back
    back = _convert(result.source, source, "back.py")
    refused_back = case / f"{source}_to_{target}.back.err"
    if refused_back.exists():
        # The source is what its target style cannot save (a Sequential listing one Dense
        # twice): converted, the model keeps its shared layer, and the way back is refused.
        assert isinstance(back, Refused), f"expected the way back refused, got:\n{getattr(back, 'source', '')}"
        assert "".join(diagnostic.render() + "\n" for diagnostic in back.diagnostics) == refused_back.read_text()
        return
    assert isinstance(back, Converted), "\n".join(d.render() for d in back.diagnostics)
    one_way = case / f"{source}_to_{target}.back.py"
    if one_way.exists():
        # A direction that writes out what the source kept in a function (a helper
        # inlined into a subclass) comes back as that written-out code.
        assert back.source == one_way.read_text()
        return
    # Compared as the safety check compares: a layer kept outside the model (later code reads
    # it) is the same layer as one the model makes.
    assert _keys(back.source) == _keys(text), "the round trip built another model"


def _keys(text: str) -> list[str]:
    _structures(text)
    return model_keys(SourceFile.parse(text))


def _structures(text: str) -> list[tuple]:
    # A view of another model's graph (``keras.Model(model.inputs, ...)``) is kept as written.
    models = [model for model in find_models(text) if model.problem is None or VIEW not in model.problem.message]
    for model in models:
        assert model.problem is None, model.problem.render()
        lint(model.graph)
    return [structure(model.graph) for model in models]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_model_lifts_and_lints(case: Path) -> None:
    for source in STYLES:
        path = case / f"{source}.py"
        if not path.exists():
            continue
        # A hostile input (issue 13) is a model kconvert must not read: the refusal its
        # conversions expect is the one reading it gives.
        refusals = {line for err in case.glob(f"{source}_to_*.err") for line in err.read_text().splitlines()}
        models = find_models(path.read_text())
        assert models, f"no model found in {path}"
        for model in models:
            if model.problem is None:
                lint(model.graph)
            else:
                assert model.problem.at(f"{source}.py").render() in refusals, model.problem.render()
