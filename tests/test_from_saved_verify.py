"""``kconvert from-saved`` proven in TensorFlow: models this suite saves, written out, built and compared.

A subprocess saves every model once per run (fixture models from their slices,
MobileNetV2 with random weights, three residual blocks, a multi-input model with a
shared layer and a nested Sequential, dict inputs and outputs with an LSTM's
states, wrapper layers); each is written in every style it fits and verified
against ``keras.models.load_model`` of its file.  One worker for them all.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kconvert.from_saved import source_from_saved, verify_saved
from kconvert.parse.saved import lift, read_saved
from kconvert.ir.lint import lint
from kconvert.types import Style
from kconvert.verify import Worker
from kconvert.verify.locate import find_models
from kconvert.verify.slicer import slice_model
from kconvert.verify.source import index_source

pytestmark = [pytest.mark.tensorflow, pytest.mark.slow]

FIXTURES = Path(__file__).parent / "fixtures"
FROM_FIXTURES = {
    "mnist_mlp": ("sequential.py", "model"),
    "lenet5": ("functional.py", "model"),
    "two_input_add": ("functional.py", "model"),
    "shared_layer": ("functional.py", None),
    "nested_model": ("functional.py", "classifier"),
}
WRITTEN = textwrap.dedent(
    """
    import keras

    image = keras.Input(shape=(16,), name="image")
    meta = keras.Input(shape=(16,), name="meta")
    shared = keras.layers.Dense(16, activation="tanh", name="shared")
    head = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(4)], name="head")
    x = keras.layers.concatenate([shared(image), shared(meta)])
    score = keras.layers.Dense(1, activation="sigmoid", name="score")(head(x))
    both = keras.layers.Add(name="both")([shared(image), shared(meta)])
    keras.Model([image, meta], [score, both], name="two_heads").save(OUT / "multi_input.keras")
    keras.applications.MobileNetV2(weights=None).save(OUT / "mobilenet_v2.keras")
    text = keras.Input((5, 3), name="text")
    seq, h, c = keras.layers.LSTM(4, return_state=True, return_sequences=True, name="lstm")(text)
    keras.Model({"text": text}, {"seq": seq, "state": keras.layers.Add()([h, c])}).save(OUT / "dict_io.keras")
    flat = keras.Input((8,))
    both = keras.layers.Bidirectional(keras.layers.LSTM(3))(keras.layers.Reshape((2, 4))(flat))
    each = keras.layers.TimeDistributed(keras.layers.Dense(2))(keras.layers.Reshape((4, 2))(flat))
    keras.Model(flat, [both, each]).save(OUT / "wrappers.keras")
    residual = x = keras.Input((16, 16, 3), name="image")
    for number, rate in enumerate([1, 2, 4], start=1):
        y = keras.layers.Conv2D(3, 3, padding="same", dilation_rate=rate, name=f"res{number}_conv")(x)
        y = keras.layers.BatchNormalization(name=f"res{number}_bn")(y)
        x = keras.layers.Activation("relu", name=f"res{number}_out")(keras.layers.Add(name=f"res{number}_add")([x, y]))
    keras.Model(residual, keras.layers.Dense(3)(keras.layers.Flatten()(x))).save(OUT / "residual_blocks.keras")
    chain = keras.Sequential([keras.Input((12,)), keras.layers.Dense(6, activation="relu"), keras.layers.Dense(3)])
    with open(OUT / "chain.json", "w") as stream:
        stream.write(chain.to_json())
    chain.save(OUT / "chain.h5")
    """
)
# What each saved model can be written as: Sequential only for chains.
STYLES = {
    "mnist_mlp.keras": ("sequential", "functional", "subclass"),
    "lenet5.keras": ("sequential", "functional", "subclass"),
    "two_input_add.keras": ("functional", "subclass"),
    "shared_layer.keras": ("functional", "subclass"),
    "nested_model.keras": ("sequential", "functional", "subclass"),
    "multi_input.keras": ("functional", "subclass"),
    "mobilenet_v2.keras": ("functional", "subclass"),  # functional-subclass: with its weights, below
    "residual_blocks.keras": ("functional", "subclass", "functional-subclass"),
    "dict_io.keras": ("functional", "subclass"),
    "wrappers.keras": ("functional", "subclass"),
    "chain.json": ("sequential", "functional"),
    "chain.h5": ("sequential",),
}


def _fixture_script(case: str, file: str, name: str | None) -> str:
    text = (FIXTURES / case / file).read_text()
    index = index_source(text, file)
    sites = find_models(index)
    site = next(site for site in sites if name is None and site.primary or site.name == name)
    part = slice_model(index, site, sites)
    return f"exec({part.source!r}, scope := {{}})\neval({part.expr!r}, scope).save(OUT / {case + '.keras'!r})\n"


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("saved")
    script = "from pathlib import Path\nOUT = Path(%r)\n" % str(out)
    script += "".join(_fixture_script(case, *spec) for case, spec in FROM_FIXTURES.items()) + WRITTEN
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def worker():
    with Worker() as running:
        yield running


@pytest.mark.parametrize("file", sorted(STYLES))
def test_every_saved_model_lifts_to_graphs_that_lint(saved, file) -> None:
    found = read_saved(saved / file)
    for part in lift(found.config, found.keras_version, "model").parts:
        lint(part.graph)
        if part.folded is not None:
            lint(part.folded)


@pytest.mark.parametrize(("file", "style"), [(file, style) for file, styles in sorted(STYLES.items()) for style in styles])
def test_written_module_builds_the_saved_model(saved, worker, file, style) -> None:
    written = source_from_saved(saved / file, Style(style))
    assert written.ok, written.diagnostics
    compile(written.source, file, "exec")
    report = verify_saved(saved / file, written.source, worker=worker)
    assert report.exit_code == 0, report.render()


def test_a_chain_is_refused_nothing_but_sequential_of_a_branching_model(saved) -> None:
    written = source_from_saved(saved / "multi_input.keras", Style.SEQUENTIAL)
    assert not written.ok
    assert "a Sequential model has exactly one" in written.diagnostics[0].message


def test_weights_line_loads_the_saved_weights(saved, tmp_path) -> None:
    written = source_from_saved(saved / "multi_input.keras", Style.FUNCTIONAL, name="net", weights=True)
    (tmp_path / "net.py").write_text(written.source)
    # MobileNetV2's helper functions keep its layers flat: the saved weights load by the same structure.
    blocks = source_from_saved(saved / "mobilenet_v2.keras", Style.FUNCTIONAL_SUBCLASS, name="mobile", weights=True)
    assert "def residual_block(" in blocks.source
    (tmp_path / "mobile.py").write_text(blocks.source)
    check = textwrap.dedent(
        f"""
        import sys, numpy, keras
        sys.path.insert(0, {str(tmp_path)!r})
        import net, mobile
        saved = keras.models.load_model({str(saved / "multi_input.keras")!r})
        data = [numpy.random.default_rng(0).normal(size=(2, 16)).astype("float32")] * 2
        for mine, theirs in zip(net.net.predict(data, verbose=0), saved.predict(data, verbose=0)):
            assert numpy.allclose(mine, theirs), "weights differ"
        saved = keras.models.load_model({str(saved / "mobilenet_v2.keras")!r})
        image = numpy.random.default_rng(1).uniform(-1, 1, size=(1, 224, 224, 3)).astype("float32")
        mine, theirs = mobile.mobile.predict(image, verbose=0), saved.predict(image, verbose=0)
        assert numpy.allclose(mine, theirs, atol=1e-5), "MobileNetV2's weights differ"
        """
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_cli_verify_writes_only_a_proven_module(saved, tmp_path) -> None:
    from click.testing import CliRunner

    from kconvert.cli import main

    out = tmp_path / "lenet5.py"
    result = CliRunner().invoke(main, ["from-saved", str(saved / "lenet5.keras"), "--to", "sequential", "--verify", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "EQUIVALENT" in result.output
    assert out.read_text().startswith('"""The model saved in lenet5.keras')


def test_mobilenet_v2_is_written_with_each_block_once_in_seconds(saved) -> None:
    started = time.perf_counter()
    written = source_from_saved(saved / "mobilenet_v2.keras", Style.FUNCTIONAL)
    assert time.perf_counter() - started < 10
    # 156 calls as one line each (275 lines) before; now three helpers, called in four loops.
    assert len(written.source.splitlines()) < 120
    assert written.source.count("\ndef ") == 3 and written.source.count("\nfor prefix in [") == 4
    part = lift(read_saved(saved / "mobilenet_v2.keras").config, None, "model").parts[-1]
    lint(part.folded)
