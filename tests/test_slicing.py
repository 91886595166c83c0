"""Slicing (kconvert/slicing.py): only the statements that can matter reach libcst.

What is cut must be whole top-level statements, must read and bind no name the
rest of the file uses, and must come back byte for byte at its place; whatever
cannot be shown so is converted whole, with the very result it always had.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path

import pytest

from kconvert import slicing
from kconvert.convert import convert_source
from kconvert.parse.statements import top_level_statements
from kconvert.types import Converted, Refused, Style

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def slice_small_files(monkeypatch):
    """Small texts are cut too here: a file is cut only when that hides 64 KB."""
    monkeypatch.setattr(slicing, "MIN_HIDDEN", 0)
HELPERS = "".join(
    f"\n\ndef helper_{index}(values, scale=2):\n    total = 0\n    for value in values:\n"
    f"        total += value * scale  # a comment\n    return {{'total': total}}\n"
    for index in range(3)
)


def whole(text: str, target: Style = Style.FUNCTIONAL):
    """The conversion without slicing, as before it existed."""
    original = slicing.sliced
    slicing.sliced = lambda text: None
    try:
        return convert_source(text, target)
    finally:
        slicing.sliced = original


def starts(text: str) -> list[tuple[int, int]]:
    """(first line, last line) of each top-level statement, as CPython's parser gives them;
    statements that share a line (``a = 1; b = 2``) are one, as for libcst."""
    found: list[tuple[int, int]] = []
    for node in ast.parse(text).body:
        first = min([node.lineno] + [each.lineno for each in getattr(node, "decorator_list", [])])
        if found and found[-1][1] >= first:
            found[-1] = (found[-1][0], node.end_lineno)
        else:
            found.append((first, node.end_lineno))
    return found


def scanned(text: str) -> list[tuple[int, int]]:
    return [(each.line, each.line + each.lines - 1) for each in top_level_statements(text)]


def agree(text: str) -> bool:
    """The scan starts every statement where CPython does and ends it there too, unless an
    indented comment follows (the scan keeps it, and marks the statement not ``clean``)."""
    got, want = top_level_statements(text), starts(text)
    return len(got) == len(want) and all(
        (each.line, each.line + each.lines - 1) == theirs or (each.line == theirs[0] and not each.clean)
        for each, theirs in zip(got, want)
    )


@pytest.mark.parametrize(
    "text",
    [
        'x = """\ndef f():\n    pass\n"""\ny = 1\n',
        "x = '''a\\''''\ny = 'it''s'\n",
        "x = (1,\n2)\ny = [\n  3,\n]\nz = {'a':\n1}\n",
        "x = 1 + \\\n2\ny = 2\n",
        "@dec\n# between\n@dec2(\n  1)\ndef f():\n    pass\nclass A:\n    pass\n",
        "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\ntry:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n",
        "x = 1\r\ny = (\r\n2)\r\nz = 3\r\n",
        "x = 1\ry = 2\r",
        "def f():\n\treturn 1\n\n\tx = 2\ny = 3\n",
        "x = 1; y = 2\nz = f'{x!r}' r'\\''\n",
        "# only a comment\n\nx = 1\n    # indented\ny = 2",
        "s = 'a\\\nb'\nt = 1\n",
    ],
)
def test_statement_boundaries_are_cpythons(text):
    assert agree(text)


def test_form_feed_indentation_is_not_guessed():
    # CPython resets the column at a form feed: ``\f`` then code is at column 0.
    assert top_level_statements("x = 1\n  \fy = 2\n") is None
    assert top_level_statements("x = 1\n\fy = 2\n") is None
    # A form feed inside a line or a string is no indentation.
    assert scanned("x = 1 \f+ 2\ny = '\f'\n") == [(1, 1), (2, 2)]


def test_a_block_with_an_indented_comment_after_it_does_not_end_a_run():
    text = "def f():\n    pass\n    # the block's own\nx = 1\n"
    first = top_level_statements(text)[0]
    assert not first.clean and text[first.start : first.end].endswith("# the block's own\n")


@pytest.mark.parametrize(
    "path",
    sorted(ROOT.glob("tests/fixtures/*/*.py")) + sorted(ROOT.glob("examples/*.py")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_scan_matches_cpython_on_fixtures(path):
    assert agree(path.read_text(encoding="utf-8"))


MODEL = "import keras\n\nmodel = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4)])\n"


def test_functions_no_model_reads_are_cut_and_come_back():
    text = MODEL + HELPERS + "\n\nprint(helper_0([1]))\n"
    cut = slicing.sliced(text)
    assert len(cut.runs) == 1 and "helper_" not in cut.text
    assert cut.text.count("\n") == text.count("\n")  # the marker keeps every line
    result = convert_source(text, Style.FUNCTIONAL)
    assert result.source == whole(text).source
    assert result.source == (
        "import keras\n\ninputs = keras.Input(shape=(8,))\noutputs = keras.layers.Dense(4)(inputs)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n" + HELPERS + "\n\nprint(helper_0([1]))\n"
    )


def test_a_name_the_model_reads_keeps_its_statement():
    text = "import keras\n\nunits = 4\n\ndef width():\n    return units\n\nother = 1\n\n" + (
        "model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(width())])\n"
    )
    cut = slicing.sliced(text)
    # ``width`` is read by the model, ``units`` by ``width``: both stay; ``other`` is cut.
    assert "units = 4" in cut.text and "def width" in cut.text and "other = 1" not in cut.text
    assert convert_source(text, Style.FUNCTIONAL).source == whole(text).source


def test_a_statement_that_reads_the_model_stays():
    text = MODEL + HELPERS + "\nmodel.compile(loss='mse')\n"
    cut = slicing.sliced(text)
    assert "model.compile" in cut.text


def test_diagnostics_after_cut_statements_keep_their_lines():
    text = MODEL.replace("model = ", "first = ") + HELPERS + (
        "\nleft = keras.Input(shape=(3,))\nright = keras.Input(shape=(3,))\n"
        "merged = keras.layers.Concatenate()([left, right])\nsiamese = keras.Model([left, right], merged)\n"
    )
    assert slicing.sliced(text).runs
    result = convert_source(text, Style.SEQUENTIAL)
    assert isinstance(result, Refused)
    assert result == whole(text, Style.SEQUENTIAL)
    line = text.splitlines().index("right = keras.Input(shape=(3,))") + 1
    assert any(diagnostic.line == line for diagnostic in result.diagnostics)


def test_a_statement_between_model_lines_is_converted_with_the_whole_file():
    text = (
        "import keras\nfrom keras.layers import Dense\nmodel = keras.Sequential()\n"
        "model.add(Dense(4, input_shape=(3,)))\nprint('between')\nmodel.add(Dense(2))\n" + HELPERS
    )
    assert "print('between')" not in slicing.sliced(text).text
    result = convert_source(text, Style.FUNCTIONAL)
    assert result.source == whole(text).source
    # Black lays out the statements among the model's: the cut text would have come back as it was.
    assert "x = Dense(4)(inputs)\nprint('between')\noutputs = Dense(2)(x)\n" in result.source


def test_a_fresh_name_a_cut_statement_uses_is_left_to_the_whole_conversion():
    # ``x`` appears only in cut statements, bound before the model and read after it: the new
    # code must not take the name (it would print a tensor), though libcst never saw it.
    text = "import keras\n\nx = 5\n" + MODEL.replace("import keras\n", "").replace(
        "Dense(4)])", "Dense(4), keras.layers.Dense(2)])"
    ) + HELPERS + "\nprint(x)\n"
    cut = slicing.sliced(text)
    assert "x = 5" not in cut.text and "print(x)" not in cut.text
    result = convert_source(text, Style.FUNCTIONAL)
    assert result.source == whole(text).source
    assert "\nx = 5\n" in result.source and not re.search(r"^x = keras", result.source, re.M)


def test_the_same_conversion_twice_changes_nothing():
    text = MODEL + HELPERS
    once = convert_source(text, Style.FUNCTIONAL).source
    assert convert_source(once, Style.FUNCTIONAL).source == once


def test_a_syntax_error_in_a_cut_statement_is_reported_where_it_is():
    text = MODEL + HELPERS + "\n\ndef broken(:\n    pass\n"
    result = convert_source(text, Style.FUNCTIONAL)
    assert isinstance(result, Refused) and result == whole(text)
    assert result.diagnostics[0].line == text.splitlines().index("def broken(:") + 1


def test_star_imports_and_dynamic_names_are_not_cut():
    assert slicing.sliced("from numpy import *\n" + MODEL + HELPERS) is None
    text = MODEL + HELPERS + "\nglobals()['helper_9'] = 1\n"
    assert "globals()" in slicing.sliced(text).text


def test_a_large_file_whose_models_reach_everything_is_refused_clearly(monkeypatch):
    monkeypatch.setattr(sys.modules["kconvert.parse.source"], "WHOLE_LIMIT", 100)
    text = MODEL + "\nmodel.compile(loss='mse')\n" * 10
    assert slicing.sliced(text) is None
    result = convert_source(text, Style.FUNCTIONAL)
    assert isinstance(result, Refused)
    assert result.diagnostics[0].message == "cannot parse the file whole: it is larger than 0 MB"
    # With the statements no model reads cut, what libcst sees is under the limit.
    monkeypatch.setattr(sys.modules["kconvert.parse.source"], "WHOLE_LIMIT", len(MODEL) + 200)
    assert isinstance(convert_source(MODEL + HELPERS * 3, Style.FUNCTIONAL), Converted)


def _names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} | {
        node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
    } | {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}


FILES = sorted(ROOT.glob("tests/fixtures/*/*.py")) + sorted(ROOT.glob("examples/*.py"))
FILES += sorted((ROOT / "benchmarks" / "realworld" / "files").glob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_cut_statements_read_and_bind_no_name_of_the_rest(path):
    """The proof, file by file: no name a cut statement reads or binds is a name of the text libcst sees."""
    text = path.read_text(encoding="utf-8")
    cut = slicing.sliced(text)
    if cut is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the file's own invalid escapes are not ours to report
        kept = _names(ast.parse(cut.text))
        for _, original in cut.runs:
            assert not _names(ast.parse(original)) & kept


def test_a_large_file_compiles_in_parts_unless_a_statement_depends_on_another(monkeypatch):
    from kconvert.parse import syntax

    monkeypatch.setattr(syntax, "PART_SIZE", 1)  # one statement a part
    text = MODEL + HELPERS

    def cuts(text):
        return [each.start for each in top_level_statements(text)]

    assert syntax.compiles_in_parts(text, cuts(text))
    # A ``__future__`` import changes how what follows compiles; ``x = 1`` then ``global x`` is
    # an error only the two together make: both go to the whole check.
    future = "from __future__ import annotations\n" + text
    assert not syntax.compiles_in_parts(future, cuts(future))
    late = "x = 1\nglobal x\n" + text
    assert not syntax.compiles_in_parts(late, cuts(late))
    assert syntax.python_syntax_problem(late) is not None
    broken = text + "\nreturn 1\n"
    assert not syntax.compiles_in_parts(broken, cuts(broken))


def test_a_small_file_is_converted_whole(monkeypatch):
    monkeypatch.setattr(slicing, "MIN_HIDDEN", 64 * 1024)
    assert slicing.sliced(MODEL + HELPERS) is None
    helpers = "".join(HELPERS.replace("helper_", f"helper_{index}_") for index in range(300))
    assert len(helpers) > 64 * 1024 and slicing.sliced(MODEL + helpers) is not None
