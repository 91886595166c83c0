"""Comments beside the arguments of a layer's constructor, in a statement that also calls the layer
(``Conv2D(64,  # filters`` ... ``)(x)``): they are said of the layer's configuration, so a class
writes them with the line in ``__init__`` that makes the layer; the statement's own comment, and
one beside an argument of the call, stay with the call in ``call()``."""

from __future__ import annotations

from converting import C, F, convert

from kconvert.parse.comment_scan import _scan

HELPER = """\
    import keras
    from keras import layers


    def conv_block(inputs, n_filters=32):
        conv = layers.Conv2D(n_filters,  # how many filters
                             3,  # kernel size
                             padding="same")(inputs)
        return conv


    def build():
        inputs = keras.Input((32, 32, 1))
        x = conv_block(inputs, 16)
        outputs = layers.Conv2D(1, 1)(x)
        return keras.Model(inputs, outputs)


    model = build()
    """


def test_argument_comments_of_a_helper_go_to_its_layer_class_constructor() -> None:
    # Both went to call(), the first above `conv = self.conv(inputs)` and the second beside it.
    out = convert(HELPER, C)
    assert (
        "        self.n_filters = n_filters\n"
        "        # how many filters\n"
        '        self.conv = layers.Conv2D(n_filters, 3, padding="same")  # kernel size\n'
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        conv = self.conv(inputs)\n"
        "        return conv\n"
    ) in out


MODEL = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(16,))
    x = layers.Dense(64,  # width
                     activation="relu")(inputs)  # hidden
    skip = layers.Dense(64)(inputs)
    x = layers.Concatenate(axis=-1)([
        x,  # the deep path
        skip,
    ])
    outputs = layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    """


def test_argument_comment_goes_to_init_and_the_statement_comment_to_call() -> None:
    out = convert(MODEL, C)
    assert '        self.dense1 = layers.Dense(64, activation="relu")  # width\n' in out
    assert "        x = self.dense1(inputs)  # hidden\n" in out
    # Beside an argument of the call, not of the constructor: the call's.
    assert "                x,  # the deep path\n" in out.split("def call(", 1)[1]


def test_graph_styles_keep_the_comments_on_the_line_that_makes_and_calls() -> None:
    out = convert(convert(MODEL, C), F)
    assert '# width\nx = layers.Dense(64, activation="relu")(inputs)  # hidden\n' in out


def test_the_scanner_says_which_brackets_a_comment_stands_in() -> None:
    text = "x = f(\n    g(1,  # one\n      2),  # two\n)  # three\n"
    beside = {comment.text: comment.within for comment in _scan(text) if comment.beside}
    assert beside == {"# one": ((1, 5), (2, 5)), "# two": ((1, 5),), "# three": ()}
