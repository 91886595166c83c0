"""Exit 0 means the same model: the failure classes found on real code (issue 9).

Each case is a minimal model of our own with the idea of a real file that kconvert
used to convert wrongly or leave silently: either the expected output (checked by
hand) or the refusal that names the line.  The safety check's own tests feed it
converted text that is broken on purpose.
"""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.parse.source import SourceFile
from kconvert.parse.finder import find_sites
from kconvert.safety import check_conversion
from kconvert.types import Converted, Options, Refused, Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS


HELPER_FLAGS = """\
import keras
from keras import layers


def dense_block(x, units, norm=None, activation=None):
    x = layers.Dense(units)(x)
    if norm is not None:
        x = norm(x)
    if activation:
        x = activation(x)
    return x


inputs = keras.Input(shape=(6,))
x = dense_block(inputs, 8, norm=layers.BatchNormalization(), activation=layers.ReLU())
x = dense_block(x, 4)
model = keras.Model(inputs, x)
"""


def test_layers_passed_to_a_helper_are_made_per_call_and_its_flags_are_decided() -> None:
    # Used to become `self.activation = activation` (NameError) and `if layers.ReLU():` in call().
    out = convert(HELPER_FLAGS, C)
    assert out[out.index("class ") :] == textwrap.dedent(
        """\
        class MyModel(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense_block1_dense = layers.Dense(8)
                self.dense_block1_bn = layers.BatchNormalization()
                self.dense_block1_relu = layers.ReLU()
                self.dense_block2_dense = layers.Dense(4)

            def call(self, inputs, training=None):
                x = self.dense_block1_dense(inputs)
                x = self.dense_block1_bn(x, training=training)
                x = self.dense_block1_relu(x)
                x = self.dense_block2_dense(x)
                return x


        model = MyModel()
        model(keras.Input(shape=(6,)))
        """
    )


def test_a_shared_default_layer_with_weights_is_refused_by_name() -> None:
    # A default is made once, when Python reads the `def`: every call shares that one layer.
    source = HELPER_FLAGS.replace(
        "def dense_block(x, units, norm=None, activation=None):",
        "def dense_block(x, units, norm=layers.BatchNormalization(), activation=None):",
    ).replace("norm=layers.BatchNormalization(), activation=layers.ReLU()", "activation=layers.ReLU()")
    assert refusal(source, C) == [
        "m.py:5:32: error: `dense_block` cannot be written out in a subclass: the default"
        " `norm=layers.BatchNormalization()` of `dense_block` is one layer object, shared by every call"
        " that leaves it out (hint: pass `norm` at each call, or make the layer inside `dense_block`)"
    ]


def test_a_forward_pass_written_as_dunder_call_is_refused_with_the_rename() -> None:
    # Before: "has no call(): it is a training container", a note, exit 0 and nothing converted.
    source = """\
    import keras


    class Scorer(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2)

        def __call__(self, x, training=False):
            return self.d(x)


    model = Scorer()
    """
    expected = (
        "m.py:9:5: error: `Scorer` writes its forward pass as `__call__`, which replaces Keras' own;"
        " a Keras model's forward pass is `call()` (hint: rename `__call__` to `call`: Keras' own"
        " `__call__` then runs it)"
    )
    for target in (F, S, Style.FUNCTIONAL_SUBCLASS):
        assert refusal(source, target) == [expected]


def test_a_sequential_filled_in_another_method_is_refused_where_its_layers_are_added() -> None:
    # An LSTM time-series repository makes `self.model = Sequential()` in __init__ and adds its
    # layers in `build()`: "this Sequential model has no layers" said the opposite of the truth.
    source = """\
    from keras.layers import Dense
    from keras.models import Sequential


    class Forecaster:
        def __init__(self):
            self.model = Sequential()

        def build(self, sizes):
            for size in sizes:
                self.model.add(Dense(size))
    """
    assert refusal(source, F) == [
        "m.py:11:13: error: the layers of `self.model` are added here, away from the line that makes it"
        " (line 7); kconvert reads a Sequential's layers from the statements right after it (hint: make"
        " the Sequential where its layers are added: `self.model = Sequential()` just before the first add)"
    ]


def test_a_call_attached_after_the_class_is_refused_with_its_line() -> None:
    source = """\
    import keras


    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(3)


    def forward(self, x):
        return self.d(x)


    Net.call = forward
    model = Net()
    """
    assert refusal(source, F) == [
        "m.py:14:1: error: `Net` gets its call() from this assignment, outside the class"
        " (hint: move the function into `Net` as `def call(self, inputs):`; kconvert reads a model's"
        " forward pass only from its class)"
    ]


GAN = """\
import keras
from keras import layers


class GAN(keras.Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.generator = keras.Sequential(
            [keras.Input(shape=(latent_dim,)), layers.Dense(8), layers.Reshape((2, 4))],
            name="generator",
        )

    def train_step(self, data):
        return {}


gan = GAN(latent_dim=4)
"""


def test_models_made_in_a_training_container_are_converted_in_place() -> None:
    # Used to exit 0 with nothing converted: only the container was seen.
    assert convert(GAN, F) == GAN.replace(
        """        self.generator = keras.Sequential(
            [keras.Input(shape=(latent_dim,)), layers.Dense(8), layers.Reshape((2, 4))],
            name="generator",
        )
""",
        """        inputs = keras.Input(shape=(latent_dim,))
        x = layers.Dense(8)(inputs)
        outputs = layers.Reshape((2, 4))(x)
        self.generator = keras.Model(inputs=inputs, outputs=outputs, name="generator")
""",
    )
    subclass = convert(GAN, C)
    # Only the line building it reads `latent_dim`, in the container: the class does not take it.
    assert "class Generator(keras.Model):\n    def __init__(self, name=\"generator\", **kwargs):" in subclass
    assert "        self.generator = Generator()\n        self.generator(keras.Input(shape=(latent_dim,)))\n" in subclass


