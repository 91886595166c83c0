"""Names whose scope a conversion changes.  A name the model's code binds once and a loop binds
again (``scale = 2.0``, then ``for scale in (3.0, 4.0):``): a subclass cannot keep it as one
attribute, which call() would read inside the loop too.  A builder's loop variable read after the
loop, which a comprehension does not leave behind.  A class's ``__init__`` and ``call()`` names,
which graph code puts in one function.  Each once converted with exit 0 to a different model, or
failed the safety check as kconvert's own error."""

from __future__ import annotations

import textwrap

from kconvert.types import Style

from converting import convert, refusal

F, C, FS = Style.FUNCTIONAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

SCALED = textwrap.dedent(
    """\
    import keras
    from keras import layers


    def build_model():
        scale = 2.0
        inputs = keras.Input((8,))
        x = layers.Dense(8)(inputs) * scale
        for scale in (3.0, 4.0):
            x = layers.Dense(8)(x) * scale
        return keras.Model(inputs, layers.Dense(2)(x))
    """
)


def test_a_value_the_loop_binds_again_is_refused_not_read_as_the_first() -> None:
    assert refusal(SCALED, C) == [
        "m.py:6:5: error: call() reads `scale`, a value of the model's code that no attribute of a class"
        " can keep (bound on line 6 and as the variable of the loop on line 9) (hint: give each value"
        " call() reads a name of its own, or keep this model Functional (or functional-subclass))"
    ]
    # A graph built in __init__ runs the code as written.
    assert "        for scale in (3.0, 4.0):\n            x = layers.Dense(8)(x) * scale\n" in convert(SCALED, FS)


def test_a_library_function_name_the_loop_binds_again_is_not_its_path_in_the_loop() -> None:
    source = SCALED.replace("scale = 2.0", "act = keras.activations.gelu")
    source = source.replace("layers.Dense(8)(inputs) * scale", "act(layers.Dense(8)(inputs))")
    source = source.replace("for scale in (3.0, 4.0):", "for act in (keras.activations.relu,):")
    source = source.replace("layers.Dense(8)(x) * scale", "act(layers.Dense(8)(x))")
    assert refusal(source, C) == [
        "m.py:6:5: error: call() reads `act`, a value of the model's code that no attribute of a class"
        " can keep (bound on line 6 and as the variable of the loop on line 9) (hint: give each value"
        " call() reads a name of its own, or keep this model Functional (or functional-subclass))"
    ]


def test_a_name_only_the_loop_binds_is_the_loop_s_own() -> None:
    source = SCALED.replace("    scale = 2.0\n", "").replace(") * scale\n    for", ")\n    for")
    converted = convert(source, C)
    assert "self.scale" not in converted
    assert "        for scale, dense in zip((3.0, 4.0), self.dense_layers):\n" in converted
    assert "            x = x * scale\n" in converted


CAPTURED = textwrap.dedent(
    """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self, scale=2.0, **kwargs):
            super().__init__(**kwargs)
            self.scale = scale
            self.dense1 = layers.Dense(8)
            self.dense_layers = [layers.Dense(8) for scale in (3.0, 4.0)]
            self.dense2 = layers.Dense(2)

        def call(self, inputs):
            x = self.dense1(inputs) * self.scale
            for scale, dense in zip((3.0, 4.0), self.dense_layers):
                x = dense(x) * self.scale
            return self.dense2(x)


    model = Net()
    model(keras.Input((8,)))
    """
)


def test_a_subclass_reading_its_attribute_where_call_binds_the_name_is_refused() -> None:
    # Read as `x = dense(x) * scale` inside `for scale in ...`, the graph took call()'s loop
    # variable for __init__'s value: a Functional model with 3.0 and 4.0 for 2.0, exit 0.
    message = (
        "m.py:16:17: error: `dense(x) * self.scale` reads `self.scale`, which is `__init__`'s `scale`, where"
        " call() has a `scale` of its own: written as `scale`, it would read call()'s (hint: rename call()'s `scale`)"
    )
    assert refusal(CAPTURED, F) == [message]
    # Read before call() binds its own (the first line), or once the loop is named apart, it is the value.
    renamed = CAPTURED.replace("for scale, dense in", "for factor, dense in").replace("for scale in", "for factor in")
    assert "        x = x * scale\n" in convert(renamed, F)


