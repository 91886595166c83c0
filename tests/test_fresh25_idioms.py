"""Idioms of real model code found by session 25's fresh sample.

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh25"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A recommender's builder starts with `model = keras.Sequential()`, then builds a two-input
# Functional graph and binds `model` again to it: the empty Sequential is never read, so it is
# no model; it was refused as "a Sequential model with no layers" in every direction.
PLACEHOLDER = """\
from tensorflow import keras


def build(dim):
    model = keras.Sequential()
    users = keras.Input(shape=(dim,))
    items = keras.Input(shape=(dim,))
    x = keras.layers.Concatenate()([users, items])
    out = keras.layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs=[users, items], outputs=out)
    model.compile(loss="binary_crossentropy")
    return model


model = build(8)
"""

PLACEHOLDER_SUBCLASS = """\
from tensorflow import keras


@keras.utils.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.concatenate = keras.layers.Concatenate()
        self.dense = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs, training=None):
        users, items = inputs
        x = self.concatenate([users, items])
        return self.dense(x)


def build(dim):
    model = keras.Sequential()
    model = MyModel()
    model([keras.Input(shape=(dim,)), keras.Input(shape=(dim,))])
    model.compile(loss="binary_crossentropy")
    return model


model = build(8)
"""


def test_an_empty_sequential_bound_again_before_any_read_is_no_model() -> None:
    assert convert(PLACEHOLDER, F) == PLACEHOLDER
    assert convert(PLACEHOLDER, C) == PLACEHOLDER_SUBCLASS
    assert convert(PLACEHOLDER_SUBCLASS, C) == PLACEHOLDER_SUBCLASS


def test_an_empty_sequential_read_before_it_is_bound_again_is_still_refused() -> None:
    read = PLACEHOLDER.replace("    users = keras", "    model.summary()\n    users = keras", 1)
    assert any(":5:13: error: this Sequential model has no layers" in line for line in refusal(read, C))


# An audio CRNN's builder imports TensorFlow when it is called (`from tensorflow.keras.layers import
# Conv2D, ...` inside the function): the names were refused as locals a class at module level cannot
# read. A class deriving from a Keras `Model` imports Keras with its module anyway, so the names the
# class reads are imported at module level too; the function keeps its own imports.
LAZY_IMPORTS = """\
def build(n):
    '''Imports TensorFlow only when called.'''
    from tensorflow.keras import Model
    from tensorflow.keras.layers import Input, Dense

    x = Input(shape=(4,))
    y = Dense(n)(x)
    return Model(x, y)


model = build(3)
"""

LAZY_IMPORTS_SUBCLASS = """\
from tensorflow.keras import Input, Model, utils
from tensorflow.keras.layers import Dense


@utils.register_keras_serializable(package="m")
class MyModel(Model):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = n
        self.dense = Dense(n)

    def call(self, inputs, training=None):
        return self.dense(inputs)

    def get_config(self):
        return {**super().get_config(), "n": self.n}


def build(n):
    '''Imports TensorFlow only when called.'''
    from tensorflow.keras import Model
    from tensorflow.keras.layers import Input, Dense

    model = MyModel(n=n)
    model(Input(shape=(4,)))
    return model


model = build(3)
"""

LAZY_IMPORTS_FUNCTIONAL_SUBCLASS = """\
from tensorflow.keras import Model, utils
from tensorflow.keras.layers import Dense, Input


@utils.register_keras_serializable(package="m")
class MyModel(Model):
    def __init__(self, n, **kwargs):
        x = Input(shape=(4,))
        y = Dense(n)(x)
        super().__init__(inputs=x, outputs=y, **kwargs)
        self.n = n

    def get_config(self):
        return {**super().get_config(), "n": self.n}


def build(n):
    '''Imports TensorFlow only when called.'''
    from tensorflow.keras import Model
    from tensorflow.keras.layers import Input, Dense

    return MyModel(n=n)


model = build(3)
"""


def test_the_imports_of_a_builder_that_the_class_reads_are_made_at_module_level() -> None:
    assert convert(LAZY_IMPORTS, C) == LAZY_IMPORTS_SUBCLASS
    assert convert(LAZY_IMPORTS_SUBCLASS, C) == LAZY_IMPORTS_SUBCLASS
    assert convert(LAZY_IMPORTS, FS) == LAZY_IMPORTS_FUNCTIONAL_SUBCLASS
    assert convert(LAZY_IMPORTS_FUNCTIONAL_SUBCLASS, FS) == LAZY_IMPORTS_FUNCTIONAL_SUBCLASS


def test_a_name_a_builder_imports_relatively_is_still_refused() -> None:
    relative = LAZY_IMPORTS.replace("Dense\n", "Dense\n    from .sizes import WIDTH\n").replace("Dense(n)", "Dense(WIDTH)")
    assert any(":5:5: error: `WIDTH` is computed in `build`" in line for line in refusal(relative, C))


# A VQGAN's call() passes Python's `input` to its encoder (a typo for `inputs`); the refusal quoted
# the statement with the comment above it as if both were code.
TYPO_INPUT = """\
from tensorflow import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([keras.layers.Input(shape=(8,)), keras.layers.Dense(4)])
        self.decoder = keras.layers.Dense(8)

    def call(self, inputs, training=False):
        # encode the images
        x = self.encoder(input, training=training)
        return self.decoder(x)


model = Net()
"""


def test_a_refused_statement_of_call_is_quoted_without_the_comment_above_it() -> None:
    assert refusal(TYPO_INPUT, F)[0].startswith(
        "m.py:12:9: error: `x = self.encoder(input, training=training)` reads an attribute"
    )
