"""``kconvert from-saved`` without TensorFlow: goldens, lifted graphs, and one diagnostic per bad input.

The configs here are written by hand (or, for the golden, by Keras' to_json once
and committed); the golden modules were read and checked by hand.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import kconvert
from kconvert.cli import main
from kconvert.from_saved import source_from_saved
from kconvert.ir.lint import lint
from kconvert.parse.saved import lift, read_saved
from kconvert.types import Style

SAVED = Path(__file__).parent / "saved"


def _layer(class_name: str, name: str, nodes=None, **config) -> dict:
    entry = {"module": "keras.layers", "class_name": class_name, "config": {"name": name, **config}, "registered_name": None}
    if nodes is not None:
        entry["name"], entry["inbound_nodes"] = name, nodes
    return entry


def _tensor(layer: str, node: int = 0, index: int = 0) -> dict:
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, 4], "dtype": "float32", "keras_history": [layer, node, index]}}


def _sequential(*layers: dict, name: str = "sequential") -> dict:
    first = {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "input_layer"}}
    return {"module": "keras", "class_name": "Sequential", "config": {"name": name, "layers": [first, *layers]}}


def _write(tmp_path: Path, config: object, name: str = "model.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(config))
    return path


@pytest.mark.parametrize("style", ["sequential", "functional", "subclass"])
def test_golden_module_byte_for_byte(style) -> None:
    written = source_from_saved(SAVED / "mnist_mlp.json", Style(style))
    assert written.ok, written.diagnostics
    assert written.source == (SAVED / f"mnist_mlp.{style}.py").read_text()


@pytest.mark.parametrize("style", ["sequential", "functional", "subclass"])
def test_written_module_is_stable_under_conversion_to_its_own_style(style) -> None:
    written = source_from_saved(SAVED / "mnist_mlp.json", Style(style)).source
    assert kconvert.convert(written, to=style) == written


def test_a_keras_archive_and_a_bare_get_config_give_the_same_module(tmp_path) -> None:
    config = json.loads((SAVED / "mnist_mlp.json").read_text())
    archive = tmp_path / "mnist_mlp.keras"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("config.json", json.dumps(config))
        zipped.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
    bare = _write(tmp_path, config["config"], "mnist_mlp.json")
    from_archive = source_from_saved(archive, Style.FUNCTIONAL).source
    from_bare = source_from_saved(bare, Style.FUNCTIONAL).source
    assert from_archive.replace("mnist_mlp.keras", "mnist_mlp.json") == from_bare
    assert "keras.layers.Dense(10, activation=\"softmax\", name=\"digits\")" in from_archive


def test_shared_layer_nested_model_and_two_outputs(tmp_path) -> None:
    inner = _sequential(_layer("Dense", "dense", units=2), name="head")
    inner.update(name="head", inbound_nodes=[{"args": [_tensor("shared", 1)], "kwargs": {"mask": None}}])
    a = _layer("InputLayer", "a", [], batch_shape=[None, 4])
    b = _layer("InputLayer", "b", [], batch_shape=[None, 4])
    shared = _layer("Dense", "shared", [{"args": [_tensor("a")], "kwargs": {}}, {"args": [_tensor("b")], "kwargs": {}}], units=4)
    add = _layer("Add", "add", [{"args": [[_tensor("shared", 0), _tensor("shared", 1)]], "kwargs": {}}])
    config = {"class_name": "Functional", "config": {
        "name": "twin", "layers": [a, b, shared, add, inner],
        "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["add", 0, 0], ["head", 0, 0]],
    }}
    written = source_from_saved(_write(tmp_path, config), Style.FUNCTIONAL)
    assert written.ok, written.diagnostics
    assert written.source.endswith(
        "head = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)], name=\"head\")\n\n"
        "a = keras.Input(shape=(4,), name=\"a\")\n"
        "b = keras.Input(shape=(4,), name=\"b\")\n"
        "shared = keras.layers.Dense(4, name=\"shared\")\n"
        # The order Keras runs the calls in: deepest first, ties as Keras meets them from the outputs.
        "shared_1 = shared(b)\n"
        "x = shared(a)\n"
        "head_1 = head(shared_1)\n"
        "add = keras.layers.Add()([x, shared_1])\n"
        "model = keras.Model(inputs=[a, b], outputs=[add, head_1], name=\"twin\")\n"
    )
    found = read_saved(_write(tmp_path, config))
    for part in lift(found.config, found.keras_version, "model").parts:
        lint(part.graph)


def test_custom_layer_becomes_an_import_and_a_warning(tmp_path) -> None:
    custom = {"module": "my_project.layers", "class_name": "Gate", "config": {"name": "gate", "size": 3}, "registered_name": "my_project>Gate"}
    written = source_from_saved(_write(tmp_path, _sequential(custom)), Style.SEQUENTIAL)
    assert written.ok
    assert "from my_project.layers import Gate  # registered as 'my_project>Gate'\n" in written.source
    # Keras would name the layer `gate` anyway, so the name is left to it.
    assert "keras.Sequential([keras.Input(shape=(4,)), Gate(size=3)])" in written.source
    assert [note.severity for note in written.notes] == ["warning"]
    assert "`Gate`" in written.notes[0].message


def test_model_of_its_own_class_is_a_call_of_that_class(tmp_path) -> None:
    config = {"module": "zoo", "class_name": "TinyNet", "config": {"width": 8}, "registered_name": "Custom>TinyNet"}
    written = source_from_saved(_write(tmp_path, config), Style.FUNCTIONAL)
    assert written.ok
    assert "from zoo import TinyNet" in written.source
    assert written.source.rstrip().endswith("model = TinyNet(width=8)")
    assert any("its own class" in note.message for note in written.notes)


def _corrupt_archive(tmp_path: Path) -> Path:
    path = tmp_path / "model.keras"
    path.write_bytes(b"PK\x03\x04 cut short")
    return path


def _archive_without_config(tmp_path: Path) -> Path:
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("model.weights.h5", b"")
    return path


BAD = {
    "missing file": (lambda tmp: tmp / "absent.keras", "no such file"),
    "corrupt archive": (_corrupt_archive, "not a zip archive"),
    "archive without config": (_archive_without_config, "no config.json"),
    "not json": (lambda tmp: _write(tmp, None, "x.json").with_suffix(".json").write_text("def f(): pass") and tmp / "x.json", "neither"),
    "json that is not a model": (lambda tmp: _write(tmp, {"optimizer": "adam"}), "not a Keras model config"),
    "unknown keras layer": (lambda tmp: _write(tmp, _sequential(_layer("Dense3000", "d"))), "keras.layers does not have"),
    "keras 2 to_json": (lambda tmp: _write(tmp, {"class_name": "Sequential", "config": {"layers": []}, "keras_version": "2.15.0"}), "Keras 2.15.0"),
    "keras 2 layers": (
        lambda tmp: _write(tmp, {"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4]}}]}}),
        "Keras 2",
    ),
    "lambda layer": (
        lambda tmp: _write(tmp, _sequential(_layer("Lambda", "fn", function={"class_name": "__lambda__", "config": {"code": "4wEA"}}))),
        "bytecode",
    ),
    "sequential without layers": (lambda tmp: _write(tmp, {"class_name": "Sequential", "config": {"name": "s", "layers": []}}), "no layers"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_diagnostic_and_exit_123(tmp_path, case) -> None:
    make, expected = BAD[case]
    path = make(tmp_path)
    written = source_from_saved(path, Style.FUNCTIONAL)
    assert not written.ok and len(written.diagnostics) == 1
    assert expected in written.diagnostics[0].message
    result = CliRunner().invoke(main, ["from-saved", str(path)])
    assert result.exit_code == 123
    assert "Traceback" not in result.output and result.output.count("error:") == 1


def test_h5_without_h5py_says_so(tmp_path, monkeypatch) -> None:
    path = tmp_path / "model.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
    monkeypatch.setitem(__import__("sys").modules, "h5py", None)
    written = source_from_saved(path, Style.FUNCTIONAL)
    assert "needs h5py" in written.diagnostics[0].message


def test_cli_writes_the_module_with_weights_and_name(tmp_path) -> None:
    out = tmp_path / "net.py"
    archive = tmp_path / "mnist_mlp.keras"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("config.json", (SAVED / "mnist_mlp.json").read_text())
    result = CliRunner().invoke(main, ["from-saved", str(archive), "--name", "net", "--weights", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "\nnet = keras.Model(inputs=pixels, outputs=outputs, name=\"mnist_mlp\")\n\nnet.load_weights(" in text
    assert text.endswith(f'"{archive}"\n)\n')  # a long path: black wraps the call


def test_cli_refuses_a_name_that_is_not_a_variable() -> None:
    result = CliRunner().invoke(main, ["from-saved", str(SAVED / "mnist_mlp.json"), "--name", "class"])
    assert result.exit_code == 2


def test_weights_from_a_json_config_are_refused() -> None:
    written = source_from_saved(SAVED / "mnist_mlp.json", Style.FUNCTIONAL, weights=True)
    assert "holds no weights" in written.diagnostics[0].message


def test_a_shared_layer_named_like_the_model_gets_its_own_variable(tmp_path) -> None:
    a = _layer("InputLayer", "a", [], batch_shape=[None, 4])
    shared = _layer("Dense", "keras", [{"args": [_tensor("a")], "kwargs": {}}, {"args": [_tensor("keras")], "kwargs": {}}], units=4)
    config = {"class_name": "Functional", "config": {"name": "m", "layers": [a, shared], "input_layers": ["a", 0, 0], "output_layers": ["keras", 1, 0]}}
    source = source_from_saved(_write(tmp_path, config), Style.FUNCTIONAL).source
    assert "keras_1 = keras.layers.Dense(4, name=\"keras\")\nx = keras_1(a)\noutputs = keras_1(x)\n" in source


def test_a_keras_op_saved_as_an_internal_class_is_refused(tmp_path) -> None:
    add = {"module": "keras.src.ops.numpy", "class_name": "Add", "config": {"name": "add"}, "registered_name": None}
    written = source_from_saved(_write(tmp_path, _sequential(add)), Style.FUNCTIONAL)
    assert "does not export" in written.diagnostics[0].message


def _mutations(value, path=()):
    """Every place in a config, for replacing it with something a model config never holds there."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _mutations(item, (*path, key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _mutations(item, (*path, number))


