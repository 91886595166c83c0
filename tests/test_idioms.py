"""Idioms of real model files (issue 6) that fixtures do not show: refusals and small cases."""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style


def _convert(source: str, target: Style):
    return convert_source(textwrap.dedent(source), target, Options(), "m.py")


def _refusal(source: str, target: Style) -> str:
    result = _convert(source, target)
    assert isinstance(result, Refused), getattr(result, "source", "")
    return "".join(diagnostic.render() + "\n" for diagnostic in result.diagnostics)


def _converted(source: str, target: Style) -> str:
    result = _convert(source, target)
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    return result.source


def test_tf_function_without_a_keras_ops_twin_is_refused_with_what_to_write() -> None:
    source = """\
        import tensorflow as tf
        from tensorflow import keras

        inputs = keras.Input(shape=(10, 6))
        x = keras.layers.Dense(6)(inputs)
        x = tf.nn.l2_normalize(x, axis=1)
        outputs = keras.layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    assert _refusal(source, Style.SUBCLASS) == (
        "m.py:6:5: error: `tf.nn.l2_normalize` (tensorflow.nn.l2_normalize) is a TensorFlow function;"
        " Keras 3 does not accept it on Keras tensors"
        " (hint: `keras.ops.normalize` bounds the norm by epsilon where TensorFlow bounds its square:"
        " write `x * keras.ops.rsqrt(keras.ops.maximum(keras.ops.sum(keras.ops.square(x), axis=axis,"
        " keepdims=True), epsilon))`, or wrap the call in a Lambda layer)\n"
    )


def test_tf_functions_keras_ops_lacks_are_refused_naming_what_exists() -> None:
    # ESRGAN's dense blocks (``tf.add_n``) and a pix2pix discriminator (``tf.nn.dropout``): the
    # hint named ``keras.ops.add_n`` and ``keras.ops.dropout``, which Keras 3 does not have.
    source = """\
        import tensorflow as tf
        from tensorflow import keras

        inputs = keras.Input(shape=(4,))
        a = keras.layers.Dense(4)(inputs)
        outputs = {call}
        model = keras.Model(inputs, outputs)
        """
    assert _refusal(source.format(call="tf.add_n([a, inputs])"), Style.SUBCLASS) == (
        "m.py:6:11: error: `tf.add_n` (tensorflow.add_n) is a TensorFlow function;"
        " Keras 3 does not accept it on Keras tensors"
        " (hint: `keras.ops` has no `add_n`: sum the tensors with a `keras.layers.Add()` layer"
        " (`Add()([a, b, c])`), or wrap the call in a Lambda layer)\n"
    )
    assert _refusal(source.format(call="tf.nn.dropout(a, 0.4)"), Style.SUBCLASS) == (
        "m.py:6:11: error: `tf.nn.dropout` (tensorflow.nn.dropout) is a TensorFlow function;"
        " Keras 3 does not accept it on Keras tensors"
        " (hint: `keras.ops` has no `dropout`, and `keras.random.dropout` takes no Keras tensor: a"
        " `keras.layers.Dropout(rate)` layer drops only while training (`tf.nn.dropout` drops at"
        " inference too), or wrap the call in a Lambda layer)\n"
    )


def test_tf_random_function_is_refused_naming_keras_random_not_keras_ops() -> None:
    # A VAE's sampling step: ``keras.ops`` has no ``normal``, the hint named it all the same.
    source = """\
        import tensorflow as tf
        from tensorflow import keras

        inputs = keras.Input(shape=(4,))
        z = keras.layers.Dense(4)(inputs)
        eps = tf.random.normal(tf.shape(z))
        outputs = keras.layers.Dense(1)(z + eps)
        model = keras.Model(inputs, outputs)
        """
    assert _refusal(source, Style.SUBCLASS) == (
        "m.py:6:7: error: `tf.random.normal` (tensorflow.random.normal) is a TensorFlow function;"
        " Keras 3 does not accept it on Keras tensors"
        " (hint: use `keras.random.normal` (or wrap the call in a Lambda layer) instead)\n"
    )


def test_tf_function_whose_argument_has_no_keras_ops_twin_is_refused_naming_it() -> None:
    source = """\
        import tensorflow as tf
        from tensorflow import keras

        inputs = keras.Input(shape=(10,), dtype="int32")
        x = tf.one_hot(inputs, 8, on_value=2.0)
        outputs = keras.layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    assert _refusal(source, Style.SUBCLASS) == (
        "m.py:5:5: error: `tf.one_hot` (tensorflow.one_hot) is a TensorFlow function;"
        " Keras 3 does not accept it on Keras tensors"
        " (hint: `keras.ops.one_hot` has no argument that means `on_value=2.0` here;"
        " write the call without it, or wrap it in a Lambda layer)\n"
    )


