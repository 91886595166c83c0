"""Parameters only layer state is learned from (``lookup.adapt(dataset.map(...))``), and saving the
classes that take them (session 36; fixture ``learned_from_data``)."""

from __future__ import annotations

import textwrap

from converting import C, convert, refusal

from kconvert.ir.learned_params import learned_params
from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Options


HELPER = """\
    import keras
    from keras import layers


    def encoded(feature, data, {params}):
        {body}
        return lookup(feature)


    def build(data):
        inputs = keras.Input(shape=(1,), dtype="int64")
        return keras.Model(inputs, layers.Dense(1)(encoded(inputs, data, {args})))
    """


def _block_learned(params: str, body: str, args: str) -> dict[str, int]:
    """``{parameter: how many statements learn from it}`` of the helper ``encoded``'s block."""
    text = textwrap.dedent(HELPER.format(params=params, body=textwrap.indent(body, " " * 8).strip(), args=args))
    (site,) = find_models(text, Options())
    lint(site.graph)
    (block,) = site.graph.blocks
    return {name: len(ids) for name, ids in learned_params(block.graph).items()}


def test_a_parameter_only_adapted_on_is_learned_from_with_the_lines_preparing_it() -> None:
    body = 'lookup = layers.IntegerLookup(output_mode=mode)\nvalues = data.map(lambda x, y: x["a"])\nlookup.adapt(values)'
    assert _block_learned("mode", body, '"binary"') == {"data": 2}


def test_a_parameter_a_layer_or_a_setting_reads_is_no_learned_data() -> None:
    # The vocabulary the layer is made with is its config: the data stays a parameter.
    body = "vocabulary = sorted(set(data))\nlookup = layers.StringLookup(vocabulary=vocabulary)\nlookup.adapt(data)"
    assert _block_learned("mode", body, '"binary"') == {}
    # `column` picks what is learned: a setting the class keeps, not the data.
    body = "lookup = layers.IntegerLookup(output_mode=mode)\nlookup.adapt(data[:, column])"
    assert _block_learned("mode, column", body, '"binary", 0') == {"data": 1}
    # A statement that does anything else with what it reads (prints it) is no learning line.
    body = "lookup = layers.IntegerLookup(output_mode=mode)\nprint(data)\nlookup.adapt(data)"
    assert _block_learned("mode", body, '"binary"') == {}
    # `build(shape)` sizes the layer from its argument: a class made from its config needs it again.
    body = "lookup = layers.IntegerLookup(output_mode=mode)\nlookup.build(data)"
    assert _block_learned("mode", body, '"binary"') == {}


ADAPTED = """\
    import numpy as np
    import keras
    from keras import layers

    DATA = np.zeros((8, 3), "float32")


    def scaled(x, data):
        norm = layers.Normalization()
        norm.adapt(data)
        return norm(x)


    def build(data):
        inputs = keras.Input(shape=(3,))
        return keras.Model(inputs, layers.Dense(1)(scaled(inputs, data)))


    model = build(DATA)
    """


def test_the_block_and_the_model_learn_only_when_given_the_data() -> None:
    converted = convert(ADAPTED, C)
    assert (
        "    def __init__(self, data, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.norm = layers.Normalization()\n"
        "        if data is not None:\n"
        "            self.norm.adapt(data)\n"
    ) in converted
    # Neither class saves the data, and each is made from its config without it.
    assert converted.count("    def get_config(self):\n        return super().get_config()\n") == 2
    assert converted.count('        config["data"] = None\n        return cls(**config)\n') == 2
    assert "self.data" not in converted
    # Read back, the guarded line is the block's own: converting again changes nothing.
    assert convert(converted, C) == converted


def test_a_model_of_two_inputs_with_a_normalization_traces_its_call_in_build() -> None:
    # `load_model` builds a subclass by its `build(input_shape)`: without one that traces call() on
    # Inputs, the Normalization was built inside Keras' own trace, and the loaded model failed
    # ("tensor ... is out of scope"). A list of inputs is traced on a list of Inputs, each of its dtype.
    text = """\
    import keras
    from keras import layers

    ids = keras.Input(shape=(1,), dtype="int64")
    amount = keras.Input(shape=(1,))
    x = layers.concatenate([layers.Embedding(10, 2)(ids)[:, 0], layers.Normalization(mean=1.0, variance=4.0)(amount)])
    model = keras.Model([ids, amount], layers.Dense(1)(x))
    """
    assert (
        "    def build(self, input_shape):\n"
        '        """Builds each layer before its symbolic call, outside any trace: the tensors a\n'
        '        Normalization makes while it is built stay usable."""\n'
        "        self.call(\n"
        "            [\n"
        '                keras.Input(batch_shape=input_shape[0], dtype="int64"),\n'
        "                keras.Input(batch_shape=input_shape[1]),\n"
        "            ]\n"
        "        )\n"
    ) in convert(text, C)


def test_a_model_given_a_dict_it_does_not_take_is_no_subclass() -> None:
    # keras.io's structured-data example predicts on a dict comprehension keyed by the Inputs'
    # names, which a graph model of a list of inputs matches: a subclass's call() got the dict,
    # and unpacked its keys.
    text = """\
    import keras
    from keras import layers

    age = keras.Input(shape=(1,), name="age")
    income = keras.Input(shape=(1,), name="income")
    model = keras.Model([age, income], layers.Dense(1)(layers.concatenate([age, income])))
    sample = {"age": 60, "income": 3}
    rows = {name: keras.ops.convert_to_tensor([value]) for name, value in sample.items()}
    model.predict(rows)
    model.predict({name: [value] for name, value in sample.items()})
    """
    (message,) = refusal(text, C)
    assert message.startswith("m.py:9:1: error: `model.predict(...)` is given a dict that names the model's inputs")
    (message,) = refusal(text.replace("    model.predict(rows)\n", ""), C)
    assert message.startswith("m.py:9:1: error: `model.predict(...)` is given a dict")
    # A name bound to a list stays convertible.
    listed = text.replace("rows = {name: keras.ops.convert_to_tensor([value]) for name, value in sample.items()}", "rows = [[60], [3]]")
    assert "model = MyModel()" in convert(listed.replace("    model.predict({name: [value] for name, value in sample.items()})\n", ""), C)
