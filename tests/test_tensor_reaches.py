"""Code after a model that reads a tensor of the model's code, when the model becomes a class that
builds its graph: each read becomes the same tensor reached through the model (``encoder.input``,
``encoder.outputs[1]``, ``encoder.get_layer("z").output``); refused where there is no such way, or
where the model's variable may not be the model."""

from __future__ import annotations

from pathlib import Path

import pytest
import textwrap

from converting import convert, refusal
from running import run_script

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style

FS = Style.FUNCTIONAL_SUBCLASS

ENCODER = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    x = layers.Dense(16, activation="relu")(inputs)
    z_mean = layers.Dense(2)(x)
    z_log_var = layers.Dense(2)(x)
    h = layers.Dense(4, name="hidden")(x)
    encoder = keras.Model(inputs, [z_mean, z_log_var, layers.Dense(1)(h)])

    kl = -0.5 * keras.ops.sum(1 + z_log_var - keras.ops.exp(z_log_var), axis=-1)
    probe = keras.Model(inputs, [kl, z_mean, h])
    print(probe(keras.ops.ones((2, 8)))[0].shape)
    """


def test_later_reads_of_the_model_tensors_go_through_the_model() -> None:
    # Was refused: "`inputs` from the model's code is still used here, but the functional-subclass
    # form has no such variable", whose hint already named `encoder.input`.
    out = convert(ENCODER.replace("probe = keras.Model(inputs, [kl, z_mean, h])", "probe = None"), FS)
    after = out.split("encoder = Encoder()\n", 1)[1]
    assert after == (
        "\n"
        "kl = -0.5 * keras.ops.sum(1 + encoder.outputs[1] - keras.ops.exp(encoder.outputs[1]), axis=-1)\n"
        "probe = None\n"
        "print(probe(keras.ops.ones((2, 8)))[0].shape)\n"
    )


def _encoder_only(text: str) -> str:
    """``text`` with only ``encoder`` converted: ``probe``, built on its tensors, stays Functional."""
    result = convert_source(textwrap.dedent(text), FS, Options(model="encoder"), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    return result.source


def test_a_model_built_on_them_reads_the_input_and_a_named_layer_s_output() -> None:
    out = _encoder_only(ENCODER)
    assert 'probe = keras.Model(encoder.input, [kl, encoder.outputs[0], encoder.get_layer("hidden").output])\n' in out


SINGLE = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    outputs = layers.Dense(2)(inputs)
    model = keras.Model(inputs=inputs, outputs=outputs)
    print(inputs.shape, outputs.shape)
    """


def test_one_input_and_one_output_are_the_model_s_input_and_output() -> None:
    assert convert(SINGLE, FS).endswith("\nprint(model.input.shape, model.output.shape)\n")


def test_a_function_that_binds_the_model_s_name_is_not_rewritten() -> None:
    # Its `model` parameter, not the model, would be read.
    text = SINGLE.replace("print(inputs.shape, outputs.shape)", "def show(model):\n        return inputs.shape")
    assert refusal(text, FS) == [
        "m.py:8:12: error: `inputs` from the model's code is still used here, but the functional-subclass"
        " form has no such variable (hint: `inputs` is the model's input: write `model.input` here, the same"
        " tensor; or keep this model Functional, or stop using its tensors after building it)"
    ]


def test_a_tensor_of_an_unnamed_layer_has_no_way_through_the_model() -> None:
    text = SINGLE.replace("outputs = layers.Dense(2)(inputs)", "h = layers.Dense(4)(inputs)\n    outputs = layers.Dense(2)(h)")
    text = text.replace("print(inputs.shape, outputs.shape)", "print(h.shape, inputs.shape)")
    assert refusal(text, FS) == [
        "m.py:8:7: error: `h` from the model's code is still used here, but the functional-subclass form has"
        " no such variable (hint: give the layer that makes `h` a name= and write `model.get_layer(NAME).output`"
        " here; or keep this model Functional, or stop using its tensors after building it)"
    ]


def test_other_styles_still_refuse() -> None:
    assert "the subclass form has no such variable" in refusal(SINGLE, Style.SUBCLASS)[0]


RUN = """
import numpy as np

keras.utils.set_random_seed(1)
weights = [np.full(w.shape, 0.1 * (i + 1), "float32") for i, w in enumerate(encoder.get_weights())]
encoder.set_weights(weights)
print(np.round(np.asarray(probe(np.ones((2, 8), "float32"))[0]), 5).tolist())
"""


@pytest.mark.tensorflow
def test_the_rewritten_code_computes_the_same(tmp_path: Path) -> None:
    original = textwrap.dedent(ENCODER).replace("print(probe", "# print(probe")
    results = []
    for name, text in {"original.py": original, "converted.py": _encoder_only(original)}.items():
        run = run_script(tmp_path, name, text + RUN)
        results.append((run.returncode, run.stdout.splitlines()[-1:]))
    assert results[0][0] == 0 and results[1] == results[0]
