"""Idioms of real model code that kconvert refused or reported badly (issue 9, second pass).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``): the expected output is checked by
hand, or the refusal must name the line in one line of text.
"""

from __future__ import annotations

import re
import textwrap

from kconvert.convert import convert_source
from kconvert.types import Options, Refused, Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS


def test_a_refusal_that_quotes_a_statement_over_several_lines_is_one_line() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(8)(inputs)
    print(
        "hidden:",
        hidden,
    )
    outputs = layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    """
    (message,) = refusal(source, C)
    assert message == (
        "m.py:6:1: error: `print(\"hidden:\", hidden)`"
        " uses a tensor but is not part of the model's graph"
        " (hint: move this statement after the model, or remove it)"
    )


def test_a_model_made_on_the_tensors_in_the_middle_of_a_model_is_named_as_a_view() -> None:
    # The OCR example's builder prints the summary of its prediction part mid-way.
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(8)(inputs)
    keras.utils.plot_model(
        keras.Model(
            inputs,
            hidden,
        ),
        to_file="hidden.png",
    )
    outputs = layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    """
    (message,) = refusal(source, C)
    assert message == (
        "m.py:6:1: error: `keras.Model(inputs, hidden)` builds another model on this model's tensors,"
        " a view of its graph, which only the Functional API can express"
        " (hint: keep this model Functional, or remove the statement)"
    )


def test_tensorflow_functions_with_a_keras_ops_twin_are_written_as_it() -> None:
    # The TensorFlow tutorial's ResNet block: tf.nn.relu in call(); Keras 3 refuses it on
    # symbolic tensors, keras.ops.relu computes the same.
    source = """\
    import tensorflow as tf


    class Block(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = tf.keras.layers.Conv2D(3, 1)

        def call(self, inputs):
            x = tf.nn.relu(self.conv(inputs))
            x = tf.reduce_mean(x + inputs, axis=[1, 2], keepdims=True)
            return tf.nn.softmax(x, axis=-1)


    block = Block()
    block(tf.zeros([1, 4, 4, 3]))
    """
    assert convert(source, F) == textwrap.dedent(
        """\
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(4, 4, 3))
        conv = tf.keras.layers.Conv2D(3, 1)(inputs)
        x = tf.keras.ops.relu(conv)
        x = tf.keras.ops.mean(x + inputs, axis=[1, 2], keepdims=True)
        block = tf.keras.Model(inputs=inputs, outputs=tf.keras.ops.softmax(x, axis=-1))
        block(tf.zeros([1, 4, 4, 3]))
        """
    )


def test_tensorflow_functions_with_another_signature_stay_refused() -> None:
    # keras.ops.depth_to_space has no twin of TensorFlow's "NCHW_VECT_C" layout.
    source = """\
    import tensorflow as tf
    from tensorflow import keras

    inputs = keras.Input(shape=(8, 8, 4))
    x = tf.nn.depth_to_space(inputs, 2, data_format="NCHW_VECT_C")
    model = keras.Model(inputs, x)
    """
    (first,) = refusal(source, C)
    assert first.startswith("m.py:5:5: error: `tf.nn.depth_to_space` (tensorflow.nn.depth_to_space) is a TensorFlow")


def test_an_input_bound_to_two_names_and_a_named_list_of_inputs_convert() -> None:
    # keras-io's structured-data examples: `all_inputs = [...]` then keras.Model(all_inputs, ...);
    # others start with `x = inputs = keras.Input(...)`.
    source = """\
    import keras
    from keras import layers

    x = age = keras.Input(shape=(1,), name="age")
    fare = keras.Input(shape=(1,), name="fare")
    all_inputs = [age, fare]
    x = layers.concatenate([x, fare])
    x = layers.Dense(4)(x)
    model = keras.Model(all_inputs, x)
    """
    assert convert(source, C) == textwrap.dedent(
        """\
        import keras
        from keras import layers


        @keras.saving.register_keras_serializable(package="m")
        class MyModel(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.concatenate = layers.Concatenate()
                self.dense = layers.Dense(4)

            def call(self, inputs, training=None):
                age, fare = inputs
                x = self.concatenate([age, fare])
                return self.dense(x)


        model = MyModel()
        model([keras.Input(shape=(1,), name="age"), keras.Input(shape=(1,), name="fare")])
        """
    )
    back = convert(convert(source, C), F)
    # call() returned its last layer call, whose tensor Functional code names `outputs`.
    # Made once at module level, the class goes back to module-level code.
    assert back.endswith("\nmodel = keras.Model(inputs=[age, fare], outputs=outputs)\n")