FEATURES = """\
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8), layers.Dense(2)])
features = keras.Model(model.input, model.layers[-2].output)
"""


def test_a_view_of_another_model_and_graph_uses_are_refused_for_subclasses() -> None:
    assert refusal(FEATURES, C) == [
        "m.py:5:24: error: `model.input` needs a graph model: a subclass has no symbolic inputs and"
        " outputs (hint: convert it with `to-functional-subclass` (a class that still builds a graph, so"
        " this keeps working), keep this model Functional, or stop using its graph after building it)",
        "m.py:5:1: error: `features` is built from another model's tensors (`model.input`): it is a view"
        " of that model's graph, which only the Functional API can express (hint: keep `features`"
        " Functional (--model picks the models to convert); `kconvert to-functional-subclass` keeps this"
        " view working: it leaves views as they are and writes the models they view as classes that"
        " still build a graph)",
    ]
    functional = convert(FEATURES, F)
    assert functional.endswith("model = keras.Model(inputs=inputs, outputs=outputs)\n" + FEATURES.splitlines(True)[-1])


NAMED = """\
import keras
from keras import layers


def block(t):
    return layers.Dense(4, name="inner")(t)


inputs = keras.Input(shape=(8,))
x = layers.Dense(4, activation="relu", name="fc1")(inputs)
outputs = layers.Dense(2, name="predictions")(block(x))
model = keras.Model(inputs, outputs)
dense = model.get_layer(name="fc1")
print(dense.kernel.shape)
model.get_layer("predictions").trainable = False
"""


def test_get_layer_by_a_name_the_subclass_holds_converts() -> None:
    subclass = convert(NAMED, C)
    assert '        self.fc1 = layers.Dense(4, activation="relu", name="fc1")\n' in subclass
    assert subclass.endswith(
        'dense = model.get_layer(name="fc1")\nprint(dense.kernel.shape)\n'
        'model.get_layer("predictions").trainable = False\n'
    )


def test_get_layer_is_refused_for_a_subclass_where_it_would_not_find_the_layer() -> None:
    asked = NAMED.replace("print(dense.kernel.shape)", "print(dense.output)")
    assert refusal(asked, C)[0].startswith("m.py:13:9: error: `model.get_layer` needs a graph model")
    chained = NAMED.replace('("predictions").trainable = False', '("predictions").output')
    assert refusal(chained, C)[0].startswith("m.py:15:1: error: `model.get_layer` needs a graph model")
    inside = NAMED.replace('model.get_layer("predictions")', 'model.get_layer("inner")')
    assert refusal(inside, C) == [
        'm.py:15:1: error: `model.get_layer("inner")` finds no layer made with that name among the'
        " model's own: a subclass's get_layer sees only the layers it holds directly, by the names they"
        ' were made with (hint: give the layer `name="inner"` where the model makes it, or keep this'
        " model Functional)"
    ]


def test_standalone_models_without_a_shape_fail_and_the_convertible_ones_are_named() -> None:
    source = """\
    import keras
    from keras import layers

    encoder = keras.Sequential([layers.Dense(8), layers.Dense(2)])
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])
    """
    # Used to exit 0: "stays sequential while the other models are converted".
    assert refusal(source, F) == [
        "m.py:4:29: error: this model has no input shape, and kconvert does not run code to find one"
        " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
        " and --model encoder:LINE with this error's line, or make keras.Input(shape=...) its first layer;"
        " nothing after it in this file uses it)",
        "m.py:5:1: note: nothing was converted, though `model` would convert on its own"
        " (hint: pass --model NAME (NAME:LINE when models share a name) to convert one model and leave"
        " the others as they are)",
    ]


REBOUND = """\
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(1)])
model.compile(loss="mse")

model = keras.Sequential([layers.Dense(5), layers.Dense(2)])

model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(5), layers.Dense(2)])
"""


def test_a_shapeless_model_is_no_block_of_another_that_only_reuses_its_name() -> None:
    # Every model of a tutorial is `model`: the shapeless one used to "stay sequential as a block
    # of another model" (exit 0, unconverted) because the others bind the same name.
    assert refusal(REBOUND, F) == [
        "m.py:7:27: error: this model has no input shape, and kconvert does not run code to find one"
        " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
        " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer;"
        " nothing after it in this file uses it)",
        "m.py:4:1: note: nothing was converted, though `model`, `model` would convert on their own"
        " (hint: pass --model NAME (NAME:LINE when models share a name) to convert one model and leave"
        " the others as they are)",
    ]


def test_a_shapeless_model_is_no_block_of_a_graph_view_that_binds_its_name() -> None:
    # A view of a pretrained model's graph is kept as it is; it does not read the later `model`.
    source = """\
    import keras
    from keras import layers

    base_model = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3))
    avg = layers.GlobalAveragePooling2D()(base_model.output)
    model = keras.Model(inputs=base_model.input, outputs=layers.Dense(2)(avg))
    model.compile(loss="mse")

    model = keras.Sequential([layers.Dense(5), layers.Dense(2)])
    """
    assert refusal(source, F) == [
        "m.py:9:27: error: this model has no input shape, and kconvert does not run code to find one"
        " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
        " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer;"
        " nothing after it in this file uses it)",
    ]


