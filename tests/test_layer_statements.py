"""The safety check compares what a model's statements do to its layers (ir/layer_statements.py):
a frozen layer made again after the freeze (session 33's siamese base, which passed) is another
model; the same statements spelled otherwise are not."""

from __future__ import annotations

import textwrap

from kconvert.ir.comparable import comparable
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert

FROZEN = textwrap.dedent(
    """\
    import keras
    from keras import layers


    def build_model():
        base = keras.Sequential([layers.Dense(8), layers.Dense(8)])
        base.trainable = False
        inputs = keras.Input((4,))
        outputs = layers.Dense(2)(base(inputs))
        return keras.Model(inputs, outputs)
    """
)


def _key(source: str) -> str:
    (model,) = [model for model in find_models(source) if model.name == "build_model"]
    return comparable(model.graph)


def test_a_layer_made_again_after_its_freeze_is_another_model() -> None:
    again = FROZEN.replace(
        "    base.trainable = False\n",
        "    base.trainable = False\n    base = keras.Sequential([layers.Dense(8), layers.Dense(8)])\n",
    )
    assert _key(again) != _key(FROZEN)


def test_a_layer_whose_freeze_is_left_out_or_changed_is_another_model() -> None:
    assert _key(FROZEN.replace("    base.trainable = False\n", "")) != _key(FROZEN)
    assert _key(FROZEN.replace("base.trainable = False", "base.trainable = True")) != _key(FROZEN)
    # A statement before the layer is made changes another object.
    moved = FROZEN.replace("    base.trainable = False\n", "").replace("    base = ", "    base.trainable = False\n    base = ")
    assert _key(moved.replace("def build_model():\n", "def build_model(base):\n")) != _key(FROZEN.replace("def build_model():\n", "def build_model(base):\n"))


def test_the_same_statement_spelled_otherwise_is_the_same_model() -> None:
    spelled = FROZEN.replace("base.trainable = False", "base.trainable=False  # keep the features")
    assert _key(spelled) == _key(FROZEN)
    renamed = FROZEN.replace("base", "backbone")
    assert _key(renamed) == _key(FROZEN)


def test_a_layer_the_class_is_given_keeps_the_statements_on_it() -> None:
    # keras-io's BERT similarity model: the backbone stays at module level (later code unfreezes
    # it), the class stores it and freezes it in __init__; the statement came before any making
    # of the layer in the class's graph, and the check took it for another model's.
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers

        inputs = keras.Input((4,))
        base = keras.Sequential([layers.Dense(8)])
        base.trainable = False
        outputs = layers.Dense(2)(base(inputs))
        model = keras.Model(inputs, outputs)
        base.trainable = True
        """
    )
    converted = convert(source, Style.SUBCLASS)
    assert "        self.base = base\n        base.trainable = False\n" in converted


def test_a_statement_that_only_reads_the_layer_changes_nothing() -> None:
    # keras-io's CCT reads its tokenizer under an `if` (`tokenizer.positional_embedding(size)`) that
    # a class writes apart from the tensors the `if` makes: read back, the statement's text differs,
    # what it does to the layer (nothing) does not; counting every statement was caught.
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers

        positional = True


        def build_model():
            inputs = keras.Input((8,))
            tok = layers.Dense(4)
            x = tok(inputs)
            if positional:
                width = tok.units
                x = x * width
            outputs = layers.Dense(2)(x)
            return keras.Model(inputs, outputs)
        """
    )
    assert "        if positional:\n            width = tok.units\n" in convert(source, Style.SUBCLASS)


def test_what_a_preprocessing_layer_learns_from_data_is_part_of_the_model() -> None:
    # `norm.adapt(x)` sets the mean and variance a Normalization applies: dropped, or run on other
    # data, the model normalises otherwise.
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers


        def build_model(train):
            inputs = keras.Input((4,))
            norm = layers.Normalization()
            norm.adapt(train)
            outputs = layers.Dense(2)(norm(inputs))
            return keras.Model(inputs, outputs)
        """
    )
    assert _key(source.replace("    norm.adapt(train)\n", "")) != _key(source)
    assert _key(source.replace("norm.adapt(train)", "norm.adapt(train[:10])")) != _key(source)
    assert _key(source.replace("norm.adapt(train)", "norm.adapt( train )")) == _key(source)


DRAWN = textwrap.dedent(
    """\
    import keras
    from keras import layers

    stack = [layers.Dense(8), layers.Dense(8)]
    head = [layers.Dense(2)]

    inputs = keras.Input(shape=(4,))
    x = inputs
    for layer in stack:
        x = layer(x)
        layer.trainable = False
    for layer in head:
        x = layer(x)
    model = keras.Model(inputs, x)
    """
)


def _drawn_key(source: str) -> str:
    (model,) = find_models(source)
    return comparable(model.graph)


def test_a_change_made_to_each_layer_a_loop_draws_from_a_list_is_part_of_the_model() -> None:
    # The loop's variable names no one layer: what it changes is each layer of the list's (session
    # 37's freezing line a subclass dropped, which the check had let pass).
    key = _drawn_key(DRAWN)
    assert _drawn_key(DRAWN.replace("    layer.trainable = False\n", "")) != key
    assert _drawn_key(DRAWN.replace("trainable = False", "trainable = True")) != key
    # Before the call or after it, or in a loop of its own over the list, it is the same change.
    before = DRAWN.replace("    x = layer(x)\n    layer.trainable = False\n", "    layer.trainable = False\n    x = layer(x)\n")
    assert _drawn_key(before) == key
    own_loop = DRAWN.replace("    layer.trainable = False\n", "").replace(
        "x = inputs\n", "for each in stack:\n    each.trainable = False\nx = inputs\n"
    )
    assert _drawn_key(own_loop) == key
    # A change to the other list's layers is another model.
    assert _drawn_key(own_loop.replace("for each in stack:", "for each in head:")) != key


def test_each_conversion_of_a_loop_freezing_drawn_layers_keeps_the_change() -> None:
    key = _drawn_key(DRAWN)
    for target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS, Style.SEQUENTIAL):
        out = convert(DRAWN, target)
        assert [comparable(model.graph) for model in find_models(out)] == [key], target
