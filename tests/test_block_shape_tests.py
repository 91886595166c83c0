"""A helper's shape tests in its Layer class's build() (issue 10): nested under flags, and on
tensors its layers made, when their channels are the layers' own arguments (ir/channels.py)."""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.ir.normal_form import literal_truth
from kconvert.types import Converted, Options, Style

BLOCK = """\
    import keras
    from keras import layers


    def block(x, filters):
        shortcut = x
        x = layers.Conv2D(filters, 3, padding="same"{conv_args})(x)
        x = {between}(x)
        if shortcut.shape[-1] != x.shape[-1]:
            shortcut = layers.Conv2D(filters, 1)(shortcut)
        return layers.Add()([x, shortcut])


    inputs = keras.Input(shape=(8, 8, 4))
    x = block(inputs, 4)
    x = block(x, 8)
    outputs = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, outputs)
    """


def _subclass(source: str) -> str:
    result = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    return result.source


def test_a_test_on_a_tensor_a_convolution_made_is_asked_of_its_filters_in_build() -> None:
    out = _subclass(BLOCK.format(conv_args="", between="layers.BatchNormalization()"))
    assert "class Block(layers.Layer):" in out
    assert "    def build(self, input_shape):\n        if input_shape[-1] != self.filters:\n" in out
    # call() asks the source's own test; each block makes its projection only where it calls it.
    assert "        if shortcut.shape[-1] != x.shape[-1]:\n            shortcut = self.shortcut(shortcut)\n" in out
    assert "block1_" not in out


def test_channels_first_or_an_unknown_layer_leaves_the_test_to_the_written_out_calls() -> None:
    # The filters are not the last dimension there, and a Lambda says nothing of its output.
    for conv_args, between in ((', data_format="channels_first"', "layers.ReLU()"), ("", "layers.Lambda(lambda t: t)")):
        out = _subclass(BLOCK.format(conv_args=conv_args, between=between))
        assert "class Block(" not in out and "def build(" not in out
        assert "if shortcut.shape[-1] != x.shape[-1]:" in out


def test_a_shape_test_under_a_flag_is_asked_again_under_the_same_flag() -> None:
    source = """\
        import keras
        from keras import layers


        def block(x, filters, project=True):
            y = layers.Dense(filters)(x)
            if project:
                if x.shape[-1] != filters:
                    x = layers.Dense(filters)(x)
            else:
                y = layers.Dropout(0.1)(y)
            return layers.add([x, y])


        inputs = keras.Input(shape=(4,))
        x = block(inputs, 4, project=False)
        x = block(x, 8)
        model = keras.Model(inputs, x)
        """
    out = _subclass(source)
    assert (
        "    def build(self, input_shape):\n"
        "        if self.project:\n"
        "            if input_shape[-1] != self.filters:\n"
        "                self.dense2 = layers.Dense(self.filters)\n"
        "        else:\n"
        "            self.dropout = layers.Dropout(0.1)\n"
    ) in out


def test_a_shape_test_inside_a_loop_of_the_helper_leaves_it_written_out() -> None:
    source = """\
        import keras
        from keras import layers


        def block(x, widths):
            for width in widths:
                if x.shape[-1] != width:
                    x = layers.Dense(width)(x)
            return x


        inputs = keras.Input(shape=(4,))
        x = block(inputs, [4, 8])
        model = keras.Model(inputs, x)
        """
    assert "class Block(" not in _subclass(source)


def test_a_test_is_decided_by_its_literals_where_python_stops_reading() -> None:
    assert literal_truth("2 != 1 or _kc_v3.shape[-1] != 32") is True
    assert literal_truth("1 != 1 and _kc_v3.shape[-1] != 32") is False
    assert literal_truth("1 != 1 or _kc_v3.shape[-1] != 32") is None
    assert literal_truth("0 or None") is False
