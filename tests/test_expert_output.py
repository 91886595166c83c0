"""What an expert would not merge, checked on every fixture converted to a subclass.

A merge helper (``layers.add([x, y])``, ``layers.concatenate(...)``) inside ``call()`` makes a new
layer on every call, and an ``if True:`` block says nothing: neither may appear in emitted code.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kconvert.convert import convert_source
from kconvert.emit.subclass.names import GENERIC_NAMES, _list_suffix, layer_noun
from kconvert.parse.known_layers import MERGE_FUNCTIONS
from kconvert.types import Converted, Options, Style

FIXTURES = Path(__file__).parent / "fixtures"


def _sources():
    for case in sorted(FIXTURES.iterdir()):
        for source in ("sequential", "functional"):
            if (case / f"{source}.py").exists():
                yield pytest.param(case / f"{source}.py", id=f"{case.name}:{source}")


def _is_merge_helper(func: ast.expr, imported: set[str]) -> bool:
    """``layers.add``, or a ``concatenate`` the file imports from ``keras.layers`` (a loop's
    ``for conv, concatenate in zip(...)`` names a layer object)."""
    if isinstance(func, ast.Attribute):
        return func.attr in MERGE_FUNCTIONS and ast.unparse(func.value).endswith("layers")
    return isinstance(func, ast.Name) and func.id in MERGE_FUNCTIONS & imported


def _merge_helpers_in_call(tree: ast.Module) -> list[str]:
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("layers")
        for alias in node.names
    }
    found = []
    for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        for method in cls.body:
            if isinstance(method, ast.FunctionDef) and method.name == "call":
                found += [
                    ast.unparse(node.func)
                    for node in ast.walk(method)
                    if isinstance(node, ast.Call) and _is_merge_helper(node.func, imported)
                ]
    return found


def _constant_ifs(tree: ast.Module) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.If) and isinstance(node.test, ast.Constant)]


def _named_only_to_return(tree: ast.Module) -> list[int]:
    """``outputs = self.dense(x)`` then ``return outputs`` at the end of a ``call()``, the name a
    generic one."""
    found = []
    for method in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "call"):
        *_, assign, returned = [None, *method.body]
        if (
            isinstance(assign, ast.Assign)
            and isinstance(returned, ast.Return)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0], ast.Name)
            and isinstance(returned.value, ast.Name)
            and returned.value.id == assign.targets[0].id
            and isinstance(assign.value, ast.Call)
            and returned.value.id in GENERIC_NAMES
        ):
            found.append(assign.lineno)
    return found


@pytest.mark.parametrize("path", list(_sources()))
def test_a_converted_subclass_returns_its_last_layer_call_unless_its_tensor_has_a_name_of_its_own(
    path: Path,
) -> None:
    # A Sequential names no tensor, and ``outputs`` or ``x`` says no more than ``return``:
    # ``return self.dense2(x)``, as the Keras guides write it.  ``score = ...`` stays.
    result = convert_source(path.read_text(), Style.SUBCLASS, Options(), path.name)
    if isinstance(result, Converted):
        assert _named_only_to_return(ast.parse(result.source)) == []


@pytest.mark.parametrize("path", list(_sources()))
def test_a_converted_subclass_makes_its_merge_layers_once_and_has_no_constant_if(path: Path) -> None:
    result = convert_source(path.read_text(), Style.SUBCLASS, Options(), path.name)
    if not isinstance(result, Converted):
        # Only a refusal a fixture expects is one: nothing was written.
        assert (path.parent / f"{path.stem}_to_subclass.err").exists()
        return
    tree = ast.parse(result.source)
    assert _merge_helpers_in_call(tree) == []
    if not _constant_ifs(ast.parse(path.read_text())):
        # A literal ``if False:`` the source wrote stays as written (literal_if_among_layers);
        # kconvert must not make one of a helper's arguments.
        assert _constant_ifs(tree) == []


def test_the_merge_layer_keeps_its_arguments_and_the_graph_code_its_spelling() -> None:
    source = '''import keras
from keras import layers

a = keras.Input(shape=(4,))
b = keras.Input(shape=(4,))
joined = layers.concatenate([a, b], axis=-1)
outputs = layers.Dense(1)(joined)
model = keras.Model(inputs=[a, b], outputs=outputs)
'''
    subclass = convert_source(source, Style.SUBCLASS)
    assert isinstance(subclass, Converted)
    assert "        self.joined = layers.Concatenate(axis=-1)\n" in subclass.source
    assert "        joined = self.joined([a, b])\n" in subclass.source
    back = convert_source(subclass.source, Style.FUNCTIONAL)
    assert isinstance(back, Converted)
    assert "\njoined = layers.Concatenate(axis=-1)([a, b])\n" in back.source


@pytest.mark.parametrize(
    "outputs",
    ["layers.concatenate([a, b])", "layers.Dense(2)(layers.add([a, b]))", "[a, keras.ops.relu(layers.multiply([a, b]))]"],
)
def test_a_merge_helper_inside_an_expression_is_made_once_in_a_subclass(outputs: str) -> None:
    source = f"""import keras
