"""keras.Model subclasses, read and written: exact output, refusals with line:col, round trips."""

from __future__ import annotations

import textwrap

import pytest

from kconvert.convert import convert_source
from kconvert.ir.lint import lint
from kconvert.ir.structure import structure
from kconvert.parse import find_models
from kconvert.types import Converted, Options, Refused, Style


def convert(text: str, target: Style, **options) -> str:
    result = convert_source(textwrap.dedent(text), target, Options(**options), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result.source


def refusal(text: str, target: Style = Style.FUNCTIONAL, **options) -> list[str]:
    result = convert_source(textwrap.dedent(text), target, Options(**options), "m.py")
    assert isinstance(result, Refused), result.source
    return [diagnostic.render() for diagnostic in result.diagnostics]


def structures(text: str) -> list[tuple]:
    models = find_models(text)
    for model in models:
        assert model.problem is None, model.problem.render()
        lint(model.graph)
    return [structure(model.graph) for model in models]


NET = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, units=8):
        super().__init__()
        self.hidden = layers.Dense(units, activation="relu")
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


model = Net()
model.build((None, 4))
"""


def test_subclass_becomes_a_builder_function_named_like_the_class() -> None:
    assert convert(NET, Style.FUNCTIONAL) == """\
import keras
from keras import layers


def Net(units=8):
    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(units, activation="relu")(inputs)
    outputs = layers.Dense(1)(hidden)
    return keras.Model(inputs=inputs, outputs=outputs)


model = Net()
"""



def test_a_bare_return_ending_init_is_no_statement_to_convert() -> None:
    # dragen1860's DCGAN ends each __init__ with `return`: it was refused as a statement of __init__.
    with_return = NET.replace("        self.out = layers.Dense(1)\n", "        self.out = layers.Dense(1)\n        return\n")
    assert convert(with_return, Style.FUNCTIONAL) == convert(NET, Style.FUNCTIONAL)

def test_subclass_to_sequential() -> None:
    assert convert(NET, Style.SEQUENTIAL) == """\
import keras
from keras import layers


def Net(units=8):
    return keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(units, activation="relu"),
            layers.Dense(1),
        ]
    )


model = Net()
"""


def test_builder_function_named_like_a_class_becomes_the_class_again() -> None:
    functional = convert(NET, Style.FUNCTIONAL)
    assert convert(functional, Style.SUBCLASS) == """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Net(keras.Model):
    def __init__(self, units=8, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = layers.Dense(units, activation="relu")
        self.dense = layers.Dense(1)

    def call(self, inputs, training=None):
        hidden = self.hidden(inputs)
        return self.dense(hidden)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


model = Net()
model(keras.Input(shape=(4,)))
"""


FLAGS = """\
import keras
from keras.layers import BatchNormalization, Dense


class MLP(keras.Model):
    def __init__(self, use_bn=False, num_classes=10):
        super(MLP, self).__init__(name="mlp")
        self.use_bn = use_bn
        self.dense_1 = Dense(32, activation="relu")
        self.dense_2 = Dense(num_classes, activation="softmax")
        if self.use_bn:
            self.bn = BatchNormalization()

    def call(self, inputs, training=None):
        x = self.dense_1(inputs)
        if self.use_bn:
            x = self.bn(x, training=training)
        return self.dense_2(x)


model = MLP(use_bn=True)
model(keras.ops.zeros((1, 20)))
"""


def test_constructor_flags_stay_parameters_and_if_statements() -> None:
    assert convert(FLAGS, Style.FUNCTIONAL) == """\
import keras
from keras.layers import BatchNormalization, Dense


def MLP(use_bn=False, num_classes=10):
    inputs = keras.Input(shape=(20,))
    x = Dense(32, activation="relu")(inputs)
    if use_bn:
        x = BatchNormalization()(x)
    outputs = Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mlp")


model = MLP(use_bn=True)
model(keras.ops.zeros((1, 20)))
"""


def test_constructor_flags_in_sequential_use_add_calls() -> None:
    assert convert(FLAGS, Style.SEQUENTIAL) == """\
import keras
from keras.layers import BatchNormalization, Dense


def MLP(use_bn=False, num_classes=10):
    model = keras.Sequential(name="mlp")
    model.add(keras.Input(shape=(20,)))
    model.add(Dense(32, activation="relu"))
    if use_bn:
        model.add(BatchNormalization())
    model.add(Dense(num_classes, activation="softmax"))
    return model


model = MLP(use_bn=True)
model(keras.ops.zeros((1, 20)))
"""


def test_functional_to_subclass_with_a_shared_layer() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    shared = layers.Dense(8)
    a = shared(inputs)
    b = shared(a)
    outputs = layers.Dense(1)(a + b)
    model = keras.Model(inputs, outputs, name="twice")
    model.summary()
    """
    assert convert(source, Style.SUBCLASS) == """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Twice(keras.Model):
    def __init__(self, name="twice", **kwargs):
        super().__init__(name=name, **kwargs)
        self.shared = layers.Dense(8)
        self.dense = layers.Dense(1)

    def call(self, inputs, training=None):
        a = self.shared(inputs)
        b = self.shared(a)
        return self.dense(a + b)


model = Twice()
model(keras.Input(shape=(4,)))
model.summary()
"""


def test_sequential_loop_becomes_a_layer_list() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(3,))])
    for units in (16, 8):
        model.add(layers.Dense(units))
    """
    assert convert(source, Style.SUBCLASS, class_name="Funnel") == """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Funnel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense_layers = [layers.Dense(units) for units in (16, 8)]

    def call(self, inputs, training=None):
        x = inputs
        for dense in self.dense_layers:
            x = dense(x)
        return x


