"""Comments stay with their code, and emitted code follows the file's black settings.

The fixtures ``commented_layers`` and ``commented_subclass`` pin where each comment goes in every
direction; these tests check the mechanism on its own: what the IR records, that no conversion of
any fixture loses or repeats a comment, and how ``[tool.black]`` reaches the emitted code.
"""

from __future__ import annotations

import io
import tokenize
from collections import Counter
from pathlib import Path

import pytest

from kconvert import api
from kconvert.convert import convert_source
from kconvert.emit.render import Layout, format_block
from kconvert.ir.model_parts import Remark
from kconvert.ir.lint import lint
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.types import Converted, Options, Style

FIXTURES = Path(__file__).parent / "fixtures"

SEQUENTIAL = '''import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(8,)),
        # Hidden.
        layers.Dense(
            16,
            activation="relu",  # inside the call
        ),  # beside
        layers.Dense(1),
    ]
)
'''


def _comments(text: str) -> Counter:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return Counter(token.string for token in tokens if token.type == tokenize.COMMENT)


def _graph(text: str):
    src = SourceFile.parse(text)
    (site,) = find_sites(src, Options())
    lint(site.graph)
    return site.graph


def test_comments_are_recorded_on_the_line_of_the_layer_they_belong_to() -> None:
    graph = _graph(SEQUENTIAL)
    assert graph.remarks == (
        Remark(8, "# Hidden."),
        # Beside an argument of the layer's constructor: said of its configuration.
        Remark(8, "# inside the call", beside=True, configures=True),
        Remark(8, "# beside", beside=True),
    )


def test_several_comments_beside_one_layer_keep_the_last_beside_and_the_others_above() -> None:
    # The last is said of the line that ends the layer's entry, the whole; one above it of an argument.
    result = convert_source(SEQUENTIAL, Style.FUNCTIONAL)
    assert isinstance(result, Converted)
    written = '# Hidden.\n# inside the call\nx = layers.Dense(16, activation="relu")(inputs)  # beside\n'
    assert written in result.source
    assert _comments(result.source) == _comments(SEQUENTIAL)


def test_a_comment_that_belongs_to_no_written_statement_is_kept_above_the_new_code() -> None:
    source = '''import keras
from keras import layers


class Net(keras.Model):
    def __init__(self):
        # Keras needs this first.
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)


net = Net()
net(keras.Input(shape=(4,)))
'''
    result = convert_source(source, Style.FUNCTIONAL)
    assert isinstance(result, Converted)
    assert "# Keras needs this first.\ninputs = keras.Input(" in result.source
    assert _comments(result.source) == _comments(source)


ALIAS = """import keras
from keras import layers

inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
# Keep the block's input for the skip.
res = x
x = layers.Dense(8)(x)
x = layers.add([x, res])
model = keras.Model(inputs, x)
"""


@pytest.mark.parametrize("style", [Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS])
def test_a_comment_above_a_copy_of_a_tensor_stays_above_the_copy(style: Style) -> None:
    # The copy has no node of its own: it used to be hoisted above the class.
    result = convert_source(ALIAS, style)
    assert isinstance(result, Converted)
    assert "        # Keep the block's input for the skip.\n        res = x\n" in result.source
    assert _comments(result.source) == _comments(ALIAS)
    back = convert_source(result.source, Style.FUNCTIONAL)
    assert isinstance(back, Converted)
    assert "\n# Keep the block's input for the skip.\nres = x\n" in back.source


HELPER = """import keras
from keras import layers


def mixer(x, filters):
    # Keep the block's input for the residual.
    x0 = x
    x = layers.DepthwiseConv2D(3, padding="same")(x)
    x = layers.Add()([x, x0])  # Residual.
    # Pointwise convolution.
    return layers.Conv2D(filters, 1)(x)


inputs = keras.Input(shape=(8, 8, 4))
x = inputs
for _ in range(2):
    x = mixer(x, 4)
model = keras.Model(inputs, x)
"""


def test_a_helper_blocks_comments_go_into_its_layer_class() -> None:
    result = convert_source(HELPER, Style.SUBCLASS)
    assert isinstance(result, Converted)
    assert "def mixer(" not in result.source
    assert _comments(result.source) == _comments(HELPER)
    # A comment beside a line that makes and calls a layer goes beside the call.
    assert "        self.add = layers.Add()\n" in result.source
    assert "        x = self.add([x, x0])  # Residual.\n" in result.source
    # A comment above a line that is no layer's (``x0 = x``) goes with the next one that is, and
    # the copy the source made is written between them.
    assert (
        "    def call(self, x, training=None):\n"
        "        # Keep the block's input for the residual.\n"
        "        x0 = x\n"
        "        x = self.depthwise_conv(x)\n"
    ) in result.source
    assert "        # Pointwise convolution.\n        return self.conv(x)\n" in result.source


def test_a_removed_helpers_comments_that_no_line_takes_stay_where_it_was() -> None:
    source = HELPER.replace("def mixer(", "# A block.\ndef mixer(").replace(
        "(filters, 1)(x)\n", "(filters, 1)(x)\n    # After the return.\n"
    )
    result = convert_source(source, Style.SUBCLASS)
    assert isinstance(result, Converted)
    assert "def mixer(" not in result.source
    assert _comments(result.source) == _comments(source)
    assert "# A block.\n# After the return.\n@keras.saving.register_keras_serializable()\nclass Mixer(" in result.source


