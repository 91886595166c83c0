"""What ``scripts/fuzz.py`` found (issue 13): inputs that made kconvert's safety check catch its own output.

Each case is a minimal input of our own with the idea of a fuzzed fixture: a valid
program now converts (and its output converts back to the same text), one that
cannot run is refused with the line that makes it wrong.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C, FS = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS


GRAPH_CLASS = """\
import keras
from keras import layers


class Regressor(keras.Model):
    def __init__(self, hidden=32, **kwargs):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(hidden, activation="relu")(inputs)
        outputs = layers.Dense(1)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.hidden = hidden
        print("built")


model = Regressor()
"""


def test_a_graph_class_tail_on_the_model_is_read_back_from_the_subclass() -> None:
    # A subclass's __init__ was read as model setup only from `self.compile(...)` on, so a
    # tail written there by FS->subclass (`self.vo` in a fuzzed backbone) was "cannot be
    # converted" on read-back; `print(...)`, which does not touch the model, is plain code.
    source = GRAPH_CLASS.replace('print("built")', "self.trainable = False")
    out = convert(source, C)
    assert "        self.dense2 = layers.Dense(1)\n        self.trainable = False\n\n    def call(" in out
    assert "\n    model.trainable = False\n    return model\n" in convert(out, F)


def test_a_plain_line_in_a_subclass_init_stays_a_line_of_the_model() -> None:
    # F->subclass wrote `print(...)` among the layers of __init__ and could not read it back.
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = layers.Dense(4)(inputs)
        print("half way")
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    out = convert(source, C)
    assert '        self.dense1 = layers.Dense(4)\n        print("half way")\n        self.dense2' in out
    # Made once at module level, the class goes back to module-level code, the line with it.
    assert 'inputs = keras.Input(shape=(8,))\nprint("half way")\n' in convert(out, F)
    assert 'print("built")' in convert(GRAPH_CLASS, C)


def test_a_layer_made_after_a_setup_statement_is_refused_naming_that_statement() -> None:
    source = """\
        import keras


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.first = keras.layers.Dense(3)
                self.build((None, 4))
                self.second = keras.layers.Dense(2)

            def call(self, inputs):
                return self.second(self.first(inputs))
        """
    assert refusal(source, F) == [
        "m.py:9:9: error: `self.second`, which call() uses, is made after `self.build(...)`; kconvert reads"
        " the layers `__init__` makes before it sets the model up (hint: make `self.second` before"
        " `self.build(...)`, or keep the model a subclass)"
    ]


def test_a_value_returned_from_init_is_refused_by_line() -> None:
    source = GRAPH_CLASS.replace('print("built")', "return config")
    assert refusal(source, C) == [
        "m.py:12:9: error: `return config` returns a value from `__init__`, which Python refuses when the"
        " class is called (`__init__` must return None) (hint: remove the `return`)"
    ]


def test_a_return_above_other_lines_of_init_is_refused_and_a_last_bare_return_is_dropped() -> None:
    skipping = GRAPH_CLASS.replace('        print("built")\n', '        return\n        print("built")\n')
    assert refusal(skipping, C) == [
        "m.py:12:9: error: `return` leaves `__init__` here, so the lines below it never run (hint: remove the"
        " `return`, or the lines it skips)"
    ]
    last = GRAPH_CLASS.replace('print("built")', "return")
    assert "return\n" not in convert(last, C).split("def call")[0]


def test_keras_own_setting_in_a_subclass_init_goes_with_the_model() -> None:
    # `self.trainable = False` was read as a constructor value and left out of a Functional model.
    source = """\
        import keras


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.first = keras.layers.Dense(3)
                self.trainable = False

            def call(self, inputs):
                return self.first(inputs)


        model = Net()
        model(keras.Input(shape=(4,)))
        """
    assert "\nmodel = keras.Model(inputs=inputs, outputs=outputs)\nmodel.trainable = False\n" in convert(source, F)


FIT_TOO_EARLY = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8,))
x = layers.Dense(4)(inputs)
model.summary()
outputs = layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
"""


def test_a_line_reading_the_model_before_it_is_made_is_refused_by_line() -> None:
    # to-subclass carried `model.summary()` into __init__, where it could not be read back.
    for style in (C, S):
        assert refusal(FIT_TOO_EARLY, style) == [
            "m.py:6:1: error: `model.summary()` reads `model` before the line that makes it (hint: move it"
            " below the line that binds `model`)"
        ]


def test_a_line_reading_an_earlier_model_of_that_name_stays_among_the_layers() -> None:
    earlier = FIT_TOO_EARLY.replace("inputs = keras.Input", "model = keras.Sequential([keras.Input(shape=(2,))])\ninputs = keras.Input")
    out = convert(earlier, C)
    assert "        self.dense1 = layers.Dense(4)\n        model.summary()\n        self.dense2" in out