def _replaced(value, path, new):
    if not path:
        return new
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


@pytest.mark.parametrize("junk", [None, 7, {"class_name": 3}])
def test_any_damaged_config_is_a_result_never_an_exception(tmp_path, junk) -> None:
    config = json.loads((SAVED / "mnist_mlp.json").read_text())
    for number, path in enumerate(_mutations(config)):
        damaged = _write(tmp_path, _replaced(config, path, junk), f"m{number}.json")
        source_from_saved(damaged, Style.FUNCTIONAL)  # Converted or Refused; an exception fails the test


def test_custom_activation_and_layer_as_keras_3_saves_them(tmp_path) -> None:
    swishy = {"module": "builtins", "class_name": "function", "config": "zoo>swishy", "registered_name": "function"}
    gate = {"module": None, "class_name": "Gate", "config": {"name": "gate", "size": 3}, "registered_name": "zoo>Gate"}
    written = source_from_saved(_write(tmp_path, _sequential(_layer("Dense", "dense", units=3, activation=swishy), gate)), Style.FUNCTIONAL)
    assert written.ok, written.diagnostics
    assert "from custom_objects import swishy  # registered as 'zoo>swishy'\n" in written.source
    assert "from custom_objects import Gate  # registered as 'zoo>Gate'\n" in written.source
    assert "keras.layers.Dense(3, activation=swishy)" in written.source
    assert "`swishy`, `Gate`" in written.notes[0].message


