"""A model the file saves in the legacy HDF5 format stays a graph (verify37, thushv89's Inception).

Keras 3 still writes ``model.save("net.h5")``, filing the model's class under its bare name; a
graph model loads back from it, a class kconvert writes does not (``Unknown layer: 'MyModel'``:
the registration files it under ``package>MyModel``), and a subclass would come back without its
layers even given ``custom_objects``.  The class styles refuse at the line that saves; the graph
styles convert, and so does a ``.keras`` path, which keeps a class.
"""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import convert, refusal

F, S, C, FS = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

BUILDER = """\
import keras
from keras import layers

PATH = "checkpoints/net.hdf5"


def build(units=8):
    inputs = keras.Input(shape=(4,))
    x = layers.Dense(units, activation="relu")(inputs)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


model = build()
model.compile(optimizer="adam", loss="mse")
{save}
model = keras.models.load_model("net.h5")
"""

SAVES = [
    'model.save("net.h5")',
    'model.save(f"net_{3}.H5")',
    'model.save(filepath="net.hdf5")',
    'model.save("net", save_format="h5")',
    "keras.models.save_model(model, PATH)",
    'keras.saving.save_model(model, "net.h5", overwrite=True)',
]


@pytest.mark.parametrize("target", [C, FS])
@pytest.mark.parametrize("save", SAVES)
def test_saving_in_the_legacy_format_keeps_the_model_a_graph(save: str, target: Style) -> None:
    [line] = refusal(BUILDER.format(save=save), target)
    assert line.startswith("m.py:16:1: error: this saves `model` in Keras' legacy .h5 format, whose `load_model`")
    assert line.endswith(
        '(hint: save it as `.keras` (`model.save("model.keras")`), which loads a registered class, or keep this'
        " model functional)"
    )


@pytest.mark.parametrize("save", SAVES)
def test_the_graph_styles_still_convert_a_model_saved_so(save: str) -> None:
    out = convert(BUILDER.format(save=save), S)
    assert "    return keras.Sequential(\n" in out
    assert f"\n{save}\n" in out


@pytest.mark.parametrize("save", ['model.save("net.keras")', 'model.save_weights("net.weights.h5")', 'model.save(path)'])
def test_a_format_that_keeps_a_class_or_a_path_not_known_to_be_h5_converts(save: str) -> None:
    source = BUILDER.replace('PATH = "checkpoints/net.hdf5"', 'path = input("where? ")').format(save=save)
    out = convert(source, C)
    assert "(keras.Model):\n    def __init__(self, units=8, **kwargs):\n" in out
    assert f"\n{save}\n" in out
