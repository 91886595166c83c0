"""Values the user gives for data the model reads (``--set``): slicing, checks, verdicts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kconvert.cli import main
from kconvert.verify import Verdict, Worker, verify_sources
from kconvert.verify.given import parse_setting, same_code
from kconvert.verify.locate import find_models
from kconvert.verify.missing import hint
from kconvert.verify.slicer import ModelSlice, slice_model
from kconvert.verify.source import SourceIndex, index_source

FROM_DATA = textwrap.dedent("""
    import numpy as np
    import keras

    x_train = np.load("train.npy")
    if x_train.ndim == 3:
        x_train = x_train[..., None]
        input_shape = x_train.shape[1:]
    else:
        input_shape = x_train.shape[1:] + (1,)
    vocab = sorted(set(open("words.txt").read().split()))
    n = len(vocab)

    model = keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(), keras.layers.Dense(n)])
    model.fit(x_train, x_train)
""")


def sliced(text: str, name: str, given: dict[str, str]) -> ModelSlice:
    source = index_source(textwrap.dedent(text), "user.py")
    assert isinstance(source, SourceIndex)
    sites = find_models(source)
    return slice_model(source, next(s for s in sites if s.name == name), sites, given)


def test_given_values_replace_their_bindings_and_what_they_read() -> None:
    piece = sliced(FROM_DATA, "model", {"input_shape": "(28, 28, 1)", "n": "10"})
    lines = piece.source.splitlines()
    assert len(lines) == len(FROM_DATA.splitlines())  # line numbers stay the user's
    kept = [line for line in lines if line.strip()]
    assert kept == [
        "import keras",
        "input_shape = ((28, 28, 1))",
        "n = (10)",
        "model = keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(), keras.layers.Dense(n)])",
    ]
    assert piece.given == ("input_shape", "n")
    assert piece.replaced[1] == ("n", "n = len(vocab)")


def test_a_given_value_brings_the_imports_it_reads() -> None:
    piece = sliced(
        FROM_DATA, "model", {"input_shape": "np.ones((28, 28)).shape", "n": "10"}
    )
    assert "import numpy as np" in piece.source
    assert "np.load" not in piece.source


def test_builder_parameters_become_keyword_arguments() -> None:
    text = """
        import keras

        def build(hp, width=4):
            return keras.Sequential([keras.Input((3,)), keras.layers.Dense(hp.units + width)])
    """
    piece = sliced(text, "build", {"hp": "Hyper(units=2)", "width": "8"})
    assert piece.expr == "build(hp=(Hyper(units=2)), width=(8))"
    assert piece.given == ("hp", "width")


def test_a_static_builders_parameters_are_all_given_none_taken_for_self() -> None:
    # ``ResNet.build(width, ...)`` of a plain class: its first parameter is no object.
    text = """
        import keras

        class Net:
            @staticmethod
            def build(width, classes):
                return keras.Sequential([keras.Input((width,)), keras.layers.Dense(classes)])
    """
    piece = sliced(text, "Net.build", {"width": "4", "classes": "2"})
    assert piece.expr.endswith(".build(width=(4), classes=(2))")
    assert piece.given == ("classes", "width")


def test_a_static_builder_keeps_what_the_static_methods_it_calls_by_the_class_name_read() -> None:
    text = """
        import keras
        from keras.layers import add

        class Net:
            @staticmethod
            def block(x):
                return add([x, keras.layers.Dense(4)(x)])

            @staticmethod
            def build(width):
                inputs = keras.Input((width,))
                return keras.Model(inputs, Net.block(inputs))
    """
    piece = sliced(text, "Net.build", {"width": "4"})
    assert "from keras.layers import add" in piece.source


def test_a_class_the_static_builder_returns_keeps_what_the_static_methods_it_calls_read() -> None:
    # A functional-subclass conversion of the builder above: `Build.__init__` calls `Net.block`.
    text = """
        import keras
        from keras.layers import add

        class Build(keras.Model):
            def __init__(self, width, **kwargs):
                inputs = keras.Input((width,))
                super().__init__(inputs=inputs, outputs=Net.block(inputs), **kwargs)

        class Net:
            @staticmethod
            def block(x):
                return add([x, keras.layers.Dense(4)(x)])

            @staticmethod
            def build(width):
                return Build(width=width)
    """
    piece = sliced(text, "Net.build", {"width": "4"})
    assert "from keras.layers import add" in piece.source


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("n", "expected NAME=VALUE"),
        ("n=", "expected NAME=VALUE"),
        ("2n=3", "not a Python name"),
        ("n=(3", "not a Python expression"),
    ],
)
def test_bad_settings_are_named(text: str, problem: str) -> None:
    found = parse_setting(text)
    assert isinstance(found, str) and problem in found


def test_setting_splits_at_the_first_equals_sign() -> None:
    assert parse_setting("shape = dict(a=1)") == ("shape", "dict(a=1)")


ORIGINAL = """
import keras

n = int(open("classes.txt").read())
inputs = keras.Input((3,))
hidden = keras.layers.Dense(4)(inputs)
outputs = keras.layers.Dense(n)(hidden)
model = keras.Model(inputs, outputs)
"""

# A wrong conversion: the hidden layer is 5 wide.
CONVERTED = """
import keras

n = int(open("classes.txt").read())