def test_a_class_docstring_becomes_the_builder_docstring() -> None:
    text = (FIXTURES / "commented_subclass" / "subclass.py").read_text()
    graph = next(site.graph for site in find_sites(SourceFile.parse(text), Options()) if site.name == "WideAndDeep")
    assert graph.doc == '"""A wide path (the raw features) and a deep path (two hidden layers), concatenated."""'


def _conversions():
    for case in sorted(FIXTURES.iterdir()):
        for source in ("sequential", "functional", "subclass"):
            path = case / f"{source}.py"
            if path.exists() and "#" in path.read_text():
                for target in Style:
                    if target.value != source:
                        yield pytest.param(path, target, id=f"{case.name}:{source}->{target.value}")


@pytest.mark.parametrize(("path", "target"), list(_conversions()))
def test_no_conversion_loses_or_repeats_a_comment(path: Path, target: Style) -> None:
    text = path.read_text()
    result = convert_source(text, target, Options(), path.name)
    if not isinstance(result, Converted):
        # Nothing converted, nothing lost: only a refusal a fixture expects is one.
        assert (path.parent / f"{path.stem}_to_{target.stem}.err").exists()
        return
    assert _comments(result.source) == _comments(text)


def test_a_trailing_comma_before_a_bracket_on_the_same_line_is_not_magic() -> None:
    assert format_block("x = Input(shape=(32,32,3,))\n", 0) == "x = Input(shape=(32, 32, 3))\n"
    assert format_block("x = f((3,), [a, b,])\n", 0) == "x = f((3,), [a, b])\n"


def test_a_trailing_comma_the_source_wrote_before_a_line_break_stays_magic() -> None:
    assert format_block("x = f(\n    a,\n)\n", 0) == "x = f(\n    a,\n)\n"
    assert format_block("x = f(\n    a,\n)\n", 0, Layout(magic_trailing_comma=False)) == "x = f(a)\n"


LONG = '''import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu", kernel_initializer="he_normal", name="hidden")])
'''


def test_the_line_length_comes_from_the_files_black_settings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 120\n")
    (tmp_path / "pkg").mkdir()
    model = tmp_path / "pkg" / "model.py"
    model.write_text(LONG)
    wide = api.convert_file(model, "functional")
    one_line = 'outputs = layers.Dense(16, activation="relu", kernel_initializer="he_normal", name="hidden")(inputs)\n'
    assert one_line in wide
    (tmp_path / "pyproject.toml").write_text("[tool.other]\n")
    assert "outputs = layers.Dense(\n" in api.convert_file(model, "functional")


def test_the_command_line_reads_the_same_settings(tmp_path: Path) -> None:
    from kconvert.batch import Job, convert_job

    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline_length = 120\n")
    model = tmp_path / "model.py"
    model.write_text(LONG)
    result = convert_job(Job(str(model), True, Style.FUNCTIONAL, Options(), False))
    assert 'activation="relu", kernel_initializer="he_normal", name="hidden")(inputs)\n' in result.new_text


def test_a_model_built_over_notebook_cells_keeps_its_comments_and_whole_cells(tmp_path: Path) -> None:
    import nbformat

    from kconvert.batch import Job, convert_job

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8)])"
        ),
        nbformat.v4.new_code_cell("# The head.\nmodel.add(layers.Dense(2))  # two classes"),
        nbformat.v4.new_code_cell("model.summary()"),
    ]
    path = tmp_path / "model.ipynb"
    nbformat.write(notebook, path)
    convert_job(Job(str(path), True, Style.SUBCLASS, Options(), True))
    cells = [cell.source for cell in nbformat.read(path, as_version=4).cells]
    for source in cells:
        compile(source, "cell", "exec")  # a cell boundary never falls inside the class
    assert "        # The head.\n        return self.dense2(x)  # two classes\n" in cells[1]
    assert "        self.dense2 = layers.Dense(2)\n" in cells[1]


def test_a_scripts_cell_marker_above_a_model_stays_above_its_class() -> None:
    # ok69531's GCN script opens the model's cell with `#%%` (Spyder, VS Code): inside the class's
    # __init__ it would split the class between two cells, and running them one by one fails.
    for marker in ("#%%", "# %% The model", "# In[12]:"):
        text = (
            "import keras\nfrom keras import layers\n\n"
            f"{marker}\ninputs = keras.Input(shape=(4,))\n# The head.\n"
            "outputs = layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, outputs)\n"
        )
        for style in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
            result = convert_source(text, style, Options(), "m.py")
            assert isinstance(result, Converted), result
            above, cell = result.source.split(f"\n{marker}\n")
            assert "class " not in above and cell.startswith("@keras.saving.register_keras_serializable"), cell
            assert "        # The head.\n" in cell


