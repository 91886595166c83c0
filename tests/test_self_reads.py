"""A model a method makes from its object's attributes: each attribute becomes a parameter of the
model's class, given by the method (parse/self_reads.py); what cannot be given so is refused,
naming it. The GAN fixture (`tests/fixtures/methods_read_self`) shows the whole conversion."""

from __future__ import annotations

from converting import C, convert, refusal
from kconvert.types import Style

AGENT = """\
import keras
from keras import layers


class Agent:
    def __init__(self, state_size=4, action_size=2):
        self.state_size = state_size
        self.action_size = action_size
        self.model = self.build_model()

    def build_model(self):
        inputs = keras.Input(shape=(self.state_size,))
        x = layers.Dense(16, activation="relu")(inputs)
        outputs = layers.Dense(self.action_size)(x)
        return keras.Model(inputs, outputs)
{more}

agent = Agent()
"""

DENSE = 'x = layers.Dense(16, activation="relu")(inputs)'


def agent(dense: str = DENSE, more: str = "", before: str = "") -> str:
    text = AGENT.replace(DENSE, dense).replace("{more}", more)
    return text.replace("        self.model = self.build_model()\n", before + "        self.model = self.build_model()\n")


def test_each_attribute_becomes_a_parameter_the_method_gives() -> None:
    graph = convert(agent(), Style.FUNCTIONAL_SUBCLASS)
    assert "    def __init__(self, state_size, action_size, **kwargs):\n" in graph
    assert "        inputs = keras.Input(shape=(state_size,))\n" in graph
    assert "        return AgentModel(state_size=self.state_size, action_size=self.action_size)\n" in graph
    subclass = convert(agent(), C)
    assert "        self.dense2 = layers.Dense(action_size)\n" in subclass
    assert (
        "        model = AgentModel(state_size=self.state_size, action_size=self.action_size)\n"
        "        model(keras.Input(shape=(self.state_size,)))\n"
        "        return model\n"
    ) in subclass
    assert convert(subclass, C) == subclass and convert(graph, Style.FUNCTIONAL_SUBCLASS) == graph


def test_a_private_attribute_is_named_without_its_underscore_and_a_name_in_use_is_numbered() -> None:
    private = convert(agent().replace("self.action_size", "self._action_size"), C)
    assert "model = AgentModel(state_size=self.state_size, action_size=self._action_size)" in private
    # The model also reads a module-level `state_size`: the parameter cannot take its name.
    both = agent("x = layers.Dense(state_size)(inputs)")
    both = both.replace("\n\nclass Agent:", "\nstate_size = 16\n\n\nclass Agent:")
    subclass = convert(both, C)
    assert "    def __init__(self, state_size_1, action_size, **kwargs):\n" in subclass
    assert "        self.dense1 = layers.Dense(state_size)\n" in subclass
    assert "model = AgentModel(state_size_1=self.state_size, action_size=self.action_size)" in subclass


def test_a_method_or_a_layer_of_the_object_the_model_calls_is_refused() -> None:
    # A method that builds layers is a helper (tests/test_method_helpers.py); one that only
    # computes on tensors is not: the class would have to call it.
    # One that only computes on tensors is no helper: the class would have to call it.
    ops = agent("x = self.double(inputs)", more="\n    def double(self, x):\n        return x * 2\n")
    assert refusal(ops, C) == [
        "m.py:15:9: error: `build_model` calls `self.double`, a method of the object whose method makes"
        " it; a class of its own, at module level, cannot call it (hint: make `double` a function of the"
        " module (kconvert reads its layers), or keep this model functional)"
    ]
    layer = agent("x = self.shared(inputs)", before="        self.shared = layers.Dense(16)\n")
    assert refusal(layer, Style.FUNCTIONAL_SUBCLASS) == [
        "m.py:16:9: error: `build_model` calls `self.shared`, a layer or model of the object whose method"
        " makes it; a functional-subclass class's parameters are values `get_config()` can save (hint:"
        " make the layer inside the model's code, or keep this model functional)"
    ]
    wrapped = agent(
        "x = layers.TimeDistributed(self.cnn)(inputs)", before="        self.cnn = keras.Sequential([layers.Dense(3)])\n"
    )
    assert refusal(wrapped, C)[0] == (
        "m.py:16:9: error: `build_model` reads `self.cnn`, a layer or model the object makes (line 9); a"
        " subclass class's parameters are values `get_config()` can save (hint: make it inside the"
        " model's code, or keep this model functional)"
    )


