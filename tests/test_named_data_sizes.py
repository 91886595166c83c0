"""A builder that names a size of its training data which both its ``Input`` and a layer read
(``n_features = x_train.shape[1]``): to a subclass, the builder computes it again for the line
that builds the instance, so the class keeps no ``self.n_features`` for it.

Fixture ``builder_names_data_sizes`` has the sizes only one of them reads.
"""

from __future__ import annotations

from converting import C, convert

SOURCE = """\
import keras
from keras import layers


def build_model(x_train, y_train):
    n_features = x_train.shape[1]
    n_classes = y_train.shape[-1]
    inputs = keras.Input(shape=(n_features,))
    x = layers.Dense(n_features * 2, activation="relu")(inputs)
    outputs = layers.Dense(n_classes)(x)
    return keras.Model(inputs, outputs)


model = build_model(keras.ops.ones((10, 8)), keras.ops.ones((10, 3)))
"""


def test_a_size_the_builder_computes_again_is_not_stored_on_the_subclass() -> None:
    out = convert(SOURCE, C)
    assert "    def __init__(self, x_train_dim, n_classes, **kwargs):\n" in out
    assert "        n_features = x_train_dim\n        self.dense1 = layers.Dense(n_features * 2" in out
    assert "self.n_features" not in out
    assert "    n_features = x_train.shape[1]\n    model = MyModel(" in out
    assert "    model(keras.Input(shape=(n_features,)))\n" in out