def test_a_call_of_the_next_model_bound_to_the_name_does_not_make_a_block() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(5), layers.Dense(2)])
    model.compile(loss="mse")

    if True:
        model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(2)])
    y = model(keras.ops.ones((1, 8)))
    """
    # `model(...)` calls the second model: the first used to stay Sequential as its "block", exit 0.
    assert refusal(source, F)[0] == (
        "m.py:4:27: error: this model has no input shape, and kconvert does not run code to find one"
        " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
        " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer)"
    )


def test_a_shapeless_model_called_on_data_is_a_model_of_its_own() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(30, activation="elu"), layers.Dense(1)])
    for step in range(3):
        y_pred = model(keras.ops.ones((32, 8)))
    """
    # A custom training loop calls it: it used to "stay sequential as a block of another model", exit 0.
    assert refusal(source, F) == [
        "m.py:4:27: error: this model has no input shape, and kconvert does not run code to find one"
        " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
        " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer;"
        " the first line after it that uses it: `model(keras.ops.ones((32, 8)))` at line 6)",
    ]


def test_a_shapeless_model_first_called_on_an_array_of_a_written_shape_takes_its_shape() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(30, activation="elu"), layers.Dense(1)])
    y = model(keras.ops.ones((32, 8)))
    """
    assert "inputs = keras.Input(batch_shape=(32, 8))\n" in convert(source, F)


def test_a_shapeless_model_first_called_on_data_of_no_written_shape_is_refused_precisely() -> None:
    source = """\
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(30, activation="elu"), layers.Dense(1)])
    y = model(np.load("x.npy"))
    """
    assert refusal(source, F) == [
        "m.py:5:27: error: this model has no input shape, and kconvert does not run code to find one"
        " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
        " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer;"
        " the first line after it that uses it: `model(np.load(\"x.npy\"))` at line 6)",
    ]


def test_a_helper_returning_a_shapeless_model_only_called_on_data_is_refused() -> None:
    # Its function's name is read by no other model: not a block, a model of its own.
    source = """\
    import keras
    from keras import layers


    def make():
        model = keras.Sequential([layers.Dense(4), layers.Dense(1)])
        return model


    y = make()(keras.ops.ones((2, 3)))
    """
    assert refusal(source, F)[0].startswith("m.py:6:31: error: this model has no input shape")


def test_name_and_line_pick_one_of_the_models_bound_to_a_name() -> None:
    last = convert_source(REBOUND, F, Options(model="model:9"), "m.py")
    assert isinstance(last, Converted)
    assert last.source.count("keras.Model(") == 1 and "layers.Dense(3)])" not in last.source
    assert "inputs = keras.Input(shape=(8,))" in last.source
    # Any line of the model, or below it up to the next model of that name, picks it.
    first = convert_source(REBOUND, F, Options(model="model:5"), "m.py")
    assert isinstance(first, Converted) and "inputs = keras.Input(shape=(4,))" in first.source
    assert "keras.Input(shape=(8,)), layers.Dense(5)" in first.source
    above = convert_source(REBOUND, F, Options(model="model:3"), "m.py")
    assert isinstance(above, Refused)
    assert above.diagnostics[0].message == "no model named `model` at or above line 3 in this file"


def test_a_frozen_base_model_goes_with_the_builder_into_the_subclass() -> None:
    source = """\
    import keras
    from keras import layers


    def build(num_classes):
        base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3))
        base.trainable = False
        inputs = keras.Input(shape=(32, 32, 3))
        x = base(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(num_classes)(x)
        return keras.Model(inputs, outputs)
    """
    # `base.trainable = False` used to be refused ("assigns tensors to something other than names").
    out = convert(source, C)
    init = out[out.index("    def __init__") : out.index("    def call")]
    assert init.index("        self.base = keras.applications.MobileNetV2(") < init.index(
        "        self.base.trainable = False\n"
    )
    assert "class MyModel(keras.Model):" in out
    assert convert(source, S).count("base.trainable = False") == 1


def test_a_model_made_earlier_in_the_builder_is_the_subclass_s_layer() -> None:
    # Refused before ("`base` is made in `build` before the model"): the Sequential the builder
    # makes right before the inputs, which nothing else reads, is the model's own layer.
    source = """\
    import keras
    from keras import layers


    def build(num_classes):
        base = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)])
        inputs = keras.Input(shape=(8,))
        outputs = layers.Dense(num_classes)(base(inputs))
        return keras.Model(inputs, outputs)
    """
    converted = convert(source, C)
    assert (
        "    def __init__(self, num_classes, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.num_classes = num_classes\n"
        "        self.base = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)])\n"
        "        self.dense = layers.Dense(num_classes)\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = self.base(inputs)\n"
        "        return self.dense(x)\n"
    ) in converted
    # Read later, it is the builder's: refused as before.
    later = source.replace(
        "        return keras.Model(inputs, outputs)\n",
        "        model = keras.Model(inputs, outputs)\n        base.summary()\n        return model\n",
    )
    assert "`base` is made in `build` before the model" in refusal(later, C)[0]


# The TensorFlow video tutorial's `add_residual_block`: its layers are a Layer class of the file's
# own and `layers.add`, no Keras layer class, so it was taken for a function of tensors and left
# in call(), making new, untracked layers on every forward pass.
OWN_LAYER_CLASS_IN_A_HELPER = """\
import keras
from keras import layers


class Scale(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units)

    def call(self, x):
        return self.dense(x)


def block(x, units):
    y = Scale(units)(x)
    return layers.add([x, y])


inputs = keras.Input(shape=(8,))
x = block(inputs, 8)
x = block(x, 8)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""


def test_a_helper_whose_layers_are_the_files_own_class_is_a_block() -> None:
    out = convert(OWN_LAYER_CLASS_IN_A_HELPER, C)
    assert "block(" not in out.split("def call(self, inputs")[1]
    assert "        self.scale = Scale(units)\n        self.add = layers.Add()\n" in out
    assert "        self.block1 = Block(8)\n        self.block2 = Block(8)\n" in out


