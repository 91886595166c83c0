"""Session 41's verification sample (verify41): a model a method makes on its object's data.

andykms' wheat-yield ``Model`` (a plain class) keeps its training data, ``self.XTrain = XTrain``,
and makes ``self.model = Sequential([Dense(128, input_shape=(self.XTrain.shape[1],)), ...])``.
To subclass, the class took ``XTrain`` itself as its parameter, kept it and listed it in
``get_config()``, though only its build line reads it: saving wrote the whole training set into
the model's config, and an ``XTrain`` JSON cannot hold (a data frame) made ``model.save`` fail,
where the original saved (exit 0 both times).  The class takes the size it reads now
(``XTrain_dim=self.XTrain.shape[1]``), as to-functional-subclass already wrote it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converting import C, F, S, convert
from running import run_script
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

TRAINER = """\
from keras import Sequential
from keras.layers import Dense


class Trainer:
    def __init__(self, x):
        self.x = x
        self.model = Sequential([Dense(4, input_shape=(self.x.shape[1],)), Dense(1)])
"""

SUBCLASS = """\
from keras import Model, saving
from keras.layers import Dense, Input


@saving.register_keras_serializable(package="m")
class TrainerModel(Model):
    def __init__(self, x_dim, **kwargs):
        super().__init__(**kwargs)
        self.x_dim = x_dim
        self.dense1 = Dense(4)
        self.dense2 = Dense(1)

    def call(self, inputs, training=None):
        x = self.dense1(inputs)
        return self.dense2(x)

    def get_config(self):
        return {**super().get_config(), "x_dim": self.x_dim}


class Trainer:
    def __init__(self, x):
        self.x = x
        self.model = TrainerModel(x_dim=self.x.shape[1])
        self.model(Input(shape=(self.x.shape[1],)))
"""


def test_the_subclass_takes_the_size_of_the_object_s_data_not_the_data() -> None:
    assert convert(TRAINER, C) == SUBCLASS


def test_the_graph_class_takes_the_same_size() -> None:
    out = convert(TRAINER, FS)
    assert "    def __init__(self, x_dim, **kwargs):\n        inputs = Input(shape=(x_dim,))\n" in out
    assert "        self.model = TrainerModel(x_dim=self.x.shape[1])\n" in out


def test_an_attribute_read_whole_by_the_input_stays_the_parameter() -> None:
    # ``self.img_shape`` is no size of data: the class takes it as it is, as before.
    text = TRAINER.replace("(self.x.shape[1],)", "self.img_shape").replace("self.x = x", "self.img_shape = x")
    out = convert(text, C)
    assert "    def __init__(self, img_shape, **kwargs):\n" in out
    assert "        self.model = TrainerModel(img_shape=self.img_shape)\n" in out


@pytest.mark.parametrize("target", [F, S, C, FS])
def test_the_subclass_converts_back_on_the_size(target) -> None:
    out = convert(SUBCLASS, target)
    assert "self.model = TrainerModel(x_dim=self.x.shape[1])\n" in out
    assert ("shape=(x_dim,)" in out) is (target is not C)


RUN = """
import numpy as np
import keras


class Table:
    # A data frame's stand-in: a shape, and no config JSON can hold.
    def __init__(self, rows):
        self.rows = np.asarray(rows, "float32")
        self.shape = self.rows.shape


trainer = Trainer(Table(np.ones((5, 3))))
trainer.model.save("m.keras")
back = keras.models.load_model("m.keras")
print(np.allclose(back(np.ones((2, 3))), trainer.model(np.ones((2, 3)))))
"""


@pytest.mark.tensorflow
def test_the_subclass_saves_and_loads_back_where_the_original_does(tmp_path: Path) -> None:
    results = []
    for name, text in {"original.py": TRAINER, "subclass.py": convert(TRAINER, C)}.items():
        run = run_script(tmp_path, name, text + RUN)
        results.append((name, run.returncode, run.stdout.splitlines()[-1:]))
    assert results == [("original.py", 0, ["True"]), ("subclass.py", 0, ["True"])]
