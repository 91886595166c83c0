"""Idioms of session 33's fresh real-world files (benchmarks/realworld, ``session = "fresh33"``)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook

from converting import C, F, convert, refusal

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


KEYED = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

words = keras.Input(shape=(None,), name="words")
flags = keras.Input(shape=(3,), name="flags")
x = layers.Embedding(100, 8)(words)
x = layers.GlobalAveragePooling1D()(x)
x = layers.concatenate([x, flags])
score = layers.Dense(1, activation="sigmoid", name="score")(x)
kind = layers.Dense(4, activation="softmax", name="kind")(x)
model = keras.Model(inputs=[words, flags], outputs=[score, kind])
{use}
"""
LISTS = 'model.compile(optimizer="adam", loss=["binary_crossentropy", "categorical_crossentropy"])'


def test_a_graph_model_fitted_with_dicts_keyed_by_its_names_is_no_subclass() -> None:
    # The Functional guide's multi-input, multi-output model, as a course lab wrote it: compile()
    # and fit() key their dicts by the Inputs' and output layers' names, which Keras matches for a
    # graph model only. The subclass was written (exit 0) and its fit() failed: the dict reached
    # call() whole, and compile() found no output names.
    compile_ = 'model.compile(optimizer="adam", loss={"score": "binary_crossentropy", "kind": "categorical_crossentropy"})'
    fit_inputs = LISTS + '\nmodel.fit({"words": np.zeros((2, 5)), "flags": np.zeros((2, 3))}, [np.zeros((2, 1)), np.zeros((2, 4))])'
    fit_targets = LISTS + '\nmodel.fit([np.zeros((2, 5)), np.zeros((2, 3))], y={"score": np.zeros((2, 1)), "kind": np.zeros((2, 4))})'
    predicted = 'result = model.predict({"words": np.zeros((2, 5)), "flags": np.zeros((2, 3))})'
    expected = {
        compile_: "m.py:13:1: error: `model.compile(...)` is given a dict that names the model's outputs by their layers' names",
        fit_inputs: "m.py:14:1: error: `model.fit(...)` is given a dict that names the model's inputs by their `Input(name=...)`",
        fit_targets: "m.py:14:1: error: `model.fit(...)` is given a dict that names the model's outputs by their layers' names",
        predicted: "m.py:13:10: error: `model.predict(...)` is given a dict that names the model's inputs by their `Input(name=...)`",
    }
    for use, start in expected.items():
        (line,) = refusal(KEYED.format(use=use), C)
        assert line.startswith(start + ", which Keras matches for a graph model only: a subclass has no input or output names"), line
        assert line.endswith(
            "(hint: convert it with `to-functional-subclass` (a class that still builds the graph, so the names"
            " stay), keep this model functional, or pass lists in the graph's order)"
        )
        # A class that still builds the graph keeps the names.
        assert use in convert(KEYED.format(use=use), FS)


def test_lists_in_the_graphs_order_and_dicts_a_graph_takes_itself_stay_convertible() -> None:
    listed = LISTS + "\nmodel.fit([np.zeros((2, 5)), np.zeros((2, 3))], [np.zeros((2, 1)), np.zeros((2, 4))], class_weight={0: 1.0})"
    assert "model = MyModel()\n" in convert(KEYED.format(use=listed), C)
    # `keras.Model({"words": ..., "flags": ...}, ...)`: the subclass takes the same dict.
    taking = KEYED.replace("inputs=[words, flags]", 'inputs={"words": words, "flags": flags}')
    fed = LISTS + '\nmodel.fit({"words": np.zeros((2, 5)), "flags": np.zeros((2, 3))}, [np.zeros((2, 1)), np.zeros((2, 4))])'
    converted = convert(taking.replace("{use}", fed), C)
    assert 'inputs["words"]' in converted, converted