model = Funnel()
model(keras.Input(shape=(3,)))
"""


def test_model_built_in_a_function_gets_its_class_above_the_function() -> None:
    source = """\
    import keras
    from keras import layers


    def build_model(num_classes=10):
        inputs = keras.Input(shape=(8,))
        x = layers.Dropout(0.2)(inputs)
        outputs = layers.Dense(num_classes)(x)
        return keras.Model(inputs=inputs, outputs=outputs, name="head")


    model = build_model(num_classes=3)
    """
    assert convert(source, Style.SUBCLASS) == """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Head(keras.Model):
    def __init__(self, num_classes=10, name="head", **kwargs):
        super().__init__(name=name, **kwargs)
        self.num_classes = num_classes
        self.dropout = layers.Dropout(0.2)
        self.dense = layers.Dense(num_classes)

    def call(self, inputs, training=None):
        x = self.dropout(inputs, training=training)
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def build_model(num_classes=10):
    model = Head(num_classes=num_classes)
    model(keras.Input(shape=(8,)))
    return model


model = build_model(num_classes=3)
"""


def test_a_class_named_builder_stays_when_the_inputs_read_its_parameters() -> None:
    # keras.io's MPNN: `MPNNModel(atom_dim, ...)` made its inputs from `atom_dim`; the class stood for
    # the builder and the build line after `MPNNModel(atom_dim=...)` read an `atom_dim` not bound there.
    # Only the build line reads it: the class does not take it.
    source = """\
    import keras
    from keras import layers


    def MPNNModel(atom_dim, units=4):
        atoms = layers.Input((atom_dim,), name="atoms")
        x = layers.Dense(units)(atoms)
        return keras.Model(inputs=atoms, outputs=x)


    mpnn = MPNNModel(atom_dim=3)
    """
    assert convert(source, Style.SUBCLASS).endswith('''\
    def call(self, inputs, training=None):
        return self.dense(inputs)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def MPNNModel(atom_dim, units=4):
    model = MPNN(units=units)
    model(keras.Input((atom_dim,), name="atoms"))
    return model


mpnn = MPNNModel(atom_dim=3)
''')
    # A graph class builds itself from its own parameters: it stands for the builder.
    assert "\nclass MPNNModel(keras.Model):\n" in convert(source, Style.FUNCTIONAL_SUBCLASS)


PAIR = """\
import keras
from keras import layers


class Pair(keras.Model):
    def __init__(self):
        super().__init__()
        self.left = layers.Dense(4)
        self.right = layers.Dense(4)

    def call(self, inputs):
        a, b = inputs
        return self.left(a) + self.right(b)


model = Pair()
model([keras.Input(shape=(2,)), keras.Input(shape=(3,))])
"""


def test_several_inputs_unpacked_in_call() -> None:
    assert convert(PAIR, Style.FUNCTIONAL) == """\
import keras
from keras import layers

