"""Converted model classes save as ``.keras``, load without ``custom_objects`` and clone.

Each case converts a fixture to a class-emitting style, writes the result as a module
named as the registration's package says, and in a fresh Python (TensorFlow is
imported only there) imports it, saves its ``model``, loads it back with plain
``keras.models.load_model`` and compares the outputs on the same data; then
``keras.models.clone_model`` must rebuild it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Style

pytestmark = pytest.mark.tensorflow

FIXTURES = Path(__file__).parent / "fixtures"

# (fixture file, module name, input shapes without the batch axis); a file already in the
# target style is swapped for the case's subclass file.
CASES = [
    ("subclass_mlp_flags/functional.py", "mlp_flags", [(20,)]),
    ("backbone_widths/sequential.py", "backbones", [(32, 32, 3)]),
    ("subclass_train_step/functional_subclass.py", "regressors", [(8,)]),
    ("training_only_class/functional.py", "custom_fit", [(32,)]),
    # A Normalization of given statistics: the subclass's build() must build every layer, or
    # the loaded model keeps fresh weights.
    ("normalization_stats/functional.py", "stats", [(4,)]),
    # ... inside a preprocessing Sequential of no input shape the model calls as a layer.
    ("normalization_in_sequential/functional.py", "preprocessed", [(4,)]),
    # A loop pass of several layers is a block class the model makes a list of: both classes load.
    ("loop_block_inline/functional.py", "classifiers", [(20,)]),
    ("loop_block_encoder/functional.py", "encoders", [(10, 8)]),
    # A block of two tensors (``call(self, x, skip)``): saved and loaded inside the model.
    ("unet_decoder_blocks/functional.py", "unets", [(32, 32, 3)]),
    # Blocks whose layers build() makes from the input's shape: loading builds them again
    # before it sets their weights.
    ("helper_squeeze_excite/functional.py", "squeeze", [(16, 16, 3)]),
    ("helper_project_skip_to_input/functional.py", "skips", [(32, 32, 3)]),
    # ... and a block that takes the tensor whose shape sizes its layers first.
    ("helper_gate_sized_by_skip/functional.py", "gates", [(16, 16, 3)]),
    # ... and one whose build() makes a block of its own sized by that shape (``AttentionGate(n)``).
    ("helper_shape_arg_to_block/functional.py", "attention_steps", [(16, 16, 3)]),
    # A block given the layer it calls (``activation=layers.LeakyReLU(0.2)``): its config holds the
    # layer's own, which from_config makes again.
    ("helper_given_activation_layer/functional.py", "trunks", [(16, 16, 3)]),
    # ... and applies it only ``if activation:``, a test its attribute answers as the object did.
    ("helper_tests_given_layer/functional.py", "generators", [(16,)]),
    # A block class with a helper that is no block written out in its body.
    ("block_writes_out_inner_helper/functional.py", "trunks_inner", [(8, 8, 8)]),
    # Blocks whose list parameter is named ``layers``, kept as ``self.layers_``.
    ("block_param_named_layers/functional.py", "autoencoders", [(16, 16, 3)]),
    # A model whose own build() makes layers from its input's shape: load_model calls build()
    # alone, which must build every layer before the weights are set.
    ("model_sized_by_input/functional.py", "widths", [(16, 6)]),
    # A block made of a loop's pass whose last line is an expression of two tensors (``x + h``).
    ("idiom_helper_in_loop/functional.py", "mlp_blocks", [(16,)]),
    # A builder sized by its training data: the class keeps the sizes, not the arrays (a config
    # holding them would write the data into the saved model, or not save at all).
    ("builder_sized_by_data/functional.py", "sized", [(10,)]),
    # ... and one that names the sizes first (``n_classes = y_train.shape[-1]``): the class takes the names.
    ("builder_names_data_sizes/functional.py", "named_sizes", [(8,)]),
    # A frozen Sequential body the builder made before its inputs: the class makes it and freezes it.
    ("builder_makes_body_first/functional.py", "bodies", [(28, 28, 1)]),
    # ... and one grown by ``cnn.add(...)`` lines: the class grows it on its attribute.
    ("builder_grows_body/functional.py", "growers", [(16,), (1,)]),
    # Loop passes whose second variable holds the pass's tensor (``previous_block_activation``):
    # two block classes of one input each, the second loop's going on from the first's.
    ("loop_block_twin/functional.py", "unet_twins", [(32, 32, 3)]),
    # A block returning two tensors (``return pooled, conv``), indexed where they are read.
    ("helper_pair_subscripts/functional.py", "unet_pairs", [(32, 32, 3)]),
    # A parameter the class's code joins with a tuple (``img_size + (3,)``), which the .keras
    # file gives back as a list: from_config makes it a tuple again.
    ("tuple_config_parameter/functional.py", "segmenters", [(32, 32, 3)]),
    # A block that pops the first item off the module's list it is given (ResNet v2's
    # ``groups.pop(0)``): made again to load, it must not pop that list again. To
    # functional-subclass from Functional it is refused (the class would run the helper on the
    # list each time); from the subclass, the class calls the block, which works on a copy.
    ("helper_pops_its_list/functional.py", "stages", [(16, 16, 3)]),
    # A builder given a layer class (``dropout=layers.AlphaDropout``): a class is no config value,
    # so the config holds its registered name, which from_config looks up again.
    ("layer_class_param/functional.py", "networks", [(8,)]),
    # Blocks that adapt a Normalization on the data they are given, in a model of two inputs: the
    # classes learn only when given it, the weights hold what they learned, and both build() by a
    # trace of their call() (a list of Inputs for the model), as a Normalization needs.
    ("learned_from_data/functional.py", "learned", [(1,), (1,)]),
    # Layers made in module-level lists the model calls in loops, frozen by one of the loops: the
    # class keeps the lists and freezes them in __init__, which loading runs again.
    ("frozen_layer_lists/functional.py", "frozen_lists", [(12, 12, 1)]),
    # A builder that adapts a Normalization on the data it is given, in its own lines: both class
    # styles learn only when given it (a functional-subclass's config held the array, and did not load).
    ("learned_in_builder/functional.py", "regressors", [(4,)]),
]
# Each case in each class style, but a source a style refuses, which its fixture's ``.err`` holds,
# and a graph class that runs a helper adapting on the data its config holds (the fixture's notes).
REFUSED = {
    ("helper_pops_its_list/functional.py", Style.FUNCTIONAL_SUBCLASS),
    ("learned_from_data/functional.py", Style.FUNCTIONAL_SUBCLASS),
}
PAIRS = [
    pytest.param(fixture, module, shapes, style, id=f"{style}-{fixture}")
    # The subclass file keeps its own registration (``package="model"``): it is imported as ``model``.
    for fixture, module, shapes in CASES + [("helper_pops_its_list/subclass.py", "model", [(16, 16, 3)])]
    for style in (Style.FUNCTIONAL_SUBCLASS, Style.SUBCLASS)
    if (fixture, style) not in REFUSED and not (Path(fixture).name == "subclass.py" and style is Style.SUBCLASS)
]
# The builder of a fixture that makes no module-level ``model``: the script saves what it builds.
BUILDERS = {"helper_pair_subscripts/functional.py": "build_unet"}

SCRIPT = """
import importlib, json, sys
import numpy as np
import keras

