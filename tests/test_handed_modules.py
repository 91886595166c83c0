"""Keras modules handed in by the caller: keras_applications' ``get_submodules_from_kwargs``.

The builders of keras_applications and of qubvel's classification_models, segmentation_models and
efficientnet take their Keras from ``**kwargs``. kconvert reads those names as Keras, so a model
already in the target style is left as it is; a conversion whose code would need a Keras import
is refused at the model, since an import would ignore the Keras the caller hands in.
"""

from __future__ import annotations

import pytest

from kconvert.api import convert_source
from kconvert.types import Converted, Options, Style

from converting import refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

# The module-level placeholders a builder sets with ``global``, read by a helper of the file too.
GLOBALS = """\
from keras_applications import get_submodules_from_kwargs

backend = None
layers = None
models = None
keras_utils = None


def conv_block(filters):
    def apply(x):
        return layers.Conv2D(filters, 3, padding="same")(x)
    return apply


def small_net(input_shape=(16, 16, 3), classes=4, **kwargs):
    global backend, layers, models, keras_utils
    backend, layers, models, keras_utils = get_submodules_from_kwargs(kwargs)
    inputs = layers.Input(shape=input_shape)
    x = conv_block(8)(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(classes)(x)
    return models.Model(inputs, outputs)
"""

# Local names, unpacked from a helper the package imports from itself.
LOCALS = """\
from .. import get_submodules_from_kwargs


def small_net(input_shape=(16, 16, 3), classes=4, **kwargs):
    backend, kl, km, ku = get_submodules_from_kwargs(kwargs)
    inputs = kl.Input(shape=input_shape)
    x = kl.Conv2D(8, 3)(inputs)
    x = kl.GlobalAveragePooling2D()(x)
    outputs = kl.Dense(classes)(x)
    return km.Model(inputs, outputs)
"""


@pytest.mark.parametrize("text", [GLOBALS, LOCALS], ids=["globals", "locals"])
def test_a_functional_builder_on_handed_modules_is_already_functional(text: str) -> None:
    result = convert_source(text, F, Options(), "m.py")
    assert isinstance(result, Converted)
    assert result.source == text
    assert [(model.name, model.source_style, model.changed) for model in result.models] == [("small_net", F, False)]


@pytest.mark.parametrize("target", [C, G])
def test_a_class_cannot_derive_from_a_model_the_caller_hands_in_later(target: Style) -> None:
    (message,) = refusal(LOCALS, target)
    assert message == (
        "m.py:10:12: error: `km.Model` is the Keras the caller hands in at run time"
        " (`get_submodules_from_kwargs(kwargs)`): the class a conversion writes derives from a Keras"
        " `Model` when the module is imported, before any caller has handed its Keras in (hint: keep this"
        " builder as it is, or import Keras at module level in place of `get_submodules_from_kwargs`"
        " (`from tensorflow import keras`) to convert it)"
    )


def test_new_keras_names_would_need_an_import_that_ignores_the_callers_keras() -> None:
    (message,) = refusal(LOCALS, S)
    assert message.startswith(
        "m.py:10:12: error: `km.Model` is the Keras the caller hands in at run time"
        " (`get_submodules_from_kwargs(kwargs)`): the sequential code needs Keras names the model does"
        " not use yet, which kconvert writes only through an import,"
    )


def test_the_graph_refuses_first_where_it_cannot_be_written() -> None:
    # The helper that returns a function is read as the helper it is (parse/closure_helpers.py), so
    # the first line a Sequential model cannot hold is the model made from the handed-in Keras.
    (message,) = refusal(GLOBALS, S)
    assert message.startswith("m.py:22:12: error: `models.Model` is the Keras the caller hands in at run time")


@pytest.mark.parametrize(
    "change",
    [
        # Not the convention's four modules: unpacking two of four fails when it runs.
        ("backend, kl, km, ku = get_submodules_from_kwargs", "kl, km = get_submodules_from_kwargs"),
        # Another function's modules are not the convention's.
        ("= get_submodules_from_kwargs(kwargs)", "= load_modules(kwargs)"),
        # Rebound to something else before the model is made.
        ("    inputs = kl.Input", "    km = make_models()\n    inputs = kl.Input"),
    ],
    ids=["two-names", "other-function", "rebound"],
)
def test_other_names_handed_in_are_still_refused_as_unknown(change: tuple[str, str]) -> None:
    text = LOCALS.replace(*change)
    assert text != LOCALS
    (message,) = refusal(text, C)
    assert "`km.Model(...)` makes a model from `km`, which this file is handed at run time" in message


def test_a_handed_module_among_the_model_lines_is_enough_to_refuse() -> None:
    # `Model` imported from Keras, its layers from the caller's Keras: the class would mix two Kerases.
    text = LOCALS.replace("from .. import", "from tensorflow.keras.models import Model\nfrom .. import")
    text = text.replace("return km.Model(", "return Model(")
    (message,) = refusal(text, G)
    assert message.startswith("m.py:7:14: error: `kl.Input` is the Keras the caller hands in at run time")
