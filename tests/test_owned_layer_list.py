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


def test_a_list_read_after_the_model_stays_and_is_not_inlined() -> None:
    later = SEQUENTIAL.replace("    return model\n", "    print(len(my_layers))\n    return model\n")
    (model,) = find_models(later)
    # Still the loop over the list's very objects: the list is the rest of the code's too.
    assert [type(node).__name__ for node in model.graph.body][-1] == "Loop"
    # That loop cannot take an Input from the list yet: refused, never converted without the list.
    assert refusal(later, F)


def test_a_list_with_code_between_it_and_the_model_is_not_inlined() -> None:
    between = SEQUENTIAL.replace("    model = keras.Sequential", "    print(vocab_size)\n    model = keras.Sequential")
    (model,) = find_models(between)
    assert [type(node).__name__ for node in model.graph.body] == ["Input", "Loop"]


@pytest.mark.tensorflow
@pytest.mark.parametrize("target", [F, C, G], ids=str)
def test_the_inlined_list_builds_the_same_model(target: Style) -> None:
    from kconvert.verify import verify_sources

    report = verify_sources(SEQUENTIAL, convert(SEQUENTIAL, target))
    assert report.exit_code == 0, report.render()
