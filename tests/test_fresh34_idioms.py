"""Idioms of session 34's fresh real-world files (benchmarks/realworld, ``session = "fresh34"``)."""

from __future__ import annotations

from converting import F, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS
S = Style.SEQUENTIAL

# An attention block of a vision-transformer repository computes its head width so: a value, not
# a layer, set in both branches of an ``if`` on a constructor parameter.
BOTH_BRANCHES = """\
    import keras


    class Head(keras.Model):
        def __init__(self, dim, heads, width=None):
            super().__init__()
            if width is None:
                self.width = dim // heads
            else:
                self.width = width
            self.proj = keras.layers.Dense(heads * self.width)
            self.out = keras.layers.Dense(dim)

        def call(self, x):
            return self.out(self.proj(x))


    model = Head(16, 4)
    model.build((None, 16))
    """

# The same value set before the ``if`` and changed in one branch.
SET_BEFORE = """\
    import keras


    class Head(keras.Model):
        def __init__(self, dim, heads, width=None):
            super().__init__()
            self.width = width
            if width is None:
                self.width = dim // heads
            self.proj = keras.layers.Dense(heads * self.width)
            self.out = keras.layers.Dense(dim)

        def call(self, x):
            return self.out(self.proj(x))


    model = Head(16, 4, width=2)
    model.build((None, 16))
    """


def test_a_value_set_in_both_branches_of_an_if_is_a_local_the_if_binds() -> None:
    # It was refused as "`self.width` is made in more than one branch of this `if`, so it names a
    # different layer in each": `width` is a number, and Python picks it as the `if` runs.
    assert convert(BOTH_BRANCHES, F) == (
        "import keras\n"
        "\n"
        "\n"
        "def Head(dim, heads, width=None):\n"
        "    x = keras.Input(shape=(16,))\n"
        "    if width is None:\n"
        "        width = dim // heads\n"
        "    proj = keras.layers.Dense(heads * width)(x)\n"
        "    outputs = keras.layers.Dense(dim)(proj)\n"
        "    return keras.Model(inputs=x, outputs=outputs)\n"
        "\n"
        "\n"
        "model = Head(16, 4)\n"
    )


def test_a_value_set_before_an_if_and_in_a_branch_keeps_both_values() -> None:
    # Was written with exit 0 as `Dense(heads * (dim // heads))`: the branch's value in every
    # pass, so `Head(16, 4, width=2)` got a Dense of 16 units where the original has 8.
    converted = convert(SET_BEFORE, F)
    assert "    if width is None:\n        width = dim // heads\n    proj = keras.layers.Dense(heads * width)(x)\n" in converted
    assert "dim // heads)" not in converted
    sequential = convert(SET_BEFORE, S)
    assert "    if width is None:\n        width = dim // heads\n" in sequential
    assert "keras.layers.Dense(heads * width)," in sequential


def test_a_value_set_so_stays_a_parameter_of_the_functional_subclass() -> None:
    converted = convert(BOTH_BRANCHES, FS)
    assert "    def __init__(self, dim, heads, width=None, **kwargs):\n" in converted
    assert "        if width is None:\n            width = dim // heads\n" in converted
    assert "keras.layers.Dense(heads * width)(x)" in converted


def test_a_layer_made_in_both_branches_is_still_refused() -> None:
    text = """\
        import keras


        class Net(keras.Model):
            def __init__(self, wide=False):
                super().__init__()
                if wide:
                    self.hidden = keras.layers.Dense(64)
                else:
                    self.hidden = keras.layers.Dense(8)
                self.out = keras.layers.Dense(1)

            def call(self, x):
                return self.out(self.hidden(x))


        model = Net()
        model.build((None, 4))
        """
    (message,) = refusal(text, F)
    assert "`self.hidden` is made in more than one branch of this `if`" in message


def test_a_value_whose_bare_name_the_class_reads_later_is_not_rebound() -> None:
    # `width` read bare after the `if` is the parameter there: a local of that name would change it.
    text = BOTH_BRANCHES.replace(
        "            self.out = keras.layers.Dense(dim)\n",
        "            self.out = keras.layers.Dense(dim if width is None else width)\n",
    )
    (message,) = refusal(text, F)
    assert "`self.width` is made in more than one branch of this `if`" in message