def test_an_instance_above_its_class_is_refused_at_the_instance() -> None:
    # A fuzzed file made `model = MyModel()` before `import keras` and the class; to-subclass
    # added `model(keras.Input(...))` after it, which read `keras` before its import.
    source = GRAPH_CLASS.replace("import keras\n", "model = Regressor()\nimport keras\n", 1)
    expected = [
        "m.py:1:9: error: `Regressor` is read here, before line 6 defines it, so Python stops here with a"
        " NameError (hint: move this line below the `class Regressor` definition)"
    ]
    assert refusal(source, C) == expected
    assert refusal(source, F) == expected


def test_a_class_base_imported_below_the_class_is_refused_at_the_base() -> None:
    source = GRAPH_CLASS.replace("import keras\n", "", 1) + "import keras\n"
    assert refusal(source, F) == [
        "m.py:4:17: error: `keras` is read here, but line 15 binds it, so Python stops at this `class` with a"
        " NameError (hint: move `import keras` above the `class Regressor` line)"
    ]


def test_a_registration_read_from_an_import_below_the_model_is_refused_at_that_import() -> None:
    # The class to-subclass writes where the model was is decorated with `tf.keras.utils....`,
    # and `tf` was imported only further down.
    source = """\
        from tensorflow.keras.layers import Dense, Input
        from tensorflow.keras.models import Model

        inputs = Input(shape=(3,))
        outputs = Dense(2)(inputs)
        model = Model(inputs, outputs)
        import tensorflow as tf
        """
    assert refusal(source, C) == [
        "m.py:7:1: error: `tf` is bound only here, after `model`; the class a subclass conversion writes there"
        " needs `tf.keras.utils.register_keras_serializable` as soon as it is defined (hint: move this import"
        " to the top of the file, above `model`)"
    ]


def test_a_graph_class_input_nothing_makes_is_refused_at_the_input() -> None:
    # A fuzzed two-tower class lost its `item = keras.Input(...)` line; to-functional could not read its output back.
    source = GRAPH_CLASS.replace("inputs=inputs,", "inputs=[inputs, item],")
    assert refusal(source, F) == [
        "m.py:10:42: error: the model input `item` is not made by `keras.Input(...)` in `__init__` (hint: make it"
        " with keras.Input before `super().__init__(...)`)"
    ]


SHARED_IN_LOOP = """\
import keras
from keras import layers

block = layers.Dense(30, activation="relu")


def MyModel(**kwargs):
    model = keras.Sequential(**kwargs)
    model.add(keras.Input(shape=(8,)))
    for _ in range(3):
        model.add(block)
    return model


model = MyModel()
"""


def test_a_module_layer_called_only_in_a_loop_is_kept_by_the_subclass() -> None:
    # `self.block(x)` in call() had no `self.block = block` in __init__.
    out = convert(SHARED_IN_LOOP, C)
    assert "        super().__init__(**kwargs)\n        self.block = block\n\n    def call(" in out
    assert "        for _ in range(3):\n            x = self.block(x)\n" in out


def test_a_sequential_element_the_file_never_defines_is_refused_by_name() -> None:
    source = SHARED_IN_LOOP.replace('block = layers.Dense(30, activation="relu")\n', "")
    assert refusal(source, F) == [
        "m.py:10:19: error: `block` is used as a layer, but this file never defines or imports it (hint: define"
        " `block` before the model, or import it)"
    ]


def test_a_layer_call_on_an_input_made_below_it_is_refused_by_line() -> None:
    source = GRAPH_CLASS.replace(
        '        inputs = keras.Input(shape=(8,))\n        x = layers.Dense(hidden, activation="relu")(inputs)\n',
        '        x = layers.Dense(hidden, activation="relu")(inputs)\n        inputs = keras.Input(shape=(8,))\n',
    )
    assert refusal(source, C) == [
        'm.py:7:9: error: `x = layers.Dense(hidden, activation="relu")(inputs)` reads `inputs` before line 8'
        " binds it (hint: move it below the line that binds `inputs`)"
    ]


def test_a_model_reading_a_name_nothing_binds_is_refused_at_the_read() -> None:
    # `maps2 = Block()(pooled)` was kept as a plain statement, which to-subclass put in __init__
    # and call() then read unbound; the way back read `layers` of a file that lost its import.
    source = GRAPH_CLASS.replace("layers.Dense(1)(x)", "layers.Dense(units)(x)")
    expected = ["m.py:9:32: error: `units` is read here, where nothing binds it (hint: define or import `units`)"]
    assert refusal(source, C) == expected
    assert refusal(convert(GRAPH_CLASS, C).replace("from keras import layers\n", ""), F)[0].startswith(
        "m.py:9:23: error: `layers` is read here, where nothing binds it"
    )


