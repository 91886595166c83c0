"""Idioms of real model code found by session 17's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh17"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# GAN book scripts: each builder names its input's shape in a local of its own first.
SHAPE_IN_A_BUILDER_LOCAL = """\
from keras import Input, Model
from keras.layers import Conv2D, Dense, Flatten


def build_critic():
    image_shape = (12, 12, 1)
    depth = 2
    inputs = Input(shape=image_shape)
    x = inputs
    for i in range(depth):
        x = Conv2D(4 * (i + 1), 3, strides=2, padding="same")(x)
    x = Flatten()(x)
    outputs = Dense(1)(x)
    return Model(inputs, outputs)


critic = build_critic()
"""


def test_a_shape_only_the_input_reads_stays_with_the_line_that_builds_the_instance() -> None:
    # Before: "internal error ... would read `image_shape`, which is not defined where it is
    # read": the statement went into the class's __init__, and the build line in the builder
    # read it there.  `depth`, which the layers read, is the class's (__init__'s alone: call()
    # draws the layers, not the loop's range).
    assert convert(SHAPE_IN_A_BUILDER_LOCAL, C) == """\
from keras import Input, Model, saving
from keras.layers import Conv2D, Dense, Flatten


@saving.register_keras_serializable(package="m")
class Critic(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        depth = 2
        self.conv_layers = [
            Conv2D(4 * (i + 1), 3, strides=2, padding="same") for i in range(depth)
        ]
        self.flatten = Flatten()
        self.dense = Dense(1)

    def call(self, inputs, training=None):
        x = inputs
        for conv in self.conv_layers:
            x = conv(x)
        x = self.flatten(x)
        return self.dense(x)


def build_critic():
    image_shape = (12, 12, 1)
    model = Critic()
    model(Input(shape=image_shape))
    return model


critic = build_critic()
"""


# The same, in a builder named like a class, which a class usually replaces outright.
SHAPE_IN_A_CLASS_LIKE_BUILDER = """\
from keras import Input, Model
from keras.layers import Dense


def Critic():
    features = (6,)
    inputs = Input(shape=features)
    outputs = Dense(1)(inputs)
    return Model(inputs, outputs)


critic = Critic()
critic.summary()
"""


def test_a_class_like_builder_whose_input_reads_its_local_stays_to_build_the_model() -> None:
    # Replaced by the class, the function's callers would make a model that nothing builds
    # (its local shape gone with it): it stays, as when the input reads its parameters.
    out = convert(SHAPE_IN_A_CLASS_LIKE_BUILDER, C)
    assert out[out.index("def Critic") :] == """\
def Critic():
    features = (6,)
    model = CriticModel()
    model(Input(shape=features))
    return model


critic = Critic()
critic.summary()
"""


# A hierarchical text classifier: a word model built with the Functional API inside the
# subclass's __init__, wrapped in TimeDistributed; call() checks the input's rank first.
NESTED_WORD_MODEL = """\
from tensorflow.keras import Input, Model
from tensorflow.keras.layers import Dense, Embedding, GlobalAveragePooling1D, TimeDistributed


class SentenceClassifier(Model):
    def __init__(self, words, vocabulary):
        super().__init__()
        self.words = words
        word_input = Input(shape=(self.words,))
        x = Embedding(vocabulary, 8)(word_input)
        x = GlobalAveragePooling1D()(x)
        word_model = Model(word_input, x)
        self.word_encoder = TimeDistributed(word_model)
        self.pool = GlobalAveragePooling1D()
        self.classifier = Dense(1, activation="sigmoid")

    def call(self, inputs):
        if len(inputs.get_shape()) != 3:
            raise ValueError("expected sentences of words")
        x = self.word_encoder(inputs)
        x = self.pool(x)
        return self.classifier(x)
"""


def test_a_word_model_nested_in_a_subclass_becomes_a_class_built_where_it_was_made() -> None:
    # Before: "internal error ... cannot read its own output back": reading the output, the line
    # that builds the nested model (it reads `self.words`) was taken for the start of the
    # model's set-up, then for a statement __init__ cannot have; and the outer class, which
    # kconvert cannot read either way (its `if`), failed another check first.
    assert convert(NESTED_WORD_MODEL, C) == """\
from tensorflow.keras import Input, Model, utils
from tensorflow.keras.layers import Dense, Embedding, GlobalAveragePooling1D, TimeDistributed


@utils.register_keras_serializable(package="m")
class WordModel(Model):
    def __init__(self, vocabulary, words, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary = vocabulary
        self.words = words
        self.embedding = Embedding(vocabulary, 8)
        self.global_pool = GlobalAveragePooling1D()

    def call(self, inputs, training=None):
        x = self.embedding(inputs)
        return self.global_pool(x)

    def get_config(self):
        config = {"vocabulary": self.vocabulary, "words": self.words}
        return {**super().get_config(), **config}


class SentenceClassifier(Model):
    def __init__(self, words, vocabulary):
        super().__init__()
        self.words = words
        word_model = WordModel(vocabulary=vocabulary, words=self.words)
        word_model(Input(shape=(self.words,)))
        self.word_encoder = TimeDistributed(word_model)
        self.pool = GlobalAveragePooling1D()
        self.classifier = Dense(1, activation="sigmoid")

    def call(self, inputs):
        if len(inputs.get_shape()) != 3:
            raise ValueError("expected sentences of words")
        x = self.word_encoder(inputs)
        x = self.pool(x)
        return self.classifier(x)
"""


# A sentence CNN: one branch per filter size, its tensor named after the layer (`conv`), and
# the branches concatenated only when there are several.
BRANCHES_NAMED_LIKE_THEIR_LAYER = """\
from keras.layers import Concatenate, Conv1D, Dense, Embedding, Flatten, Input
from keras.models import Model

filter_sizes = (3, 5)
model_input = Input(shape=(20,))
z = Embedding(50, 8)(model_input)
conv_blocks = []
for sz in filter_sizes:
    conv = Conv1D(filters=4, kernel_size=sz, activation="relu")(z)
    conv = Flatten()(conv)
    conv_blocks.append(conv)
z = Concatenate()(conv_blocks) if len(conv_blocks) > 1 else conv_blocks[0]
model_output = Dense(1, activation="sigmoid")(z)
model = Model(model_input, model_output)
"""


def test_a_loop_variable_is_not_the_name_of_a_tensor_and_a_branch_call_stays_in_its_branch() -> None:
    # Before: `for conv, flatten in zip(...)`, then `conv = conv(z)` rebound the loop's layer
    # (caught by the safety check: read back, the loop read `conv` before binding it); and
    # `self.concatenate(conv_blocks)` was called on every pass, whatever the test said.
    out = convert(BRANCHES_NAMED_LIKE_THEIR_LAYER, C)
    assert out[out.index("    def call") :] == """\
    def call(self, inputs, training=None):
        z = self.embedding(inputs)
        conv_blocks = []
        for conv_layer, flatten in zip(self.conv_layers, self.flatten_layers):
            conv = conv_layer(z)
            conv = flatten(conv)
            conv_blocks.append(conv)
        z = self.concatenate(conv_blocks) if len(conv_blocks) > 1 else conv_blocks[0]
        model_output = self.model_output(z)
        return model_output


model = MyModel()
model(Input(shape=(20,)))
"""


BRANCH_CALL_WITH_CODE_BETWEEN = """\
from keras.layers import Dense, Input
from keras.models import Model

use_dense = False
inputs = Input(shape=(8,))
y = (Dense(8)(inputs) if use_dense else inputs) + Dense(8)(inputs)
outputs = Dense(1)(y)
model = Model(inputs, outputs)
"""


def test_a_branch_call_that_cannot_be_put_back_in_its_branch_is_refused() -> None:
    # Lifted, the other addend's call comes between the branch's call and the expression: a
    # subclass would call the branch's Dense on every pass, and build weights the model lacks.
    messages = refusal(BRANCH_CALL_WITH_CODE_BETWEEN, C)
    assert messages[0].startswith(
        "m.py:6:6: error: this layer is called in one branch of a conditional expression"
    ), messages
    # A graph is the same with the call lifted out: converted, both calls where the source wrote them.
    assert "y = (Dense(8)(inputs) if use_dense else inputs) + Dense(8)(inputs)" in convert(BRANCH_CALL_WITH_CODE_BETWEEN, FS)


# The way back from the first case: a class built in a function, on a shape that function has.
CLASS_BUILT_ON_A_FUNCTION_S_SHAPE = """\
from keras import Input, Model
from keras.layers import Dense


class Net(Model):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = Dense(units)

    def call(self, inputs):
        return self.dense(inputs)


def build(n, units):
    model = Net(units=units)
    model(Input(shape=(n,)))
    return model
"""


def test_a_class_built_on_a_shape_its_builder_computes_takes_it_in_the_graph_styles() -> None:
    # Before session 17: "internal error ... would read `n`": the Functional code, written where the
    # class is, read the function's parameter at module level; refused since. Session 24: the one
    # function that makes the class has `n`, so the Functional code is that function's own.
    assert convert(CLASS_BUILT_ON_A_FUNCTION_S_SHAPE, F).endswith(
        "def build(n, units):\n"
        "    inputs = Input(shape=(n,))\n"
        "    outputs = Dense(units)(inputs)\n"
        "    return Model(inputs=inputs, outputs=outputs)\n"
    )
    # The class that builds a graph makes its Input in __init__: it takes `n`, which `build` passes.
    graph_class = convert(CLASS_BUILT_ON_A_FUNCTION_S_SHAPE, FS)
    assert "    def __init__(self, n, units, **kwargs):\n        inputs = Input(shape=(n,))\n" in graph_class
    assert graph_class.endswith("def build(n, units):\n    return Net(n=n, units=units)\n")
    # Made elsewhere too, without that shape: refused as before.
    assert refusal(CLASS_BUILT_ON_A_FUNCTION_S_SHAPE + "\nother = Net(units=2)\n", F) == [
        "m.py:5:1: error: `Net` is built on an input shape that reads `n`, a name of the function that"
        " builds it; a functional model is written where the class is, at module level, which cannot"
        " read it (hint: pass the shape with --input-shape, or build the model on a shape the module has)"
    ]