def test_a_list_of_tensors_changed_after_it_is_named_is_not_taken_for_the_inputs() -> None:
    source = """\
    import keras
    from keras import layers

    a = keras.Input(shape=(1,))
    b = keras.Input(shape=(1,))
    all_inputs = [a]
    all_inputs += [b]
    x = layers.Dense(4)(layers.concatenate([a, b]))
    model = keras.Model(all_inputs, x)
    """
    (message,) = refusal(source, C)
    assert message.startswith("m.py:9:21: error: the model")


def test_layers_assigned_as_a_tuple_in_init_are_read_one_by_one() -> None:
    source = """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden, self.head = layers.Dense(8, activation="relu"), layers.Dense(2)

        def call(self, x):
            return self.head(self.hidden(x))


    model = Net()
    model(keras.Input(shape=(4,)))
    """
    assert convert(source, S) == textwrap.dedent(
        """\
        import keras
        from keras import layers

        model = keras.Sequential(
            [
                keras.Input(shape=(4,)),
                layers.Dense(8, activation="relu"),
                layers.Dense(2),
            ]
        )
        """
    )


def test_a_statement_using_the_model_between_adds_is_named_as_the_reason() -> None:
    # Compiling between adds has no place in the other styles; the refusal names that line.
    # (The DCGAN tutorial's `assert model.output_shape == ...` converts: tests/test_mid_build.py.)
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    model.add(layers.Dense(8, input_shape=(4,)))
    model.compile(loss="mse")
    model.add(layers.Dense(2))
    """
    assert refusal(source, F) == [
        "m.py:6:1: error: `model.compile(loss=\"mse\")` reads `model` while its layers are being"
        " added; the other styles have no model until the last layer is in"
        " (hint: move it after the last `model.add(...)`, or remove it)"
    ]


def test_a_test_on_a_tensors_rank_is_static_and_builtins_are_functions() -> None:
    # `len(x.shape)` used to be taken for a call of a layer named `len`, so the test read a tensor.
    source = """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.flat = layers.Flatten()
            self.out = layers.Dense(2)

        def call(self, x):
            if len(x.shape) > 2:
                x = self.flat(x)
            return self.out(x)


    model = Net()
    model(keras.Input(shape=(4, 3)))
    """
    out = convert(source, F)
    assert "\nif len(x.shape) > 2:\n    x = layers.Flatten()(x)\n" in out


def test_a_sequential_whose_first_element_is_a_sequential_with_an_input_takes_its_shape() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Sequential([layers.Dense(8, input_shape=(4,)), layers.ReLU()]),
            layers.Dense(2),
        ]
    )
    """
    assert convert(source, F) == textwrap.dedent(
        """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(4,))
        x = keras.Sequential([layers.Dense(8, input_shape=(4,)), layers.ReLU()])(inputs)
        outputs = layers.Dense(2)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    )


def test_a_layer_chosen_by_a_conditional_expression_is_called_in_parentheses() -> None:
    source = """\
    import keras
    from keras import layers

    BIG = True
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(64) if BIG else layers.Dense(8), layers.Dense(1)])
    """
    assert "x = (layers.Dense(64) if BIG else layers.Dense(8))(inputs)\n" in convert(source, F)
    assert "        self.dense1 = layers.Dense(64) if BIG else layers.Dense(8)\n" in convert(source, C)


def test_a_layer_made_by_arithmetic_or_a_boolean_expression_is_named_after_its_class() -> None:
    # Issue 13: the subclass's attribute was named after the expression's text
    # (``self.dense(1) * 1) = ...``), an internal error.
    source = """\
    import keras
    from keras import layers

    pick = [layers.Dense(2)]
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1) * 1, pick[0] or layers.ReLU()])
    """
    subclass = convert(source, C)
    assert "        self.dense = layers.Dense(1) * 1\n        self.relu = pick[0] or layers.ReLU()\n" in subclass
    assert "        x = self.dense(inputs)\n        return self.relu(x)\n" in subclass


def test_names_from_star_imports_of_keras_modules_are_keras_names() -> None:
    # Keras 1/2 examples: `from keras.models import *` and `from keras.layers import *`.
    source = """\
    from keras.models import *
    from keras.layers import *

    model = Sequential([Input(shape=(4,)), Dense(8, activation="relu"), Dense(1)])
    """
    assert convert(source, F) == textwrap.dedent(
        """\
        from keras.models import *
        from keras.layers import *

        inputs = Input(shape=(4,))
        x = Dense(8, activation="relu")(inputs)
        outputs = Dense(1)(x)
        model = Model(inputs=inputs, outputs=outputs)
        """
    )


def test_a_name_the_file_binds_itself_is_not_taken_from_a_star_import() -> None:
    source = """\
    from keras.layers import *


    def Dense(units):
        return units


    model = Dense(3)
    """
    result = convert_source(textwrap.dedent(source), F, Options(), "m.py")
    assert isinstance(result, Refused)
    assert "no Keras model found" in result.diagnostics[0].message


def test_an_input_the_caller_may_give_is_named_as_the_reason() -> None:
    # Keras Applications: the model is built on `input_tensor` when the caller passes one.
    source = """\
    import keras
    from keras import layers


    def small_net(input_tensor=None):
        if input_tensor is None:
            img_input = keras.Input(shape=(8, 8, 3))
        else:
            img_input = input_tensor
        x = layers.Conv2D(4, 3)(img_input)
        return keras.Model(img_input, x)
    """
    assert refusal(source, C) == [
        "m.py:6:5: error: the model input `img_input` is chosen by this `if` (a new Input, or a tensor the"
        " caller gives): a subclassed model makes its own inputs, so it cannot be built on the caller's"
        " tensor (hint: keep this model Functional, or convert it to functional-subclass (a class that"
        " builds the same graph); if no caller passes `input_tensor`, build on the new Input alone and"
        " convert that)"
    ]


def test_attributes_of_a_subclass_instance_read_later_keep_it_a_subclass() -> None:
    # The TensorFlow autoencoder tutorial: `autoencoder.encoder(x_test)` after training.
    source = """\
    import keras
    from keras import layers


    class AE(keras.Model):
        def __init__(self):
            super().__init__()
            self.encoder = keras.Sequential([layers.Dense(4)])
            self.decoder = keras.Sequential([layers.Dense(8)])

        def call(self, x):
            return self.decoder(self.encoder(x))


    autoencoder = AE()
    autoencoder(keras.Input(shape=(8,)))
    codes = autoencoder.encoder(keras.ops.zeros((1, 8)))
    """
    for target in (F, S):
        assert refusal(source, target) == [
            f"m.py:17:9: error: `autoencoder.encoder` reads an attribute the class sets in __init__; a {target}"
            " model has no such attribute (hint: keep this model a subclass, or reach the layer by its name"
            " (`autoencoder.get_layer(...)`))"
        ]


def test_a_subclass_whose_first_block_declares_an_input_takes_its_shape() -> None:
    # The TensorFlow denoising autoencoder: `self.encoder = Sequential([layers.Input(shape=...), ...])`.
    source = """\
    import keras
    from keras import layers


    class Denoise(keras.Model):
        def __init__(self):
            super().__init__()
            self.encoder = keras.Sequential([layers.Input(shape=(8,)), layers.Dense(4)])
            self.decoder = keras.Sequential([layers.Dense(8)])

        def call(self, x):
            return self.decoder(self.encoder(x))


    autoencoder = Denoise()
    """
    out = convert(source, F)
    assert "\nx = keras.Input(shape=(8,))\n" in out
    assert "keras.Sequential([layers.Input(shape=(8,)), layers.Dense(4)])" in convert(source, S)


def test_a_layer_picked_by_position_after_the_with_block_of_the_model_is_seen() -> None:
    # The DTensor tutorial builds the model under `with layout_map.scope():`, then reads
    # `model.layers[1]` at module level.
    source = """\
    import keras
    from keras import layers

    with keras.name_scope("m"):
        inputs = keras.Input((16,))
        x = layers.Dense(16)(inputs)
        model = keras.Model(inputs, layers.Dense(4)(x))

    print(model.layers[1].kernel)
    """
    # Seen, and renumbered: a Sequential model does not list its InputLayer.
    assert convert(source, S).endswith("\nprint(model.layers[0].kernel)\n")


def test_a_compound_statement_between_adds_is_read_without_a_crash() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    model.add(layers.Dense(4, input_shape=(8,)))
    for size in (4, 2):
        last = size
    model.add(layers.Dense(last))
    """
    result = convert_source(textwrap.dedent(source), C, Options(), "m.py")
    rendered = [d.render() for d in getattr(result, "diagnostics", ())]
    assert not any("internal error" in line for line in rendered), rendered


