"""Idioms of session 33's fresh real-world files (benchmarks/realworld, ``session = "fresh33"``)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook

from converting import C, F, refusal

from kconvert.cli import main
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

SETTINGS = "import numpy as np\n\nbatch_size = 16"
FUTURE = "from __future__ import print_function\nfrom __future__ import division, absolute_import  # Python 2\n"
MODEL = (
    "from tensorflow import keras\n"
    "\n"
    "model = keras.Sequential([\n"
    '    keras.layers.Dense(8, activation="relu", input_shape=(4,)),\n'
    "    keras.layers.Dense(1),\n"
    "])\n"
)
FUNCTIONAL = (
    "from tensorflow import keras\n"
    "\n"
    "inputs = keras.Input(shape=(4,))\n"
    'x = keras.layers.Dense(8, activation="relu")(inputs)\n'
    "outputs = keras.layers.Dense(1)(x)\n"
    "model = keras.Model(inputs=inputs, outputs=outputs)\n"
)


def _notebook(path: Path, *sources: str) -> Path:
    notebook = new_notebook(cells=[new_code_cell(source) for source in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_future_import_opening_a_later_cell_is_no_syntax_error(tmp_path: Path) -> None:
    # A VAE lab notebook pastes a Keras 2 example into a later cell, `from __future__ import
    # print_function` first. Jupyter compiles each cell alone, so the line is valid there; joined
    # into one module it was not, and the whole notebook was refused as "cannot parse the file".
    path = _notebook(tmp_path / "lab.ipynb", SETTINGS, FUTURE + "\n" + MODEL)
    result = _run("to-functional", "-w", str(path))
    assert result.exit_code == 0, result.output
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].source == SETTINGS
    assert cells[1].source == FUTURE + "\n" + FUNCTIONAL


def test_a_future_import_after_code_in_a_later_cell_is_still_refused(tmp_path: Path) -> None:
    # Jupyter rejects it there too: the notebook does not run.
    path = _notebook(tmp_path / "lab.ipynb", SETTINGS, "x = 1\n" + FUTURE + MODEL)
    result = _run("to-functional", str(path))
    assert result.exit_code == 123
    assert "cell 2:line 2:1: error: cannot parse the file: from __future__ imports must occur" in result.output


def test_a_future_import_of_annotations_in_a_later_cell_is_not_masked(tmp_path: Path) -> None:
    # `annotations` changes what the cell means (annotations are not evaluated): the joined module
    # cannot keep it, and the notebook is refused as before rather than run without it.
    path = _notebook(tmp_path / "lab.ipynb", SETTINGS, "from __future__ import annotations\n" + MODEL)
    result = _run("to-functional", str(path))
    assert result.exit_code == 123
    assert "cannot parse the file" in result.output


GROWN_IN_INIT = """\
from tensorflow import keras
from tensorflow.keras import layers


class Stack(keras.Model):
    def __init__(self, stages, width=8):
        super().__init__()
        self.stem = layers.Dense(width)
        self.body = keras.Sequential()
        for stage in range(len(stages)):
            for step in range(stages[stage]):
                self.body.add(layers.Dense(width, activation="relu"))
            width *= 2
        self.head = layers.Dense(1)

    def call(self, inputs):
        x = self.stem(inputs)
        x = self.body(x)
        return self.head(x)


model = Stack([1, 2])
model(keras.Input(shape=(4,)))
"""


def test_a_sequential_grown_by_add_in_init_loops_is_refused_for_what_it_is() -> None:
    # The TF2 course's ResNet18 and Inception10 grow `self.blocks = Sequential()` with `.add()` in
    # two loops; the refusal spoke of appending to a list, which the class never does.
    for target in (F, FS):
        (line,) = refusal(GROWN_IN_INIT, target)
        assert line == (
            "m.py:10:9: error: a loop in __init__ grows the Sequential `self.body` with `.add()`, which"
            " kconvert does not write as a graph (it reads a loop that appends layers to a list,"
            " `self.blocks.append(Dense(4))`) (hint: keep this model a subclass)"
        )


def test_a_model_made_twice_over_the_same_tensors_names_the_first_by_its_line() -> None:
    # A VAE lab makes `vae = Model(x, y)` twice over one graph; the refusal said "keep `vae` and
    # `vae` Functional".
    text = """\
from tensorflow import keras
from tensorflow.keras import layers

x = keras.Input(shape=(4,))
y = layers.Dense(2)(x)
net = keras.Model(x, y)
net.summary()

net = keras.Model(x, y)
net.compile(optimizer="adam", loss="mse")
"""
    for target in (C, FS):
        assert refusal(text, target)[-1] == (
            "m.py:9:22: error: `y` comes from the code of the `net` of line 6: this `net` is built on that"
            " model's tensors or layers, a view of its graph, which only the Functional API can express"
            " (hint: keep both `net` models Functional (--model picks the models to convert))"
        )