def test_what_was_said_above_each_of_several_inputs_stays_above_that_input_in_the_build_line() -> None:
    # NextWind's forecasters: `# Performance model` opens the first input's branch, `# Weather
    # forecast model` the second's; above one build line together, the second read as said of the first.
    text = (
        "import keras\nfrom keras import layers\n\n\ndef build():\n"
        "    # Performance model\n    a = keras.Input(shape=(4,))\n    x = layers.Dense(8)(a)\n\n"
        "    # Weather forecast model\n    b = keras.Input(shape=(3,))  # six hours\n    y = layers.Dense(8)(b)\n"
        "    outputs = layers.Concatenate()([x, y])\n    return keras.Model([a, b], outputs)\n"
    )
    result = convert_source(text, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), result
    assert (
        "    model = MyModel()\n"
        "    model(\n"
        "        [\n"
        "            # Performance model\n"
        "            keras.Input(shape=(4,)),\n"
        "            # Weather forecast model\n"
        "            keras.Input(shape=(3,)),  # six hours\n"
        "        ]\n"
        "    )\n"
    ) in result.source
    assert convert_source(result.source, Style.SUBCLASS, Options(), "m.py").source == result.source
    # Chollet's ticket model says `# define model inputs` once, above three inputs made together.
    together = text.replace("    # Weather forecast model\n", "").replace("  # six hours", "")
    result = convert_source(together, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), result
    assert "    # Performance model\n    model = MyModel()\n    model([keras.Input(shape=(4,)), keras.Input(shape=(3,))])\n" in result.source


def test_a_comment_below_the_last_layer_of_a_list_goes_with_that_layer() -> None:
    # Géron's "equivalent: TimeDistributed(Dense(14))" under the last layer, before `])`.
    text = (
        "import keras\n\n"
        "model = keras.Sequential([\n"
        "    keras.layers.SimpleRNN(32, return_sequences=True, input_shape=[None, 5]),\n"
        "    keras.layers.Dense(14)\n"
        "    # equivalent: keras.layers.TimeDistributed(keras.layers.Dense(14))\n"
        "])\n"
        "model.compile(loss='mse')\n"
    )
    result = convert_source(text, Style.FUNCTIONAL)
    assert isinstance(result, Converted)
    assert result.source == (
        "import keras\n\n"
        "inputs = keras.Input(shape=[None, 5])\n"
        "x = keras.layers.SimpleRNN(32, return_sequences=True)(inputs)\n"
        "# equivalent: keras.layers.TimeDistributed(keras.layers.Dense(14))\n"
        "outputs = keras.layers.Dense(14)(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n"
        "model.compile(loss='mse')\n"
    )


def test_a_comment_with_trailing_blanks_is_placed_once() -> None:
    source = (
        "import keras\n\n\ndef build():\n    inputs = keras.Input(shape=(4,))\n    # wide layer \n"
        "    x = keras.layers.Dense(8)(inputs)\n    return keras.Model(inputs, keras.layers.Dense(1)(x))\n"
    )
    result = convert_source(source, Style.SEQUENTIAL, Options(), "m.py")
    assert isinstance(result, Converted)
    assert result.source.count("# wide layer") == 1
    assert "            # wide layer\n            keras.layers.Dense(8),\n" in result.source


@pytest.mark.parametrize("where", ["model", "helper"])
def test_a_comment_black_respaces_is_placed_once(where: str) -> None:
    # ``#foo`` is ``# foo`` in the new code black formats: the same comment, not one left behind.
    model = "inputs = keras.Input(shape=(4,))\nx = keras.layers.Dense(8)(inputs)  #wide\n"
    helper = "def block(x):\n    return keras.layers.Dense(8)(x)  #wide\n\n\ninputs = keras.Input(shape=(4,))\nx = block(inputs)\n"
    source = "import keras\n\n" + (model if where == "model" else helper)
    source += "model = keras.Model(inputs, keras.layers.Dense(1)(x))\n"
    result = convert_source(source, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted)
    assert "#wide" not in result.source
    assert result.source.count("# wide") == 1
    assert "(inputs)  # wide\n" in result.source if where == "model" else "(x)  # wide\n" in result.source


def test_a_comment_written_again_beside_another_if_stays_beside_it() -> None:
    # Keras' cifar10_resnet writes ``# first layer but not first stack`` beside two ``if``s: the
    # one kept as a statement carries its own, and the one around a layer keeps the other.
    source = (
        "import keras\n\n\ndef build(flag):\n    inputs = keras.Input(shape=(4,))\n    units = 4\n"
        "    if flag:  # wide\n        units = 8\n    x = keras.layers.Dense(units)(inputs)\n"
        "    if flag:  # wide\n        x = keras.layers.Dense(units)(x)\n"
        "    return keras.Model(inputs, x)\n\n\nmodel = build(True)\n"
    )
    result = convert_source(source, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted)
    assert _comments(result.source) == _comments(source)
    assert "        if flag:  # wide\n            units = 8\n" in result.source
    assert "        if self.flag:  # wide\n            x = self.dense2(x)\n" in result.source


def test_the_comment_above_an_instance_that_gets_a_build_line_is_kept_once() -> None:
    source = (
        "import keras\n\n\nclass Net(keras.Model):\n    def __init__(self, units):\n"
        "        inputs = keras.Input(shape=(4,))\n        outputs = keras.layers.Dense(units)(inputs)\n"
        "        super().__init__(inputs=inputs, outputs=outputs)\n\n\n"
        "def main():\n    x = 1\n\n    # Make the model\n    model = Net(3)\n    model.summary()\n"
    )
    result = convert_source(source, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted)
    assert result.source.endswith(
        "    x = 1\n\n    # Make the model\n    model = Net(3)\n    model(keras.Input(shape=(4,)))\n    model.summary()\n"
    )