def test_an_input_rebound_to_another_models_tensor_is_that_tensor_not_the_older_input() -> None:
    # The seq2seq example: the training model, then inference models built on the loaded
    # model's tensors under the same names. The second model's input is `model.input[0]`,
    # not the `keras.Input` line the name held before (which pulled `model.compile` into it).
    source = """\
    import keras

    encoder_inputs = keras.Input(shape=(None, 5))
    encoded = keras.layers.LSTM(8)(encoder_inputs)
    model = keras.Model(encoder_inputs, encoded)
    model.compile(optimizer="rmsprop", loss="mse")

    model = keras.models.load_model("s2s.keras")
    encoder_inputs = model.input[0]
    encoder_model = keras.Model(encoder_inputs, model.layers[1].output)
    """
    messages = refusal(source, C)
    assert messages[0] == (
        "m.py:10:29: error: the model input `encoder_inputs` is another model's tensor (`model.input`):"
        " the model is a view of that model's graph, which only the Functional API can express"
        " (hint: keep this model Functional (--model picks the models to convert); `kconvert"
        " to-functional-subclass` keeps this view working: it leaves views as they are and writes the"
        " models they view as classes that still build a graph)"
    )
    assert not any("compile" in message for message in messages)


def test_an_unused_read_of_a_tensor_is_kept_in_call_but_an_unused_layer_is_refused() -> None:
    # The BERT example reads `pooler_output` and never uses it: nothing is made, so call()
    # keeps the line. An unused layer call is different: the Functional model leaves its
    # weights out, a subclass would make them.
    source = """\
    import keras

    ids = keras.Input(shape=(8,), dtype="int32")
    encoded = keras.layers.Embedding(100, 16)(ids)
    pooled = encoded.shape
    output = keras.layers.Dense(3)(keras.layers.GlobalAveragePooling1D()(encoded))
    model = keras.Model(ids, output)
    """
    converted = convert(source, C)
    assert "        pooled = encoded.shape\n" in converted
    assert convert(converted, F).count("pooled = encoded.shape") == 1
    unused_layer = source.replace("encoded.shape", "keras.layers.Dense(2)(encoded)")
    (message,) = refusal(unused_layer, C)
    assert "`pooled` is computed among the model's statements but the model does not use it" in message


