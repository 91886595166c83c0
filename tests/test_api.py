"""The library API as a refactoring script uses it: values in, text out, ConversionError on refusal."""

from __future__ import annotations

import doctest
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import kconvert
import kconvert.api
from kconvert.ir.lint import lint

FIXTURES = Path(__file__).parent / "fixtures"
SEQUENTIAL = (FIXTURES / "mnist_mlp" / "sequential.py").read_text()
FUNCTIONAL = (FIXTURES / "mnist_mlp" / "functional.py").read_text()
SHARED = (FIXTURES / "shared_layer" / "functional.py").read_text()


def test_convert_returns_the_converted_source() -> None:
    assert kconvert.convert(SEQUENTIAL, to="functional") == FUNCTIONAL
    assert kconvert.convert(SEQUENTIAL, to=kconvert.Style.FUNCTIONAL) == FUNCTIONAL


def test_conversion_error_carries_located_diagnostics_with_hints() -> None:
    with pytest.raises(kconvert.ConversionError) as caught:
        kconvert.convert(SHARED, to="sequential", path="siamese.py")
    first = caught.value.diagnostics[0]
    assert (first.path, first.line, first.col) == ("siamese.py", 7, 9)
    assert "second input" in first.message
    assert first.hint
    assert str(caught.value).startswith("siamese.py:7:9: error: ")


def test_convert_file_writes_atomically_only_on_success(tmp_path: Path) -> None:
    path = tmp_path / "net.py"
    path.write_text(SEQUENTIAL)
    path.chmod(0o640)
    assert kconvert.convert_file(path, "functional") == FUNCTIONAL
    assert path.read_text() == SEQUENTIAL, "write=False must not touch the file"
    kconvert.convert_file(path, "functional", write=True)
    assert path.read_text() == FUNCTIONAL
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["net.py"], "no temporary file left behind"

    shared = tmp_path / "shared.py"
    shared.write_text(SHARED)
    with pytest.raises(kconvert.ConversionError):
        kconvert.convert_file(shared, "sequential", write=True)
    assert shared.read_text() == SHARED


def test_convert_file_reports_a_missing_file_as_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(kconvert.ConversionError, match="cannot read the file"):
        kconvert.convert_file(tmp_path / "missing.py", "functional")


def test_parse_gives_names_styles_and_graphs() -> None:
    text = (FIXTURES / "two_models" / "sequential.py").read_text()
    models = kconvert.parse(text)
    assert len(models) == 2
    for model in models:
        assert isinstance(model, kconvert.ModelInfo)
        assert model.style is kconvert.Style.SEQUENTIAL
        assert model.problem is None
        lint(model.graph)
    assert len({model.name for model in models}) == 2
    with pytest.raises(kconvert.ConversionError):
        kconvert.parse("def broken(:\n")


def test_emit_writes_a_parsed_graph_in_another_style() -> None:
    graph = kconvert.parse(SEQUENTIAL)[0].graph
    code = kconvert.emit(graph, "functional", target="net")
    assert code.splitlines()[-1].startswith("net = keras.Model(")
    again = kconvert.parse("import keras\n" + code)
    assert [(m.name, m.style) for m in again] == [("net", kconvert.Style.FUNCTIONAL)]
    assert len(again[0].graph.layers) == len(graph.layers)


def test_emit_refusal_is_a_conversion_error() -> None:
    graph = kconvert.parse(SHARED)[0].graph
    with pytest.raises(kconvert.ConversionError):
        kconvert.emit(graph, "sequential")


def test_public_names_and_docstring_examples() -> None:
    assert set(kconvert.__all__) >= {"convert", "convert_file", "parse", "emit", "verify", "ConversionError"}
    assert (Path(kconvert.__file__).parent / "py.typed").exists()
    for module in (kconvert, kconvert.api):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


def test_converting_through_the_library_never_imports_tensorflow(tmp_path: Path) -> None:
    script = f"""
import json, sys, kconvert
kconvert.convert(open({str(FIXTURES / "lenet5" / "sequential.py")!r}).read(), to="functional")
kconvert.parse(open({str(FIXTURES / "shared_layer" / "functional.py")!r}).read())
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in ("tensorflow", "keras"))))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert json.loads(out.stdout) == []


def test_parse_names_its_path_and_the_verifier_types_are_public() -> None:
    with pytest.raises(kconvert.ConversionError) as raised:
        kconvert.parse("x = (\n", path="bad.py")
    assert str(raised.value).startswith("bad.py:1:5: error: cannot parse the file")
    (info,) = kconvert.parse(
        "import keras\nm = keras.Sequential([keras.layers.Dense(2)])\nm.add(m)\n", path="self.py"
    )
    assert info.problem is not None and info.problem.render().startswith("self.py:3:7: error: `m` is added to itself")
    assert {"Worker", "VerifyReport", "ModelReport", "Verdict"} <= set(kconvert.__all__)
    assert kconvert.Worker.__name__ == "Worker" and kconvert.Verdict.EQUIVALENT == "equivalent"
    importlib.import_module("kconvert.verify.client")  # importing the subpackage made kconvert.verify the module

    assert callable(kconvert.verify) and kconvert.verify.__module__ == "kconvert.api"