def test_a_helper_that_sizes_the_files_own_layer_from_a_tensor_is_refused() -> None:
    # The tutorial's projection: sized from the output of a layer kconvert cannot size.
    source = OWN_LAYER_CLASS_IN_A_HELPER.replace(
        "    return layers.add([x, y])",
        "    if y.shape[-1] != x.shape[-1]:\n        x = Scale(y.shape[-1])(x)\n    return layers.add([x, y])",
    )
    (message,) = refusal(source, C)
    assert message.startswith("m.py:17:13: error: this layer is sized by a tensor's shape in `block`, which is written out")


IMPORTED_HELPER = """\
import keras
from keras import layers
from blocks import conv_bn

inputs = keras.Input(shape=(8, 8, 3))
x = conv_bn(inputs, 8)
x = layers.Flatten()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""


def test_a_callable_imported_from_another_module_is_refused_for_a_subclass() -> None:
    # It was kept as `self.conv_bn = conv_bn` and called in call(): a helper there makes new
    # layers on every pass. Graph code calls it once, as the source does.
    assert refusal(IMPORTED_HELPER, C) == [
        "m.py:6:5: error: `conv_bn` comes from `blocks`, which kconvert does not read: if it makes layers,"
        " a subclass's call() would make new ones on every forward pass (hint: define `conv_bn` in this"
        " file (kconvert reads its layers), convert to functional-subclass, or keep this model Functional)"
    ]
    assert "        x = conv_bn(inputs, 8)\n" in convert(IMPORTED_HELPER, Style.FUNCTIONAL_SUBCLASS)


def test_a_model_taking_a_dict_is_refused_for_sequential_at_its_input() -> None:
    # The TensorFlow parameter-server tutorial's preprocessing stages: `--model` made a Sequential
    # of them, which takes a tensor where callers give a dict; the safety check caught it.
    source = """\
    import keras
    from keras import layers

    features = keras.Input(shape=(3,), name="features")
    x = layers.Dense(4)(features)
    model = keras.Model({"features": features}, x)
    """
    assert refusal(source, S) == [
        'm.py:4:12: error: the model takes its input in a dict, `{"features": features}`; a Sequential model'
        " takes one tensor (hint: keep the Functional API, or convert it to a subclass)"
    ]
    assert 'model({"features": keras.Input(shape=(3,), name="features")})' in convert(source, C)


def test_a_subclass_takes_no_shape_from_a_function_that_builds_its_own_local_of_that_name() -> None:
    # The instance `model` is never built; `other()`'s local `model` is. It gave the class the input
    # shape (7,): a Functional model that takes only what the original never said it takes.
    source = """\
    import keras
    from keras import layers


    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(4)

        def call(self, inputs):
            return self.dense(inputs)


    model = MyModel()


    def other():
        model = keras.Sequential([layers.Dense(2)])
        model(keras.Input(shape=(7,)))
        return model
    """
    result = convert_source(textwrap.dedent(source), F, Options(model="MyModel"), "m.py")
    assert isinstance(result, Refused)
    assert result.diagnostics[0].render().startswith("m.py:10:5: error: this model has no input shape")
    # A function that calls the module's `model` (Machine Learning with TensorFlow, ch. 15) builds it.
    reads_global = source.replace(
        "        model = keras.Sequential([layers.Dense(2)])\n        model(keras.Input(shape=(7,)))\n        return model",
        "        return model(keras.Input(shape=(7,)))",
    )
    assert "inputs = keras.Input(shape=(7,))\n" in convert(reads_global, F)


# --- the safety check itself -------------------------------------------------------


def _check(before: str, after: str):
    src = SourceFile.parse(before)
    return check_conversion(src, find_sites(src, Options()), after, Options())


SMALL = "import keras\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])\n"


def test_the_safety_check_passes_a_faithful_conversion() -> None:
    assert _check(SMALL, convert(SMALL, F)) is None


def test_the_safety_check_refuses_a_name_the_output_reads_but_nothing_binds() -> None:
    broken = convert(SMALL, F).replace("keras.layers.Dense(2)", "keras.layers.Dense(units)")
    found = _check(SMALL, broken)
    assert found is not None and "would read `units`, which is not defined" in found.message


def test_the_safety_check_refuses_a_different_layer_graph() -> None:
    found = _check(SMALL, convert(SMALL, F).replace("Dense(2)", "Dense(3)"))
    assert found is not None and "gives a different layer graph" in found.message


# Hands-on ML ch. 10: each wide-and-deep model makes its Normalization layers at module level
# under the same names, and adapts them after the model.
LAYER_NAMES_BOUND_PER_MODEL = """\
import keras

inputs = keras.Input(shape=(5,))
norm = keras.layers.Normalization()
outputs = keras.layers.Dense(1)(norm(inputs))
model = keras.Model(inputs, outputs)
norm.adapt(data)