def test_names_a_lambda_a_comprehension_or_an_import_binds_are_not_the_models_tensors() -> None:
    # Deep Learning with Python maps a dataset with `lambda x: ...` after a model whose
    # tensor is `x`; Hands-on ML ends with `from google.colab import output` in an `if`.
    source = """\
    import sys

    import keras
    import tensorflow as tf

    inputs = keras.Input(shape=(16,))
    x = keras.layers.Dense(8)(inputs)
    output = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, output)

    reshaped = tf.data.Dataset.range(4).map(lambda x: tf.reshape(x, (1,)))
    squares = [x * x for x in range(3)]
    if "google.colab" in sys.modules:
        from google.colab import output

        output.serve_kernel_port_as_window(6006)
    """
    assert "class " in convert(source, C)
    read_in_comprehension = source.replace("for x in range(3)", "for _ in range(3)")
    (message,) = refusal(read_in_comprehension, C)
    assert message.startswith("m.py:12:12: error: `x` from the model's code is still used here")
    read_as_first_iterable = source.replace("[x * x for x in range(3)]", "[v for v in x]")
    (message,) = refusal(read_as_first_iterable, C)
    assert message.startswith("m.py:12:23: error: `x` from the model's code is still used here")
    read_in_the_other_branch = source.replace("        output.serve", "    else:\n        output.serve")
    assert "`output` from the model's code is still used here" in refusal(read_in_the_other_branch, C)[0]


