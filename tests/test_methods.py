"""A method of the model class that call() calls on tensors is read where it is called."""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.parse import find_models
from kconvert.types import Converted, Options, Refused, Style


def _model(call_body: str, methods: str, after: str = "") -> str:
    return (
        "import keras\n"
        "from keras import layers\n"
        "\n"
        "\n"
        "class M(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.a = layers.Dense(4)\n"
        "        self.b = layers.Dense(2)\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        + textwrap.indent(textwrap.dedent(call_body), "        ")
        + textwrap.indent(textwrap.dedent(methods), "    ")
        + "\n\nmodel = M()\nmodel.build((None, 4))\n"
        + after
    )


def _converted(text: str, target: Style = Style.FUNCTIONAL) -> str:
    result = convert_source(text, target, Options(), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result.source


def _refusal(text: str, target: Style = Style.FUNCTIONAL) -> list[str]:
    result = convert_source(text, target, Options(), "m.py")
    assert isinstance(result, Refused), result.source
    return [diagnostic.render() for diagnostic in result.diagnostics]


SHARED = _model(
    "x = self.block(inputs)\nx = self.block(x, training=training)\nreturn self.b(x)\n",
    "\ndef block(self, x, training=None):\n    h = self.a(x)\n    return keras.ops.relu(h)\n",
)


def test_a_method_called_twice_calls_the_same_layer_twice() -> None:
    (model,) = find_models(SHARED)
    dense = [layer.id for layer in model.graph.layers if layer.name == "a"]
    assert len(dense) == 1 and len(model.graph.calls_of(dense[0])) == 2
    assert not model.graph.methods


def test_the_method_is_written_out_at_each_call() -> None:
    # Made once at module level, the class comes back as module-level graph code.
    assert _converted(SHARED).split("\n\n", 1)[1] == (
        "inputs = keras.Input(shape=(4,))\n"
        "a = layers.Dense(4)\n"
        "h = a(inputs)\n"
        "x = keras.ops.relu(h)\n"
        "h = a(x)\n"
        "x = keras.ops.relu(h)\n"
        "outputs = layers.Dense(2)(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n"
    )


def test_a_method_the_rest_of_the_file_calls_is_kept_by_a_class_and_refused_by_functional() -> None:
    source = _model(
        "return self.encode(inputs)\n", "\ndef encode(self, x):\n    return self.a(x)\n", "code = model.encode(data)\n"
    )
    assert _refusal(source) == [
        "m.py:14:5: error: the method `encode` would be lost: a Functional model has no place for it"
        " (hint: keep this model a subclass, or convert it to functional-subclass (a graph model that keeps it))"
    ]
    # The graph class keeps the method, and the layer it reads as an attribute (emit/layer_attributes.py).
    kept = _converted(source, Style.FUNCTIONAL_SUBCLASS)
    assert "        self.a = layers.Dense(4)\n        outputs = self.a(inputs)\n" in kept
    assert "    def encode(self, x):\n        return self.a(x)\n" in kept


def test_a_method_that_sets_state_is_refused_where_it_does() -> None:
    source = _model("return self.encode(inputs)\n", "\ndef encode(self, x):\n    self.last = x\n    return self.a(x)\n")
    assert _refusal(source) == [
        "m.py:15:9: error: `encode` sets `self.last`: model state changed while it runs has no place in a static"
        " graph (hint: compute the value in __init__, or keep the model a subclass)"
    ]


def test_a_method_that_calls_itself_is_refused() -> None:
    source = _model("return self.deep(inputs)\n", "\ndef deep(self, x):\n    return self.deep(self.a(x))\n")
    assert _refusal(source) == [
        "m.py:15:16: error: `self.deep` calls itself, which a graph cannot write out"
        " (hint: keep the model a subclass)"
    ]


def _graph_class(init: str, method: str) -> str:
    return (
        "import keras\n"
        "from keras import layers\n"
        "\n"
        "\n"
        "class G(keras.Model):\n"
        "    def __init__(self, units=4):\n"
        + textwrap.indent(textwrap.dedent(init), "        ")
        + "        super().__init__(inputs=inputs, outputs=outputs)\n"
        "\n" + textwrap.indent(textwrap.dedent(method), "    ") + "\n\nmodel = G()\n"
    )


BUILD = "def _build(self, width):\n    x = keras.Input(shape=(3,))\n    return x, layers.Dense(width)(x)\n"


def test_a_method_that_builds_the_graph_is_read_where_init_calls_it() -> None:
    source = _graph_class("inputs, outputs = self._build(units)\n", BUILD)
    assert _converted(source).split("\n\n\n")[1] == (
        "def G(units=4):\n"
        "    width = units\n"
        "    x = keras.Input(shape=(3,))\n"
        "    outputs = layers.Dense(width)(x)\n"
        "    return keras.Model(inputs=x, outputs=outputs)"
    )


def test_a_graph_method_whose_names_init_uses_too_is_refused() -> None:
    source = _graph_class("width = 2\ninputs, outputs = self._build(units)\nprint(width)\n", BUILD)
    assert _refusal(source) == [
        "m.py:12:5: error: `_build` and `__init__` both use the name `width`; read in `__init__`, where it is"
        " called, the method would change it (hint: rename `width` in one of them, or keep this model in its"
        " current style)"
    ]


def test_a_graph_method_that_sets_an_attribute_is_refused() -> None:
    method = (
        "def _build(self):\n    self.made = True\n    x = keras.Input(shape=(3,))\n    return x, layers.Dense(2)(x)\n"
    )
    source = _graph_class("inputs, outputs = self._build()\n", method)
    assert _refusal(source) == [
        "m.py:11:9: error: this method, called before `super().__init__(...)`, sets `self.made`; read in"
        " `__init__`, where it is called, that would be a local name (hint: set it in `__init__`, or keep this"
        " model in its current style)"
    ]


def test_a_graph_method_called_inside_an_expression_is_refused() -> None:
    method = "def _head(self, x):\n    return layers.Dense(2)(x)\n"
    source = _graph_class("inputs = keras.Input(shape=(3,))\noutputs = keras.ops.relu(self._head(inputs))\n", method)
    assert _refusal(source)[0].startswith("m.py:8:34: error: `self._head` is a method of this class, called before")


def test_a_decorated_method_is_not_read_as_its_body() -> None:
    source = _model("return self.scale(self.a(inputs))\n", "\n@staticmethod\ndef scale(x):\n    return x * 2\n")
    assert _refusal(source) == [
        "m.py:12:16: error: `self.scale(...)` is not a layer made in __init__, so its code would be lost"
        " (hint: inline the method into call(), or keep the model a subclass)"
    ]


STATE = (
    "import keras\n"
    "\n"
    "\n"
    "class Net(keras.Model):\n"
    "    def __init__(self, units=4):\n"
    "        super().__init__()\n"
    "        self.dense = keras.layers.Dense(units)\n"
    "        self.time = []\n"
    "\n"
    "    def run_time(self):\n"
    "        return sum(self.time)\n"
    "\n"
    "    def call(self, inputs):\n"
    "        return self.dense(inputs)\n"
    "\n"
    "\n"
    "model = Net()\n"
    "model.build((None, 3))\n"
)


def test_the_state_a_kept_method_reads_is_kept_by_a_graph_class() -> None:
    # jlfilho's super-resolution models: `get_run_time` sums `self.time`, set to [] in __init__.
    # Dropped, the method's first call failed with AttributeError after an exit 0.
    kept = _converted(STATE, Style.FUNCTIONAL_SUBCLASS)
    assert kept.split("\n\n\n")[1] == (
        '@keras.saving.register_keras_serializable(package="m")\n'
        "class Net(keras.Model):\n"
        "    def __init__(self, units=4, **kwargs):\n"
        "        inputs = keras.Input(shape=(3,))\n"
        "        outputs = keras.layers.Dense(units)(inputs)\n"
        "        super().__init__(inputs=inputs, outputs=outputs, **kwargs)\n"
        "        self.units = units\n"
        "        self.time = []\n"
        "\n"
        "    def run_time(self):\n"
        "        return sum(self.time)\n"
        "\n"
        "    def get_config(self):\n"
        '        return {**super().get_config(), "units": self.units}'
    )
    assert _converted(kept, Style.FUNCTIONAL_SUBCLASS) == kept


def test_state_a_kept_method_reads_from_a_local_of_init_is_refused() -> None:
    source = STATE.replace("        self.time = []\n", "        start = [0]\n        self.time = start\n")
    assert _refusal(source, Style.FUNCTIONAL_SUBCLASS) == [
        "m.py:9:9: error: `self.time`, which a method the class keeps reads, is set from `start`, which a class"
        " that builds a graph does not have where it sets its state (hint: set `self.time` from the"
        " constructor's parameters, or keep the model a subclass)"
    ]
