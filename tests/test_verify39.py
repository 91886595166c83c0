"""Session 39's verification sample (verify39): a layer class a builder hands to a function of the file.

cyberspacelee's ResNet builder ``_resnet(block, blocks_num, ...)`` is given its block class
(``BasicBlock`` or ``Bottleneck``) and hands it to ``_make_layer(block, ...)``, a function of the
file that makes each stage's layers by calling ``block(channel, ...)``. At ``main`` (``19c5d34``)
to-functional-subclass and to-subclass kept ``block`` for ``get_config`` as the class itself
(``"block": self.block``): Keras asks every value of a config for a config of its own, so
``model.save`` raised ``TypeError: Dense.get_config() missing 1 required positional argument:
'self'`` where the original saved and loaded back. A layer class the model's own code calls was
already saved by its registered name (``ir/layer_makers.py``); now one handed to a function of
the file that calls it is too (``parse/module_index.called_arguments``).

kayua's ``ResidualModel(ResidualProcess, ResidualGradientMaps)`` builds ``self.neural_network_model``
in a method, and ``ResidualGradientMaps``, in another module of the project, reads it as a graph
for Grad-CAM (``get_layer(...)``, ``model.inputs``). At ``main`` to-subclass converted it with
exit 0; it is refused now (``parse/unseen_bases.py``), as the same code in the file's own class is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converting import C, convert, refusal
from running import run_script
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# The builder's layer class goes through a function of the file that calls it; its size does not.
HANDED_CLASS = """\
import keras
import numpy as np
from keras import layers


def make_stage(block, units):
    return keras.Sequential([block(units), block(units)])


def build(block, units=8):
    inputs = keras.Input(shape=(4,))
    x = make_stage(block, units)(inputs)
    outputs = layers.Dense(2)(x)
    return keras.Model(inputs, outputs)


model = build(layers.Dense)
model.save("stage.keras")
back = keras.models.load_model("stage.keras")
x = np.ones((1, 4), "float32")
print(np.allclose(back.predict(x, verbose=0), model.predict(x, verbose=0)))
"""


@pytest.mark.parametrize("target", [C, FS])
def test_a_layer_class_handed_to_a_function_of_the_file_is_saved_by_its_registered_name(target: Style) -> None:
    out = convert(HANDED_CLASS, target)
    assert '"block": keras.saving.get_registered_name(self.block),' in out
    assert '"units": self.units,' in out
    assert "def from_config(cls, config):" in out
    assert 'config["units"]' not in out


def test_a_value_handed_to_a_function_that_does_not_call_it_stays_a_value() -> None:
    # ``size`` is called nowhere in ``make_stage`` (its own ``units`` parameter is), so it is no class.
    text = HANDED_CLASS.replace("def build(block, units=8):", "def build(block, size=8):").replace(
        "make_stage(block, units)(inputs)", "make_stage(block, units=size)(inputs)"
    )
    out = convert(text, FS)
    assert '"block": keras.saving.get_registered_name(self.block),' in out
    assert '"size": self.size,' in out


@pytest.mark.tensorflow
def test_the_class_written_for_a_builder_given_its_block_class_saves_and_loads(tmp_path: Path) -> None:
    files = {"original.py": HANDED_CLASS, "subclass.py": convert(HANDED_CLASS, C), "graph.py": convert(HANDED_CLASS, FS)}
    results = []
    for name, text in files.items():
        run = run_script(tmp_path, name, text)
        results.append((name, run.returncode, run.stdout.splitlines()[-1:]))
    assert results == [("original.py", 0, ["True"]), ("subclass.py", 0, ["True"]), ("graph.py", 0, ["True"])]


# A plain class whose base another module defines builds its model in a method; the base's
# Grad-CAM reads that model as a graph, where kconvert cannot see it.
IMPORTED_BASE = """\
import keras
from keras import layers
from viz import GradCamMixin


class Trainer(GradCamMixin):
    def __init__(self, filters):
        self.filters = filters
        self.model = None

    def build_model(self):
        inputs = keras.Input(shape=(8, 8, 1))
        x = layers.Conv2D(self.filters, 3, name="last_conv")(inputs)
        x = layers.Flatten()(x)
        outputs = layers.Dense(2)(x)
        self.model = keras.Model(inputs, outputs)

    def explain(self, sample):
        return self.compute_gradcam(sample, "last_conv")
"""


def test_a_model_made_for_a_class_with_an_imported_base_is_not_made_a_subclass() -> None:
    assert refusal(IMPORTED_BASE, C) == [
        "m.py:16:9: error: `self.model` is made for `Trainer`, whose base `GradCamMixin` comes from `viz`, which"
        " kconvert cannot read: code there may read the model as a graph (`get_layer(...).output`,"
        " `model.inputs`), which a subclass does not have (hint: convert it with `to-functional-subclass`"
        " (a class that still builds the graph), or keep this model functional)"
    ]
    # A graph class keeps what the base can read.
    assert "class TrainerModel(keras.Model):" in convert(IMPORTED_BASE, FS)


@pytest.mark.parametrize(
    "head", ["class Trainer:", "class Trainer(object):", "class Trainer(abc.ABC):", "class Trainer(keras.callbacks.Callback):"]
)
def test_a_class_of_no_base_or_a_standard_one_still_becomes_a_subclass(head: str) -> None:
    text = IMPORTED_BASE.replace("from viz import GradCamMixin", "import abc").replace("class Trainer(GradCamMixin):", head)
    assert "class TrainerModel(keras.Model):" in convert(text, C)