def test_a_local_bound_from_the_attribute_itself_reads_the_value() -> None:
    # `scale = self.scale + 1` reads the attribute before its own line binds call()'s `scale`.
    source = CAPTURED.replace("        x = self.dense1(inputs) * self.scale\n", "        scale = self.scale + 1\n        x = self.dense1(inputs) * scale\n")
    source = source.replace("for scale, dense in", "for factor, dense in").replace("for scale in", "for factor in")
    source = source.replace("dense(x) * self.scale", "dense(x)")
    assert "    scale = scale + 1\n" in convert(source, F)


LAST_PASS = textwrap.dedent(
    """\
    import keras
    from keras import layers


    def build_model():
        units = 8
        inputs = keras.Input((4,))
        x = layers.Dense(units)(inputs)
        for units in [16, 32]:
            x = layers.Dense(units)(x)
        outputs = layers.Dense(units // 2)(x)
        return keras.Model(inputs, outputs)
    """
)


def test_a_loop_whose_variable_the_code_after_reads_is_written_out_in_init() -> None:
    # A comprehension keeps `units` to itself: the last Dense had 8 units for 16, exit 0.
    assert convert(LAST_PASS, C).split("    def call")[0].endswith(
        "        units = 8\n"
        "        self.dense1 = layers.Dense(units)\n"
        "        self.dense_layers = []\n"
        "        for units in [16, 32]:\n"
        "            self.dense_layers.append(layers.Dense(units))\n"
        "        self.dense2 = layers.Dense(units // 2)\n"
        "\n"
    )


def test_a_loop_whose_variable_nothing_else_reads_stays_a_comprehension() -> None:
    source = LAST_PASS.replace("units // 2", "4")
    assert "        self.dense_layers = [layers.Dense(units) for units in [16, 32]]\n" in convert(source, C)


SHADOWING = textwrap.dedent(
    """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self, units=8, **kwargs):
            super().__init__(**kwargs)
            self.hidden = [layers.Dense(units) for units in (16, 32)]
            self.head = layers.Dense(units)

        def call(self, x):
            for layer in self.hidden:
                x = layer(x)
            return self.head(x)


    model = Net()
    model(keras.Input((4,)))
    """
)


def test_a_comprehension_variable_named_as_a_value_read_after_it_is_refused() -> None:
    # Graph code's `for units in (16, 32):` left 32 to `Dense(units)`, the class's head has 8.
    message = (
        "m.py:8:58: error: `units`, this comprehension's variable, is a name the model's code reads after it"
        " too: graph code makes the layers in a `for` loop, after which `units` would be the last pass's"
        " (hint: give the comprehension's variable a name of its own (`for units_ in ...`))"
    )
    assert refusal(SHADOWING, F) == [message]
    assert refusal(SHADOWING, FS) == [message]
    renamed = SHADOWING.replace("layers.Dense(units) for units in", "layers.Dense(size) for size in")
    assert "    for size in (16, 32):\n        x = layers.Dense(size)(x)\n    outputs = layers.Dense(units)(x)\n" in convert(renamed, F)


def test_call_reading_the_last_pass_s_value_loops_over_the_values_too() -> None:
    # call() read `scale` after a loop that did not bind it there: the safety check's NameError.
    source = LAST_PASS.replace("    units = 8\n", "").replace("layers.Dense(units)(inputs)", "layers.Dense(8)(inputs)")
    source = source.replace("for units in [16, 32]:", "for scale in [2.0, 3.0]:").replace("layers.Dense(units)(x)", "layers.Dense(8)(x)")
    source = source.replace("outputs = layers.Dense(units // 2)(x)", "outputs = layers.Dense(4)(x * scale)")
    converted = convert(source, C)
    assert "        self.dense_layers = [layers.Dense(8) for _ in [2.0, 3.0]]\n" in converted
    assert (
        "        for scale, dense in zip([2.0, 3.0], self.dense_layers):\n"
        "            x = dense(x)\n"
        "        return self.dense2(x * scale)\n"
    ) in converted


def test_a_subclass_zipping_in_the_iterable_of_an_anonymous_comprehension_is_read() -> None:
    # `[Dense(8) for _ in [2.0, 3.0]]` with call()'s `zip([2.0, 3.0], self.dense_layers)`: the
    # same passes, the values named by call() (was "not over layer lists made in __init__").
    source = CAPTURED.replace("self.dense1(inputs) * self.scale", "self.dense1(inputs)")
    source = source.replace("for scale in (3.0, 4.0)]", "for _ in (3.0, 4.0)]").replace("dense(x) * self.scale", "dense(x) * scale")
    assert "    for scale in (3.0, 4.0):\n        x = layers.Dense(8)(x)\n        x = x * scale\n" in convert(source, F)