module = importlib.import_module(sys.argv[1])
shapes = json.loads(sys.argv[2])
model = getattr(module, sys.argv[4])() if len(sys.argv) > 4 else module.model
rng = np.random.default_rng(0)
data = [rng.random((2, *shape)).astype("float32") for shape in shapes]
data = data[0] if len(data) == 1 else data
model.save(sys.argv[3])
loaded = keras.models.load_model(sys.argv[3])
assert type(loaded) is type(model), (type(loaded), type(model))
np.testing.assert_allclose(np.asarray(model(data)), np.asarray(loaded(data)), rtol=1e-6)
# Through JSON, as the .keras file stores it: a tuple parameter comes back a list.
assert json.loads(json.dumps(loaded.get_config())) == json.loads(json.dumps(model.get_config()))
clone = keras.models.clone_model(model)
assert clone(data).shape == model(data).shape
print("ok", type(loaded).__name__)
"""


@pytest.mark.parametrize(("fixture", "module", "shapes", "style"), PAIRS)
def test_converted_class_saves_loads_and_clones(tmp_path: Path, fixture: str, module: str, shapes, style) -> None:
    path = FIXTURES / fixture
    if path.stem == style.stem:
        path = path.with_name("subclass.py")
    result = convert_source(path.read_text(), style, path=f"{module}.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    assert f'register_keras_serializable(package="{module}")' in result.source
    (tmp_path / f"{module}.py").write_text(result.source)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, module, json.dumps(shapes), str(tmp_path / "model.keras")]
        + ([BUILDERS[fixture]] if fixture in BUILDERS else []),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines()[-1].startswith("ok")
