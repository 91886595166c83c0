"""Idioms of book and course code that kconvert converted wrongly or refused badly (issue 9, session 7).

Each case is a small model of our own with the idea of a public file the session added to the
real-code measure (``benchmarks/realworld/``): Hands-on ML, Deep Learning with Python, the npfl114
course's templates, Advanced Deep Learning with Keras.
"""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import convert, refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

PLACEHOLDER_CLASS = """\
import keras


class Model(keras.Model):
    def __init__(self, args):
        words = keras.Input(shape=(8,))
        # TODO: embed the words and classify them.
        predictions = ...
        super().__init__(inputs=words, outputs=predictions)
"""

PLACEHOLDER_GRAPH = """\
import keras

inputs = keras.Input(shape=(8,))
outputs = ...
model = keras.Model(inputs=inputs, outputs=outputs)
"""


@pytest.mark.parametrize("target", [F, S, C])
def test_a_course_template_whose_outputs_are_a_placeholder_is_not_a_model(target: Style) -> None:
    # npfl114's templates leave `predictions = ...` for the student; to a subclass kconvert
    # wrote `return predictions` from a call() that has no such name (its safety check caught it).
    (message,) = refusal(PLACEHOLDER_CLASS, target)
    assert message == (
        "m.py:4:1: error: the model's outputs `predictions` are not a tensor its layers compute"
        " (hint: compute the outputs from the inputs with layers (a placeholder such as `...` is not a model yet))"
    )


@pytest.mark.parametrize("target", [S, C, G])
def test_a_functional_model_whose_outputs_are_a_placeholder_is_not_a_model(target: Style) -> None:
    (message,) = refusal(PLACEHOLDER_GRAPH, target)
    assert message.startswith("m.py:5:9: error: the model's outputs `outputs` are not a tensor its layers compute")


def test_a_call_inside_a_lambda_is_its_code_not_a_node_of_the_graph() -> None:
    # Hands-on ML: `mask = Lambda(lambda inputs: K.not_equal(inputs, 0))(inputs)` was refused
    # ("`this tensor` is computed ... but the model does not use it"): the lambda's `inputs`
    # was taken for the model's input and its `K.not_equal(...)` for a call of the graph.
    source = """\
    import keras

    K = keras.backend

    inputs = keras.Input(shape=[None])
    mask = keras.layers.Lambda(lambda inputs: K.not_equal(inputs, 0))(inputs)
    z = keras.layers.Embedding(100, 8)(inputs)
    z = keras.layers.GRU(4)(z, mask=mask)
    outputs = keras.layers.Dense(1)(z)
    model = keras.Model(inputs=inputs, outputs=outputs)
    """
    converted = convert(source, C)
    assert "        self.mask = keras.layers.Lambda(lambda inputs: K.not_equal(inputs, 0))\n" in converted
    assert "        mask = self.mask(inputs)\n" in converted


def test_a_call_with_more_than_the_previous_output_is_quoted_as_written_to_sequential() -> None:
    # npfl114's `hidden = self.create_cnn(args.cnn, inputs)` was refused as "called with ...
    # besides its input": each positional argument read as "...".
    source = """\
    import keras

    inputs = keras.Input(shape=(8,))
    x = keras.layers.Dense(4)(inputs)
    y = keras.layers.BatchNormalization()(x, training=False)
    model = keras.Model(inputs, y)
    """
    (message,) = refusal(source, S)
    assert message == (
        "m.py:5:5: error: `y` is called with `(x, training=False)`, not the previous layer's output alone;"
        " a Sequential model passes each layer only the previous output"
        " (hint: keep this model in the Functional API, or convert it to a subclass)"
    )


def test_an_ensemble_of_models_made_inside_an_append_is_refused_where_it_is_made() -> None:
    # npfl114's mnist_ensemble: `models.append(tf.keras.Sequential([...]))` in a loop was
    # "no Keras model found in this file" at 1:1.
    source = """\
    import keras

    models = []
    for size in [16, 32]:
        models.append(keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(size)]))
    """
    (message,) = refusal(source, F)
    assert message == (
        "m.py:5:19: error: this `keras.Sequential(...)` is made inside another expression: kconvert converts"
        " a model bound to a name or returned by a function (hint: bind it to a name first"
        " (`model = keras.Sequential(...)`), then use the name)"
    )


