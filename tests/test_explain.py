"""``kconvert explain`` and training containers that are left as they are."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import kconvert
from kconvert.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

GAN = '''import keras
from keras import layers

generator = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(32)], name="generator")


class GAN(keras.Model):
    def __init__(self, generator):
        super().__init__()
        self.generator = generator

    def train_step(self, data):
        return {}


gan = GAN(generator)
'''


def test_explain_lists_every_style_with_the_reason_for_each_refusal():
    path = FIXTURES / "mnist_concat" / "functional.py"
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{path}:19:1: model_func is functional",
        f"  to sequential: no: {path}:16:11: error: `concat_` merges 2 tensors (`input_`, `reshap`);"
        " a Sequential model is one chain of layers"
        " (hint: keep this model in the Functional API, or convert it to a subclass)",
        "  to subclass: yes",
        "  to functional-subclass: yes",
    ]


def test_explain_of_a_file_without_models_is_an_error(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("import keras\n")
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 123
    assert f"{path}:1:1: error: no Keras model found" in result.stderr


def test_a_container_without_call_is_left_untouched_and_the_rest_converted():
    converted = kconvert.convert(GAN, to="functional")
    assert 'generator = keras.Model(inputs=inputs, outputs=outputs, name="generator")\n' in converted
    assert converted[converted.index("class GAN") :] == GAN[GAN.index("class GAN") :]


def test_the_cli_says_the_container_was_left_as_it_is():
    result = CliRunner().invoke(main, ["to-functional", "-"], input=GAN)
    assert result.exit_code == 0
    assert "-:7:1: note: `GAN` has no call(): it is a training container around other models, left as it is" in result.stderr
