"""A Sequential model given its layers by a name bound just before (issue 9, the TensorFlow
text tutorial's ``keras.Sequential(my_layers)``).

When nothing after the model reads the name, the list is the model's own: it is read as if it
were written in the call, and its statement goes with the model. A name read again after the
model keeps its list, and the model the very objects in it (``named_layer_lists``).
"""

from __future__ import annotations

import pytest

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert, refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

SEQUENTIAL = """\
import keras
from keras import layers


def create_model(vocab_size, num_labels):
    my_layers = [
        keras.Input(shape=(20,)),
        layers.Embedding(vocab_size, 64),
        layers.GlobalMaxPooling1D(),
        layers.Dense(num_labels),
    ]
    model = keras.Sequential(my_layers)
    return model


model = create_model(1000, 4)
"""

# Written by hand as a Keras user writes the same model with the Functional API.
FUNCTIONAL = """\
import keras
from keras import layers


def create_model(vocab_size, num_labels):
    inputs = keras.Input(shape=(20,))
    x = layers.Embedding(vocab_size, 64)(inputs)
    x = layers.GlobalMaxPooling1D()(x)
    outputs = layers.Dense(num_labels)(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


model = create_model(1000, 4)
"""


def test_a_list_only_the_model_reads_is_read_as_its_layers() -> None:
    assert convert(SEQUENTIAL, F) == FUNCTIONAL
    for target in (C, G):
        out = convert(SEQUENTIAL, target)
        assert "my_layers" not in out
        (model,) = find_models(out)
        lint(model.graph)
        assert convert(out, target) == out
    # The way back writes the list in the call, where the Sequential idiom has it.
    assert "    model = keras.Sequential(\n        [\n            keras.Input(shape=(20,)),\n" in convert(FUNCTIONAL, S)


INPUT_IN_LOOP = "`keras.Input(shape=(20,))` is in `my_layers`, which the other styles call item by item as layers"


def test_a_list_read_after_the_model_stays_and_is_not_inlined() -> None:
    later = SEQUENTIAL.replace("    return model\n", "    print(len(my_layers))\n    return model\n")
    # The list stays, and the model would be a loop over its very objects; but a loop calls
    # each item as a layer, and the list's first item is an input: refused at the list's Input.
    for target in (F, C, G):
        assert INPUT_IN_LOOP in refusal(later, target)[0]
    # Without the Input, the list is a loop over its very objects (``named_layer_lists``).
    shaped = later.replace("        keras.Input(shape=(20,)),\n", "").replace("Embedding(vocab_size, 64)", "Embedding(vocab_size, 64, input_shape=(20,))")
    (model,) = find_models(shaped)
    assert [type(node).__name__ for node in model.graph.body][-2:] == ["Input", "Loop"]


def test_a_list_with_code_between_it_and_the_model_is_not_inlined() -> None:
    between = SEQUENTIAL.replace("    model = keras.Sequential", "    print(vocab_size)\n    model = keras.Sequential")
    assert INPUT_IN_LOOP in refusal(between, F)[0]
    assert "my_layers = [" in convert(between.replace("        keras.Input(shape=(20,)),\n", ""), S)


@pytest.mark.tensorflow
@pytest.mark.parametrize("target", [F, C, G], ids=str)
def test_the_inlined_list_builds_the_same_model(target: Style) -> None:
    from kconvert.verify import verify_sources

    report = verify_sources(SEQUENTIAL, convert(SEQUENTIAL, target))
    assert report.exit_code == 0, report.render()