a = keras.Input(shape=(2,))
b = keras.Input(shape=(3,))
left = layers.Dense(4)(a)
right = layers.Dense(4)(b)
model = keras.Model(inputs=[a, b], outputs=left + right)
"""


def test_input_shape_option_supplies_the_shape() -> None:
    source = NET.replace("model = Net()\nmodel.build((None, 4))\n", "")
    assert "    inputs = keras.Input(shape=(6,))\n" in convert(source, Style.FUNCTIONAL, input_shape=(6,))


def test_layer_list_from_comprehension_and_appends() -> None:
    source = """\
    import keras
    from keras import layers


    class Deep(keras.Model):
        def __init__(self, depth=2):
            super().__init__()
            self.blocks = [layers.Dense(8) for _ in range(depth)]
            self.norms = []
            for _ in range(depth):
                self.norms.append(layers.LayerNormalization())

        def call(self, x):
            for block, norm in zip(self.blocks, self.norms):
                x = norm(block(x))
            return x


    model = Deep()
    model.build((None, 8))
    """
    assert convert(source, Style.FUNCTIONAL) == """\
import keras
from keras import layers


def Deep(depth=2):
    inputs = keras.Input(shape=(8,))
    x = inputs
    for _ in range(depth):
        x = layers.Dense(8)(x)
        x = layers.LayerNormalization()(x)
    return keras.Model(inputs=inputs, outputs=x)