inputs = keras.Input(shape=(5,))
norm = keras.layers.Normalization(axis=None)
outputs = keras.layers.Dense(2)(norm(inputs))
wider = keras.Model(inputs, outputs)
norm.adapt(data)
"""


def test_a_layer_name_bound_again_for_the_next_model_is_read_where_each_model_is_made() -> None:
    # The classes read `norm` when they are made, each after its own binding; the check read the
    # name as bound nowhere (it is bound twice) and refused its own faithful output.
    out = convert(LAYER_NAMES_BOUND_PER_MODEL, C)
    first, second = out.split("norm = keras.layers.Normalization(axis=None)\n")
    assert "norm = keras.layers.Normalization()\n" in first and "model = MyModel()\n" in first
    assert "self.norm = norm\n" in first and "self.norm = norm\n" in second
    assert "wider = Wider()\n" in second


def test_the_safety_check_refuses_a_class_made_after_its_layer_name_is_bound_again() -> None:
    # The same text with the first model made after the second binding: it would take the
    # second model's layer.
    out = convert(LAYER_NAMES_BOUND_PER_MODEL, C)
    made = "model = MyModel()\nmodel(keras.Input(shape=(5,)))\n"
    wrong = out.replace(made, "") + made
    found = _check(LAYER_NAMES_BOUND_PER_MODEL, wrong)
    assert found is not None and "gives a different layer graph" in found.message


# Deep Learning with Python ch. 7: a notebook binds `model` to a Sequential, then to two
# Functional models, the last refused (a cell shows `inputs.dtype` among its lines).
MODELS_OF_ONE_NAME_THE_LAST_REFUSED = """\
import keras
from keras import layers

model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10)])

inputs = keras.Input(shape=(3,))
outputs = layers.Dense(10)(inputs)
model = keras.Model(inputs=inputs, outputs=outputs)

inputs = keras.Input(shape=(3,))
inputs.dtype
outputs = layers.Dense(10)(inputs)
model = keras.Model(inputs=inputs, outputs=outputs)
"""


def test_one_model_converts_beside_a_refused_model_of_its_name() -> None:
    # `--model model:4`, as the refusal's hint says: the check took the middle model, read back,
    # for the refused one (the same name and style) and called its own output different.
    result = convert_source(MODELS_OF_ONE_NAME_THE_LAST_REFUSED, C, Options(model="model:4"), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert result.source.count("model = keras.Model(inputs=inputs, outputs=outputs)\n") == 2
    wrong = result.source.replace("outputs = layers.Dense(10)(inputs)\nmodel", "outputs = layers.Dense(9)(inputs)\nmodel", 1)
    found = _check(MODELS_OF_ONE_NAME_THE_LAST_REFUSED, wrong)
    assert found is not None and "gives a different layer graph" in found.message


# Deep Learning with Python ch. 8-9: a shapeless Sequential of augmentation layers that the
# model calls as its first layer.
AUGMENTATION_CALLED_BY_THE_MODEL = """\
import keras
from keras import layers

data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])

inputs = keras.Input(shape=(18, 18, 3))
x = data_augmentation(inputs)
x = layers.Conv2D(4, 3)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
"""


def test_a_sequential_another_model_calls_converts_alone_to_a_class() -> None:
    # `--model data_augmentation`: read back, the model called the class's instance (taken for a
    # layer it makes) and the class took the shape it is called on; both were "different".
    result = convert_source(AUGMENTATION_CALLED_BY_THE_MODEL, C, Options(model="data_augmentation"), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert "data_augmentation = DataAugmentation()\n" in result.source
    assert "x = data_augmentation(inputs)\n" in result.source
    wrong = result.source.replace('layers.RandomFlip("horizontal")', 'layers.RandomFlip("vertical")')
    found = _check(AUGMENTATION_CALLED_BY_THE_MODEL, wrong)
    assert found is not None and "gives a different layer graph" in found.message


def test_the_safety_check_refuses_output_this_python_cannot_run() -> None:
    # libcst reads Python 2's `except E, e:`; the interpreter does not.
    broken = convert(SMALL, F) + "try:\n    pass\nexcept Exception, error:\n    pass\n"
    found = _check(SMALL, broken)
    assert found is not None and "the converted file does not parse here" in found.message


def test_a_layer_made_from_a_tensor_shape_is_made_in_build_from_that_tensor() -> None:
    # Used to move `Dense(inputs.shape[-1])` into __init__, where `inputs` does not exist; then
    # refused it. The block's Layer class now takes `inputs` first and makes the layer in build().
    source = """\
    import keras
    from keras import layers


    def project(t, inputs):
        return layers.Dense(inputs.shape[-1])(t)


    inputs = keras.Input(shape=(6,))
    x = layers.Dense(12, activation="relu")(inputs)
    x = project(x, inputs)
    model = keras.Model(inputs, x)
    """
    out = convert(source, C)
    assert "    def build(self, input_shape):\n        self.dense = layers.Dense(input_shape[-1])\n" in out
    assert "    def call(self, inputs, t, training=None):\n        return self.dense(t)\n" in out
    assert "        return self.project(inputs, x)\n" in out


def test_a_layer_called_on_a_constant_is_made_once() -> None:
    # `x + Embedding(...)(ops.arange(n))` used to stay inside an expression: a new layer per call().
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4, 8))
    x = layers.Dense(8)(inputs)
    x = x + layers.Embedding(input_dim=4, output_dim=8)(keras.ops.arange(4))
    model = keras.Model(inputs, x)
    """
    out = convert(source, C)
    assert "        self.embedding = layers.Embedding(input_dim=4, output_dim=8)\n" in out
    assert "        x_1 = self.embedding(keras.ops.arange(4))\n        x = x + x_1\n" in out


def test_a_summary_between_adds_runs_after_the_model_with_a_note() -> None:
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers

        model = keras.Sequential()
        model.add(keras.Input(shape=(4,)))
        model.add(layers.Dense(8))
        model.summary()
        model.add(layers.Dense(2))
        model.summary()
        """
    )
    result = convert_source(source, F, Options(), "m.py")
    assert result.source.endswith(
        "x = layers.Dense(8)(inputs)\noutputs = layers.Dense(2)(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\nmodel.summary()\nmodel.summary()\n"
    )
    assert [note.render() for note in result.notes] == [
        "m.py:7:1: note: `model.summary()` ran between `.add()` calls; it now runs once the whole model is built"
    ]


def test_a_sequential_that_starts_with_another_model_takes_its_input_shape() -> None:
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers

        model = keras.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(10)])
        probability_model = keras.Sequential([model, layers.Softmax()])
        """
    )
    out = convert(source, F)
    assert out.endswith(
        "inputs = keras.Input(shape=(28, 28))\nx = model(inputs)\noutputs = layers.Softmax()(x)\n"
        "probability_model = keras.Model(inputs=inputs, outputs=outputs)\n"
    )