class Model(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(5)
        self.out = keras.layers.Dense(n)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


model = Model()
model.build((None, 3))
"""


def test_unknown_and_model_names_are_refused_before_tensorflow() -> None:
    unknown = verify_sources(ORIGINAL, ORIGINAL, given={"classes": "3"})
    assert unknown.verdict is Verdict.ERROR
    assert "--set classes: no model" in unknown.problem
    # A value for the file's other models is not an error when one model is named.
    one = verify_sources(ORIGINAL, ORIGINAL, model="nope", given={"classes": "3"})
    assert "no model named 'nope'" in one.render()
    # `hidden` is the model's own code: never replaced, so no model reads it from elsewhere.
    own = verify_sources(ORIGINAL, CONVERTED, given={"n": "2", "hidden": "inputs"})
    assert own.verdict is Verdict.ERROR
    assert "--set hidden: no model" in own.problem
    # The files compute n differently: one value for both would hide that.
    doubled = CONVERTED.replace("n = int(", "n = 2 * int(")
    hiding = verify_sources(ORIGINAL, doubled, given={"n": "2"})
    assert hiding.verdict is Verdict.ERROR
    assert "differs between the two files" in hiding.problem


@pytest.mark.tensorflow
def test_given_data_lets_both_build_and_a_difference_is_still_seen() -> None:
    right = CONVERTED.replace("Dense(5)", "Dense(4)")
    with Worker() as worker:
        missing = verify_sources(ORIGINAL, right, worker=worker)
        wrong = verify_sources(ORIGINAL, CONVERTED, given={"n": "2"}, worker=worker)
        same = verify_sources(ORIGINAL, right, given={"n": "2"}, worker=worker)
    assert missing.verdict is Verdict.ERROR
    assert "classes.txt" in missing.render()
    assert wrong.verdict is Verdict.DIFFERENT, wrong.render()
    assert "n=2" in wrong.render()
    assert same.verdict is Verdict.EQUIVALENT, same.render()


def test_a_binding_that_makes_layers_is_never_replaced() -> None:
    text = """
        import numpy as np
        import keras

        for batch in np.load("batches.npy"):
            inputs, targets = batch
        inputs = keras.Input(shape=inputs.shape[1:])
        outputs = keras.layers.Dense(1)(inputs)
        model = keras.Model(inputs, outputs)
    """
    piece = sliced(text, "model", {"inputs": "np.zeros((1, 8))"})
    kept = [line for line in piece.source.splitlines() if line.strip()]
    assert kept[-4:] == [
        "inputs = (np.zeros((1, 8)))",
        "inputs = keras.Input(shape=inputs.shape[1:])",
        "outputs = keras.layers.Dense(1)(inputs)",
        "model = keras.Model(inputs, outputs)",
    ]


def test_a_failing_data_line_names_the_values_to_give() -> None:
    piece = sliced(FROM_DATA, "model", {})
    found = {(d.names, d.line) for d in piece.data}
    assert found == {(("input_shape",), 6), (("n",), 12)}
    failure = (
        "original: building model failed: user.py:11: FileNotFoundError: words.txt"
    )
    assert hint(piece.data, failure, "user.py") == (
        "the model reads n (line 12), computed from line 11, which cannot run here "
        "(hint: give the value with --set n=VALUE)"
    )
    download = hint(piece.data, failure.replace(":11:", ":5:"), "user.py")
    assert download is not None and "reads input_shape (line 6), computed" in download
    # A failure in the model's own code is no missing value.
    assert hint(piece.data, failure.replace(":11:", ":14:"), "user.py") is None
    assert hint(piece.data, failure, "other.py") is None


def test_a_builder_without_its_arguments_names_them() -> None:
    failure = (
        "original: building build failed: TypeError: build() missing 2 required "
        "positional arguments: 'hp' and 'ff_dim'"
    )
    assert hint((), failure, "user.py") == (
        "build() is never called in the file with literal arguments, "
        "so nothing gives it hp, ff_dim "
        "(hint: give them with --set hp=VALUE --set ff_dim=VALUE)"
    )


def test_the_command_line_reads_set_and_refuses_a_bad_one(tmp_path: Path) -> None:
    model = tmp_path / "model.py"
    model.write_text(ORIGINAL)
    bad = CliRunner().invoke(main, ["verify", str(model), str(model), "--set", "n"])
    assert bad.exit_code == 2 and "expected NAME=VALUE" in bad.output
    unused = CliRunner().invoke(
        main, ["verify", str(model), str(model), "--set", "classes=3"]
    )
    assert unused.exit_code != 0 and "--set classes: no model" in unused.output


def test_a_value_computed_from_the_model_s_tensors_is_not_data() -> None:
    text = """
        import keras

        inputs = keras.Input((3,))
        hidden = keras.layers.Dense(4)(inputs)
        width = hidden.shape[-1]
        model = keras.Model(inputs, keras.layers.Dense(width)(hidden))
    """
    piece = sliced(text, "model", {"width": "5"})
    assert piece.given == () and "width = hidden.shape[-1]" in piece.source


def test_a_value_may_be_a_builder_argument_on_one_side_only() -> None:
    original = """
        import keras
        import numpy as np

        shape = np.load("x.npy").shape[1:]

        def build(shape):
            return keras.Sequential([keras.Input(shape), keras.layers.Dense(2)])

        model = build(shape)
    """
    # The converted file's builder is no longer bound to a variable: called alone.
    converted = original.replace("model = build(shape)", "")
    given = {"shape": "(3,)"}
    ours, theirs = sliced(original, "build", given), sliced(converted, "build", given)
    assert ours.replaced == (("shape", 'shape = np.load("x.npy").shape[1:]'),)
    assert theirs.expr == "build(shape=((3,)))" and theirs.replaced == ()
    assert same_code(ours, theirs) is None