model = Deep()
"""


def test_subclass_to_subclass_changes_nothing() -> None:
    assert convert(NET, Style.SUBCLASS) == NET


# --- refusals -----------------------------------------------------------------------


def _model(call_body: str, extra: str = "") -> str:
    return (
        "import keras\n"
        "from keras import layers\n"
        "\n"
        "\n"
        "class M(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.a = layers.Dense(4)\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        + textwrap.indent(textwrap.dedent(call_body), "        ")
        + extra
        + "\n\nmodel = M()\nmodel.build((None, 4))\n"
    )


def test_custom_train_step_is_kept_as_subclass_and_refused_elsewhere() -> None:
    source = _model("return self.a(inputs)\n", "\n    def train_step(self, data):\n        return {}\n")
    assert convert(source, Style.SUBCLASS) == source
    assert refusal(source) == [
        "m.py:13:5: error: the method `train_step` would be lost: a Functional model has no place"
        " for it (hint: keep this model a subclass, or convert it to"
        " functional-subclass (a graph model that keeps it))"
    ]
    assert refusal(source, Style.SEQUENTIAL)[0].startswith("m.py:13:5: error: the method `train_step`")


def test_a_class_or_long_attribute_inside_the_model_class_is_named_on_one_line() -> None:
    nested = _model(
        "return self.a(inputs)\n",
        "\n    class Scale(layers.Layer):\n        def call(self, x):\n            return 2 * x\n",
    )
    assert refusal(nested) == [
        "m.py:13:5: error: the class `Scale` is defined inside the model class and would be lost in a"
        " Functional model (hint: move `Scale` to the top level of the module first, or keep this model"
        " a subclass)"
    ]
    long = _model("return self.a(inputs)\n", "\n    sizes = {\n        'a': 1,\n    }\n")
    assert refusal(long) == [
        "m.py:13:5: error: the class attribute `sizes = { ...` would be lost in a Functional model"
        " (hint: keep this model a subclass)"
    ]


def test_refuses_control_flow_on_tensor_values() -> None:
    source = _model("x = self.a(inputs)\nif keras.ops.sum(x) > 0:\n    x = self.a(x)\nreturn x\n")
    assert refusal(source) == [
        "m.py:12:9: error: this `if` depends on tensor values, which a static graph cannot express"
        " (hint: branch only on parameters of the model's builder, or keep the model a subclass)"
    ]


def test_refuses_layers_with_weights_made_in_call() -> None:
    source = _model("return layers.Dense(2)(self.a(inputs))\n")
    assert refusal(source) == [
        "m.py:11:16: error: `layers.Dense(2)(...)` makes a new layer, with new weights, each time call() runs"
        " (hint: create the layer once in __init__ and call it here)"
    ]


def test_a_layer_without_weights_made_and_called_in_call_is_a_layer_of_the_graph() -> None:
    source = _model("x = layers.Add()([self.a(inputs), inputs])\nreturn layers.Activation('relu')(x)\n")
    assert "\nx = layers.Add()([a, inputs])\noutputs = layers.Activation('relu')(x)\n" in convert(
        source, Style.FUNCTIONAL
    )


def test_a_layer_without_weights_kept_in_a_name_in_call_is_refused() -> None:
    # Only a layer made and called at once is read as made at its call.
    source = _model("drop = layers.Dropout(0.5)\nreturn drop(self.a(inputs))\n")
    assert refusal(source) == [
        "m.py:11:16: error: `layers.Dropout(...)` makes a new layer each time call() runs"
        " (hint: create the layer once in __init__ and call it here)"
    ]


def test_refuses_state_set_in_call() -> None:
    source = _model("self.last = self.a(inputs)\nreturn self.last\n")
    assert refusal(source) == [
        "m.py:11:9: error: call() sets `self.last`: model state changed while it runs has no place"
        " in a static graph (hint: compute the value in __init__, or keep the model a subclass)"
    ]


def test_refuses_branching_on_training() -> None:
    source = _model("x = self.a(inputs)\nif training:\n    x = x * 0.5\nreturn x\n")
    assert refusal(source) == [
        "m.py:12:12: error: call() uses `training` itself, which is only known when the model runs"
        " (hint: only pass it on to layers as `training=training`, or keep the model a subclass)"
    ]


def test_a_mode_flag_keras_does_not_pass_is_refused_with_the_rename() -> None:
    # The TF2 tutorials' `call(self, x, is_training=False)`: their callers pass `is_training=True`,
    # which a graph model does not take, even where call() only hands it on to a layer.
    source = _model("x = self.a(inputs, training=is_training)\nreturn x\n").replace("training=None", "is_training=False")
    assert refusal(source) == [
        "m.py:11:37: error: call() takes the mode as `is_training`, which a graph model is not called with:"
        " Keras calls it with `training` and passes that on to its layers itself (hint: rename `is_training`"
        " to `training` in call() and where the model is called, and only pass it on to layers as"
        " `training=training`; or keep the model a subclass)"
    ]
    # Unread, it converted, and the callers' `is_training=True` then failed (TypeError).
    unread = _model("return self.a(inputs)\n").replace("training=None", "training=None, is_training=False")
    assert refusal(unread, Style.SEQUENTIAL)[0].startswith(
        "m.py:10:43: error: call() takes the mode as `is_training`, which a graph model is not called with"
    )
    other = _model("return self.a(inputs)\n").replace("training=None", "training=None, return_all=False")
    assert refusal(other) == [
        "m.py:10:43: error: call() takes `return_all` besides its inputs, which a graph model is not called"
        " with (hint: keep the model a subclass, or make `return_all` one of the model's inputs)"
    ]


def test_refuses_without_an_input_shape() -> None:
    source = _model("return self.a(inputs)\n").replace("model = M()\nmodel.build((None, 4))\n", "")
    # The class reads back without a shape; the Functional emitter is what needs one.
    assert refusal(source) == [
        "m.py:10:5: error: this model has no input shape, and kconvert does not run code to find one"
        " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
        " and --model M:LINE with this error's line, or make keras.Input(shape=...) its first layer)"
    ]
    assert convert(source, Style.SUBCLASS) == source


def test_refuses_different_shapes_for_one_class() -> None:
    source = _model("return self.a(inputs)\n") + "other = M()\nother.build((None, 5))\n"
    assert refusal(source)[0].startswith("m.py:5:1: error: `M` is used with different input shapes")


# --- round trips --------------------------------------------------------------------


@pytest.mark.parametrize("source", [NET, FLAGS, PAIR], ids=["net", "flags", "pair"])
def test_subclass_to_functional_and_back_builds_the_same_model(source: str) -> None:
    functional = convert(source, Style.FUNCTIONAL)
    back = convert(functional, Style.SUBCLASS)
    assert structures(back) == structures(source)
    assert convert(back, Style.SUBCLASS) == back


def test_functional_to_subclass_and_back_builds_the_same_model() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(10,))
    x = layers.Dense(16, activation="relu")(inputs)
    skip = layers.Dense(16)(inputs)
    outputs = layers.Dense(1)(x + skip)
    model = keras.Model(inputs=inputs, outputs=outputs)
    """
    subclass = convert(source, Style.SUBCLASS)
    functional = convert(subclass, Style.FUNCTIONAL)
    assert structures(functional) == structures(textwrap.dedent(source))
    assert convert(functional, Style.FUNCTIONAL) == functional


def test_sequential_to_subclass_and_back_builds_the_same_model() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(4), layers.Dropout(0.1), layers.Dense(1)])
    """
    subclass = convert(source, Style.SUBCLASS)
    sequential = convert(subclass, Style.SEQUENTIAL)
    assert structures(sequential) == structures(textwrap.dedent(source))


def test_dict_inputs_and_tuple_outputs() -> None:
    source = """\
    import keras
    from keras import layers


    class Fusion(keras.Model):
        def __init__(self):
            super().__init__()
            self.image_head = layers.Dense(8)
            self.meta_head = layers.Dense(2)

        def call(self, inputs):
            meta = inputs["meta"]
            image = inputs["image"]
            return self.image_head(image), self.meta_head(meta)


    model = Fusion()
    model({"image": keras.Input(shape=(16,)), "meta": keras.Input(shape=(3,))})
    """
    functional = convert(source, Style.FUNCTIONAL)
    assert functional == """\