def test_a_model_made_as_a_statement_of_its_own_is_refused_as_dropped() -> None:
    # Kaggle's course notes show where a layer goes with a bare `keras.Sequential([...])`: the
    # refusal said it was "made inside another expression", which it is not.
    source = """\
    import keras

    keras.Sequential([keras.layers.Dropout(0.3), keras.layers.Dense(16)])
    """
    (message,) = refusal(source, F)
    assert message == (
        "m.py:3:1: error: this `keras.Sequential(...)` is a statement of its own, which drops the model:"
        " kconvert converts a model bound to a name or returned by a function (hint: bind it to a name"
        " first (`model = keras.Sequential(...)`), then use the name)"
    )


def test_sublayers_of_a_layer_class_are_no_model_of_the_file() -> None:
    source = """\
    import keras

    class Tower(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.blocks = [keras.Sequential([keras.layers.Dense(4)]) for _ in range(2)]
    """
    (message,) = refusal(source, F)
    assert "no Keras model found in this file" in message


def test_a_model_made_from_a_module_handed_at_run_time_is_refused_at_its_line() -> None:
    # segmentation_models and qubvel's EfficientNet get `layers` and `models` from
    # `get_submodules_from_kwargs(kwargs)`: "no Keras model found" at 1:1 said nothing. A file
    # that imports nothing of Keras (`nn.Sequential` in PyTorch) is no Keras file at all. (The
    # convention's own four modules, `backend, layers, models, utils`, are read as Keras:
    # tests/test_handed_modules.py; two names unpacked from it are not that.)
    source = """\
    from keras_applications import get_submodules_from_kwargs

    layers = None
    models = None


    def tiny_net(**kwargs):
        global layers, models
        layers, models = get_submodules_from_kwargs(kwargs)
        inputs = layers.Input(shape=(4,))
        return models.Model(inputs, layers.Dense(1)(inputs))
    """
    (message,) = refusal(source, C)
    assert message == (
        "m.py:11:12: error: `models.Model(...)` makes a model from `models`, which this file is handed at"
        " run time rather than imports, so kconvert cannot tell it is Keras (hint: import it from Keras:"
        " `from tensorflow.keras import models`, or `from keras import models`)"
    )
    (message,) = refusal("import torch.nn as nn\n\nnet = nn.Sequential(nn.Linear(4, 1))\n", C)
    assert "no Keras model found" in message


def test_a_module_handed_in_by_a_package_that_names_no_keras_is_refused_the_same() -> None:
    # classification_models imports the helper from its own package (`from .. import ...`), so no
    # import names Keras; the names it unpacks from a call are still modules handed in at run time.
    source = """\
    from . import get_submodules_from_kwargs


    def tiny_net(**kwargs):
        layers, models = get_submodules_from_kwargs(kwargs)
        inputs = layers.Input(shape=(4,))
        return models.Model(inputs, layers.Dense(1)(inputs))
    """
    (message,) = refusal(source, C)
    assert message.startswith("m.py:7:12: error: `models.Model(...)` makes a model from `models`, which this")


def test_a_keras_1_model_call_is_refused_at_its_line() -> None:
    # zhixuhao's U-Net ends with `Model(input = inputs, output = conv10)`: "no Keras model found" at 1:1.
    source = """\
    from keras.models import Model
    from keras.layers import Dense, Input

    inputs = Input((4,))
    model = Model(input=inputs, output=Dense(1)(inputs))
    """
    (message,) = refusal(source, C)
    assert message == (
        "m.py:5:9: error: `Model(input=..., output=...)` is Keras 1's spelling, which Keras 3 does not accept"
        " (hint: write `inputs=` and `outputs=`)"
    )


def test_a_subclass_of_sequential_is_refused_at_its_class_not_as_a_file_without_models() -> None:
    # `class MLP(keras.Sequential)` adding its layers in `__init__`: "no Keras model found" at 1:1.
    source = """\
    import keras
    from keras import layers


    class MLP(keras.Sequential):
        def __init__(self, width):
            super().__init__()
            self.add(keras.Input(shape=(8,)))
            self.add(layers.Dense(width))
    """
    (message,) = refusal(source, Style.FUNCTIONAL)
    assert message.startswith(
        "m.py:5:1: error: `MLP` is a subclass of `keras.Sequential` whose `__init__` gives it its layers:"
    )
