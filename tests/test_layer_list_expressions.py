"""The layers given to ``Sequential(...)`` as list expressions (issue 9): a comprehension joined
to a list (TimeGAN's ``[GRU(...) for i in range(n)] + [Dense(...)]``), a starred name
(``[*blocks, Dense(1)]``), names bound just before the model; and the reason given for the
lists kconvert cannot see (another model's layers, an attribute the caller fills)."""

from __future__ import annotations

from converting import convert, refusal
from kconvert.types import Style

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

STARRED = """\
import keras
from keras import layers

blocks = [layers.Dense(8, activation="relu") for _ in range(3)]
model = keras.Sequential([keras.Input(shape=(4,)), {given}, layers.Dense(1)])
{after}"""

LOOPED = """\
inputs = keras.Input(shape=(4,))
x = inputs
for layer in blocks:
    x = layer(x)
"""


def test_a_starred_name_only_the_model_reads_is_its_own_comprehension() -> None:
    out = convert(STARRED.format(given="*blocks", after=""), F)
    assert out.endswith(
        "from keras import layers\n"
        "\n"
        "inputs = keras.Input(shape=(4,))\n"
        "x = inputs\n"
        "for _ in range(3):\n"
        '    x = layers.Dense(8, activation="relu")(x)\n'
        "outputs = layers.Dense(1)(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n"
    )
    assert "self.dense_layers = [layers.Dense(8, activation=\"relu\") for _ in range(3)]\n" in convert(
        STARRED.format(given="*blocks", after=""), C
    )


def test_a_starred_name_read_after_the_model_is_a_loop_over_its_objects() -> None:
    text = STARRED.format(given="*blocks", after="for b in blocks:\n    b.trainable = False\n")
    out = convert(text, F)
    assert 'blocks = [layers.Dense(8, activation="relu") for _ in range(3)]\n' + LOOPED in out
    assert out.endswith("for b in blocks:\n    b.trainable = False\n")


def test_a_list_given_twice_is_never_written_out_twice() -> None:
    # ``*blocks, *blocks`` calls the same three layers twice: written out, they would be six.
    out = convert(STARRED.format(given="*blocks, *blocks", after=""), F)
    assert out.count("for layer in blocks:\n    x = layer(x)\n") == 2
    assert "blocks = [" in out


def test_names_joined_by_plus_are_read_through_each_other() -> None:
    text = STARRED.replace(
        "model = keras.Sequential([keras.Input(shape=(4,)), {given}, layers.Dense(1)])",
        "stack = [keras.Input(shape=(4,))] + blocks\nmodel = keras.Sequential(stack + [layers.Dense(1)])",
    ).format(after="")
    out = convert(text, F)
    assert "blocks" not in out and "stack" not in out
    assert "for _ in range(3):\n" in out


def test_an_input_in_a_list_the_model_loops_over_is_refused_at_the_input() -> None:
    text = STARRED.replace(
        "model = keras.Sequential([keras.Input(shape=(4,)), {given}, layers.Dense(1)])",
        "stack = [keras.Input(shape=(4,))] + blocks\nmodel = keras.Sequential(stack + [layers.Dense(1)])",
    ).format(after="print(stack)\n")
    for target in (F, C, G):
        (found,) = refusal(text, target)
        assert found.startswith(
            "m.py:5:10: error: `keras.Input(shape=(4,))` is in `stack`, which the other styles call item by item"
        )


def test_a_comprehension_joined_to_a_list_in_the_call() -> None:
    text = """\
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(5, 3))] + [layers.GRU(8, return_sequences=True) for i in range(2)] + [layers.Dense(1)])
    """
    out = convert(text, F)
    assert "for i in range(2):\n    x = layers.GRU(8, return_sequences=True)(x)\noutputs = layers.Dense(1)(x)\n" in out


def test_another_models_layers_are_refused_naming_that_model() -> None:
    text = """\
    import keras
    from keras import layers

    model_A = keras.models.load_model("my_model_A.keras")
    model_B_on_A = keras.Sequential(model_A.layers[:-1])
    model_B_on_A.add(layers.Dense(1, activation="sigmoid"))
    """
    for target in (F, C, G):
        (found,) = refusal(text, target)
        assert found.startswith(
            "m.py:5:33: error: the layers are given as `model_A.layers[:-1]`, the layers of another model (`model_A`)"
        )


def test_layers_the_caller_supplies_are_refused_saying_so() -> None:
    text = """\
    import keras


    class AE(keras.Model):
        def __init__(self, **kwargs):
            super().__init__()
            self.__dict__.update(kwargs)
            self.enc = keras.Sequential(self.enc)

        def encode(self, x):
            return self.enc(x)
    """
    (found, *_) = refusal(text, F)
    assert "the layers are given as `self.enc`, which no line of this method sets before the model" in found


def test_a_parameter_is_refused_as_a_name_the_block_does_not_make() -> None:
    text = """\
    import keras


    def build(blocks):
        return keras.Sequential(blocks)


    model = build([keras.layers.Dense(2)])
    """
    (found, *_) = refusal(text, F)
    assert "the layers are given as `blocks`, which this block does not make before the model" in found


def test_a_comprehension_over_another_models_layers_is_refused_naming_that_model() -> None:
    # Géron's MC dropout: the new model reuses every layer of ``model`` but its dropouts.
    text = """\
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dropout(0.2), layers.Dense(1)])
    mc_model = keras.Sequential([layers.Dropout(l.rate) if isinstance(l, layers.Dropout) else l for l in model.layers])
    """
    for target in (F, C, G):
        found = refusal(text, target)
        assert any(
            line.startswith("m.py:5:29: error: the layers are given as `[layers.Dropout(l.rate) if isinstance(l, layers.Dropout)")
            and "the layers of another model (`model`)" in line
            for line in found
        ), found


def test_a_comprehension_variable_the_code_around_uses_is_refused_not_rebound() -> None:
    # Written as a loop, ``for i in range(2)`` would leave ``i`` at 1 for the ``print(i)`` after.
    text = """\
    import keras
    from keras import layers

    i = 5
    model = keras.Sequential([keras.Input(shape=(4,)), *[layers.Dense(8, name=f"d{i}") for i in range(2)]])
    print(i)
    """
    for target in (F, C, G):
        (found,) = refusal(text, target)
        assert found.startswith("m.py:5:53: error: the comprehension's variable `i` is also a name of the code around")
    # In a builder, the module's own ``i`` is another variable: the loop binds the builder's.
    builder = """\
    import keras
    from keras import layers

    i = 5


    def build():
        return keras.Sequential([keras.Input(shape=(4,)), *[layers.Dense(8, name=f"d{i}") for i in range(2)]])


    model = build()
    print(i)
    """
    assert "    for i in range(2):\n" in convert(builder, F)


def test_a_list_a_function_of_the_module_reads_stays_bound() -> None:
    # ``show()`` reads the global ``blocks`` after the model: the list keeps its name and its line.
    text = """\
    import keras
    from keras import layers


    def show():
        print(blocks)


    blocks = [layers.Dense(8) for _ in range(2)]
    model = keras.Sequential([keras.Input(shape=(4,)), *blocks])
    show()
    """
    out = convert(text, F)
    assert "blocks = [layers.Dense(8) for _ in range(2)]\n" in out
    assert "for layer in blocks:\n    x = layer(x)\n" in out