def test_a_line_that_reads_the_tensor_it_binds_first_is_refused_at_that_line() -> None:
    # A fixture with its first layer's input renamed: the class styles' safety check caught
    # `deep` read where nothing binds it (the original stops there with a NameError).
    source = """\
    import keras
    from keras.layers import Dense, Input, concatenate

    features = Input(shape=(8,))
    deep = Dense(16, activation="relu")(deep)
    outputs = Dense(1)(concatenate([features, deep]))
    model = keras.Model(features, outputs)
    """
    for target in (S, C, FS):
        assert refusal(source, target) == [
            'm.py:5:1: error: `deep = Dense(16, activation="relu")(deep)` reads `deep` before anything binds it'
            " (hint: give `deep` a value above this line)"
        ]


def test_a_loop_whose_first_pass_reads_a_tensor_nothing_bound_is_refused_at_the_loop() -> None:
    # A fixture's `x = inputs` deleted: the loop carries `x` round, but its first pass reads it
    # unbound; to-functional-subclass wrote that read into __init__ and its safety check caught it.
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    for width in (8, 16):
        skip = x
        x = layers.Dense(width)(x)
        x = layers.Add()([x, layers.Dense(width)(skip)])
    outputs = layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    """
    for target in (S, C, FS):
        assert refusal(source, target) == [
            "m.py:5:1: error: `for width in (8, 16):` reads `x` before anything binds it"
            " (hint: give `x` a value above this line)"
        ]
    assert convert(source.replace("inputs = keras", "x = inputs = keras"), C)


def test_a_model_whose_layers_are_called_on_another_models_tensor_is_refused() -> None:
    # The second model's Input reaches nothing: Keras stops at its `keras.Model(...)` with "Graph
    # disconnected"; to-subclass had written a call() that read the first model's tensor.
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = layers.Dense(4)(inputs)
        first = keras.Model(inputs, x)

        inputs = keras.Input(shape=(8,))
        y = layers.Dense(2)(x)
        model = keras.Model(inputs, y)
        """
    message = (
        "m.py:10:9: error: no input of this model reaches its outputs (its layers are called on a tensor its own"
        ' lines do not compute), so Keras stops here with a "Graph disconnected" error (hint: call the'
        " model's first layer on its Input)"
    )
    for target in (C, FS):
        assert message in refusal(source, target)


def test_an_add_to_a_model_after_another_model_begins_is_away_from_its_line() -> None:
    # Valid Keras, but the first model's lines would take in the second's: each conversion was
    # caught by the safety check as an internal error.
    source = """\
        import keras
        from keras import layers

        first = keras.Sequential()
        first.add(layers.Dense(8, input_shape=(4,)))

        second = keras.Sequential()
        second.add(layers.Dense(8, input_shape=(4,)))
        first.add(layers.Activation("relu"))
        second.add(layers.Dense(2))
        """
    for target in (F, C, FS):
        assert refusal(source, target)[0] == (
            "m.py:9:1: error: `first.add(...)` comes after other statements, so the layers of the model are not all"
            " in one place (hint: move every `first.add(...)` right after the `first = Sequential(...)` line)"
        )


def test_a_plain_class_whose_call_makes_layers_is_no_layer_of_a_subclass() -> None:
    # Rabbit1010's colorization network: `Conv_Batch_ReLu(64)(x)` makes its Conv2D when called.
    # To-subclass made it an attribute called in call(): new layers at every pass (caught, by luck).
    source = """\
        import keras
        from keras import layers


        class ConvBnRelu(object):
            def __init__(self, filters):
                self.filters = filters

            def __call__(self, x):
                x = layers.Conv2D(self.filters, 3, padding="same")(x)
                return layers.ReLU()(layers.BatchNormalization()(x))


        inputs = keras.Input(shape=(8, 8, 1))
        x = ConvBnRelu(4)(inputs)
        model = keras.Model(inputs, ConvBnRelu(2)(x))
        """
    why = "`ConvBnRelu(...)` gives no layer object but a callable that makes new layers each time it is called;"
    hint = " (hint: keep the Functional API, or make it a keras.layers.Layer class)"
    assert refusal(source, C) == [f"m.py:15:5: error: {why} a subclass makes its layers once, in __init__{hint}"]


STAR_HELPER = """\
import keras
from keras import layers
IMPORT

def block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    return layers.BatchNormalization(axis=AXIS)(x)


inputs = keras.Input(shape=(8, 8, 3))
x = block(inputs, 4)
model = keras.Model(inputs, block(x, 2))
"""


