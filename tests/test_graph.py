"""``kconvert graph``: every fixture draws, shared layers are one box with numbered calls, no TensorFlow."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kconvert.graphviz
from kconvert.cli import main
from kconvert.graph import Arrow, picture, to_dot, to_mermaid
from kconvert.parse import find_models

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(FIXTURES.glob("*/*.py"))


def _boxes(cluster):
    yield from cluster.boxes
    for child in cluster.children:
        yield from _boxes(child)


@pytest.mark.parametrize("path", SOURCES, ids=[f"{p.parent.name}/{p.name}" for p in SOURCES])
def test_every_fixture_draws_every_layer_with_its_line(path: Path) -> None:
    found = find_models(path.read_text())
    assert found and all(model.graph is not None or model.problem is not None for model in found)
    models = [model for model in found if model.graph is not None]
    if not models:
        # A model kconvert cannot lift (e.g. a custom train_step) is explained, not drawn.
        result = CliRunner().invoke(main, ["graph", str(path)])
        assert result.exit_code == 123 and found[0].problem.message in result.output
        return
    drawing = picture(models)
    assert len(drawing.clusters) == len(models)
    for model, cluster in zip(models, drawing.clusters):
        boxes = {box.id: box for box in _boxes(cluster)}
        layers = [box for box in boxes.values() if box.kind == "layer"]
        assert len(layers) == len(model.graph.layers)
        for layer in model.graph.layers:
            assert f"line {layer.loc.line}" in boxes[f"{cluster.id}_{layer.id}"].label
        assert sum(box.kind == "input" for box in boxes.values()) == len(model.graph.inputs_in_order())
        assert any(arrow.target == f"{cluster.id}_outputs" for arrow in drawing.arrows)
    ids = {box.id for cluster in drawing.clusters for box in _boxes(cluster)}
    assert all(arrow.source in ids and arrow.target in ids for arrow in drawing.arrows)
    assert to_mermaid(drawing).startswith("flowchart TD\n")
    assert to_dot(drawing).startswith("digraph kconvert {")


def test_shared_layer_is_one_box_with_an_arrow_per_call() -> None:
    drawing = picture(find_models((FIXTURES / "shared_layer" / "functional.py").read_text()))
    shared = [box for box in _boxes(drawing.clusters[0]) if box.label.startswith("shared = Dense(32")]
    assert len(shared) == 1
    into = sorted((arrow.source, arrow.label) for arrow in drawing.arrows if arrow.target == shared[0].id)
    assert into == [("m0_v1", "call 1"), ("m0_v2", "call 2")]
    out_of = sorted(arrow.label for arrow in drawing.arrows if arrow.source == shared[0].id)
    assert out_of == ["call 1", "call 2"]


def test_loop_is_a_cluster_closed_by_a_repeat_arrow() -> None:
    drawing = picture(find_models((FIXTURES / "deep_loop" / "sequential.py").read_text()))
    (loop,) = drawing.clusters[0].children
    assert loop.label == "for _ in range(DEPTH) (line 15)"
    (body_layer,) = loop.boxes
    assert [a for a in drawing.arrows if a.label == "repeat"] == [
        Arrow(body_layer.id, body_layer.id, "repeat", dashed=True)
    ]


def test_labels_are_escaped_for_each_syntax() -> None:
    drawing = picture(find_models((FIXTURES / "mnist_mlp" / "functional.py").read_text()))
    assert 'activation=#quot;relu#quot;' in to_mermaid(drawing)
    assert 'activation=\\"relu\\"' in to_dot(drawing)


def test_cli_writes_a_file_and_picks_a_model(tmp_path: Path) -> None:
    out = tmp_path / "picture.mmd"
    path = FIXTURES / "nested_model" / "functional.py"
    result = CliRunner().invoke(main, ["graph", str(path), "--model", "classifier", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "classifier (functional" in text and "encoder (functional" not in text
    missing = CliRunner().invoke(main, ["graph", str(path), "--model", "nope"])
    assert missing.exit_code == 123 and "models found: encoder, classifier" in missing.output


def test_svg_without_graphviz_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kconvert.graphviz.shutil, "which", lambda name: None)
    result = CliRunner().invoke(main, ["graph", str(FIXTURES / "lenet5" / "sequential.py"), "--format", "svg"])
    assert result.exit_code == 123
    path = FIXTURES / "lenet5" / "sequential.py"
    assert result.output.startswith(f"{path}:1:1: error: drawing svg needs Graphviz's `dot` program")
    assert "(hint: install it with `apt-get install graphviz`" in result.output
    assert result.output.count("\n") == 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_svg_with_graphviz(tmp_path: Path) -> None:
    out = tmp_path / "model.svg"
    path = FIXTURES / "shared_layer" / "functional.py"
    result = CliRunner().invoke(main, ["graph", str(path), "--format", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().lstrip().startswith("<?xml") and "shared = Dense(32" in out.read_text()


def test_drawing_never_imports_tensorflow() -> None:
    script = (
        "import sys\nfrom kconvert.cli import main\n"
        f"try:\n    main(['graph', {str(FIXTURES / 'lenet5' / 'sequential.py')!r}])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "flowchart TD" in done.stdout
    assert done.stderr.strip().endswith("[]")