SEQUENTIAL_LOOP = textwrap.dedent(
    """\
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input((4,))])
    for units in [16, 32]:
        model.add(layers.Dense(units))
    model.add(layers.Dense(units // 2))
    print(units)
    """
)


def test_code_after_the_model_reading_its_loop_variable_is_refused_for_a_class() -> None:
    # The loop goes into the class: `print(units)` met a NameError (the safety check's internal error).
    for target in (C, FS):
        assert refusal(SEQUENTIAL_LOOP, target) == [
            f"m.py:8:7: error: `units`, the variable of a loop among the model's lines, is read here, after the"
            f" model; a {target} model moves that loop into its class, where this code cannot read it (hint: give"
            " this line the value it needs after the model, or keep this model sequential)"
        ]
    # Graph code keeps the loop where it was.
    assert "for units in [16, 32]:\n    x = layers.Dense(units)(x)\noutputs = layers.Dense(units // 2)(x)\n" in convert(SEQUENTIAL_LOOP, F)


SHARED = textwrap.dedent(
    """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self, units=8, **kwargs):
            super().__init__(**kwargs)
            k = 3
            self.conv = layers.Conv1D(units, k)
            self.head = layers.Dense(2)

        def call(self, x):
            k = 2
            x = self.conv(x) * k
            return self.head(x)


    model = Net()
    model(keras.Input((10, 4)))
    """
)


def test_a_name_init_reads_that_call_binds_too_is_refused_for_the_graph_styles() -> None:
    # Graph code ran `k = 3`, `k = 2`, then `Conv1D(8, k)`: kernel size 2 for 3, exit 0.
    message = (
        "m.py:13:9: error: call() binds `k`, a name `__init__` reads too: graph code runs both methods' lines"
        " in one function, where `__init__`'s layers would read call()'s `k` (hint: rename call()'s `k`)"
    )
    assert refusal(SHARED, F) == [message]
    assert refusal(SHARED, FS) == [message]
    # A constructor parameter too.
    param = SHARED.replace("        k = 2\n", "        units = 2\n").replace("* k", "* units")
    assert refusal(param, F)[0].startswith("m.py:13:9: error: call() binds `units`, a name `__init__` reads too")
    # Named apart, the graph reads each method's own value.
    renamed = SHARED.replace("k = 2", "factor = 2").replace("* k", "* factor")
    assert "    k = 3\n    factor = 2\n    conv = layers.Conv1D(units, k)(inputs)\n" in convert(renamed, F)


def test_call_binding_the_attribute_s_own_value_is_no_other_name() -> None:
    source = SHARED.replace("        k = 2\n        x = self.conv(x) * k\n", "        units = self.units\n        x = self.conv(x) * units\n")
    source = source.replace("        k = 3\n", "        k = 3\n        self.units = units\n")
    assert "    x = conv * units\n" in convert(source, F)


def test_call_reading_a_module_name_that_init_binds_too_is_refused() -> None:
    # Graph code ran `units = 4` (from __init__) then `x * units` (call()'s module-level 10), and
    # at module level it rebound the file's own `units` for the rest of the file: exit 0.
    source = SHARED.replace("import keras\n", "import keras\n\nk = 10\n", 1)
    source = source.replace("        k = 2\n        x = self.conv(x) * k\n", "        x = self.conv(x) * k\n")
    assert refusal(source, F) == [
        "m.py:15:28: error: call() reads the module's `k`, a name `__init__` binds too: graph code runs both"
        " methods' lines in one function, where this `k` would read `__init__`'s (hint: rename `__init__`'s `k`)"
    ]


def test_an_attribute_whose_value_init_binds_again_later_is_refused() -> None:
    # `self.units = units`, then `units = units * 2` for the next layer: call()'s `self.units`,
    # read as `units`, was the doubled value in the graph (16 for 8), exit 0.
    source = SHARED.replace("        k = 3\n", "        self.units = units\n        units = units * 2\n        k = 3\n")
    source = source.replace("        k = 2\n        x = self.conv(x) * k\n", "        x = self.conv(x) * self.units\n")
    assert refusal(source, F) == [
        "m.py:15:28: error: call() reads `self.units`, `__init__`'s `units` before a later line binds `units` again:"
        " graph code, which reads it by the name, would read the later value (hint: give `__init__`'s second"
        " `units` a name of its own)"
    ]