def test_a_layer_made_in_a_with_block_and_read_after_it_stays_where_it_is_made() -> None:
    # The BERT example: the pretrained model is made in `with strategy.scope():` and
    # unfrozen at module level later; the class is hoisted out and set off as black would.
    source = """\
    import keras
    import tensorflow as tf
    import transformers

    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        input_ids = keras.Input(shape=(8,), dtype="int32")
        bert_model = transformers.TFBertModel.from_pretrained("bert-base-uncased")
        bert_model.trainable = False
        sequence_output = bert_model(input_ids).last_hidden_state
        pooled = keras.layers.GlobalAveragePooling1D()(sequence_output)
        output = keras.layers.Dense(3, activation="softmax")(pooled)
        model = keras.Model(inputs=input_ids, outputs=output)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
    bert_model.trainable = True
    """
    converted = re.sub(r"model = \w+\(\)", "model = Cls()", convert(source, C))
    assert converted.endswith(
        "        return self.dense(pooled)\n"
        "\n"
        "\n"
        "with strategy.scope():\n"
        '    bert_model = transformers.TFBertModel.from_pretrained("bert-base-uncased")\n'
        "\n"
        "    model = Cls()\n"
        '    model(keras.Input(shape=(8,), dtype="int32"))\n'
        '    model.compile(optimizer="adam", loss="categorical_crossentropy")\n'
        "bert_model.trainable = True\n"
    )


def test_a_base_called_with_training_false_passes_the_models_flag_in_a_subclass() -> None:
    # The transfer-learning guide's ``base_model(inputs, training=False)``. In a graph, Keras 3
    # passes the model's own training flag to that call when there is one (fit() passes True),
    # so a subclass passing False always would train the unfrozen base differently
    # (tests/test_training_held.py): it passes False only when it has no flag; a graph class
    # keeps the call as it is.
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers

        base_model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)])
        base_model.trainable = False
        inputs = keras.Input(shape=(8,))
        x = base_model(inputs, training=False)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    )
    assert "        x = self.base_model(inputs, training=False if training is None else training)\n" in convert(source, C)
    assert "    x = base_model(inputs, training=False)\n" in convert(source, Style.FUNCTIONAL_SUBCLASS)


def test_a_name_given_to_a_keras_function_is_no_layer_of_a_sequential_model() -> None:
    # keras.io video_transformers: the Sequential listed the function itself, which Keras refuses to build.
    source = """\
    import keras
    from keras import layers


    def build_feature_extractor():
        preprocess_input = keras.applications.densenet.preprocess_input
        inputs = keras.Input((32, 32, 3))
        x = preprocess_input(inputs)
        outputs = layers.GlobalAveragePooling2D()(layers.Conv2D(4, 3)(x))
        return keras.Model(inputs, outputs)
    """
    assert refusal(source, S) == [
        "m.py:8:9: error: `x` is computed by `preprocess_input(...)`, a function kconvert does not read as"
        " layers; a Sequential model holds only layers (hint: keep the Functional API)"
    ]
    assert "        x = preprocess_input(inputs)\n" in convert(source, Style.FUNCTIONAL_SUBCLASS)
    # Stored on the model, the function would be read back as a layer of it: call() calls it by
    # the path the statement names, and __init__, which reads the name for nothing else, drops it.
    assert convert(source, C) == textwrap.dedent(
        """\
        import keras
        from keras import layers


        @keras.saving.register_keras_serializable(package="m")
        class FeatureExtractor(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.conv = layers.Conv2D(4, 3)
                self.global_pool = layers.GlobalAveragePooling2D()

            def call(self, inputs, training=None):
                x = keras.applications.densenet.preprocess_input(inputs)
                x = self.conv(x)
                return self.global_pool(x)


        def build_feature_extractor():
            model = FeatureExtractor()
            model(keras.Input((32, 32, 3)))
            return model
        """
    )


