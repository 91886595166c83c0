"""Jupyter notebooks: models in code cells convert, everything else stays byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kconvert.cli import main
from kconvert.document import read_document
from kconvert.notebook import cell_sources

IMPORTS = "%matplotlib inline\n!pip install -q keras\nfrom tensorflow import keras"
START = "model = keras.models.Sequential()\nmodel.add(keras.layers.Flatten(input_shape=[28, 28]))"
REST = 'model.add(keras.layers.Dense(256, activation="relu"))\nmodel.add(keras.layers.Dense(10, activation="softmax"))\n'
TRAIN = 'model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")\nfiles = !ls\nmodel.summary()'
FUNCTIONAL = (
    "inputs = keras.Input(shape=[28, 28])\n"
    "x = keras.layers.Flatten()(inputs)\n"
    'x = keras.layers.Dense(256, activation="relu")(x)\n'
    'outputs = keras.layers.Dense(10, activation="softmax")(x)\n'
    "model = keras.Model(inputs=inputs, outputs=outputs)\n"
)


def _notebook(path: Path, *cells) -> Path:
    notebook = new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def split(tmp_path: Path) -> Path:
    """A model built over two cells, between markdown, magics and a cell with outputs."""
    return _notebook(
        tmp_path / "mnist.ipynb",
        new_markdown_cell("# MNIST\nSome *text*."),
        new_code_cell(IMPORTS, execution_count=1, outputs=[new_output("stream", name="stdout", text="ok\n")]),
        new_code_cell(START),
        new_code_cell(REST),
        new_code_cell(TRAIN, metadata={"tags": ["train"]}),
    )


def _invoke(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_write_converts_the_cells_and_keeps_everything_else(split):
    before = json.loads(split.read_text())
    result = _invoke("to-functional", "-w", str(split))
    assert result.exit_code == 0, result.output
    after = json.loads(split.read_text())
    assert after["metadata"] == before["metadata"]
    for index in (0, 1, 4):  # markdown, magics and outputs, metadata: untouched
        assert after["cells"][index] == before["cells"][index]
    cells = nbformat.reads(split.read_text(), as_version=4).cells
    assert cells[2].source == ""  # the model is written where it was completed
    assert cells[3].source == FUNCTIONAL
    assert "1 file converted" in result.stderr


def test_the_json_is_written_as_nbformat_writes_it(split):
    _invoke("to-functional", "-w", str(split))
    text = split.read_text()
    assert text == nbformat.writes(nbformat.reads(text, as_version=4)) + "\n"


def test_a_notebook_in_the_target_style_is_not_rewritten(tmp_path):
    path = _notebook(tmp_path / "f.ipynb", new_code_cell("%time x = 1\nfrom tensorflow import keras\n" + FUNCTIONAL))
    path.write_text(path.read_text().replace('\n "nbformat"', '\n  "nbformat"'))  # not as nbformat writes it
    before = path.read_bytes()
    result = _invoke("to-functional", "-w", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert "1 file left unchanged" in result.stderr


def test_magics_come_back_byte_for_byte(tmp_path):
    magics = "%%capture\n!pip install keras\n"
    indented = "for i in range(2):\n    !echo {i}\n    %time print(i)\nout = !ls \\\n  -la\n"
    path = _notebook(
        tmp_path / "m.ipynb", new_code_cell(magics), new_code_cell(indented),
        new_code_cell(IMPORTS + "\n" + START + "\n" + REST),
    )
    assert _invoke("to-functional", "-w", str(path)).exit_code == 0
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].source == magics and cells[1].source == indented
    assert cells[2].source == IMPORTS + "\n" + FUNCTIONAL


def test_a_model_in_a_timed_cell_converts(tmp_path):
    # `%%time` runs the cell as Python: only its first line is a magic.
    timed = "%%time\n" + START + "\n" + REST
    path = _notebook(tmp_path / "m.ipynb", new_code_cell("from tensorflow import keras"), new_code_cell(timed))
    assert _invoke("to-functional", "-w", str(path)).exit_code == 0
    assert nbformat.read(path, as_version=4).cells[1].source == "%%time\n" + FUNCTIONAL


def test_operators_starting_a_line_are_python_not_magics(tmp_path):
    source = "ratio = (10\n    % 3)\nsame = (1\n    != 2)\n"
    path = _notebook(tmp_path / "ops.ipynb", new_code_cell(source), new_code_cell(IMPORTS + "\n" + START))
    text = read_document(path).text
    assert "    % 3)" in text and "    != 2)" in text
    assert "%matplotlib" not in text


def test_imports_a_conversion_needs_are_edited_where_the_notebook_has_them(tmp_path):
    path = _notebook(
        tmp_path / "imports.ipynb",
        new_code_cell("!pip install keras"),
        new_code_cell("from keras.layers import Dense\nfrom keras.models import Sequential"),
        new_code_cell("model = Sequential()\nmodel.add(Dense(4, input_dim=3))"),
    )
    assert _invoke("to-functional", "-w", str(path)).exit_code == 0
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].source == "!pip install keras"
    assert cells[1].source == "from keras.layers import Dense, Input\nfrom keras.models import Model"


def test_code_put_above_the_first_cell_goes_into_it(split):
    notebook = read_document(split).notebook
    sources = cell_sources(notebook, "import os\n" + notebook.text)
    assert sources[1] == "import os\n" + IMPORTS


def test_diff_shows_the_cell_sources(split):
    result = _invoke("to-functional", "--diff", str(split))
    assert result.exit_code == 0
    assert f"--- {split}:cell 3\n+++ {split}:cell 3\n" in result.stdout
    assert "+model = keras.Model(inputs=inputs, outputs=outputs)\n" in result.stdout
    assert '"cells"' not in result.stdout


def test_check_diff_prints_the_diff_and_exits_1(split):
    result = _invoke("to-functional", "--check", "--diff", str(split))
    assert result.exit_code == 1
    assert "+x = keras.layers.Flatten()(inputs)" in result.stdout
    assert "1 file would be converted." in result.stderr


def test_diagnostics_name_the_cell_and_its_line(tmp_path):
    path = _notebook(
        tmp_path / "two.ipynb",
        new_markdown_cell("two inputs"),
        new_code_cell("import keras\nleft = keras.Input(shape=(4,))"),
        new_code_cell(
            "right = keras.Input(shape=(4,))\n"
            "added = keras.layers.Add()([left, right])\n"
            "model = keras.Model(inputs=[left, right], outputs=added)"
        ),
    )
    result = _invoke("to-sequential", str(path))
    assert result.exit_code == 123
    assert f"{path}:cell 3:line " in result.stderr


def test_check_and_explain_read_notebooks(tmp_path, split, monkeypatch):
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path / "cache"))
    result = _invoke("check", "--style", "functional", str(split))
    assert result.exit_code == 1
    assert f"{split}:cell 3:line 1:1: model is sequential, house style is functional" in result.stdout
    explained = _invoke("explain", str(split))
    assert explained.exit_code == 0
    assert f"{split}:cell 3:line 1:1: model is sequential" in explained.stdout
    fixed = _invoke("check", "--style", "functional", "--fix", str(split))
    assert fixed.exit_code == 0
    assert nbformat.read(split, as_version=4).cells[3].source == FUNCTIONAL


def test_graph_draws_a_notebook_model(split):
    result = _invoke("graph", str(split))
    assert result.exit_code == 0
    # Lines are named as in the notebook, not as in the module kconvert joined its cells into.
    assert 'subgraph m0["model (sequential, cell 3, line 1)"]' in result.stdout
    assert 'm0_l3["Dense(10, activation=#quot;softmax#quot;)<br/>cell 4, line 2"]' in result.stdout


def test_stdin_filename_makes_standard_input_a_notebook(split):
    result = _invoke("to-functional", "--stdin-filename", "nb.ipynb", "-", input=split.read_text())
    assert result.exit_code == 0, result.output
    assert nbformat.reads(result.stdout, as_version=4).cells[3].source == FUNCTIONAL


def test_a_file_that_is_not_a_notebook_is_one_diagnostic(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    result = _invoke("to-functional", str(path))
    assert result.exit_code == 123
    assert result.stderr.startswith(f"{path}:1:1: error: not a readable Jupyter notebook")


def test_a_notebook_without_a_model_in_a_folder_is_only_counted(tmp_path):
    _notebook(tmp_path / "plots.ipynb", new_code_cell("import matplotlib\n%matplotlib inline"))
    result = _invoke("to-functional", "--check", str(tmp_path))
    assert result.exit_code == 0
    assert result.stderr == "1 file without a model.\n"


def test_the_verifier_gets_runnable_python(split):
    text = read_document(split).text
    compile(text, "notebook", "exec")
    assert "pip install" not in text and "%matplotlib" not in text


@pytest.mark.tensorflow
def test_verify_proves_a_notebook_conversion(split):
    result = _invoke("to-functional", "--verify", "-w", str(split))
    assert result.exit_code == 0, result.output
    assert "EQUIVALENT" in result.stderr
    assert nbformat.read(split, as_version=4).cells[3].source == FUNCTIONAL


def _tutorial(tmp_path: Path) -> Path:
    """A notebook that binds `model` three times, as tutorials do; the middle one has no shape."""
    return _notebook(
        tmp_path / "tutorial.ipynb",
        new_code_cell("import keras"),
        new_code_cell("model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])"),
        new_code_cell("model = keras.Sequential([keras.layers.Dense(2)])"),
        new_markdown_cell("A wider one."),
        new_code_cell("# wider\nmodel = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3)])"),
    )


def test_a_cell_and_line_pick_one_of_the_models_of_a_name(tmp_path):
    path = _tutorial(tmp_path)
    assert _invoke("to-functional", "--check", str(path)).exit_code == 123
    result = _invoke("to-functional", "-w", "--model", "model:5:2", str(path))
    assert result.exit_code == 0, result.output
    cells = nbformat.read(path, as_version=4).cells
    assert cells[1].source.startswith("model = keras.Sequential(")
    assert cells[4].source.startswith("# wider\ninputs = keras.Input(shape=(8,))\n")
    explained = _invoke("explain", "--model", "model:3:1", str(path))
    assert explained.stdout.startswith(f"{path}:cell 3:line 1:1: model is sequential\n  to functional: no:")
    assert _invoke("to-functional", "--model", "model:x", str(path)).exit_code == 2


def test_cells_before_a_model_made_a_class_keep_their_text(split):
    # The two blank lines black puts before the new class went to the end of the cell above.
    before = json.loads(split.read_text())
    for style in ("subclass", "functional-subclass"):
        assert _invoke(f"to-{style}", "-w", str(split)).exit_code == 0
        after = json.loads(split.read_text())
        for index in (0, 1, 4):
            assert after["cells"][index] == before["cells"][index], style
        assert _invoke(f"to-{style}", "--check", str(split)).exit_code == 0