CHAINED = """\
    import keras


    class Tower(keras.Model):
        def __init__(self, hidden=32, classes=3):
            super().__init__()
            self.num_features = self.hidden = hidden
            self.body = keras.layers.Dense(self.hidden, activation="relu")
            self.head = keras.layers.Dense(classes)

        def call(self, x):
            return self.head(self.body(x))


    model = Tower()
    model.build((None, 8))
    """


def test_one_value_under_two_attributes_in_one_statement_is_read_as_two_assignments() -> None:
    # A tokens-to-token ViT writes `self.num_features = self.hidden_size = hidden_size`; it was
    # refused as "cannot be converted (hint: keep __init__ to layer and parameter assignments)".
    assert convert(CHAINED, F) == (
        "import keras\n"
        "\n"
        "\n"
        "def Tower(hidden=32, classes=3):\n"
        "    x = keras.Input(shape=(8,))\n"
        '    body = keras.layers.Dense(hidden, activation="relu")(x)\n'
        "    outputs = keras.layers.Dense(classes)(body)\n"
        "    return keras.Model(inputs=x, outputs=outputs)\n"
        "\n"
        "\n"
        "model = Tower()\n"
    )


def test_one_layer_under_two_attributes_in_one_statement_is_still_refused() -> None:
    text = CHAINED.replace(
        "            self.num_features = self.hidden = hidden\n",
        "            self.num_features = self.hidden = keras.layers.Dense(hidden)\n",
    )
    (message,) = refusal(text, F)
    assert "in __init__ cannot be converted" in message


def test_an_input_star_imported_from_a_keras_2_internal_path_is_refused_by_that_path() -> None:
    # A thesis' builder star-imports its layers from `tensorflow.python.keras.layers`: its
    # `Input(...)` was refused as "not made by `keras.Input(...)` in this block", which it is.
    text = """\
        from tensorflow.keras import models
        from tensorflow.python.keras.layers import *


        def build(shape=(8,)):
            inp = Input(shape=shape)
            x = Dense(4, activation="relu")(inp)
            return models.Model(inp, Dense(2)(x))
        """
    (message,) = refusal(text, Style.SUBCLASS)
    assert message == (
        "m.py:6:11: error: the model input `inp` is made by `tensorflow.python.keras.layers.Input`, a Keras 2"
        " internal path that Keras 3 does not have (hint: import from `keras` or `tensorflow.keras` instead;"
        " kconvert keeps the path a file uses)"
    )
    # From `keras.layers` the same code converts, as it did.
    keras_3 = text.replace("tensorflow.python.keras.layers", "tensorflow.keras.layers")
    assert "class MyModel(models.Model):" in convert(keras_3, Style.SUBCLASS)


def test_a_model_going_on_from_an_earlier_models_output_is_refused_as_built_on_it() -> None:
    # The Functional guide's "one graph, two models": the autoencoder goes on from the encoder's
    # output with layers that never read the shared input. Those lines were left out of it as
    # belonging to no model, and it was refused as "the model's outputs `decoded` are not a
    # tensor its layers compute", which they are.
    text = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        image = keras.Input(shape=(8,))
        x = layers.Dense(4, activation="relu")(image)
        code = layers.Dense(2)(x)
        encoder = keras.Model(image, code)
        encoder.summary()

        x = layers.Dense(4, activation="relu")(code)
        decoded = layers.Dense(8)(x)
        autoencoder = keras.Model(image, decoded)
        """
    messages = refusal(text, FS)
    assert (
        "m.py:10:40: error: `code` comes from the code of `encoder`: `autoencoder` is built on that model's"
        " tensors or layers, a view of its graph, which only the Functional API can express (hint: keep"
        " `autoencoder` and `encoder` Functional (--model picks the models to convert))"
    ) in messages
    assert not any("not a tensor its layers compute" in message for message in messages)


def test_a_value_set_again_in_an_if_nested_in_a_branch_is_not_read_as_that_branchs_local() -> None:
    # The nested `if` would keep `self.width = 5` as its own; the outer local `width = 1` would
    # not see it, and `Head(16, 4, True, True)` would get 1 where the original has 5.
    text = """\
        import keras


        class Head(keras.Model):
            def __init__(self, dim, heads, a=False, b=False):
                super().__init__()
                if a:
                    self.width = 1
                    if b:
                        self.width = 5
                else:
                    self.width = dim // heads
                self.proj = keras.layers.Dense(heads * self.width)

            def call(self, x):
                return self.proj(x)


        model = Head(16, 4)
        model.build((None, 16))
        """
    (message,) = refusal(text, F)
    assert "`self.width` is made in more than one branch of this `if`" in message
