"""A Functional model's helper written out in its Sequential list (issue 10: a block is inlined
for Sequential where a chain allows); the golden case is ``fixtures/helper_chain_inlined``."""

from __future__ import annotations

from converting import C, S, convert, refusal


def test_a_helper_another_function_still_calls_stays_and_a_layer_it_names_is_made_in_the_list() -> None:
    source = """\
        import keras
        from keras import layers


        def dense_unit(x, units):
            dense = layers.Dense(units)
            x = dense(x)
            return layers.Activation("relu")(x)


        def two_units(x):
            x = dense_unit(x, 8)
            return dense_unit(x, 4)


        def head(t):
            return dense_unit(t, 2)


        inputs = keras.Input(shape=(6,))
        x = two_units(inputs)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    converted = convert(source, S)
    # ``two_units`` had only the model to call it; ``head`` still calls ``dense_unit``.
    assert "def two_units" not in converted
    assert "def dense_unit(x, units):" in converted and "def head(t):" in converted
    assert (
        "model = keras.Sequential(\n"
        "    [\n"
        "        keras.Input(shape=(6,)),\n"
        "        layers.Dense(8),\n"
        '        layers.Activation("relu"),\n'
        "        layers.Dense(4),\n"
        '        layers.Activation("relu"),\n'
        "        layers.Dense(1),\n"
        "    ]\n"
        ")\n"
    ) in converted


def test_a_helper_that_computes_values_between_its_layers_is_refused_at_the_call() -> None:
    # Its local ``width`` would become a name of the model's code, where it may mean something else.
    source = """\
        import keras
        from keras import layers


        def dense_unit(x, units):
            width = units * 2
            x = layers.Dense(width)(x)
            return layers.Activation("relu")(x)


        inputs = keras.Input(shape=(6,))
        x = dense_unit(inputs, 8)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    assert refusal(source, S) == [
        "m.py:12:5: error: `dense_unit(...)` is a function that computes values between its layers (line 6);"
        " a Sequential model lists layer objects, not code that makes them"
        " (hint: keep the Functional API, or convert it to a subclass)"
    ]


def test_a_layer_the_helper_calls_twice_is_refused() -> None:
    source = """\
        import keras
        from keras import layers


        def twice(x):
            dense = layers.Dense(6)
            x = dense(x)
            return dense(x)


        inputs = keras.Input(shape=(6,))
        x = twice(inputs)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    assert refusal(source, S) == [
        "m.py:12:5: error: `twice(...)` builds layers that are not one chain (line 8: the Dense layer is called"
        " twice in the helper (shared weights), which it makes under a name of its own)"
        " (hint: keep the Functional API, or convert it to a subclass)"
    ]


def test_a_helper_called_off_the_chain_is_refused_where_the_chain_breaks() -> None:
    source = """\
        import keras
        from keras import layers


        def unit(x):
            return layers.Dense(6, activation="relu")(x)


        inputs = keras.Input(shape=(6,))
        x = layers.Dense(6)(inputs)
        y = unit(inputs)
        outputs = layers.Add()([x, y])
        model = keras.Model(inputs, outputs)
        """
    assert refusal(source, S) == [
        "m.py:11:5: error: `unit(...)` is called on `inputs` instead of the previous layer's output alone,"
        " so the graph branches or skips a layer"
        " (hint: keep this model in the Functional API, or convert it to a subclass)"
    ]


def test_a_function_that_returns_a_layer_making_function_is_no_layer_object() -> None:
    # Keras 2 ResNet builders: ``_conv_bn_relu(filters=64)(x)``.  Listed in a Sequential it is a
    # function, not a layer; made once in a subclass's __init__, each call() would make new layers.
    source = """\
        import keras
        from keras import layers


        def unit(width):
            def f(t):
                t = layers.Dense(width)(t)
                return layers.Activation("relu")(t)

            return f


        inputs = keras.Input(shape=(8,))
        x = unit(16)(inputs)
        outputs = layers.Dense(2)(x)
        model = keras.Model(inputs, outputs)
        """
    # Called at once it is the helper `unit(t, width)` (parse/closure_helpers.py): a Sequential
    # lists its layers where the call stood, a subclass makes it a Layer class.
    sequential = convert(source, S)
    assert '        layers.Dense(16),\n        layers.Activation("relu"),\n        layers.Dense(2),\n' in sequential
    assert "\nclass Unit(layers.Layer):\n" in convert(source, C)
    bound = source.replace("x = unit(16)(inputs)", "block = unit(16)\n        x = block(inputs)")
    why = "`unit(...)` gives no layer object but a callable that makes new layers each time it is called;"
    hint = " (hint: keep the Functional API, or make it a keras.layers.Layer class)"
    assert refusal(bound, C) == [f"m.py:14:9: error: {why} a subclass makes its layers once, in __init__{hint}"]


def test_a_merge_of_a_tensor_and_its_copy_names_no_tensor_twice() -> None:
    # ``residual = x`` is the same tensor as ``x``: the refusal said it merged (`x`, `x`).
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(6,))
        x = layers.Dense(6)(inputs)
        residual = x
        x = layers.Dense(6)(x)
        x = layers.Concatenate()([x, residual])
        model = keras.Model(inputs, x)
        """
    assert refusal(source, S) == [
        "m.py:8:5: error: `x` merges 2 tensors; a Sequential model is one chain of layers"
        " (hint: keep this model in the Functional API, or convert it to a subclass)"
    ]