def test_a_model_built_in_a_with_block_is_found() -> None:
    # `with strategy.scope():` used to hide the model: "no Keras model found in this file".
    source = textwrap.dedent(
        """\
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy()
        with strategy.scope():
            model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
            model.compile(loss="mse")
        """
    )
    assert convert(source, F).endswith(
        "with strategy.scope():\n    inputs = tf.keras.Input(shape=(3,))\n"
        "    outputs = tf.keras.layers.Dense(1)(inputs)\n"
        "    model = tf.keras.Model(inputs=inputs, outputs=outputs)\n    model.compile(loss=\"mse\")\n"
    )


def test_a_layer_picked_by_position_is_renumbered_where_positions_change() -> None:
    # A Functional model lists its InputLayer: layers[1] is `hidden` there, layers[0] in a Sequential.
    source = textwrap.dedent(
        """\
        import keras

        inputs = keras.Input(shape=(8,))
        x = keras.layers.Dense(4, name="hidden")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1, name="head")(x))
        model.layers[1].trainable = False
        """
    )
    assert convert(source, S).endswith("model.layers[0].trainable = False\n")
    assert "model.layers[-2].trainable = False" in convert(source.replace("[1]", "[-2]"), S)


def test_a_model_that_reads_its_makers_attributes_takes_them_as_parameters_of_its_class() -> None:
    # Used to emit `def __init__(self, self, ...)`, which the safety check caught; then refused.
    source = GAN.replace("keras.Input(shape=(latent_dim,))", "keras.Input(shape=(self.latent_dim,))").replace(
        "        super().__init__()\n", "        super().__init__()\n        self.latent_dim = latent_dim\n"
    )
    subclass = convert(source, C)
    assert "class Generator(keras.Model):\n    def __init__(self, latent_dim, name=\"generator\", **kwargs):" in subclass
    assert (
        "        self.generator = Generator(latent_dim=self.latent_dim)\n"
        "        self.generator(keras.Input(shape=(self.latent_dim,)))\n"
    ) in subclass
    graph = convert(source, Style.FUNCTIONAL_SUBCLASS)
    assert "        inputs = keras.Input(shape=(latent_dim,))\n" in graph
    assert "        self.generator = Generator(latent_dim=self.latent_dim)\n" in graph
    assert convert(subclass, C) == subclass and convert(graph, Style.FUNCTIONAL_SUBCLASS) == graph


def test_a_model_added_to_itself_and_a_dropped_class_decorator_are_refused() -> None:
    # Both used to exit 0: a subclass calling itself forever, a decorator silently gone.
    itself = "import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\nmodel.add(model)\n"
    assert refusal(itself, C) == ["m.py:3:11: error: `model` is added to itself (hint: a model cannot contain itself)"]
    decorated = (
        "import keras\n\n\n@keras.utils.default\nclass Net(keras.Model):\n"
        "    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(2)\n\n"
        "    def call(self, x):\n        return self.d(x)\n\n\nmodel = Net()\nmodel.build((None, 3))\n"
    )
    assert refusal(decorated, F) == [
        "m.py:4:1: error: the class decorator `@keras.utils.default` would be lost:"
        " a Functional model has no place for it (hint: keep this model a subclass, or convert it to"
        " functional-subclass (a graph model that keeps it))"
    ]
    assert convert(decorated, C) == decorated
    # Registration for loading is the one decorator only a class needs: a builder's model loads without it.
    registered = decorated.replace("@keras.utils.default", '@keras.saving.register_keras_serializable(package="m")')
    assert "register_keras_serializable" not in convert(registered, F)
    assert '@keras.saving.register_keras_serializable(package="m")\nclass Net' in convert(
        registered, Style.FUNCTIONAL_SUBCLASS
    )


def test_an_input_written_twice_in_a_builder_stays_and_the_model_is_built_on_the_second() -> None:
    # Issue 13: to-subclass wrote a function that shadowed the class and called itself; it was then
    # refused at the first Input. Since session 42 (fresh42) the first Input, which the model does
    # not use, stays in the builder as written (fixture hostile_input_twice).
    source = (
        "import keras\n\n\ndef build_model():\n    inputs = keras.Input(shape=(4,))\n"
        "    inputs = keras.Input(shape=(4,))\n    outputs = keras.layers.Dense(2)(inputs)\n"
        "    return keras.Model(inputs, outputs)\n\n\nmodel = build_model()\n"
    )
    for target in (S, C, Style.FUNCTIONAL_SUBCLASS):
        out = convert(source, target)
        assert "def build_model():\n    inputs = keras.Input(shape=(4,))\n" in out
        # The function is defined once and called once: it neither shadows a class nor calls itself.
        assert out.count("build_model(") == 2 and out.endswith("model = build_model()\n")
        compile(out, "m.py", "exec")