from keras import layers


def build():
    inputs = keras.Input(shape=(8,))
    a = layers.Dense(4)(inputs)
    b = layers.Dense(4)(inputs)
    return keras.Model(inputs, {outputs})
"""
    subclass = convert_source(source, Style.SUBCLASS)
    assert isinstance(subclass, Converted), subclass
    assert _merge_helpers_in_call(ast.parse(subclass.source)) == []
    # Graph code keeps the helper's spelling.
    graph = convert_source(source, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(graph, Converted), graph
    assert re.search(r"layers\.(concatenate|add|multiply)\(\[a, b\]\)", graph.source)


def test_a_class_that_would_read_its_base_before_the_import_is_refused_by_name() -> None:
    source = '''from keras import layers


def Net():
    inputs = keras.Input(shape=(8,))
    return keras.Model(inputs=inputs, outputs=layers.Dense(1)(inputs))


model = Net()
import keras
'''
    result = convert_source(source, Style.SUBCLASS, Options(), "m.py")
    assert not isinstance(result, Converted)
    assert [diagnostic.render() for diagnostic in result.diagnostics] == [
        "m.py:10:1: error: `keras` is bound only here, after `Net`; the class a subclass conversion writes"
        " there needs `keras.Model` as soon as it is defined (hint: move this import to the top of the file,"
        " above `Net`)"
    ]


@pytest.mark.parametrize(
    ("builder", "helper", "model_class", "block_class"),
    [
        ("build_resnet", "conv_bn", "ResNet", "ConvBN"),
        ("make_mnist_cnn", "mlp_block", "MnistCNN", "MLPBlock"),
        ("build_small_classifier", "residual_unit", "SmallClassifier", "ResidualUnit"),
    ],
)
def test_class_names_spell_the_fields_acronyms_as_people_do(
    builder: str, helper: str, model_class: str, block_class: str
) -> None:
    source = (
        "import keras\n"
        "from keras import layers\n\n\n"
        f"def {helper}(x, units):\n"
        "    x = layers.Dense(units)(x)\n"
        "    return layers.BatchNormalization()(x)\n\n\n"
        f"def {builder}():\n"
        "    inputs = keras.Input(shape=(8,))\n"
        f"    x = {helper}(inputs, 16)\n"
        "    outputs = layers.Dense(2)(x)\n"
        "    return keras.Model(inputs, outputs)\n\n\n"
        f"model = {builder}()\n"
    )
    result = convert_source(source, Style.SUBCLASS, Options(), "model.py")
    assert isinstance(result, Converted)
    classes = [node.name for node in ast.walk(ast.parse(result.source)) if isinstance(node, ast.ClassDef)]
    assert classes == [block_class, model_class]


@pytest.mark.parametrize(
    ("type_name", "suffix"),
    [("Dense", "_layers"), ("ResidualUnit", "s"), ("DefaultConv2D", "_layers"), ("TransformerLayers", "_layers")],
)
def test_a_list_of_a_files_own_block_class_is_named_as_a_plural(type_name: str, suffix: str) -> None:
    # ``self.residual_units``, as a helper block's list is ``self.residual_blocks``; Keras' own
    # layers and names that end in a digit or an s keep ``_layers``.
    assert _list_suffix(type_name) == suffix


@pytest.mark.parametrize(
    ("imported", "written"),
    [("layers, models", "layers, models, saving"), ("models, layers", "models, layers, saving")],
)
def test_a_name_added_to_an_import_goes_where_the_list_puts_it(imported: str, written: str) -> None:
    # In a sorted list, where isort would put it; else after the names the user wrote (libcst
    # writes ``saving, layers, models``).
    source = (
        f"from keras import {imported}\n\n"
        "model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(2)])\n"
    )
    result = convert_source(source, Style.SUBCLASS, Options(), "model.py")
    assert isinstance(result, Converted)
    assert result.source.startswith(f"from keras import {written}\n")


def test_a_name_added_to_an_import_does_not_depend_on_the_hash_seed() -> None:
    # A later import of the same module ending with the same names (`from keras import layers`)
    # once matched as often as the statement libcst had added to, as a set's order decided.
    source = (
        "from keras import models, layers\n"
        "from keras import layers\n\n"
        "model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(2)])\n"
    )
    program = (
        "import sys\nfrom kconvert.convert import convert_source\nfrom kconvert.types import Options, Style\n"
        "print(convert_source(sys.stdin.read(), Style.SUBCLASS, Options(), 'model.py').source, end='')"
    )
    heads = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run(
            [sys.executable, "-c", program], input=source, capture_output=True, text=True, env=env, check=True
        )
        heads.add(done.stdout.splitlines()[0])
    assert heads == {"from keras import models, layers, saving"}


@pytest.mark.parametrize(
    ("type_name", "noun"),
    [
        ("Conv2D", "conv"),
        ("keras.layers.Conv1D", "conv"),
        ("Conv2DTranspose", "conv_transpose"),
        ("MaxPooling2D", "pool"),
        ("AvgPool1D", "pool"),
        ("GlobalAveragePooling2D", "global_pool"),
        ("BatchNormalization", "bn"),
        ("LayerNormalization", "layernorm"),
        ("MultiHeadAttention", "attention"),
        ("ReLU", "relu"),
        ("Dense", "dense"),
        ("Dropout", "dropout"),
        ("Embedding", "embedding"),
        ("LSTM", "lstm"),
        ("UpSampling2D", "up_sampling"),
        ("ResidualUnit", "residual_unit"),
        ("LeNet5", "lenet5"),
        ("MLPBlock", "mlp_block"),
    ],
)
def test_a_layer_the_source_did_not_name_is_named_as_the_keras_guides_name_its_type(type_name: str, noun: str) -> None:
    assert layer_noun(type_name) == noun


# Keras' automatic layer names, which a model's summary shows but no guide stores a layer under.
_AUTOMATIC = re.compile(
    r"(conv[123]d|max_pooling[123]d|average_pooling[123]d|global_average_pooling[123]d|batch_normalization"
    r"|layer_normalization|multi_head_attention|re_lu)(_\d+)?(_layers)?"
)


@pytest.mark.parametrize("path", list(_sources()))
def test_no_attribute_takes_a_keras_automatic_name_the_source_did_not_write(path: Path) -> None:
    source = path.read_text()
    result = convert_source(source, Style.SUBCLASS, Options(), "model.py")
    if not isinstance(result, Converted):
        return
    for node in ast.walk(ast.parse(result.source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            if _AUTOMATIC.fullmatch(node.attr):
                assert node.attr in source, f"self.{node.attr}"


def test_one_layer_is_not_numbered_and_repeated_types_count_from_one() -> None:
    source = (
        "import keras\n"
        "from keras import layers\n\n"
        "model = keras.Sequential([\n"
        "    keras.Input(shape=(28, 28, 1)),\n"
        "    layers.Conv2D(8, 3),\n"
        "    layers.BatchNormalization(),\n"
        "    layers.Conv2D(16, 3),\n"
        "    layers.MaxPooling2D(),\n"
        "    layers.Lambda(lambda t: t * 2),\n"
        "    layers.Flatten(),\n"
        "    layers.Dense(10),\n"
        "])\n"
    )
    result = convert_source(source, Style.SUBCLASS, Options(), "model.py")
    assert isinstance(result, Converted)
    made = re.findall(r"self\.(\w+) = layers\.", result.source)
    assert made == ["conv1", "bn", "conv2", "pool", "lambda_layer", "flatten", "dense"]


@pytest.mark.parametrize(
    ("file", "model_class"),
    [
        ("train_mnist_cnn.py", "MnistCNN"),
        ("resnet50_keras.py", "ResNet50"),
        ("vgg16.py", "VGG16"),
        ("main.py", "MyModel"),
        ("model.py", "MyModel"),
    ],
)
def test_a_model_with_no_better_name_is_named_after_its_file_without_how_it_is_run(file: str, model_class: str) -> None:
    source = "import keras\n\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\n"
    result = convert_source(source, Style.SUBCLASS, Options(), file)
    assert isinstance(result, Converted)
    assert f"class {model_class}(keras.Model):" in result.source


def test_a_layer_never_takes_the_name_of_a_method_the_class_keeps() -> None:
    source = (
        "import keras\n"
        "from keras import layers\n\n\n"
        "class Scorer(keras.Model):\n"
        "    def __init__(self, **kwargs):\n"
        "        inputs = keras.Input(shape=(8,))\n"
        "        x = layers.Dense(16)(inputs)\n"
        "        outputs = layers.Dense(1)(x)\n"
        "        super().__init__(inputs=inputs, outputs=outputs, **kwargs)\n\n"
        "    def dense1(self):\n"
        "        return 1\n\n\n"
        "model = Scorer()\n"
    )
    result = convert_source(source, Style.SUBCLASS, Options(), "model.py")
    assert isinstance(result, Converted)
    assert re.findall(r"self\.(\w+) = layers\.", result.source) == ["dense2", "dense3"]
    assert "    def dense1(self):\n" in result.source
