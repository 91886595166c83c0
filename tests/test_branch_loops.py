"""Parallel branches picked by position, shape checks that raise, a tensor set aside (issue 9).

Small models of our own with the ideas of ShawnyXiao's TextCNN and FastText: call() loops over
positions (``self.convs[i]``) and opens with ``if len(inputs.get_shape()) != 2: raise ...``; and
of ryancheunggit's SqueezeNet: ``if self.residual: identity = x``.  The fixtures
parallel_branch_loop, input_shape_guard and flag_set_aside hold the forms kconvert writes;
expected outputs are written by hand.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from kconvert.types import Style

from converting import convert, refusal

F, C = Style.FUNCTIONAL, Style.SUBCLASS
FIXTURES = Path(__file__).parent / "fixtures"

BY_POSITION = '''\
"""TextCNN-style parallel branches: each pass of the loop reads the same tensor."""

import keras
from keras import layers


class TextCNN(keras.Model):
    def __init__(self, kernel_sizes=(2, 3, 4), **kwargs):
        super().__init__(**kwargs)
        self.kernel_sizes = kernel_sizes
        self.embedded = layers.Embedding(50, 8)
        self.convs = []
        self.pools = []
        for kernel_size in self.kernel_sizes:
            self.convs.append(layers.Conv1D(4, kernel_size, activation="relu"))
            self.pools.append(layers.GlobalMaxPooling1D())
        self.concatenate = layers.Concatenate()
        self.dense = layers.Dense(1, activation="sigmoid")

    def call(self, inputs):
        embedded = self.embedded(inputs)
        branches = []
        for i in range(len(self.kernel_sizes)):
            # One convolution per kernel size, pooled over the sequence.
            branch = self.convs[i](embedded)
            branch = self.pools[i](branch)
            branches.append(branch)
        x = self.concatenate(branches)
        return self.dense(x)


def text_cnn(kernel_sizes=(2, 3, 4)):
    model = TextCNN(kernel_sizes=kernel_sizes)
    model(keras.Input(shape=(12,)))
    return model


model = text_cnn()
'''


def _functional(case: str) -> str:
    return (FIXTURES / case / "functional.py").read_text()


def test_a_loop_over_positions_of_layer_lists_is_the_loop_over_the_lists() -> None:
    assert convert(BY_POSITION, F) == _functional("parallel_branch_loop")


def test_the_lists_own_length_counts_the_positions_too() -> None:
    source = BY_POSITION.replace("range(len(self.kernel_sizes))", "range(len(self.convs))")
    assert convert(source, F) == _functional("parallel_branch_loop")


def test_a_position_read_otherwise_keeps_the_refusal() -> None:
    source = BY_POSITION.replace(
        "            branches.append(branch)\n", "            branches.append(branch * i)\n"
    )
    assert refusal(source, F) == [
        "m.py:25:22: error: `self.convs[i]` picks a layer from a list by position, which kconvert"
        " cannot follow into the other styles (hint: loop over the list (`for layer in self.convs:`),"
        " or give each layer an attribute of its own)"
    ]


def test_positions_of_another_length_keep_the_refusal() -> None:
    source = BY_POSITION.replace("range(len(self.kernel_sizes))", "range(2)")
    assert refusal(source, F)[0].startswith("m.py:25:22: error: `self.convs[i]` picks a layer")


GUARDED = '''\
import keras
from keras import layers


class Classifier(keras.Model):
    def __init__(self, length=10, units=8, **kwargs):
        super().__init__(**kwargs)
        self.length = length
        self.units = units
        self.global_pool = layers.GlobalAveragePooling1D()
        self.dense = layers.Dense(units)

    def call(self, inputs, training=None):
        if len(inputs.get_shape()) != 3:
            raise ValueError("expected a batch of sequences")
        if inputs.get_shape().as_list()[1:] != [self.length, 4]:
            raise ValueError("expected %d steps" % self.length)
        x = self.global_pool(inputs)
        return self.dense(x)


model = Classifier()
model.build((None, 10, 4))
'''


def test_a_shape_check_that_raises_is_kept_in_place_spelled_shape() -> None:
    # A Keras 3 graph tensor has no get_shape(); its shape is a tuple, so as_list() is list().
    assert convert(GUARDED, F) == (
        "import keras\n"
        "from keras import layers\n"
        "\n"
        "\n"
        "def Classifier(length=10, units=8, **kwargs):\n"
        "    inputs = keras.Input(shape=(10, 4))\n"
        "    if len(inputs.shape) != 3:\n"
        '        raise ValueError("expected a batch of sequences")\n'
        "    if list(inputs.shape)[1:] != [length, 4]:\n"
        '        raise ValueError("expected %d steps" % length)\n'
        "    x = layers.GlobalAveragePooling1D()(inputs)\n"
        "    outputs = layers.Dense(units)(x)\n"
        "    return keras.Model(inputs=inputs, outputs=outputs, **kwargs)\n"
        "\n"
        "\n"
        "model = Classifier()\n"
    )


def test_an_if_on_shapes_that_binds_a_tensor_is_still_a_block() -> None:
    source = GUARDED.replace(
        '            raise ValueError("expected a batch of sequences")\n', "            inputs = inputs[0]\n"
    )
    assert convert(source, F).splitlines()[5:10] == [
        "    inputs = keras.Input(shape=(10, 4))",
        "    inputs_1 = inputs",
        "    if len(inputs_1.shape) != 3:",
        "        inputs_1 = inputs_1[0]",
        "    if list(inputs_1.shape)[1:] != [length, 4]:",
    ]


def test_a_check_of_the_batch_axis_stays_out_of_call() -> None:
    source = _functional("input_shape_guard").replace("inputs.shape[1] != length", "inputs.shape[0] != length")
    assert refusal(source, C)[0].startswith(
        "m.py:12:5: error: this statement reads the shape of a tensor while the model is built"
    )


def test_a_tensor_set_aside_under_a_flag_is_the_tensor_before_the_name_moves_on() -> None:
    source = (FIXTURES / "flag_set_aside" / "subclass.py").read_text()
    source = source.replace("s1 = self.squeeze(x)", "x = self.squeeze(x)").replace("(s1)", "(x)")
    assert convert(source, F).splitlines()[6:16] == [
        "def Fire(squeeze=4, expand=8, residual=True):",
        "    inputs = keras.Input(shape=(8, 8, 16))",
        "",
        '    x = layers.Conv2D(squeeze, 1, activation="relu")(inputs)',
        '    e1 = layers.Conv2D(expand, 1, activation="relu")(x)',
        '    e3 = layers.Conv2D(expand, 3, padding="same", activation="relu")(x)',
        "    out = layers.Concatenate()([e1, e3])",
        "",
        "    if residual:",
        "        out = out + inputs",
    ]


def test_a_name_set_aside_that_is_already_a_tensor_is_carried_by_the_if() -> None:
    # ``identity`` is a tensor before the ``if``: after it, which one depends on the flag.
    source = (FIXTURES / "flag_set_aside" / "subclass.py").read_text()
    source = source.replace("        if self.residual:\n            identity = x\n", (
        "        identity = self.squeeze(x)\n        if self.residual:\n            identity = x\n"
    ))
    assert "    if residual:\n        identity = x\n" in convert(source, F)


EARLY_RETURN = '''\
import keras
from keras import layers


class Baseline(keras.Model):
    def __init__(self, label_index=None):
        super().__init__()
        self.label_index = label_index
        self.dense = layers.Dense(4)

    def call(self, inputs):
        x = self.dense(inputs)
        if self.label_index is None:
            return x
        return x[:, :, self.label_index]


model = Baseline(label_index=1)
model.build((None, 6, 3))
'''


def test_an_early_return_under_a_flag_is_refused_with_the_if_else_that_converts() -> None:
    assert refusal(EARLY_RETURN, F) == [
        "m.py:14:13: error: `return x` ends call() early under this `if`; a graph model returns its"
        " outputs once, after its last layer (hint: bind the outputs in each branch (`if ...: outputs ="
        " inputs` / `else: outputs = ...`) and return them after the `if`, or keep the model a subclass)"
    ]
    rewritten = EARLY_RETURN.replace(
        "            return x\n        return x[:, :, self.label_index]\n",
        "            outputs = x\n        else:\n            outputs = x[:, :, self.label_index]\n        return outputs\n",
    )
    assert "    if label_index is None:\n        outputs = x\n    else:\n" in convert(rewritten, F)


def test_a_tensor_made_by_some_branches_only_names_its_if() -> None:
    source = '''\
    import keras
    from keras import layers


    def block(x, kind):
        if kind[0] == "dense":
            hidden = layers.Dense(4)(x)
        elif kind[0] == "drop":
            hidden = layers.Dropout(0.1)(x)
        return hidden


    def build(kinds=(["dense"], ["drop"])):
        inputs = keras.Input(shape=(8,))
        x = inputs
        for kind in kinds:
            x = block(x, kind)
        return keras.Model(inputs=inputs, outputs=x)
    '''
    assert refusal(source, C) == [
        "m.py:8:5: error: `block` cannot be written out in a subclass: this `if` makes `hidden` only when"
        " a branch runs, and no `else` binds it; kconvert carries through an `if` a tensor named before it"
        " or made by every branch (hint: add an `else` that binds `hidden`, or give it a value before the `if`)"
    ]


def test_one_list_by_position_is_the_loop_over_that_list() -> None:
    source = BY_POSITION.replace("            branch = self.pools[i](branch)\n", "")
    expected = _functional("parallel_branch_loop").replace(
        "        branch = layers.GlobalMaxPooling1D()(branch)\n", ""
    )
    assert convert(source, F) == expected


def test_a_shape_check_of_the_last_output_is_kept_among_a_sequentials_adds() -> None:
    source = '''\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(10, 4))
    x = layers.Dense(8)(inputs)
    if x.shape[-1] != 8:
        raise ValueError("expected 8 features")
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    '''
    sequential = convert(source, Style.SEQUENTIAL)
    assert sequential.splitlines()[3:] == [
        "model = keras.Sequential()",
        "model.add(keras.Input(shape=(10, 4)))",
        "model.add(layers.Dense(8))",
        "if model.output_shape[-1] != 8:",
        '    raise ValueError("expected 8 features")',
        "model.add(layers.Dense(2))",
    ]
    assert convert(sequential, F) == textwrap.dedent(source)


PER_TENSOR = """\
import keras
from keras import layers

inputs = keras.Input(shape=(16, 8))
convs = []
for k in (1, 2, 3):
    convs.append(layers.Conv1D(4, k)(inputs))
pooled = []
for c in convs:
    pooled.append(layers.GlobalMaxPooling1D()(c))
x = layers.Concatenate()(pooled)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""


def test_a_loop_over_a_list_of_tensors_carries_the_list_it_fills() -> None:
    # Each pass reads the tensor it draws from ``convs``: the list it fills is carried, as a list
    # filled from a tensor made before the loop is (it was "must carry a tensor").
    out = convert(PER_TENSOR, Style.FUNCTIONAL_SUBCLASS)
    assert "        for c in convs:\n            x = layers.GlobalMaxPooling1D()(c)\n            pooled.append(x)\n" in out, out
    (line,) = refusal(PER_TENSOR, C)
    assert line.startswith("m.py:9:1: error: the loop makes layers once per tensor of a list that call() fills"), line