BESIDE_ALIAS = ALIAS.replace("# Keep the block's input for the skip.\nres = x\n", "res = x  # Set aside residual\n")


@pytest.mark.parametrize("style", [Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS])
def test_a_comment_beside_a_copy_of_a_tensor_goes_above_the_copy(style: Style) -> None:
    # It used to be hoisted above the class, where it meant nothing.
    result = convert_source(BESIDE_ALIAS, style)
    assert isinstance(result, Converted)
    assert "        # Set aside residual\n        res = x\n" in result.source
    assert _comments(result.source) == _comments(BESIDE_ALIAS)


HELPERS_WITH_COMMENTS = """\
import keras
from keras import layers


# A convolution followed by normalisation.
def conv_bn(x, filters):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    return layers.BatchNormalization()(x)


# The residual unit: two convolutions and a skip.
def residual(x, filters):
    h = conv_bn(x, filters)
    h = layers.Conv2D(filters, 3, padding="same")(h)
    return layers.Add()([x, h])


inputs = keras.Input(shape=(8, 8, 16))
x = conv_bn(inputs, 16)
x = residual(x, 16)
outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
"""


def test_the_comment_above_a_helper_goes_above_its_layer_class() -> None:
    # It was put above the first class the conversion wrote, both helpers' comments in a stack.
    result = convert_source(HELPERS_WITH_COMMENTS, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), result
    out = result.source
    decorator = '@keras.saving.register_keras_serializable(package="m")\n'
    assert f"# A convolution followed by normalisation.\n{decorator}class ConvBN(layers.Layer):\n" in out
    assert f"# The residual unit: two convolutions and a skip.\n{decorator}class Residual(layers.Layer):\n" in out
    assert out.count("# The residual unit") == 1 and out.count("# A convolution") == 1


COPY_BEFORE_LOOP = """import keras
from keras import layers

inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
previous = x  # Set aside residual
for units in [8, 8]:
    x = layers.Dense(units)(x)
    x = layers.add([x, previous])
    previous = x
model = keras.Model(inputs, x)
"""


