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


FITTED = """\
import keras
from keras import layers

inputs = keras.Input(shape=(4,))
outputs = layers.Dense(1)(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
{checkpoint}
stop = keras.callbacks.EarlyStopping(patience=2)
model.fit(x, y, epochs=3, callbacks={callbacks})
"""

# A checkpoint whose path ends in .h5 saves the whole model in the legacy format, each epoch (Keras 3
# takes `.keras` or `.h5` there), unless it saves weights only.
CHECKPOINTS = [
    ('best = keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)', "[best, stop]"),
    ('callbacks = [stop, keras.callbacks.ModelCheckpoint(filepath="ckpt_{epoch}.hdf5")]', "callbacks"),
    ('best = ModelCheckpoint(f"best_{3}.h5", "val_loss", 1, True, False)', "(stop, best)"),
    ('best = keras.callbacks.ModelCheckpoint("best.h5", save_weights_only=False)', "[best]"),
]


@pytest.mark.parametrize("target", [C, FS])
@pytest.mark.parametrize(("checkpoint", "callbacks"), CHECKPOINTS)
def test_a_checkpoint_in_the_legacy_format_keeps_the_model_a_graph(checkpoint: str, callbacks: str, target) -> None:
    [line] = refusal(FITTED.format(checkpoint=checkpoint, callbacks=callbacks), target)
    column = checkpoint.index("keras.callbacks" if "keras" in checkpoint else "ModelCheckpoint") + 1
    assert line.startswith(f"m.py:8:{column}: error: this checkpoint saves `model` in Keras' legacy .h5 format")
    assert line.endswith(
        '(hint: name its file `.keras` (`ModelCheckpoint("best.keras")`), which loads a registered class, or keep'
        " this model functional)"
    )


@pytest.mark.parametrize(
    "checkpoint",
    [
        'best = keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)',
        'best = keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)',
        'best = keras.callbacks.ModelCheckpoint("best.weights.h5", "loss", 0, True, True)',
        'best = keras.callbacks.TensorBoard("logs.h5")',
    ],
)
def test_a_checkpoint_that_keeps_a_class_or_weights_only_converts(checkpoint: str) -> None:
    out = convert(FITTED.format(checkpoint=checkpoint, callbacks="[best, stop]"), C)
    assert "class MyModel(keras.Model):\n" in out
    assert f"\n{checkpoint}\n" in out


METHOD_BUILDER = """\
import keras
from keras import layers


class Classifier:
    def __init__(self, directory, build=True):
        self.directory = directory
        if build:
            self.model = self.build_model((8,))
            self.model.summary()

    def build_model(self, shape):
        inputs = keras.Input(shape=shape)
        outputs = layers.Dense(2, activation="softmax")(inputs)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        return model

    def fit(self, x, y):
        self.model.fit(x, y, epochs=2)
        self.model.save(self.directory + "last_model.hdf5")
"""


@pytest.mark.parametrize("target", [C, FS])
def test_a_model_a_builder_method_returns_is_saved_by_another_method(target: Style) -> None:
    # hfawaz's time-series classifiers: `self.model = self.build_model(...)` under `if build:`.
    [line] = refusal(METHOD_BUILDER, target)
    assert line.startswith("m.py:21:9: error: this saves `self.model` in Keras' legacy .h5 format")


def test_a_builder_method_whose_model_is_saved_as_keras_converts() -> None:
    out = convert(METHOD_BUILDER.replace('"last_model.hdf5"', '"last_model.keras"'), C)
    assert "class ClassifierModel(keras.Model):\n" in out
    assert "        model = ClassifierModel()\n" in out
    assert "        self.model.save(self.directory + \"last_model.keras\")\n" in out


def test_a_checkpoint_in_a_function_given_the_model_as_a_parameter_is_refused_there() -> None:
    source = """\
import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, layers.Dense(1)(inputs))
    return model


def train(model, x, y):
    best = keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)
    model.fit(x, y, callbacks=[best])
"""
    [line] = refusal(source, C)
    assert line.startswith(
        "m.py:12:12: error: `model.fit(...)` reads a parameter named as the model `build_model()` returns, so it"
        " may use that model, which checkpoints it as .h5"
    )
    assert "(hint: name the checkpoint's file `.keras`, or keep this model functional" in line


def test_a_model_a_builder_makes_in_a_loop_or_under_main_is_followed_there() -> None:
    # A Kaggle notebook's fold loop, a script's `if __name__ == "__main__":` block.
    source = """\
import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(4,))
    return keras.Model(inputs, layers.Dense(1)(inputs))


if __name__ == "__main__":
    for fold in range(3):
        with strategy.scope():
            model = build_model()
        model.fit(x, y)
        model.save(f"fold_{fold}.h5")
"""
    [line] = refusal(source, C)
    assert line.startswith("m.py:15:9: error: this saves `model` in Keras' legacy .h5 format")
    assert "model = MyModel()" in convert(source.replace(".h5", ".keras"), C)