import keras
from keras import layers

image = keras.Input(shape=(16,), name="image")
meta = keras.Input(shape=(3,), name="meta")
image_head = layers.Dense(8)(image)
meta_head = layers.Dense(2)(meta)
model = keras.Model(
    inputs={"image": image, "meta": meta}, outputs=(image_head, meta_head)
)
"""
    subclass = convert(functional, Style.SUBCLASS)
    assert """\
    def call(self, inputs, training=None):
        image = inputs["image"]
        meta = inputs["meta"]
        image_head = self.image_head(image)
        meta_head = self.meta_head(meta)
        return (image_head, meta_head)
""" in subclass
    assert structures(subclass) == structures(functional)


def test_loop_over_a_literal_layer_list_runs_once_per_element() -> None:
    source = """\
    import keras
    from keras import layers


    class Stack(keras.Model):
        def __init__(self):
            super().__init__()
            self.convs = [layers.Dense(8), layers.Dense(4)]

        def call(self, inputs):
            x = inputs
            for conv in self.convs:
                x = conv(x)
            return x


    model = Stack()
    model.build((None, 3))
    """
    assert "\nx = layers.Dense(8)(inputs)\nx = layers.Dense(4)(x)\n" in convert(source, Style.FUNCTIONAL)


def test_functional_if_on_a_builder_parameter_is_read_as_a_branch() -> None:
    source = """\
    import keras
    from keras import layers


    def build(dropout=True):
        inputs = keras.Input(shape=(4,))
        x = layers.Dense(8)(inputs)
        if dropout:
            x = layers.Dropout(0.5)(x)
        return keras.Model(inputs, x)


    model = build()
    """
    subclass = convert(source, Style.SUBCLASS)
    assert """\
        self.dense = layers.Dense(8)
        if dropout:
            self.dropout_layer = layers.Dropout(0.5)
""" in subclass
    assert """\
        x = self.dense(inputs)
        if self.dropout:
            x = self.dropout_layer(x, training=training)
        return x
""" in subclass
    assert structures(convert(subclass, Style.FUNCTIONAL)) == structures(textwrap.dedent(source))


COMPILES_IN_INIT = """\
import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = keras.layers.Dense(4)
        self.compile(loss="mse")
        self.second = keras.layers.Dense(2)

    def call(self, inputs):
        return self.second(self.first(inputs))


model = Net()
model(keras.Input(shape=(3,)))
"""


def test_compile_in_init_goes_with_the_model_and_a_layer_made_after_it_is_refused_by_line() -> None:
    early = COMPILES_IN_INIT.replace(
        '        self.compile(loss="mse")\n        self.second = keras.layers.Dense(2)\n',
        '        self.second = keras.layers.Dense(2)\n        self.compile(loss="mse")\n',
    )
    # Made once at module level: the model's module-level code, its compile beside it.
    assert convert(early, Style.FUNCTIONAL).endswith('\nmodel = keras.Model(inputs=inputs, outputs=outputs)\nmodel.compile(loss="mse")\n')
    assert refusal(COMPILES_IN_INIT, Style.FUNCTIONAL) == [
        "m.py:9:9: error: `self.second`, which call() uses, is made after `self.compile(...)`; kconvert reads"
        " the layers `__init__` makes before it sets the model up (hint: make `self.second` before"
        " `self.compile(...)`, or keep the model a subclass)"
    ]


def test_training_passed_positionally_to_a_layer_is_refused_with_the_keyword_spelling() -> None:
    # YunYang1994's TF2 examples write `self.drop6(h, training)`, which Keras 3 refuses when the
    # layer runs; it was refused as "call() uses `training` itself". Written as a keyword, it converts.
    source = """\
        import keras
        from keras import layers


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = layers.Dense(8)
                self.drop = layers.Dropout(0.5)

            def call(self, x, training=False):
                return self.drop(self.dense(x), training)


        model = Net()
        model.build((None, 4))
        """
    assert refusal(source) == [
        "m.py:12:41: error: `training` is passed to `self.drop` as a positional argument, which Keras 3"
        " refuses (only input tensors may be positional) (hint: pass it as `training=training`)"
    ]
    assert "\noutputs = layers.Dropout(0.5)(dense)\n" in convert(
        source.replace("x), training)", "x), training=training)"), Style.FUNCTIONAL
    )