def test_a_name_given_to_a_keras_function_that_init_reads_too_stays_there() -> None:
    source = """\
    import keras
    from keras import layers


    def build(size=8):
        act = keras.activations.gelu
        inputs = keras.Input((size,))
        x = layers.Dense(size, activation=act)(inputs)
        outputs = act(x)
        return keras.Model(inputs, outputs)
    """
    converted = convert(source, C)
    assert "        act = keras.activations.gelu\n        self.dense = layers.Dense(size, activation=act)\n" in converted
    assert "        outputs = keras.activations.gelu(x)\n" in converted
    assert "self.act" not in converted


def test_an_if_that_makes_a_new_tensor_in_each_branch_is_kept_in_call() -> None:
    # keras.io's WideResNet (AdaMatch): `if ...: shortcut = Conv2D(...)(x) else: shortcut = x`.
    source = """\
    import keras
    from keras import layers


    def build(project=True):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(8)(inputs)
        if project:
            shortcut = layers.Dense(8)(inputs)
        else:
            shortcut = inputs
        outputs = layers.Add()([x, shortcut])
        return keras.Model(inputs, outputs)
    """
    subclass = convert(source, C)
    assert "        if project:\n            self.shortcut = layers.Dense(8)\n" in subclass
    assert (
        "        if self.project:\n            shortcut = self.shortcut(inputs)\n"
        "        else:\n            shortcut = inputs\n"
    ) in subclass


def test_a_first_layer_added_in_each_branch_of_an_if_gives_the_input_shape() -> None:
    # keras-rl's Atari DQN: `if K.image_data_format() == ...` adds a Permute with the same
    # `input_shape=` in either order. The subclass lost the shape (never built, so
    # `model.summary()` after it failed) and to-functional refused "no input shape".
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    if keras.backend.image_data_format() == "channels_last":
        model.add(layers.Permute((2, 3, 1), input_shape=(4, 16, 16)))
    else:
        model.add(layers.Permute((1, 2, 3), input_shape=(4, 16, 16)))
    model.add(layers.Flatten())
    model.add(layers.Dense(3))
    model.summary()
    """
    assert "inputs = keras.Input(shape=(4, 16, 16))\nx = inputs\nif " in convert(source, F)
    assert "model = MyModel()\nmodel(keras.Input(shape=(4, 16, 16)))\nmodel.summary()" in convert(source, C)


def test_branches_whose_first_layers_give_other_shapes_give_none() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    if keras.backend.image_data_format() == "channels_last":
        model.add(layers.Dense(4, input_shape=(8,)))
    else:
        model.add(layers.Dense(4, input_shape=(9,)))
    model.add(layers.Dense(3))
    """
    assert "no input shape" in refusal(source, F)[0]


def test_an_attribute_set_on_a_value_made_from_the_models_tensors_is_refused_as_that() -> None:
    # keras-contrib's improved WGAN: a `partial` loss closing over a tensor of the model, named
    # for Keras with `loss.__name__ = ...`, was "assigns tensors to something other than plain names".
    source = """\
    import functools
    import keras
    from keras import layers

    def weighted(y_true, y_pred, weights):
        return keras.ops.mean(weights * (y_true - y_pred) ** 2)

    inputs = keras.Input(shape=(4,))
    weights = layers.Dense(1)(inputs)
    outputs = layers.Dense(1)(weights)
    loss = functools.partial(weighted, weights=weights)
    loss.__name__ = "weighted"
    model = keras.Model(inputs, outputs)
    model.compile("adam", loss=loss)
    """
    (line,) = refusal(source, C)
    assert line.startswith("m.py:12:1: error: `loss.__name__ = ...` sets an attribute of `loss`, which the model's code computes")
    assert "(hint: compute `loss` after the model" in line