def test_tf_functions_with_a_keras_ops_twin_are_rewritten() -> None:
    source = """\
        import tensorflow as tf
        from tensorflow import keras

        inputs = keras.Input(shape=(8, 8, 3))
        x = keras.layers.Conv2D(4, 3)(inputs)
        x = tf.nn.max_pool2d(x, 2, 2, padding="SAME")
        a, b = tf.split(x, 2, axis=-1)
        x = tf.pad(a * tf.cast(tf.math.not_equal(b, 0), "float32"), [[0, 0], [1, 1], [1, 1], [0, 0]])
        outputs = keras.layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    converted = _converted(source, Style.SUBCLASS)
    assert 'x = keras.ops.max_pool(x, 2, 2, padding="same", data_format="channels_last")\n' in converted
    assert "a, b = keras.ops.split(x, 2, axis=-1)\n" in converted
    assert "keras.ops.pad(\n" in converted and "keras.ops.not_equal(b, 0)" in converted


def test_augmented_assignment_of_a_layer_call_is_spelled_out() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(4,))
        x = layers.Dense(4)(inputs)
        x *= layers.Dense(4)(inputs) + 1
        model = keras.Model(inputs=inputs, outputs=x)
        """
    assert "        x_1 = self.dense2(inputs)\n        x = x * (x_1 + 1)\n" in _converted(source, Style.SUBCLASS)


HELPER = """\
    import keras
    from keras import layers


    def block(x, units):
        if x.shape[-1] != units:
            x = layers.Dense(units)(x)
        return layers.Dense(units)(x)


    inputs = keras.Input(shape=(8,))
    x = block(inputs, 4)
    model = keras.Model(inputs=inputs, outputs=x)
    """


def test_helper_with_a_shape_test_keeps_the_test_in_call() -> None:
    assert _converted(HELPER, Style.FUNCTIONAL) == textwrap.dedent(HELPER)
    converted = _converted(HELPER, Style.SUBCLASS)
    # The helper is a Layer: the conditional layer is made in build() under the test, on the
    # input's shape, and called under the same test in call(); no layer is made that is never called.
    assert (
        "    def build(self, input_shape):\n"
        "        if input_shape[-1] != self.units:\n"
        "            self.dense1 = layers.Dense(self.units)\n"
    ) in converted
    assert "        if x.shape[-1] != self.units:\n            x = self.dense1(x)\n" in converted


def test_helper_with_a_test_on_tensor_values_is_refused_as_a_subclass() -> None:
    source = HELPER.replace("x.shape[-1] != units", "keras.ops.max(x) > units")
    assert _refusal(source, Style.SUBCLASS) == (
        "m.py:6:5: error: `block` cannot be written out in a subclass: this `if` depends on tensor"
        " values, which a static graph cannot express (hint: branch only on parameters of the"
        " model's builder, or keep the model a subclass)\n"
    )


def test_shape_test_has_no_place_in_a_sequential_model() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = layers.Dense(4)(inputs)
        if x.shape[-1] != 8:
            x = layers.Dense(8)(x)
        model = keras.Model(inputs=inputs, outputs=x)
        """
    assert _converted(source, Style.FUNCTIONAL) == textwrap.dedent(source)
    assert "reads the shapes of tensors" in _refusal(source, Style.SEQUENTIAL)


def test_helper_returning_two_tensors_is_a_layer_returning_both() -> None:
    source = """\
        import keras
        from keras import layers


        def heads(x, units):
            a = layers.Dense(units)(x)
            b = layers.Dense(units, activation="relu")(x)
            return a, b


        inputs = keras.Input(shape=(8,))
        a, b = heads(inputs, 4)
        outputs = layers.concatenate([a, b])
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    converted = _converted(source, Style.SUBCLASS)
    assert (
        "    def call(self, x, training=None):\n"
        "        a = self.dense1(x)\n"
        "        b = self.dense2(x)\n"
        "        return a, b\n"
    ) in converted
    assert (
        "        self.heads = Heads(4)\n"
        "        self.concatenate = layers.Concatenate()\n\n"
        "    def call(self, inputs, training=None):\n"
        "        a, b = self.heads(inputs)\n"
        "        return self.concatenate([a, b])\n"
    ) in converted
    assert _refusal(source, Style.SEQUENTIAL) == (
        "m.py:12:8: error: `heads(...)` is a function that builds layers and wires them;"
        " a Sequential model lists layer objects, not code that makes them"
        " (hint: keep the Functional API, or convert it to a subclass)\n"
    )


def test_helper_called_in_a_loop_makes_a_list_of_blocks() -> None:
    source = """\
        import keras
        from keras import layers


        def block(x, units):
            return layers.Dense(units)(x)


        inputs = keras.Input(shape=(8,))
        x = inputs
        for _ in range(3):
            x = block(x, 8)
        model = keras.Model(inputs=inputs, outputs=x)
        """
    assert (
        "        self.blocks = [Block(8) for _ in range(3)]\n\n"
        "    def call(self, inputs, training=None):\n"
        "        x = inputs\n"
        "        for block in self.blocks:\n"
        "            x = block(x)\n"
        "        return x\n"
    ) in _converted(source, Style.SUBCLASS)
