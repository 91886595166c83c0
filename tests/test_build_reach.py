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


# The shape is the class's parameter alone: each instance's build line takes its value instead
# (rewrite/instance_shapes.py).
SHAPED_CLASS = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, n=4, units=8, **kwargs):
        inputs = keras.Input(shape=(n * 2,))
        outputs = layers.Dense(units)(inputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


{made}
"""


def test_the_value_an_instance_passes_goes_to_its_build_line() -> None:
    out = convert(SHAPED_CLASS.replace("{made}", "model = Net(3, units=2)"), C)
    assert "    def __init__(self, units=8, **kwargs):\n" in out, out
    assert out.endswith("model = Net(units=2)\nmodel(keras.Input(shape=(3 * 2,)))\n"), out


def test_the_default_goes_to_the_build_line_of_an_instance_that_passes_nothing() -> None:
    out = convert(SHAPED_CLASS.replace("{made}", "model = Net()"), C)
    assert out.endswith("model = Net()\nmodel(keras.Input(shape=(4 * 2,)))\n"), out


def test_an_expression_is_parenthesised_where_the_input_computes_with_it() -> None:
    out = convert(SHAPED_CLASS.replace("{made}", "a = 1\nmodel = Net(n=a + 1)"), C)
    assert out.endswith("model = Net()\nmodel(keras.Input(shape=((a + 1) * 2,)))\n"), out


def test_a_returned_instance_is_named_built_and_returned() -> None:
    out = convert(SHAPED_CLASS.replace("{made}", "def make():\n    return Net(3)\n\n\nmodel = make()"), C)
    assert "def make():\n    model = Net()\n    model(keras.Input(shape=(3 * 2,)))\n    return model\n" in out, out


def test_instances_of_several_shapes_keep_the_parameter() -> None:
    made = "small = Net(3)\nlarge = Net(5)"
    assert refusal(SHAPED_CLASS.replace("{made}", made), C) == [
        "m.py:12:9: error: the model's input shape reads the constructor parameter `n`, and this"
        " `Net(...)` passes `3` for it; a subclass is built by a line after each instance, which"
        " reads `n` there (hint: pass it as `n=n`, or keep this model functional-subclass)"
    ]


def test_a_value_that_calls_something_keeps_the_parameter() -> None:
    # Moved to the build line, or dropped where the file calls the model itself, a call's effects
    # would move or vanish.
    made = "sizes = iter([3])\nmodel = Net(next(sizes))"
    assert refusal(SHAPED_CLASS.replace("{made}", made), C)[0].startswith(
        "m.py:13:9: error: the model's input shape reads the constructor parameter `n`, and this `Net(...)` passes `next(sizes)`"
    )


def test_a_class_the_file_names_elsewhere_keeps_the_parameter() -> None:
    made = "model = Net(3)\nassert isinstance(model, Net)"
    assert refusal(SHAPED_CLASS.replace("{made}", made), C)[0].startswith(
        "m.py:12:9: error: the model's input shape reads the constructor parameter `n`, and this `Net(...)` passes `3`"
    )


def test_an_instance_called_on_data_gets_no_build_line_but_passes_less() -> None:
    made = "model = Net(3)\nmodel(keras.ops.zeros((1, 6)))"
    out = convert(SHAPED_CLASS.replace("{made}", made), C)
    assert out.endswith("model = Net()\nmodel(keras.ops.zeros((1, 6)))\n"), out


def test_an_input_dtype_is_built_by_a_line_though_the_file_fits_the_model_on_data() -> None:
    # Built by ``fit`` on the file's array alone, the float64 input became float32: the safety
    # check refused its own output (found by tfkeras25).
    made = "import numpy as np\nreadings = np.zeros((64, 4))\nmodel = Net()\nmodel.fit(readings, readings, epochs=1)"
    text = SHAPED_CLASS.replace("shape=(n * 2,)", 'shape=(4,), dtype="float64"').replace("{made}", made)
    out = convert(text, C)
    assert 'model = Net()\nmodel(keras.Input(shape=(4,), dtype="float64"))\nmodel.fit(' in out, out