def test_a_comment_beside_a_copy_before_a_loop_stays_above_the_copy() -> None:
    # The copy is written with the loop's header: it used to come between the comment and the ``for``.
    result = convert_source(COPY_BEFORE_LOOP, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(result, Converted)
    assert "        # Set aside residual\n        previous = x\n        for units in [8, 8]:\n" in result.source
    assert _comments(result.source) == _comments(COPY_BEFORE_LOOP)


TITLED = """import keras
from keras import layers

# 4D input.
inputs = keras.Input(shape=(4, 4, 2))
# Encodes each row.
x = layers.TimeDistributed(layers.LSTM(3))(inputs)
# Define the model.
model = keras.Model(inputs, x)
model.summary()
"""


def test_the_comment_above_a_commented_models_first_step_stays_with_that_step() -> None:
    # Above the class it described the class; the model's own line's comment titles the instance.
    result = convert_source(TITLED, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(result, Converted)
    assert "    def __init__(self, **kwargs):\n        # 4D input.\n        inputs = keras.Input(" in result.source
    assert "\n\n\n# Define the model.\nmodel = MyModel()\nmodel.summary()\n" in result.source
    assert "# 4D input.\n@" not in result.source
    sequential = convert_source(TITLED, Style.SEQUENTIAL)
    assert isinstance(sequential, Converted)
    assert "    [\n        # 4D input.\n        keras.Input(shape=(4, 4, 2)),\n        # Encodes each row.\n" in sequential.source


def test_a_lone_comment_above_a_models_first_line_still_titles_the_model() -> None:
    source = TITLED.replace("# Encodes each row.\n", "").replace("# Define the model.\n", "")
    result = convert_source(source, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(result, Converted)
    assert "# 4D input.\n@keras.saving.register_keras_serializable" in result.source


GRAPH_CLASS = """import keras
from keras import layers


class Scorer(keras.Model):
    def __init__(self, units):
        # Construct the model.
        inputs = keras.Input(shape=(8,))
        hidden = layers.Dense(units, activation="relu")(inputs)
        outputs = layers.Dense(1)(hidden)
        super().__init__(inputs=inputs, outputs=outputs)


model = Scorer(4)
"""


def test_the_comment_opening_a_classs_constructor_stays_in_it_both_ways() -> None:
    # npfl114's labs open `__init__` with `# Construct the model.` above the Input line: a subclass
    # has no Input line, and the comment went above the class's decorator (and stayed there).
    subclass = convert_source(GRAPH_CLASS, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    assert "        # Construct the model.\n        super().__init__(**kwargs)\n" in subclass.source
    for target, indent in ((Style.FUNCTIONAL_SUBCLASS, " " * 8), (Style.FUNCTIONAL, " " * 4)):
        back = convert_source(subclass.source, target)
        assert isinstance(back, Converted)
        assert f"{indent}# Construct the model.\n{indent}inputs = keras.Input(shape=(8,))\n" in back.source
        assert _comments(back.source) == _comments(GRAPH_CLASS)


MID_FILE_IMPORTS = """import numpy as np

x_train = np.zeros((4, 3))


# Define the Keras model
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(4, input_dim=3, activation="relu"))
model.add(Dense(1))
"""


def test_the_comment_above_an_import_the_conversion_removes_stays_above_the_next_line() -> None:
    # The Deep Learning with Keras Workshop imports Keras mid-file under a comment: the unused
    # `Sequential` import went, and the comment and the blank lines above it with it.
    result = convert_source(MID_FILE_IMPORTS, Style.FUNCTIONAL)
    assert isinstance(result, Converted)
    assert "x_train = np.zeros((4, 3))\n\n\n# Define the Keras model\nfrom keras.layers import Dense" in result.source
    assert "Sequential" not in result.source
    assert _comments(result.source) == _comments(MID_FILE_IMPORTS)


NOTE_UNDER_CODE = """import keras

SIZE = 4
# A note about SIZE.


class Net(keras.Model):
    def __init__(self):
        inputs = keras.Input(shape=(SIZE,))
        outputs = keras.layers.Dense(2)(inputs)
        super().__init__(inputs=inputs, outputs=outputs)


model = Net()
"""


def test_a_comment_blank_lines_part_from_a_replaced_class_stays_under_the_code_above() -> None:
    # npfl114's labs end their argument parser with `# If you add more arguments, ...` and two
    # blank lines before the model class: the class written anew got two more blank lines above
    # the comment, as if it opened the class; the plain statements in its place, two below it.
    subclass = convert_source(NOTE_UNDER_CODE, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    assert "SIZE = 4\n# A note about SIZE.\n\n\n@keras.saving.register_keras_serializable" in subclass.source
    functional = convert_source(NOTE_UNDER_CODE, Style.FUNCTIONAL)
    assert isinstance(functional, Converted)
    assert "SIZE = 4\n# A note about SIZE.\n\ninputs = keras.Input(shape=(SIZE,))\n" in functional.source
    attached = convert_source(NOTE_UNDER_CODE.replace("SIZE.\n\n\n", "SIZE.\n"), Style.SUBCLASS)
    assert isinstance(attached, Converted)
    assert "SIZE = 4\n\n\n# A note about SIZE.\n@keras.saving.register_keras_serializable" in attached.source


STAGED = """import keras
from keras import layers


def make_generator_model():
    model = keras.Sequential()
    model.add(layers.Dense(7 * 7 * 8, use_bias=False, input_shape=(10,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())

    model.add(layers.Reshape((7, 7, 8)))

    # Upsample.
    model.add(layers.Conv2DTranspose(1, 5, strides=2, padding="same"))
    return model
"""


def test_blank_lines_that_set_stages_off_stay_and_open_no_block() -> None:
    # The DCGAN tutorial's generator groups its adds by resolution with blank lines; every
    # conversion ran them together into one block of code.
    functional = convert_source(STAGED, Style.FUNCTIONAL)
    assert isinstance(functional, Converted)
    assert "    x = layers.LeakyReLU()(x)\n\n    x = layers.Reshape((7, 7, 8))(x)\n\n    # Upsample.\n" in functional.source
    subclass = convert_source(STAGED, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    assert "        x = self.leaky_relu(x)\n\n        x = self.reshape(x)\n\n        # Upsample.\n" in subclass.source
    assert ":\n\n" not in subclass.source
    back = convert_source(subclass.source, Style.SEQUENTIAL)
    assert isinstance(back, Converted)
    assert ":\n\n" not in back.source and "[\n\n" not in back.source


CAMEL_BUILDER = """import keras
from keras import layers


def Net(units=4):
    inputs = keras.Input(shape=(8,))
    x = layers.Dense(units)(inputs)
    # Create model
    model = keras.Model(inputs=inputs, outputs=x, name="Net")  # the net
    return model


model = Net()
"""


@pytest.mark.parametrize("target", [Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS])
def test_the_comments_of_the_model_line_of_a_builder_a_class_replaces_stay(target: Style) -> None:
    # The Coursera ResNet50 assignment ends its builder with `# Create model` above
    # `model = Model(...)`: the class that replaces the builder makes no instance, and the comment,
    # given to that instance's line, was lost.
    result = convert_source(CAMEL_BUILDER, target)
    assert isinstance(result, Converted)
    assert "class Net(keras.Model):  # the net\n" in result.source
    assert "        # Create model\n        super().__init__(" in result.source
    assert _comments(result.source) == _comments(CAMEL_BUILDER)


GRAPH_CLASS_MADE_LAST = """import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, units=4, **kwargs):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(units)(inputs)
        # Make the model.
        super().__init__(inputs=inputs, outputs=x, **kwargs)  # made here
        self.units = units

    def get_config(self):
        return {**super().get_config(), "units": self.units}


model = Net()
"""


def test_the_comments_of_a_graph_classs_super_init_are_the_model_lines() -> None:
    # In a class that builds a graph, super().__init__(inputs=..., outputs=...) comes last and makes
    # the model: its comments went to the top of the code (taken for a constructor's opening) or
    # above the class.
    functional = convert_source(GRAPH_CLASS_MADE_LAST, Style.FUNCTIONAL)
    assert isinstance(functional, Converted)
    assert "    # Make the model.\n    return keras.Model(inputs=inputs, outputs=x, **kwargs)  # made here\n" in functional.source
    subclass = convert_source(GRAPH_CLASS_MADE_LAST, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    # Beside it stays beside it: the subclass's ``super().__init__`` is its counterpart, not the class line.
    assert "        # Make the model.\n        super().__init__(**kwargs)  # made here\n" in subclass.source
    assert "class Net(keras.Model):\n" in subclass.source
    sequential = convert_source(GRAPH_CLASS_MADE_LAST, Style.SEQUENTIAL)
    assert isinstance(sequential, Converted)
    assert "    # Make the model.\n    # made here\n    return keras.Sequential(\n" in sequential.source
    assert _comments(subclass.source) == _comments(GRAPH_CLASS_MADE_LAST)


def test_a_form_feed_above_the_model_moves_no_blank_line() -> None:
    # PEP 8 allows a form feed between sections; str.splitlines breaks a line there and Python
    # does not, so every blank line below it was looked for one line off.
    source = "import keras\n\x0c\nfrom keras import layers\n\ninputs = keras.Input(shape=(8,))\n"
    source += "x = layers.Dense(4)(inputs)\n\nx = layers.Dense(2)(x)\nmodel = keras.Model(inputs, x)\n"
    result = convert_source(source, Style.SUBCLASS)
    assert isinstance(result, Converted)
    assert "        x = self.dense1(inputs)\n\n        return self.dense2(x)\n" in result.source
    # A comment's own blank line above it too.
    commented = source.replace("\n\nx = layers.Dense(2)(x)", "\n\n# Head.\nx = layers.Dense(2)(x)")
    result = convert_source(commented, Style.SUBCLASS)
    assert isinstance(result, Converted)
    assert "        x = self.dense1(inputs)\n\n        # Head.\n        return self.dense2(x)\n" in result.source


RETURNS = '''import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(4)
        self.head = layers.Dense(2)

    def call(self, inputs):
        x = self.hidden(inputs)
        x = self.head(x)
        # The logits: softmax is the loss's.
        return x


model = Net()
model.build((None, 8))
'''


@pytest.mark.parametrize(
    ("target", "written"),
    [
        (Style.FUNCTIONAL, "# The logits: softmax is the loss's.\nmodel = keras.Model(inputs=inputs, outputs=x)\n"),
        (Style.FUNCTIONAL_SUBCLASS, "        # The logits: softmax is the loss's.\n        super().__init__(inputs=inputs, outputs=x, **kwargs)\n"),
    ],
)
def test_a_comment_above_calls_return_goes_above_the_line_giving_the_outputs(target: Style, written: str) -> None:
    graph = _graph(RETURNS)
    assert Remark(15, "# The logits: softmax is the loss's.") in graph.remarks
    result = convert_source(RETURNS, target)
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert written in result.source
    assert _comments(result.source) == _comments(RETURNS)
    again = convert_source(result.source, target)
    assert isinstance(again, Converted) and again.source == result.source


HELPER_RETURNS = '''import keras
from keras import layers


def block(x, units, gated=True):
    x = layers.Dense(units)(x)
    if gated:
        y = layers.Dense(units, activation="sigmoid")(x)
        x = layers.Multiply()([x, y])
        # gated
    # Returned as the next block's input.
    return x


inputs = keras.Input(shape=(8,))
x = block(inputs, 8)
outputs = block(x, 4, gated=False)
model = keras.Model(inputs, outputs)
'''


def test_the_comments_above_a_helpers_return_stay_above_it_in_its_layer_class() -> None:
    # A comment at the end of the ``if`` and one above ``return`` both end the block, before the
    # line that returns: not above the class, as comments no line of the class takes.
    result = convert_source(HELPER_RETURNS, Style.SUBCLASS)
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert "            x = self.multiply([x, y])\n        # gated\n        # Returned as the next block's input.\n        return x\n" in result.source
    assert _comments(result.source) == _comments(HELPER_RETURNS)
    back = convert_source(result.source, Style.FUNCTIONAL)
    assert isinstance(back, Converted), [d.render() for d in back.diagnostics]
    assert _comments(back.source) == _comments(HELPER_RETURNS)


DOCUMENTED_CLASS = '''import keras
from keras import layers


class Net(keras.Model):
    """A small net."""

    def __init__(self, units=4, **kwargs):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(units)(inputs)
        outputs = layers.Dense(2)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.units = units


model = Net()
'''


def test_a_graph_classs_docstring_is_its_subclasss() -> None:
    # The class replaces the class: its docstring went with the old one.
    result = convert_source(DOCUMENTED_CLASS, Style.SUBCLASS)
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert 'class Net(keras.Model):\n    """A small net."""\n\n    def __init__(self, units=4, **kwargs):\n' in result.source
    back = convert_source(result.source, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(back, Converted), [d.render() for d in back.diagnostics]
    assert back.source.count('"""A small net."""') == 1


TWIN_COPIES = '''import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(8, 3, padding="same")(inputs)
previous = x  # Set aside residual

# Two residual stages.
for filters in [8, 16]:
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    residual = layers.Conv2D(filters, 1, padding="same")(previous)
    x = layers.add([x, residual])
    previous = x  # Set aside next residual

outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
'''


def test_the_comments_beside_a_loops_twin_copies_go_to_the_copy_its_block_makes() -> None:
    # keras.io's Oxford U-Net: the pass becomes a Layer class whose call() opens with the copy
    # both of the source's copies stood for; their comments were left in the model's call(),
    # above the loop and below it, where no copy is.
    graph = _graph(TWIN_COPIES)
    assert Remark(9, "# Set aside residual", copy="previous", onward=True) in graph.remarks
    result = convert_source(TWIN_COPIES, Style.SUBCLASS, Options(), "t9.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    opening = "    def call(self, x, training=None):\n        # Set aside residual\n        # Set aside next residual\n        previous = x\n"
    assert opening in result.source
    assert "        x = self.conv(inputs)\n\n        # Two residual stages.\n        for t9_block in self.t9_blocks:\n            x = t9_block(x)\n\n        return" in result.source
    assert _comments(result.source) == _comments(TWIN_COPIES)


TRAILING = """\
import keras
from keras import layers

model = keras.Sequential()
model.add(keras.Input(shape=(12,)))
model.add(layers.Embedding(50, 8))
# output: (samples, 12, 8)
# one vector per word

model.add(layers.LSTM(4))
model.add(layers.Dense(1))
"""


def test_a_comment_right_under_a_statement_and_set_off_below_is_said_of_that_statement() -> None:
    # The Keras bAbI example's `# output: (samples, story_maxlen, embedding_dim)` under each
    # encoder: it went above the next statement, which another style may write far away.
    graph = _graph(TRAILING)
    assert graph.remarks[:2] == (
        Remark(6, "# output: (samples, 12, 8)", below=True),
        Remark(6, "# one vector per word", below=True),
    )
    result = convert_source(TRAILING, Style.FUNCTIONAL)
    assert isinstance(result, Converted)
    written = (
        "x = layers.Embedding(50, 8)(inputs)\n# output: (samples, 12, 8)\n# one vector per word\n\n"
        "x = layers.LSTM(4)(x)\n"
    )
    assert written in result.source
    # A comment right above the next statement, with no blank line under it, stays that statement's.
    close = TRAILING.replace("# one vector per word\n\n", "# one vector per word\n")
    assert _graph(close).remarks[0] == Remark(9, "# output: (samples, 12, 8)")


BRANCHES = """\
import keras
from keras import layers

left = keras.Input(shape=(16,))
right = keras.Input(shape=(16,))
{copy_x}
width = 32
# Two layers, each twice as wide.
for _ in range(2):
    x = layers.Dense(width)(x)
    width *= 2
y = right
# The other branch: one layer.
y = layers.Dense(8)(y)
model = keras.Model([left, right], layers.concatenate([x, y]))
"""


def test_a_copy_before_a_loop_goes_above_the_comments_said_of_the_loop() -> None:
    # Packt's Y-network: `x = left_inputs`, a setting, then the comment above the loop. The copy
    # call() writes before the loop came under that comment, between it and the loop it titles.
    converted = convert_source(BRANCHES.format(copy_x="x = left"), Style.SUBCLASS, Options(), "m.py")
    assert isinstance(converted, Converted), [d.render() for d in converted.diagnostics]
    assert "        x = left\n        # Two layers, each twice as wide.\n        for dense in self.dense_layers:\n" in converted.source
    # A comment said of the copy itself stays above it.
    said = BRANCHES.format(copy_x="width = 32\n# The left branch.\nx = left").replace("x = left\nwidth = 32\n", "x = left\n")
    converted = convert_source(said, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(converted, Converted), [d.render() for d in converted.diagnostics]
    assert "        # The left branch.\n        x = left\n        # Two layers, each twice as wide.\n        for" in converted.source


STORED_PARAMETER = """import keras
from keras import layers


class Scorer(keras.Model):
    def __init__(self, units=8, **kwargs):
        super().__init__(**kwargs)
        # hidden width
        self.units = units  # kept for get_config
        self.dense = layers.Dense(units)

    def call(self, inputs):
        return self.dense(inputs)


model = Scorer()
model(keras.Input(shape=(4,)))
"""


def test_what_a_class_says_of_storing_a_parameter_is_that_parameters() -> None:
    # Said above or beside ``self.units = units``, it went above the new code (the class's
    # decorator, the builder's ``def``) or, to the other class style, was lost.
    graph = _graph(STORED_PARAMETER)
    (units, _) = graph.params
    assert units.loc is not None and units.loc.line == 9
    assert [remark for remark in graph.remarks if remark.line == 9] == [
        Remark(9, "# hidden width"),
        Remark(9, "# kept for get_config", beside=True),
    ]
    graph_class = convert_source(STORED_PARAMETER, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(graph_class, Converted)
    assert "        # hidden width\n        self.units = units  # kept for get_config\n\n    def get_config" in graph_class.source
    builder = convert_source(STORED_PARAMETER, Style.FUNCTIONAL)
    assert isinstance(builder, Converted)
    assert builder.source.startswith(
        "import keras\nfrom keras import layers\n\n\n"
        "def Scorer(\n    # hidden width\n    units=8,  # kept for get_config\n    **kwargs,\n):\n"
    )
    back = convert_source(builder.source, Style.SUBCLASS)
    assert isinstance(back, Converted)
    assert "        # hidden width\n        self.units = units  # kept for get_config\n" in back.source
    for converted in (graph_class, builder, back):
        assert _comments(converted.source) == _comments(STORED_PARAMETER)


WRAPPED_BUILDER = """import keras
from keras import layers


def build_scorer(
    units=8,  # hidden width
):  # one Dense layer
    inputs = keras.Input(shape=(4,))
    outputs = layers.Dense(units)(inputs)
    return keras.Model(inputs, outputs)


def Named(units=8):  # said of the function
    inputs = keras.Input(shape=(4,))
    outputs = layers.Dense(units)(inputs)
    return keras.Model(inputs, outputs)


model = build_scorer()
other = Named()
"""


@pytest.mark.parametrize("target", [Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS])
def test_a_builder_that_stays_keeps_what_its_signature_says(target: Style) -> None:
    # ``build_scorer`` stays, calling the new class: the comment beside its parameter stays in its
    # signature, not a second time beside the class's ``self.units = units``.  What is said beside
    # a one-line ``def`` is said of the function, which the class ``Named`` replaces.
    converted = api.convert_source(WRAPPED_BUILDER, target)
    assert isinstance(converted, Converted)
    assert "def build_scorer(\n    units=8,  # hidden width\n):  # one Dense layer\n" in converted.source
    assert "self.units = units\n" in converted.source
    assert "self.units = units  #" not in converted.source
    assert "# said of the function\n@keras.saving.register_keras_serializable" in converted.source
    assert _comments(converted.source) == _comments(WRAPPED_BUILDER)


BUILT_BY_SHAPE = """import keras
from keras import layers

model = keras.Sequential()
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(10, activation="softmax"))

# Build the model by specifying input_shape
model.build(input_shape=(None, 3))  # three features

for w in model.weights:
    print(w.shape)
"""


def test_what_is_said_of_building_a_sequential_is_said_of_its_input() -> None:
    # ``model.build(shape)`` gives the model its Input: its comments went above the new code.
    graph = _graph(BUILT_BY_SHAPE)
    (made,) = graph.inputs_in_order()
    assert made.loc.line == 9
    functional = convert_source(BUILT_BY_SHAPE, Style.FUNCTIONAL)
    assert isinstance(functional, Converted)
    assert (
        "from keras import layers\n\n# Build the model by specifying input_shape\n"
        "inputs = keras.Input(shape=(3,))  # three features\nx = layers.Dense(64"
    ) in functional.source
    subclass = convert_source(BUILT_BY_SHAPE, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    # The subclass is built by a call on an Input where the source built it.
    assert "model = MyModel()\n\n# Build the model by specifying input_shape\nmodel(keras.Input(shape=(3,)))  # three features\n" in subclass.source
    for converted in (functional, subclass):
        assert _comments(converted.source) == _comments(BUILT_BY_SHAPE)


TITLED_INPUTS = """import keras
from keras import layers


class Critic(keras.Model):
    def __init__(self, state_size, action_size):
        # The state's path
        state = keras.Input(shape=(state_size,))
        state_out = layers.Dense(16, activation="relu")(state)

        # The action's path
        action = keras.Input(shape=(action_size,))
        action_out = layers.Dense(16, activation="relu")(action)
        joined = layers.Concatenate()([state_out, action_out])
        super().__init__([state, action], layers.Dense(1)(joined))
"""


def test_inputs_a_class_titles_each_keep_their_titles_in_call() -> None:
    # No line makes an instance: the comments above the Input lines went above the subclass's
    # super().__init__(), the second under the first.  Each titles the path of its input.
    subclass = convert_source(TITLED_INPUTS, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    assert "    def __init__(self, state_size, action_size, **kwargs):\n        super().__init__(**kwargs)\n" in subclass.source
    assert (
        "        state, action = inputs\n"
        "        # The state's path\n"
        "        state_out = self.state_out(state)\n\n"
        "        # The action's path\n"
        "        action_out = self.action_out(action)\n"
    ) in subclass.source
    assert _comments(subclass.source) == _comments(TITLED_INPUTS)


def test_what_is_said_of_building_a_subclass_is_said_of_the_input_a_graph_style_writes() -> None:
    # The way back from the subclass above: the build line went, its comments stayed behind it
    # (or, said above it, were lost to libcst's module header of the new code).
    subclass = convert_source(BUILT_BY_SHAPE, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    functional = convert_source(subclass.source, Style.FUNCTIONAL)
    assert isinstance(functional, Converted)
    assert (
        "\n\n# Build the model by specifying input_shape\n"
        "inputs = keras.Input(shape=(3,))  # three features\n"
        "x = layers.Dense(64, activation=\"relu\")(inputs)\n"
    ) in functional.source
    assert "model(keras.Input" not in functional.source
    sequential = convert_source(subclass.source, Style.SEQUENTIAL)
    assert isinstance(sequential, Converted)
    assert (
        "        # Build the model by specifying input_shape\n"
        "        keras.Input(shape=(3,)),  # three features\n"
    ) in sequential.source
    graph_class = convert_source(subclass.source, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(graph_class, Converted)
    assert (
        "        # Build the model by specifying input_shape\n"
        "        inputs = keras.Input(shape=(3,))  # three features\n"
    ) in graph_class.source
    for converted in (functional, sequential, graph_class):
        assert _comments(converted.source) == _comments(BUILT_BY_SHAPE)
