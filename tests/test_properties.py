"""Property tests: generated models in every import style survive every round trip.

Hypothesis writes Sequential and Functional models the fixtures never saw —
random layers, import styles, add-form or list form, loops, branches — and
checks what must hold for all of them: conversion succeeds exactly when the
target can express the graph, the structure survives S→F→S and F→S→F, and a
second round changes no text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kconvert.convert import convert_source
from kconvert.ir.lint import lint
from kconvert.ir.structure import structure
from kconvert.parse import find_models
from kconvert.types import Converted, Options, Refused, Style

# (header, how a layer class is spelled, how Input is spelled)
IMPORT_STYLES = [
    ("import keras\n", "keras.layers.{}", "keras.Input"),
    ("from tensorflow import keras\n", "keras.layers.{}", "keras.layers.Input"),
    ("import tensorflow as tf\n", "tf.keras.layers.{}", "tf.keras.Input"),
    ("import keras\nfrom keras import layers\n", "layers.{}", "keras.Input"),
    (
        "from keras.layers import Activation, BatchNormalization, Dense, Dropout, Input, LayerNormalization\n"
        "from keras.models import Model, Sequential\n",
        "{}",
        "Input",
    ),
]
SEQUENTIAL_NAMES = {0: "keras.Sequential", 1: "keras.models.Sequential", 2: "tf.keras.Sequential", 3: "keras.Sequential", 4: "Sequential"}
MODEL_NAMES = {0: "keras.Model", 1: "keras.Model", 2: "tf.keras.Model", 3: "keras.Model", 4: "Model"}

LAYER = st.one_of(
    st.builds(lambda n, act: f"Dense({n}{act})", st.integers(1, 64), st.sampled_from(["", ', activation="relu"', ", activation='tanh'"])),
    st.builds(lambda r: f"Dropout({r})", st.sampled_from(["0.1", "0.5", "rate"])),
    st.just("BatchNormalization()"),
    st.just("LayerNormalization(epsilon=1e-6)"),
    st.just('Activation("softmax")'),
)


@st.composite
def sequential_models(draw):
    style = draw(st.integers(0, len(IMPORT_STYLES) - 1))
    header, spell, input_name = IMPORT_STYLES[style]
    layers = [spell.format(layer) for layer in draw(st.lists(LAYER, min_size=1, max_size=6))]
    shape = draw(st.sampled_from(["(8,)", "[28, 28]", "(None, 16)"]))
    name = draw(st.sampled_from(["", ', name="net"']))
    seq = SEQUENTIAL_NAMES[style]
    prelude = "rate = 0.2\n\n"
    if draw(st.booleans()):
        items = ", ".join([f"{input_name}(shape={shape})", *layers])
        body = f"model = {seq}([{items}]{name})\n"
    else:
        adds = [f"model.add({input_name}(shape={shape}))", *(f"model.add({layer})" for layer in layers)]
        if draw(st.booleans()):
            adds.insert(2, f"for _ in range({draw(st.integers(1, 5))}):\n    model.add({spell.format('Dense(8)')})")
        body = f"model = {seq}({name.lstrip(', ')})\n" + "\n".join(adds) + "\n"
    return header + prelude + body + "model.compile(optimizer='adam', loss='mse')\n"


def _convert(text: str, style: Style) -> Converted:
    result = convert_source(text, style, Options())
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics) + "\n" + text
    return result


def _structure(text: str):
    models = find_models(text)
    assert len(models) == 1 and models[0].problem is None, text
    lint(models[0].graph)
    return structure(models[0].graph)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(sequential_models())
def test_sequential_round_trips_through_functional(source: str) -> None:
    functional = _convert(source, Style.FUNCTIONAL).source
    assert _structure(functional) == _structure(source)
    assert functional.endswith("model.compile(optimizer='adam', loss='mse')\n")
    back = _convert(functional, Style.SEQUENTIAL).source
    assert _structure(back) == _structure(source)
    assert _convert(back, Style.FUNCTIONAL).source == functional
    assert _convert(functional, Style.FUNCTIONAL).source == functional


@st.composite
def functional_models(draw):
    """A random DAG of Dense layers and Add merges; a chain when no merge or branch is drawn."""
    style = draw(st.integers(0, len(IMPORT_STYLES) - 1))
    header, spell, input_name = IMPORT_STYLES[style]
    lines = [f"inputs = {input_name}(shape=(16,))"]
    tensors = ["inputs"]
    chain = True
    for index in range(draw(st.integers(1, 6))):
        if len(tensors) > 1 and draw(st.integers(0, 3)) == 0:
            a, b = draw(st.sampled_from([(tensors[-1], t) for t in tensors[:-1]]))
            lines.append(f"t{index} = {spell.format('Add')}()([{a}, {b}])")
            chain = False
        else:
            source = draw(st.sampled_from(tensors))
            chain &= source == tensors[-1]
            lines.append(f"t{index} = {spell.format('Dense(16)')}({source})")
        tensors.append(f"t{index}")
    lines.append(f"model = {MODEL_NAMES[style]}(inputs=inputs, outputs={tensors[-1]})")
    used = {t for line in lines for t in tensors if f"({t})" in line or f"{t}," in line or f", {t}]" in line}
    chain &= all(t in used for t in tensors[:-1])
    return header + "\n".join(lines) + "\nmodel.summary()\n", chain


@SETTINGS
@given(functional_models())
def test_functional_converts_to_sequential_exactly_when_it_is_a_chain(drawn) -> None:
    source, chain = drawn
    result = convert_source(source, Style.SEQUENTIAL, Options())
    if not chain:
        assert isinstance(result, Refused)
        (diagnostic,) = result.diagnostics
        assert diagnostic.line > 1 and diagnostic.hint
        return
    assert isinstance(result, Converted)
    assert _structure(result.source) == _structure(source)
    again = _convert(result.source, Style.FUNCTIONAL).source
    assert _structure(again) == _structure(source)


@st.composite
def subclass_models(draw):
    """A subclass with random layers made in __init__ and a chain (with optional residual adds) in call()."""
    style = draw(st.integers(0, len(IMPORT_STYLES) - 1))
    header, spell, _ = IMPORT_STYLES[style]
    base = MODEL_NAMES[style]
    count = draw(st.integers(1, 5))
    made = [f"        self.layer{i} = {spell.format('Dense(16)' if draw(st.booleans()) else draw(LAYER))}" for i in range(count)]
    calls, residual = [], False
    for i in range(count):
        training = ", training=training" if "Dropout" in made[i] or "BatchNormalization" in made[i] else ""
        calls.append(f"        x = self.layer{i}(x{training})")
        if "Dense(16)" in made[i] and draw(st.integers(0, 3)) == 0:
            calls.append("        x = x + inputs")
            residual = True
    source = (
        header
        + "rate = 0.2\n\n\n"
        + f"class Net({base}):\n"
        + "    def __init__(self, **kwargs):\n"
        + "        super().__init__(**kwargs)\n"
        + "\n".join(made)
        + "\n\n    def call(self, inputs, training=None):\n"
        + "        x = inputs\n"
        + "\n".join(calls)
        + "\n        return x\n\n\n"
        + "model = Net()\nmodel.build((None, 16))\n"
    )
    return source, residual


@SETTINGS
@given(subclass_models())
def test_subclasses_round_trip_through_functional_and_sequential(drawn) -> None:
    source, residual = drawn
    functional = _convert(source, Style.FUNCTIONAL).source
    assert _structure(functional) == _structure(source)
    assert _convert(functional, Style.FUNCTIONAL).source == functional
    back = _convert(functional, Style.SUBCLASS).source
    assert _structure(back) == _structure(source)
    sequential = convert_source(source, Style.SEQUENTIAL, Options())
    assert isinstance(sequential, Refused) == residual


@pytest.mark.tensorflow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(drawn=subclass_models())
def test_generated_subclasses_are_proven_equivalent_in_tensorflow(worker, drawn) -> None:
    # Independent of kconvert's own structure function: TensorFlow builds both.
    from kconvert.verify import verify_sources

    source, _ = drawn
    functional = _convert(source, Style.FUNCTIONAL).source
    report = verify_sources(source, functional, worker=worker, input_shape=(None, 16))
    assert report.exit_code == 0, report.render() + "\n" + source


@pytest.fixture(scope="module")
def worker():
    from kconvert.verify import Worker

    with Worker() as running:
        yield running
