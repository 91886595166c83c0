"""Values a model's own statements compute, carried into a subclass (issue 9).

The keras.io CCT example unpacks a tuple that holds no tensor,
``pos_embed, seq_length = tokenizer.positional_embedding(image_size)``, computes a
constant from it, adds the constant to a tensor, and reads the tokenizer layer in
both the statement and the graph.  Minimal models of that idea; the expected
outputs were written by hand.
"""

from __future__ import annotations

import textwrap

from kconvert.parse import find_models
from kconvert.ir.lint import lint

from converting import C, F, convert, refusal

TOKENIZER = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Tokenizer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.proj = layers.Dense(4)

    def call(self, x):
        return self.proj(x)

    def positional_embedding(self, length):
        return layers.Embedding(length, 4), length


"""


def test_a_tuple_of_values_is_a_statement_and_call_reads_what_it_computes_as_attributes() -> None:
    source = TOKENIZER + """\
inputs = keras.Input(shape=(6, 3))
tokenizer = Tokenizer()
x = tokenizer(inputs)
embed, length = tokenizer.positional_embedding(6)
positions = keras.ops.arange(length)
position_embeddings = embed(positions)
x += position_embeddings
scale = 0.5
outputs = layers.Dense(2)(x * scale)
model = keras.Model(inputs, outputs)
"""
    for model in find_models(source):
        lint(model.graph)
    # `embed(positions)` runs once, on a constant, while the model is made: in a subclass too.
    assert convert(source, C) == TOKENIZER + textwrap.dedent(
        """\
        @keras.saving.register_keras_serializable(package="m")
        class MyModel(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                tokenizer = Tokenizer()
                self.tokenizer = tokenizer
                embed, length = tokenizer.positional_embedding(6)
                positions = keras.ops.arange(length)
                position_embeddings = embed(positions)
                self.position_embeddings = position_embeddings
                scale = 0.5
                self.scale = scale
                self.dense = layers.Dense(2)

            def call(self, inputs, training=None):
                x = self.tokenizer(inputs)
                x = x + self.position_embeddings
                return self.dense(x * self.scale)


        model = MyModel()
        model(keras.Input(shape=(6, 3)))
        """
    )


def test_a_layer_made_by_a_statement_and_called_in_call_is_refused() -> None:
    # As `self.embed` it would be one of the model's layers; in the source its output is a constant.
    source = TOKENIZER + """\
inputs = keras.Input(shape=(6, 3))
tokenizer = Tokenizer()
x = tokenizer(inputs)
embed, length = tokenizer.positional_embedding(6)
x += embed(keras.ops.arange(length))
model = keras.Model(inputs, x)
"""
    assert refusal(source, C) == [
        "m.py:21:1: error: call() would use `embed`, which this statement makes; stored on the model, a"
        " layer or a variable becomes one of its weights, trained with it, which in the source it is not"
        " (hint: compute the value call() needs (`embed(positions)`) in a statement of its own, or keep"
        " this model Functional (or functional-subclass))"
    ]


def test_a_variable_made_by_a_statement_is_not_stored() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    w = keras.Variable(keras.ops.ones((4,)))
    x = layers.Dense(4)(inputs) * w
    model = keras.Model(inputs, x)
    """
    (message,) = refusal(source, C)
    assert message.startswith("m.py:5:1: error: call() would use `w`, which this statement makes")


def test_a_value_under_a_flag_is_stored_under_the_same_flag() -> None:
    source = """\
    import keras
    from keras import layers

    use_scale = True
    inputs = keras.Input(shape=(4,))
    x = layers.Dense(4)(inputs)
    if use_scale:
        scale = 2.0
        x = x * scale
    model = keras.Model(inputs, x)
    """
    converted = convert(source, C)
    assert (
        "        if use_scale:\n"
        "            scale = 2.0\n"
        "            self.scale = scale\n"
    ) in converted
    assert "        if use_scale:\n            x = x * self.scale\n" in converted


def test_a_value_computed_twice_or_in_a_loop_is_not_stored() -> None:
    # Which of two values call() should read depends on where it reads it: one attribute cannot
    # hold both, and the refusal names both lines (it was the safety check's internal error).
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    scale = 2.0
    x = layers.Dense(4)(inputs) * scale
    scale = 3.0
    x = x * scale
    model = keras.Model(inputs, x)
    """
    (message,) = refusal(source, C)
    assert message.startswith(
        "m.py:5:1: error: call() reads `scale`, a value of the model's code that no attribute of a class"
        " can keep (bound on lines 5, 7)"
    )


def test_a_value_named_like_a_model_attribute_is_not_stored() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    weights = 2.0
    x = layers.Dense(4)(inputs) * weights
    model = keras.Model(inputs, x)
    """
    (message,) = refusal(source, C)
    assert "would read `weights`" in message


def test_the_subclass_comes_back_with_its_tuple_statement() -> None:
    source = TOKENIZER + """\
inputs = keras.Input(shape=(6, 3))
tokenizer = Tokenizer()
x = tokenizer(inputs)
embed, length = tokenizer.positional_embedding(6)
position_embeddings = embed(keras.ops.arange(length))
x += position_embeddings
model = keras.Model(inputs, x)
"""
    assert convert(convert(source, C), F) == TOKENIZER + textwrap.dedent(
        """\
        inputs = keras.Input(shape=(6, 3))
        tokenizer = Tokenizer()
        embed, length = tokenizer.positional_embedding(6)
        position_embeddings = embed(keras.ops.arange(length))
        x = tokenizer(inputs)
        x = x + position_embeddings
        model = keras.Model(inputs=inputs, outputs=x)
        """
    )


SIZES = """\
import keras
from keras import layers


def build(kernel_size=9):
    sizes = [kernel_size // (2**i) for i in range(3)]
    inputs = keras.Input(shape=(16, 4))
    x = inputs
    for i in range(len(sizes)):
        x = layers.Conv1D(4, sizes[i], padding="same")(x)
    outputs = layers.Dense(2)(x)
    return keras.Model(inputs, outputs)
"""


def test_a_value_only_the_layers_loop_reads_stays_in_init_and_is_stored_when_call_loops_over_it_too() -> None:
    # call() draws the loop's layers alone (``for conv in self.conv_layers``): ``sizes`` is
    # __init__'s, an attribute of the model would carry nothing.
    subclass = convert(SIZES, C)
    assert "        sizes = [kernel_size // (2**i) for i in range(3)]\n        self.conv_layers = [\n" in subclass
    assert "self.sizes" not in subclass
    assert "        for conv in self.conv_layers:\n            x = conv(x)\n" in subclass
    # A pass that reads its variable in call() loops over the iterable there: it is stored.
    scaled = SIZES.replace('padding="same")(x)\n', 'padding="same")(x) * i\n')
    subclass = convert(scaled, C)
    assert "        self.sizes = sizes\n" in subclass
    assert "        for i, conv in zip(range(len(self.sizes)), self.conv_layers):\n" in subclass
