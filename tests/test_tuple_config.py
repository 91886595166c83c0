"""A class parameter used as a tuple survives ``.keras``: its config comes back from JSON a list.

``keras.models.load_model`` makes a class again as ``cls(**config)`` from the file's JSON, where
``strides=(1, 1)`` is ``[1, 1]``: ``strides != (1, 1)`` is then true and the loaded model makes
a layer the saved one did not have (loading fails: its weights are not in the file), and
``img_size + (3,)`` fails (tests/fixtures/
tuple_config_parameter, Deep Learning with Python's segmentation model). A class whose code adds
a tuple to a parameter or compares it with one gets a ``from_config`` making it a tuple again;
one that uses it otherwise gets none (issue 9).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from converting import convert
from kconvert.types import Style
from test_saving import SCRIPT

C = Style.SUBCLASS

BLOCKS = """\
import keras
from keras import layers


def conv_block(x, filters, strides):
    y = layers.Conv2D(filters, 3, strides=strides, padding="same")(x)
    if strides != (1, 1):
        x = layers.Conv2D(filters, 1, strides=strides)(x)
    return layers.Add()([x, y])


inputs = keras.Input(shape=(16, 16, 8))
x = conv_block(inputs, 8, (1, 1))
x = conv_block(x, 8, (2, 2))
outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
"""

FROM_CONFIG = """
    def get_config(self):
        config = {"filters": self.filters, "strides": self.strides}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config):
        config["strides"] = tuple(config["strides"])
        return cls(**config)
"""


def test_a_block_comparing_its_parameter_with_a_tuple_makes_it_a_tuple_again() -> None:
    converted = convert(BLOCKS, C)
    assert FROM_CONFIG in converted
    assert converted.count("from_config") == 1  # the model class takes no tuple


def test_a_parameter_used_otherwise_is_loaded_as_it_comes() -> None:
    # ``shape=img_size`` and ``img_size[0]`` take a list as well as a tuple.
    source = """\
    import keras
    from keras import layers


    def get_model(img_size):
        inputs = keras.Input(shape=img_size)
        x = layers.Reshape((img_size[0], -1))(inputs)
        outputs = layers.Dense(2)(x)
        return keras.Model(inputs=inputs, outputs=outputs)


    model = get_model((4, 4))
    """
    for style in (C, Style.FUNCTIONAL_SUBCLASS):
        assert "from_config" not in convert(source, style)


# The model's own parameter, compared in the builder: the class makes the shortcut only for strides.
MODEL = """\
import keras
from keras import layers


def build_model(filters, strides):
    inputs = keras.Input(shape=(16, 16, 8))
    y = layers.Conv2D(filters, 3, strides=strides, padding="same")(inputs)
    x = inputs
    if strides != (1, 1):
        x = layers.Conv2D(filters, 1, strides=strides)(x)
    x = layers.Add()([x, y])
    outputs = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, outputs)


model = build_model(8, (1, 1))
"""


# The same, its strides optional and left out: loading gives ``None``, which is no tuple to make.
OPTIONAL = (
    MODEL.replace("def build_model(filters, strides):", "def build_model(filters, strides=None):")
    .replace("    if strides != (1, 1):", "    if strides is not None and strides != (1, 1):")
    .replace("strides=strides", "strides=strides or 1")
    .replace("build_model(8, (1, 1))", "build_model(8)")
)


@pytest.mark.tensorflow
@pytest.mark.parametrize("source", [MODEL, OPTIONAL], ids=["given", "optional"])
@pytest.mark.parametrize("style", [C, Style.FUNCTIONAL_SUBCLASS], ids=str)
def test_the_model_saves_and_loads_without_the_layer_its_flag_leaves_out(tmp_path: Path, style: Style, source: str) -> None:
    (tmp_path / "blocks.py").write_text(convert(source, style).replace('package="m"', 'package="blocks"'))
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, "blocks", "[[16, 16, 8]]", str(tmp_path / "model.keras")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines()[-1] == "ok MyModel"


def test_a_tuple_parameter_that_may_be_none_is_made_a_tuple_only_when_it_is_not() -> None:
    # ``tuple(None)`` would fail loading a model made with the default.
    source = BLOCKS.replace("def conv_block(x, filters, strides):", "def conv_block(x, filters, strides=None):")
    source = source.replace("    if strides != (1, 1):", "    if strides is not None and strides != (1, 1):")
    source = source.replace("strides=strides, padding", "strides=strides or 1, padding").replace("strides=strides)", "strides=strides or 1)")
    converted = convert(source, C)
    guarded = '        if config["strides"] is not None:\n            config["strides"] = tuple(config["strides"])\n        return cls(**config)\n'
    assert guarded in converted
