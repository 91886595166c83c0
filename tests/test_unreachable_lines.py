"""Lines below a ``return`` or ``raise`` never run: they read nothing of the model (fuzz seed 35)."""

from __future__ import annotations

from converting import C, convert, refusal

from kconvert.parse.source import SourceFile
from kconvert.safety.names import new_unbound_names
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

LEFT_BELOW_RETURN = """\
    import keras
    from keras import layers


    def frozen(classes=3):
        features = layers.Dense(16)
        features.trainable = False
        inputs = keras.Input(shape=(8,))
        outputs = layers.Dense(classes)(features(inputs))
        return keras.Model(inputs, outputs)

        features.trainable = True
    model = frozen()
    """


def test_a_builder_local_read_only_below_its_return_goes_into_the_class() -> None:
    # Was an internal error: the dead line kept `features` in the builder, and the class read it
    # from there.
    converted = convert(LEFT_BELOW_RETURN, C)
    assert "        self.features = layers.Dense(16)\n        self.features.trainable = False\n" in converted
    assert "def frozen(classes=3):\n    model = Frozen(classes=classes)\n" in converted
    assert converted.endswith("    return model\n\n    features.trainable = True\nmodel = frozen()\n")
    assert "        features = layers.Dense(16)\n" in convert(LEFT_BELOW_RETURN, FS).split("class Frozen(")[1]


def test_a_layer_made_before_an_if_that_returns_the_model_is_refused_as_a_local() -> None:
    # Was an internal error: the layer made in the function's body, above the `if` holding the
    # model, was handed to the class as a parameter and held twice.
    text = """\
    import keras
    from keras import layers


    def build(small):
        features = layers.Dense(16)
        if small:
            inputs = keras.Input(shape=(8,))
            return keras.Model(inputs, layers.Dense(2)(features(inputs)))
        return features
    """
    for target in (C, FS):
        (message,) = refusal(text, target)
        assert message.startswith("m.py:9:52: error: `features` is made in `build` before the model;")


def test_a_layer_of_the_model_read_after_it_in_its_builder_is_refused() -> None:
    # Was an internal error: the builder kept the layer for the line below the model, and the class
    # read the builder's local.
    text = """\
    import keras
    from keras import layers


    def build():
        features = layers.Dense(16)
        inputs = keras.Input(shape=(8,))
        model = keras.Model(inputs, layers.Dense(2)(features(inputs)))
        features.trainable = False
        return model
    """
    (message,) = refusal(text, C)
    assert message == (
        "m.py:6:16: error: `features`, a layer of the model, is read in `build` after the model; a subclass"
        " model makes its layers in its class, where `build` cannot read them (hint: read the layer through"
        " the model after it is made (`model.get_layer(...)`), or keep this model functional)"
    )
    assert "a functional-subclass model makes its layers" in refusal(text, FS)[0]
    # Below its `return`, the line never runs: the layer is the class's.
    assert "self.features.trainable = False" not in convert(text.replace("features.trainable = False\n        return model", "return model\n        features.trainable = False"), C)


def _unbound(text: str) -> list[tuple[str, int]]:
    return new_unbound_names(SourceFile.parse(""), SourceFile.parse(text))


def test_the_safety_check_reads_no_name_below_a_return_raise_break_or_continue() -> None:
    assert _unbound("def f():\n    return 1\n    g(a)\n") == []
    assert _unbound("def f():\n    raise ValueError\n    if a:\n        g(b)\n") == []
    assert _unbound("for i in x:\n    continue\n    g(a)\nfor j in x:\n    break\n    g(b)\n") == [("x", 1), ("x", 4)]
    # A read above the `return`, or beside an `if` that returns, still counts.
    assert _unbound("def f():\n    g(a)\n    return 1\n") == [("g", 2), ("a", 2)]
    assert _unbound("def f():\n    if c:\n        return 1\n    g(a)\n") == [("c", 2), ("g", 4), ("a", 4)]