def test_a_helper_reading_a_name_of_another_modules_star_import_is_unrolled() -> None:
    # `AXIS` comes from `from resnets_utils import *` (a Coursera assignment's helper module):
    # to-sequential writes the helper's BatchNormalization once per call, and the safety check,
    # which counted unbound reads, took the second `AXIS` for one the conversion made up.
    out = convert(STAR_HELPER.replace("IMPORT", "from resnets_utils import *\n"), S)
    assert out.count("layers.BatchNormalization(axis=AXIS),") == 2
    assert "def block" not in out
    assert convert(out, F).count("(axis=AXIS)") == 2


def test_a_name_no_import_can_bind_is_still_caught_when_a_conversion_repeats_it() -> None:
    # Without another module's star import, an unbound name is the original's NameError.
    assert refusal(STAR_HELPER.replace("IMPORT", ""), S) == [
        "m.py:7:43: error: `AXIS` is read here, where nothing binds it (hint: define or import `AXIS`)"
    ]


def test_a_model_class_made_twice_reads_back_as_that_model_from_its_builder_function() -> None:
    # A fuzzed fixture: `encoder = Encoder()` again after the classifier that calls it. Made twice,
    # the class becomes a builder function (not module-level code), and the check read the
    # classifier's `encoder` back as a new layer `Encoder()` where the original read the model.
    source = """\
        import keras
        from keras import layers


        class Encoder(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = layers.Dense(4)

            def call(self, inputs):
                return self.dense(inputs)


        encoder = Encoder()
        encoder(keras.Input(shape=(8,)))


        class Classifier(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.encoder = encoder
                self.head = layers.Dense(2)

            def call(self, inputs):
                return self.head(self.encoder(inputs))


        classifier = Classifier()
        classifier(keras.Input(shape=(8,)))
        encoder = Encoder()
        """
    out = convert(source, F)
    assert "def Encoder(**kwargs):" in out and out.count("encoder = Encoder()\n") == 2
    # The tensor is no longer named after the model object the file keeps (`encoder_1`).
    assert "x = encoder(inputs)\n" in out
    # And back: the classifier takes in the line that made its encoder, which to-subclass builds
    # after it too (two edits of one line: the class went missing, caught as an internal error).
    back = convert(out, C)
    assert "        self.encoder = Encoder()\n" in back and "class Classifier(keras.Model):" in back
    assert back.endswith("classifier = Classifier()\nclassifier(keras.Input(shape=(8,)))\nencoder = Encoder()\nencoder(keras.Input(shape=(8,)))\n")


def test_a_helper_that_makes_an_input_of_its_own_is_no_block() -> None:
    # A fuzzed U-Net (bnsreenu's): `inputs = layers.Input(...)` moved into `conv_block`, which the
    # block reader took for a tensor parameter of the block: "internal error: KeyError: 'inputs'".
    source = """\
        import keras
        from keras import layers


        def conv_block(x, size):
            inputs = layers.Input((8, 8, 3))
            return layers.Conv2D(size, 3, padding="same")(x)


        def build():
            inputs = layers.Input((8, 8, 3))
            x = conv_block(inputs, 4)
            x = conv_block(x, 8)
            return keras.Model(inputs, x)


        model = build()
        """
    assert refusal(source, C) == [
        "m.py:6:14: error: `conv_block` cannot be written out in a subclass: `conv_block` makes an Input,"
        " `inputs`, that nothing it computes reads (hint: remove it, or make the model's Input in the"
        " function that makes the model)"
    ]
    assert "internal error" not in refusal(source, S)[0]
    assert "def conv_block(x, size):" in convert(source, FS)  # the class calls the function as written


BLOCK_CLASS = """\
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units)

    def call(self, x):
        return self.dense(x)

    x = Block(units)(x)


units = 8
inputs = keras.Input(shape=(4,))
x = Block(units)(inputs)
model = keras.Model(inputs, layers.Dense(1)(x))
"""


def test_a_class_body_line_reading_a_later_module_name_is_the_user_s_name_error() -> None:
    # A line pasted into a class body (seed 33) runs when the class is made, above the `units =`
    # line: the module stops there for every model, and the safety check took the conversion's
    # read of the name for kconvert's own fault ("internal error").
    message = (
        "m.py:13:15: error: `units` is read here, but line 16 binds it, so Python stops at this `class` with a"
        " NameError (hint: this line runs when `class Block` is made: move it into a method, or out of the class)"
    )
    for target in (S, C, FS):
        assert refusal(BLOCK_CLASS, target) == [message]


def test_a_class_body_line_reading_an_earlier_name_or_its_own_is_fine() -> None:
    # Bound above the class, or by the class body's own earlier line, the name is there when read.
    source = BLOCK_CLASS.replace("    x = Block(units)(x)\n", "    size = 2\n    width = size * scale\n")
    source = source.replace("class Block(", "scale = 3\n\n\nclass Block(")
    assert "    size = 2\n    width = size * scale\n" in convert(source, C)
