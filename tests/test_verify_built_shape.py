"""A subclass the file builds on one shape is never proven equal to a model of another."""

from __future__ import annotations

import textwrap

import pytest

from kconvert.verify import Verdict, Worker, verify_sources

pytestmark = pytest.mark.tensorflow

SUBCLASS = textwrap.dedent("""
    import keras

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(4)
            self.out = keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    model = Net()
    model.build(({batch}, {width}))
""")
FUNCTIONAL = textwrap.dedent("""
    import keras

    inputs = keras.Input(shape=(28,))
    x = keras.layers.Dense(4)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
""")


def test_a_subclass_built_on_another_shape_differs() -> None:
    with Worker() as worker:
        narrower = verify_sources(
            SUBCLASS.format(batch=None, width=20), FUNCTIONAL, worker=worker
        )
        same = verify_sources(
            SUBCLASS.format(batch=2, width=28), FUNCTIONAL, worker=worker
        )
    assert narrower.verdict is Verdict.DIFFERENT, narrower.render()
    assert (
        "inputs differ: [(None, 20)] in original, [(None, 28)] in converted"
        in narrower.render()
    )
    # The batch the file happened to build with is no difference.
    assert same.verdict is Verdict.EQUIVALENT, same.render()


def test_a_shape_of_numpy_integers_is_a_shape() -> None:
    # ``model.build((None, X.shape[1] // 2))`` or ``np.prod(...)``: Keras keeps numpy integers.
    numpy_built = "import numpy as np\n" + SUBCLASS.format(batch=None, width="np.int64(28)")
    with Worker() as worker:
        report = verify_sources(numpy_built, FUNCTIONAL, worker=worker)
    assert report.verdict is Verdict.EQUIVALENT, report.render()