def test_a_layer_called_with_no_input_is_refused() -> None:
    # Issue 13: to-subclass wrote `x = self.dense()` with exit 0.
    source = (
        "import keras\ninputs = keras.Input(shape=(4,))\nx = keras.layers.Dense(8)()\n"
        "outputs = keras.layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, [outputs, x])\n"
    )
    for target in (S, C, Style.FUNCTIONAL_SUBCLASS):
        assert refusal(source, target) == [
            "m.py:3:5: error: `keras.layers.Dense(8)` is called with no input, which fails when the model"
            " is built (hint: pass the layer the tensor it works on, e.g. `Dense(8)(x)`)"
        ]


def test_a_class_that_takes_the_name_keras_is_imported_by_is_refused() -> None:
    # Issue 13: converted with exit 0, new code written against the file's own `class keras`.
    source = (
        "import keras\n\n\nclass keras:\n    pass\n\n\n"
        "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\n"
    )
    expected = [
        "m.py:4:1: error: this class is named `keras`, like the Keras import it replaces; kconvert cannot"
        " tell which of the two the model's `keras.` names mean (hint: rename the class)"
    ]
    for target in (F, C, Style.FUNCTIONAL_SUBCLASS):
        assert refusal(source, target) == expected
    function = "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))])\ndef tf():\n    pass\n"
    assert refusal(function, F)[0].startswith("m.py:3:1: error: this function is named `tf`")
    # `keras = tf.keras` binds the name to Keras itself, and stays convertible.
    alias = "import tensorflow as tf\nkeras = tf.keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
    assert "outputs = keras.layers.Dense(2)(inputs)\n" in convert(alias, F)


def test_a_sequential_a_builder_grows_and_calls_is_its_models_layer() -> None:
    source = """\
    import keras
    from keras import layers


    def build_generator(latent_size):
        cnn = keras.Sequential()
        cnn.add(layers.Dense(8, input_dim=latent_size, activation="relu"))
        cnn.add(layers.Dense(4))

        latent = keras.Input(shape=(latent_size,))
        image_class = keras.Input(shape=(1,), dtype="int32")
        cls = layers.Flatten()(layers.Embedding(10, latent_size)(image_class))
        h = layers.multiply([latent, cls])
        return keras.Model([latent, image_class], cnn(h))
    """
    # The check used to read `cnn` as the layer `Sequential()` before and as a reference after:
    # "internal error: ... a different layer graph".  The grown `cnn` is the builder's model's own
    # layer: to Functional nothing changes, a class grows it on its attribute.
    assert convert(source, F) == textwrap.dedent(source)
    assert (
        "        self.cnn = keras.Sequential()\n"
        '        self.cnn.add(layers.Dense(8, input_dim=latent_size, activation="relu"))\n'
        "        self.cnn.add(layers.Dense(4))\n"
    ) in convert(source, C)


def test_a_return_before_the_model_is_refused_at_the_return() -> None:
    source = """\
    import keras
    from keras import layers


    def build(num_classes=10):
        inputs = keras.Input(shape=(8,))
        outputs = layers.Dense(num_classes)(inputs)
        return model
        model = keras.Model(inputs=inputs, outputs=outputs)
        return model


    model = build()
    """
    # The subclass writer put `return model` in __init__, which its own safety check caught.
    for target in (C, Style.FUNCTIONAL_SUBCLASS):
        assert refusal(source, target) == [
            "m.py:8:5: error: `return model` returns before the model is made, so what follows never runs"
            " (hint: remove the early return, or keep the model in its current style)"
        ]


SHARED_IN_EXPRESSION = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shared = layers.Dense(8)
        self.out = layers.Dense(1)

    def call(self, inputs):
        x = inputs
        x = self.shared(x) + x
        x = self.shared(x) + x
        return self.out(x)


model = Net()
model.build((None, 8))
"""


def test_a_shared_layers_output_never_takes_the_layers_name() -> None:
    # The output of `self.shared(x)` inside an expression is named after the attribute: written
    # `shared = shared(inputs)`, the layer's next call called a tensor, and exit was 0.
    # Made once at module level, the class's way back is the module-level graph code.
    out = convert(SHARED_IN_EXPRESSION, F)
    assert out[out.index("inputs = ") :] == textwrap.dedent(
        """\
        inputs = keras.Input(shape=(8,))
        shared = layers.Dense(8)
        shared_1 = shared(inputs)
        x = shared_1 + inputs
        shared_1 = shared(x)
        x = shared_1 + x
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    )


