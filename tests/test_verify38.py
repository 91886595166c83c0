"""Session 38's verification sample (verify38): a model a class's own method builds, saved as .hdf5.

hfawaz's time-series classifiers build their Functional model in a method (``build_model``), store
it from ``__init__`` inside an ``if`` (``if build: self.model = self.build_model(...)``), save it as
``.hdf5`` in ``fit`` and load it back in ``predict``. At ``main`` (``f77dee8``) kconvert converted
such a file to subclass and functional-subclass with exit 0: it followed a builder's model only where
the builder is called by its bare name at a block's top level, so the save in another method went
unseen, and the class it wrote does not load back from .h5. The refusal at that save is the lead's
(session 38's ``s38`` branch, ``8f6dd141``, ``tests/test_legacy_saved.py``); this pins, in TensorFlow,
the break it prevents: the original runs, the output as kconvert wrote it fails at ``load_model``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converting import C, convert
from running import run_script

# hfawaz's classifiers in small: the model a method builds, stored in an ``if`` of __init__, saved
# as .hdf5 in ``fit`` and loaded back in ``predict``.
SAVED_BY_ANOTHER_METHOD = """\
import keras
from keras import layers


class Classifier:
    def __init__(self, input_shape, nb_classes, build=True):
        if build:
            self.model = self.build_model(input_shape, nb_classes)

    def build_model(self, input_shape, nb_classes):
        inputs = keras.Input(input_shape)
        x = layers.Dense(8, activation="relu")(inputs)
        outputs = layers.Dense(nb_classes, activation="softmax")(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        return model

    def fit(self, x, y):
        self.model.fit(x, y, epochs=1, verbose=0)
        self.model.save("last_model.hdf5")

    def predict(self, x):
        model = keras.models.load_model("last_model.hdf5")
        return model.predict(x, verbose=0)


if __name__ == "__main__":
    import numpy as np

    classifier = Classifier((4,), 2)
    x = np.random.rand(8, 4).astype("float32")
    y = keras.utils.to_categorical(np.arange(8) % 2, 2)
    classifier.fit(x, y)
    print(classifier.predict(x).shape)
"""


@pytest.mark.tensorflow
def test_the_class_written_for_a_method_built_model_saved_as_hdf5_does_not_load_back(tmp_path: Path) -> None:
    # The to-subclass output as kconvert wrote it at f77dee8 is the output for the file saved as
    # .keras, saving as .hdf5 again: that one runs, this one fails where ``predict`` loads the model.
    as_keras = convert(SAVED_BY_ANOTHER_METHOD.replace('"last_model.hdf5"', '"last_model.keras"'), C)
    assert "class ClassifierModel(keras.Model):" in as_keras
    broken = as_keras.replace('"last_model.keras"', '"last_model.hdf5"')
    results = []
    files = {"original.py": SAVED_BY_ANOTHER_METHOD, "as_keras.py": as_keras, "as_hdf5.py": broken}
    for name, text in files.items():
        run = run_script(tmp_path, name, text)
        results.append((run.returncode, run.stdout.splitlines()[-1:], "Unknown layer: 'ClassifierModel'" in run.stderr))
    assert results == [(0, ["(8, 2)"], False), (0, ["(8, 2)"], False), (1, [], True)]
