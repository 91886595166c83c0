"""Steps that only call or build a model, left out when the model has its own inputs."""

from __future__ import annotations

import textwrap

from kconvert.verify import Verdict, Worker, verify_sources

# The model has its input shape; the file then calls it on data that cannot be read here.
ORIGINAL = textwrap.dedent("""
    import numpy as np
    import keras

    features = np.load("higgs-not-here.npy")
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(28,)), keras.layers.Dense(1)])
    result = model(features)
""")
CONVERTED = textwrap.dedent("""
    import numpy as np
    import keras

    features = np.load("higgs-not-here.npy")
    inputs = keras.Input(shape=(28,))
    x = keras.layers.Dense(4)(inputs)
    outputs = keras.layers.Dense({units})(x)
    model = keras.Model(inputs, outputs)
    result = model(features)
""")
# A subclass has no inputs of its own: only ``model(features)`` gives it its shape.
SUBCLASS = textwrap.dedent("""
    import numpy as np
    import keras

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(4)
            self.out = keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    features = np.load("higgs-not-here.npy")
    model = Net()
    result = model(features)
""")


def test_models_with_their_own_inputs_are_compared_without_the_data_they_are_called_on() -> (
    None
):
    with Worker() as worker:
        same = verify_sources(ORIGINAL, CONVERTED.format(units=1), worker=worker)
        wrong = verify_sources(ORIGINAL, CONVERTED.format(units=2), worker=worker)
        subclass = verify_sources(SUBCLASS, SUBCLASS, worker=worker)
        # A subclass built only from that data takes the other model's inputs.
        to_subclass = verify_sources(ORIGINAL, SUBCLASS, worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    assert wrong.verdict is Verdict.DIFFERENT, wrong.render()
    # Never compared with a shape it was not built with: the data is still needed.
    assert subclass.verdict is Verdict.ERROR
    assert "higgs-not-here.npy" in subclass.render()
    assert to_subclass.verdict is Verdict.EQUIVALENT, to_subclass.render()