def test_calling_a_name_that_holds_a_tensor_is_refused_at_its_line() -> None:
    # How the safety check sees the broken output above, and a source written that way.
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    shared = layers.Dense(8)
    shared = shared(inputs)
    outputs = shared(inputs)
    model = keras.Model(inputs=inputs, outputs=outputs)
    """
    assert refusal(source, C) == [
        "m.py:7:11: error: `shared` holds a tensor here, not a layer: calling it fails when the model is"
        " built (hint: keep the layer's name for the layer, and give its output another name)"
    ]


def test_a_layer_picked_from_a_list_by_position_is_refused_by_name() -> None:
    source = SHARED_IN_EXPRESSION.replace(
        "        self.shared = layers.Dense(8)\n",
        "        self.shared = layers.Dense(8)\n        self.denses = [layers.Dense(8) for _ in range(2)]\n",
    ).replace("        x = inputs\n", "        x = self.denses[0](inputs)\n")
    assert refusal(source, F) == [
        "m.py:13:13: error: `self.denses[0]` picks a layer from a list by position, which kconvert cannot"
        " follow into the other styles (hint: loop over the list (`for layer in self.denses:`), or give each"
        " layer an attribute of its own)"
    ]


def test_a_sequential_a_subclass_fills_in_reading_self_becomes_a_class_given_the_attribute() -> None:
    # dragen1860's CIFAR VGG: `model = Sequential()`, its adds reading `self.num_classes`, then
    # `self.model = model`. Written as a class at module level, the local took
    # `self.num_classes = 10` out of the subclass with it (the safety check caught it); then it
    # was refused. `self.num_classes = 10` sets up Net, not the model: it stays, and is passed on.
    source = """\
        import keras
        from keras import layers


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.num_classes = 10
                model = keras.Sequential()
                model.add(layers.Dense(32, input_shape=(8,)))
                model.add(layers.Dense(self.num_classes))
                self.model = model

            def call(self, x):
                return self.model(x)
        """
    assert convert(source, C) == textwrap.dedent(
        """\
        import keras
        from keras import layers


        @keras.saving.register_keras_serializable(package="m")
        class MyModel(keras.Model):
            def __init__(self, num_classes, **kwargs):
                super().__init__(**kwargs)
                self.num_classes = num_classes
                self.dense1 = layers.Dense(32)
                self.dense2 = layers.Dense(num_classes)

            def call(self, inputs, training=None):
                x = self.dense1(inputs)
                return self.dense2(x)

            def get_config(self):
                return {**super().get_config(), "num_classes": self.num_classes}


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.num_classes = 10
                model = MyModel(num_classes=self.num_classes)
                model(keras.Input(shape=(8,)))
                self.model = model

            def call(self, x):
                return self.model(x)
        """
    )
    # Net's own `model.add(...)` after `super().__init__()` is what keeps it from being a graph class.
    assert "`model.add(layers.Dense(self.num_classes))` after `super().__init__(...)`" in refusal(
        source, Style.FUNCTIONAL_SUBCLASS
    )[0]


def test_a_count_kept_among_a_builders_layers_and_printed_after_the_model_is_refused_for_a_class() -> None:
    # titu1994's Wide ResNet counts its convolutions (`nb_conv += 2`) between blocks and prints the
    # count after the model: moved into the class, the builder's print read a name it no longer had
    # (caught by the safety check). The Sequential keeps the statements where they are.
    source = """\
        import keras
        from keras import layers


        def build(n=2, verbose=False):
            inputs = keras.Input(shape=(8,))
            x = layers.Dense(4)(inputs)
            count = 1
            for i in range(n):
                x = layers.Dense(4)(x)
                count += 1
            model = keras.Model(inputs, x)
            if verbose:
                print("layers:", count)
            return model
        """
    for target in (C, Style.FUNCTIONAL_SUBCLASS):
        assert refusal(source, target) == [
            "m.py:14:26: error: `count` is computed among the model's statements and read here, after the"
            f" model; a {target} model moves those statements into its class, where this code cannot read"
            " them (hint: compute `count` after the model, or keep this model functional)"
        ]
    assert "        model.add(layers.Dense(4))\n        count += 1\n" in convert(source, S)


def test_a_layer_sized_from_a_shape_the_model_computes_uses_that_shape() -> None:
    # raghakot's ResNet: `block_shape = K.int_shape(block)` sizes the last AveragePooling2D. The
    # shape was said to be unused by the model, in every direction; a graph built in __init__
    # keeps it, a subclass refuses the layer made from a tensor.
    source = """\
        import keras
        from keras import layers


        def build():
            inputs = keras.Input(shape=(8, 8, 3))
            x = layers.Conv2D(4, 3)(inputs)
            shape = x.shape
            x = layers.AveragePooling2D(pool_size=(shape[1], shape[2]))(x)
            outputs = layers.Dense(2)(layers.Flatten()(x))
            return keras.Model(inputs=inputs, outputs=outputs)
        """
    assert (
        "        shape = x.shape\n"
        "        x = layers.AveragePooling2D(pool_size=(shape[1], shape[2]))(x)\n"
    ) in convert(source, Style.FUNCTIONAL_SUBCLASS)
    assert refusal(source, C) == [
        "m.py:9:9: error: this layer is sized by `x.shape`, a tensor the model's layers make, which exists"
        " only once call() runs; a subclass makes its layers in __init__, or in build(input_shape) from its"
        " one input's shape (hint: write the size as a number or a constructor parameter (what sized the"
        " layer that made `x`), or keep the Functional API)"
    ]


def test_a_layer_frozen_among_the_models_lines_and_unfrozen_after_it_still_converts_to_a_graph_class() -> None:
    # keras.io's BERT similarity: `bert_model.trainable = False` among the model's lines changes the
    # layer, it binds no name; `bert_model.trainable = True` after the model reads the kept layer.
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        base = layers.Dense(4)
        base.trainable = False
        outputs = layers.Dense(1)(base(inputs))
        model = keras.Model(inputs, outputs)
        base.trainable = True
        """
    written = convert(source, Style.FUNCTIONAL_SUBCLASS)
    assert "base = layers.Dense(4)\n" in written and written.endswith("base.trainable = True\n")


RECURSIVE_HELPER = """\
import keras
from keras import layers


def stack(x, depth):
    if depth == 0:
        y = layers.Dense(4)(x)
    else:
        y = stack(x, depth - 1)
    return y


inputs = keras.Input(shape=(4,))
outputs = stack(inputs, 2)
model = keras.Model(inputs, outputs)
"""


def test_a_helper_that_calls_itself_is_refused_where_it_would_be_written_out() -> None:
    # Written out at each call, its body never ended: a RecursionError, reported as an internal error.
    assert refusal(RECURSIVE_HELPER, C) == [
        "m.py:5:1: error: `stack` cannot be written out in a subclass: `stack` calls itself, so its code"
        " cannot be written out at each call (hint: keep this model in its current style)"
    ]
    # A graph-building class calls the helper as the module does.
    assert "        outputs = stack(inputs, 2)\n" in convert(RECURSIVE_HELPER, Style.FUNCTIONAL_SUBCLASS)