def test_a_layer_made_among_adds_and_read_after_the_model_stays_where_the_file_reads_it() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    model.add(layers.Dense(4, input_shape=(8,)))
    head = layers.Dense(2)
    model.add(head)
    print(head.get_weights())
    """
    for target in (C, Style.FUNCTIONAL_SUBCLASS):
        converted = convert(source, target)
        assert converted.index("head = layers.Dense(2)\n") < converted.index("class ")
        assert converted.endswith("print(head.get_weights())\n")


def test_an_embedding_first_sequential_needs_a_length_when_a_later_layer_does() -> None:
    # tests/fixtures/embedding_any_length converts with `Input(shape=(None,))`; a Flatten before
    # a Dense (or a model.output_shape read among the adds) needs the length the data gives.
    flatten = """\
    from keras import layers, models

    model = models.Sequential()
    model.add(layers.Embedding(1000, 8))
    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    """
    shape_read = """\
    from keras import layers, models

    model = models.Sequential()
    model.add(layers.Embedding(1000, 8))
    print(model.output_shape)
    model.add(layers.LSTM(4))
    """
    for source in (flatten, shape_read):
        assert refusal(source, F) == [
            "m.py:4:11: error: this model has no input shape, and kconvert does not run code to find one"
            " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
            " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer;"
            " nothing after it in this file uses it)"
        ]
    assert "Input(shape=(None,)" in convert(flatten.replace("Flatten()", "GlobalAveragePooling1D()"), F)


def test_an_embedding_first_sequential_used_as_a_layer_keeps_taking_its_input_from_the_model() -> None:
    # bAbI memory network (Keras 2 examples): the encoders get their input from the model that
    # calls them; the any-length guess is for a model of its own, so they stay as they are.
    source = """\
    from keras import layers, models

    encoder = models.Sequential()
    encoder.add(layers.Embedding(100, 8))
    encoder.add(layers.Dropout(0.3))

    story = layers.Input(shape=(12,))
    encoded = encoder(story)
    outputs = layers.Dense(1)(layers.Flatten()(encoded))
    model = models.Model(story, outputs)
    """
    result = convert_source(textwrap.dedent(source), C, Options(), "m.py")
    assert [note.render() for note in result.notes] == [
        "m.py:3:1: note: `encoder` has no input shape and is used as a block inside another model, so it"
        " stays sequential; the models that use it are converted"
        " (hint: to convert it too, pass --model encoder --input-shape D1,D2,...)"
    ]
    assert "encoder = models.Sequential()\n" in result.source
    assert "self.encoder = encoder\n" in result.source


def test_a_plain_import_among_a_models_lines_reads_nothing() -> None:
    # A notebook imports what the next cell needs between the layers: `import x as y` binds `y`
    # and reads nothing (it was refused as reading `np` before anything binds it).
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(8)(inputs)
    import numpy as np
    outputs = layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    print(np.pi)
    """
    for target in (S, C, Style.FUNCTIONAL_SUBCLASS):
        written = convert(source, target)
        assert written.index("import numpy as np\n") < written.index("model = ")


def test_a_sequential_made_on_an_attribute_is_added_to_as_that_attribute() -> None:
    # A GAN book's wrapper class builds its critic in a method with a loop: to Sequential it is
    # added to as `self.model.add(...)`, which the Sequential parser now reads back (the safety
    # check caught it: only plain names were read as the model being added to). Checked by hand,
    # and in TensorFlow: both build 217 parameters and give the same outputs.
    functional = """\
    from keras import layers, models


    class Critic:
        def __init__(self, depth, slope=0.2):
            self.depth = depth
            self.slope = slope
            self._build()

        def _build(self):
            critic_input = layers.Input(shape=(16,))
            x = critic_input
            for i in range(self.depth):
                x = layers.Dense(8)(x)
                x = layers.LeakyReLU(self.slope)(x)
            critic_output = layers.Dense(1)(x)
            self.model = models.Model(critic_input, critic_output)


    critic = Critic(depth=2)
    critic.model.compile(optimizer="adam", loss="mse")
    """
    sequential = convert(functional, S)
    assert sequential.split("def _build(self):\n")[1] == textwrap.dedent("""\
            self.model = models.Sequential()
            self.model.add(layers.Input(shape=(16,)))
            for i in range(self.depth):
                self.model.add(layers.Dense(8))
                self.model.add(layers.LeakyReLU(self.slope))
            self.model.add(layers.Dense(1))


    critic = Critic(depth=2)
    critic.model.compile(optimizer="adam", loss="mse")
    """)
    back = convert(sequential, F)
    assert "x = layers.LeakyReLU(self.slope)(x)\n" in back
    assert "self.model = models.Model(inputs=inputs, outputs=outputs)\n" in back