def test_subclass_is_named_after_the_file_when_keras_named_the_model(tmp_path) -> None:
    path = _write(tmp_path, _sequential(_layer("Dense", "dense", units=2)), "tiny_net.json")
    written = source_from_saved(path, Style.SUBCLASS)
    assert "class TinyNet(keras.Model):\n" in written.source
    assert "\nmodel = TinyNet()\n" in written.source


def test_a_sequential_saved_unbuilt_takes_its_shape_from_input_shape(tmp_path) -> None:
    config = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [_layer("Dense", "dense", units=2)]}}
    path = _write(tmp_path, config)
    assert "--input-shape" in source_from_saved(path, Style.FUNCTIONAL).diagnostics[0].hint
    result = CliRunner().invoke(main, ["from-saved", str(path), "--input-shape", "28,28"])
    assert result.exit_code == 0, result.output
    assert "inputs = keras.Input(shape=(28, 28))\noutputs = keras.layers.Dense(2)(inputs)\n" in result.output


def test_an_argument_whose_default_follows_another_is_kept(tmp_path) -> None:
    # ResNet50's pool1_pool: strides (2, 2) are no default when pool_size is (3, 3) (left out, they would be 3).
    pool = _layer("MaxPooling2D", "pool", pool_size=[3, 3], strides=[2, 2], padding="valid")
    written = source_from_saved(_write(tmp_path, _sequential(pool)), Style.FUNCTIONAL)
    assert "keras.layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2), name=\"pool\")" in written.source
