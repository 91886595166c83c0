"""A class that builds a graph on a constructor parameter (``keras.Input(shape=(n,))``) converted to
a subclass: the build line after each instance reads the parameter by its name there
(rewrite/builds.py ``build_reach_problem``).  An instance that passes it under another name made
the safety check fail (an internal error); it is refused, naming the instance."""

from __future__ import annotations

from converting import C, convert, refusal

GRAPH_CLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Net(keras.Model):
    def __init__(self, n, units=8, **kwargs):
        inputs = keras.Input(shape=(n,))
        outputs = layers.Dense(units)(inputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.n = n
        self.units = units

    def get_config(self):
        return {**super().get_config(), "n": self.n, "units": self.units}


{made}
"""


def test_an_instance_passing_the_parameter_under_another_name_is_refused() -> None:
    assert refusal(GRAPH_CLASS.replace("{made}", "size = 4\nmodel = Net(size)"), C) == [
        "m.py:19:9: error: the model's input shape reads the constructor parameter `n`, and this"
        " `Net(...)` passes `size` for it; a subclass is built by a line after each instance, which"
        " reads `n` there (hint: pass it as `n=n`, or keep this model functional-subclass)"
    ]


def test_an_instance_passing_the_parameter_by_its_own_name_converts() -> None:
    out = convert(GRAPH_CLASS.replace("{made}", "n = 4\nmodel = Net(n=n)"), C)
    assert out.endswith("n = 4\nmodel = Net(n=n)\nmodel(keras.Input(shape=(n,)))\n"), out
    positional = convert(GRAPH_CLASS.replace("{made}", "n = 4\nmodel = Net(n, units=2)"), C)
    assert positional.endswith("model = Net(n, units=2)\nmodel(keras.Input(shape=(n,)))\n"), positional