def test_self_itself_a_method_an_attribute_the_model_sets_or_a_lambda_reading_a_changing_one_is_refused() -> None:
    bare = agent("x = layers.Dense(width_of(self))(inputs)").replace(
        "\n\nclass Agent:", "\ndef width_of(agent):\n    return 16\n\n\nclass Agent:"
    )
    assert refusal(bare, C) == [
        "m.py:18:9: error: `build_model` reads `self` itself, the object whose method makes it; a class of"
        " its own, at module level, has no such object (hint: pass the values it reads in as parameters"
        " of `build_model`, or keep this model functional)"
    ]
    method = agent("x = layers.Lambda(self.scale)(inputs)", more="\n    def scale(self, t):\n        return t * 2\n")
    assert refusal(method, C) == [
        "m.py:15:9: error: `build_model` reads the method `self.scale`; a class of its own, at module level,"
        " would keep the object's method as configuration (hint: make `scale` a function of the module, or"
        " keep this model functional)"
    ]
    sets = agent("self.width = 16\n        x = layers.Dense(self.width)(inputs)")
    assert refusal(sets, C) == [
        "m.py:16:9: error: `build_model` sets `self.width` while it is built; a class of its own would set"
        " it on itself, not on the object whose method makes it (hint: set it after the model is made, or"
        " keep this model functional)"
    ]
    # The lambda reads `self.action_size` each time the model runs, after `grow` changes it.
    changing = agent(
        "x = layers.Lambda(lambda t: t * self.action_size)(inputs)",
        more="\n    def grow(self):\n        self.action_size += 1\n",
    )
    assert refusal(changing, C) == [
        "m.py:15:9: error: `build_model` reads `self.action_size` in a lambda, each time it runs, and `grow`"
        " sets it (line 18); a class of its own would keep the value it was made with (hint: keep this"
        " model functional)"
    ]
    # Set in __init__ alone, it has one value: the class takes it.
    unchanged = changing.replace("    def grow(self):\n        self.action_size += 1\n", "")
    assert "Lambda(lambda t: t * action_size)" in convert(unchanged, Style.FUNCTIONAL_SUBCLASS)


def test_a_lambda_whose_own_parameter_is_self_is_refused_as_reading_self() -> None:
    # Its `self` is not the object's, but a class's __init__ could not pass it on before `super()`.
    source = agent("x = layers.Lambda(lambda self: self * 2)(inputs)")
    assert refusal(source, Style.FUNCTIONAL_SUBCLASS)[0].startswith(
        "m.py:15:9: error: `build_model` reads `self` itself, the object whose method makes it;"
    )


PROPERTY = """
    @property
    def units(self):
        return self._units

    @units.setter
    def units(self, value):
        self._units = value
"""


def test_a_property_is_read_as_its_value_and_a_lambda_reading_one_watches_what_its_getter_reads() -> None:
    # kayua's audio models keep their settings behind properties: `self.units` is a value, as an
    # attribute is, that the method gives the class, not a method the class would keep.
    source = agent("x = layers.Dense(self.units)(inputs)", more=PROPERTY, before="        self.units = 16\n")
    subclass = convert(source, C)
    assert "        self.dense1 = layers.Dense(units)\n" in subclass
    call = "AgentModel(\n            state_size=self.state_size, units=self.units, action_size=self.action_size\n        )\n"
    assert "        model = " + call in subclass
    assert "        return " + call in convert(source, Style.FUNCTIONAL_SUBCLASS)
    # The getter reads `self._units`, which `grow` changes after the model is made.
    changing = agent(
        "x = layers.Lambda(lambda t: t * self.units)(inputs)",
        more=PROPERTY + "\n    def grow(self):\n        self._units += 1\n",
        before="        self.units = 16\n",
    )
    assert refusal(changing, C)[0].startswith(
        "m.py:16:9: error: `build_model` reads `self.units` in a lambda, each time it runs, and `grow` sets it"
    )


def test_a_shape_the_method_computes_for_the_input_reads_the_object_where_the_instance_is_built() -> None:
    # chansoopark98's pix2pix U-Net: ``gen_input_shape = (self.image_size[0], ...)`` only the
    # ``Input`` reads goes to the line that builds the instance, in the method, where the object's
    # attributes are read as they were, not as the class's parameters (an internal error before).
    computed = agent().replace(
        "        inputs = keras.Input(shape=(self.state_size,))\n",
        "        shape = (self.state_size,)\n        inputs = keras.Input(shape=shape)\n",
    )
    subclass = convert(computed, C)
    assert (
        "    def build_model(self):\n"
        "        shape = (self.state_size,)\n"
        "        model = AgentModel(state_size=self.state_size, action_size=self.action_size)\n"
        "        model(keras.Input(shape=shape))\n"
        "        return model\n"
    ) in subclass