def test_an_attribute_sequential_read_between_its_adds_is_refused_there() -> None:
    source = """\
    from keras import layers, models


    class Holder:
        def build(self):
            self.model = models.Sequential()
            self.model.add(layers.Input(shape=(4,)))
            self.model.add(layers.Dense(8))
            self.width = len(self.model.layers)
            self.model.add(layers.Dense(1))
    """
    (message,) = refusal(source, F)
    assert message.startswith("m.py:9:9: error: `self.width = len(self.model.layers)` reads `self.model` while")


def test_a_sequential_grown_among_the_lines_of_a_model_that_calls_it_is_that_models_layer() -> None:
    # CapsNet-Keras: the decoder is made between the capsules and the models that call it. As a
    # Sequential it is one object, a layer of the model around it: to Functional, nothing changes
    # (written with the Functional API, its lines would make tensors that model would read as its
    # own, which the safety check caught; then it was refused); a class grows it on its attribute.
    source = """\
    from keras import layers, models


    def build():
        x = layers.Input(shape=(8,))
        h = layers.Dense(4)(x)
        decoder = models.Sequential(name="decoder")
        decoder.add(layers.Dense(8, input_dim=4))
        decoder.add(layers.Dense(2))
        return models.Model(x, [h, decoder(h)])
    """
    assert convert(source, F) == textwrap.dedent(source)
    assert (
        '        self.decoder = models.Sequential(name="decoder")\n'
        "        self.decoder.add(layers.Dense(8, input_dim=4))\n"
        "        self.decoder.add(layers.Dense(2))\n"
    ) in convert(source, C)


def test_a_helper_defined_again_for_the_next_model_is_read_as_that_model_calls_it() -> None:
    # A notebook (Machine-Learning-Tokyo's ResNet) defines its block helpers again in a later cell,
    # one stride moved, and builds the model again. The second model calls the second `def`: it
    # was written out with the first one (exit 0, same parameters, another model; unseen by the
    # safety check, which read both files the same wrong way, and found by the verifier).
    source = """\
    import keras
    from keras import layers


    def block(x, strides):
        x = layers.Conv2D(4, 1, strides=strides)(x)
        return layers.Conv2D(4, 3, padding="same")(x)


    inputs = keras.Input(shape=(8, 8, 3))
    first = keras.Model(inputs, block(inputs, 2))


    def block(x, strides):
        x = layers.Conv2D(4, 1)(x)
        return layers.Conv2D(4, 3, strides=strides, padding="same")(x)


    inputs = keras.Input(shape=(8, 8, 3))
    second = keras.Model(inputs, block(inputs, 2))
    """
    written = convert(source, C)
    first, second = written.split("class BlockLayer")
    assert "self.conv1 = layers.Conv2D(4, 1, strides=strides)\n" in first and "self.block = Block(2)" in first
    assert "self.block_layer = BlockLayer(2)" in second
    assert "self.conv1 = layers.Conv2D(4, 1)\n" in second
    assert 'self.conv2 = layers.Conv2D(4, 3, strides=strides, padding="same")\n' in second
    # Written as classes that build their graphs, each class calls the helper bound above it.
    as_graphs = convert(source, Style.FUNCTIONAL_SUBCLASS)
    back = convert(as_graphs, C).split("class BlockLayer")[1]
    assert 'self.conv2 = layers.Conv2D(4, 3, strides=strides, padding="same")\n' in back
