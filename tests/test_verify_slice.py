"""Finding models and slicing them out of user files: libcst only, no TensorFlow."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kconvert.verify.locate import find_models
from kconvert.verify.plan import plan
from kconvert.verify.slicer import ModelSlice, slice_model
from kconvert.verify.source import ParseFailure, SourceIndex, index_source

CASES_DIR = Path(__file__).parent / "verify_cases"


def index(text: str) -> SourceIndex:
    found = index_source(textwrap.dedent(text), "user.py")
    assert isinstance(found, SourceIndex)
    return found


def sliced(text: str, name: str) -> ModelSlice:
    source = index(text)
    sites = find_models(source)
    return slice_model(source, next(s for s in sites if s.name == name), sites)


def kept(piece: ModelSlice) -> list[str]:
    return [line.strip() for line in piece.source.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "text",
    [
        "import tensorflow as tf\nm = tf.keras.Sequential()\n",
        "from tensorflow import keras\nm = keras.models.Sequential()\n",
        "from keras.models import Sequential\nm = Sequential()\n",
        "from tensorflow.keras import models\nm = models.Model(i, o)\n",
        "import keras\nm: keras.Model = keras.Model(i, o)\n",
    ],
)
def test_any_import_path(text: str) -> None:
    assert [(s.name, s.kind) for s in find_models(index(text))] == [("m", "variable")]


def test_kinds_and_primary_models() -> None:
    sites = find_models(index("""
            import keras

            class Base(keras.Model):
                pass

            class MLP(Base):
                pass

            def build_mlp():
                net = MLP()
                return net

            def helper():
                return 3

            model = build_mlp()
            other = keras.Sequential()
            """))
    assert [(s.name, s.kind, s.primary, s.bound_to) for s in sites] == [
        ("Base", "class", False, None),
        ("MLP", "class", False, None),
        ("build_mlp", "builder", False, "model"),
        ("model", "variable", True, None),
        ("other", "variable", True, None),
    ]


def test_training_code_is_left_out() -> None:
    path = CASES_DIR / "mnist_sequential.py"
    source = index_source(path.read_text(), str(path))
    assert isinstance(source, SourceIndex)
    sites = find_models(source)
    piece = slice_model(source, sites[0], sites)
    text = piece.source
    for absent in (
        "load_data",
        "x_train",
        "compile",
        "summary",
        "plot_model",
        ".fit",
        "evaluate",
    ):
        assert absent not in text
    assert "import tensorflow as tf" in text and piece.expr == "model"
    # Dropped statements become blank lines, so line numbers stay the user's.
    assert text.splitlines()[13] == path.read_text().splitlines()[13]
    assert len(text.splitlines()) == len(path.read_text().splitlines())


def test_finishing_steps_follow_the_variable() -> None:
    piece = sliced(
        """
        import keras
        import numpy as np
        SIZES = [4, 2]
        model = keras.Sequential()
        model.add(keras.Input((3,)))
        for size in SIZES:
            model.add(keras.layers.Dense(size))
        if SIZES:
            model.add(keras.layers.Dense(1))
        model.compile("adam")
        model.fit(np.zeros((1, 3)))
        _ = model(np.zeros((1, 3)))
        model = None
        model.add(keras.layers.Dense(9))
        """,
        "model",
    )
    assert kept(piece) == [
        "import keras",
        "import numpy as np",
        "SIZES = [4, 2]",
        "model = keras.Sequential()",
        "model.add(keras.Input((3,)))",
        "for size in SIZES:",
        "model.add(keras.layers.Dense(size))",
        "if SIZES:",
        "model.add(keras.layers.Dense(1))",
        "_ = model(np.zeros((1, 3)))",
    ]


def test_only_bindings_that_reach_are_kept() -> None:
    piece = sliced(
        """
        import keras
        x = keras.Input((3,))
        x = keras.layers.Dense(2)(x)
        first = keras.Model(x, x)
        x = keras.Input((5,))
        if WIDE:
            x = keras.layers.Dense(4)(x)
        second = keras.Model(x, x)
        """,
        "second",
    )
    assert kept(piece) == [
        "import keras",
        "x = keras.Input((5,))",
        "if WIDE:",
        "x = keras.layers.Dense(4)(x)",
        "second = keras.Model(x, x)",
    ]


def test_builder_reads_globals_bound_after_it_and_main_is_skipped() -> None:
    piece = sliced(
        """
        import keras
        import matplotlib.pyplot as plt

        def build(units=UNITS):
            return keras.Sequential([keras.layers.Dense(units, activation=ACT)])

        UNITS = 3
        ACT = "relu"
        plt.plot([1])

        if __name__ == "__main__":
            ACT = "tanh"
        """,
        "build",
    )
    assert piece.expr == "build()"
    assert "matplotlib" not in piece.source and "tanh" not in piece.source
    assert 'ACT = "relu"' in piece.source


def test_model_inside_main_guard() -> None:
    piece = sliced(
        """
        import keras

        def load():
            return keras.datasets.mnist.load_data()

        if __name__ == "__main__":
            data = load()
            model = keras.Sequential([keras.layers.Dense(2)])
            model.fit(data)
        """,
        "model",
    )
    assert kept(piece) == [
        "import keras",
        'if __name__ == "__main__":',
        "model = keras.Sequential([keras.layers.Dense(2)])",
    ]


def test_class_without_instance_is_called_bare() -> None:
    piece = sliced(
        """
        from keras import Model, layers

        class Net(Model):
            def __init__(self, width=4):
                super().__init__()
                self.dense = layers.Dense(width)

            def call(self, x):
                return self.dense(x)
        """,
        "Net",
    )
    assert piece.expr == "Net()"


def test_class_sliced_through_its_instance() -> None:
    piece = sliced(
        """
        import keras

        @keras.saving.register_keras_serializable()
        class Net(keras.Model):
            pass

        model = Net(use_bn=True)
        model.build((None, 20))
        model.fit(x, y)
        """,
        "Net",
    )
    assert piece.expr == "model"
    assert kept(piece) == [
        "import keras",
        "@keras.saving.register_keras_serializable()",
        "class Net(keras.Model):",
        "pass",
        "model = Net(use_bn=True)",
        "model.build((None, 20))",
    ]


def test_syntax_error_is_a_value() -> None:
    failure = index_source("def (:\n", "bad.py")
    assert isinstance(failure, ParseFailure) and failure.message.startswith("bad.py:1:")


def test_sub_models_keep_their_finishing_steps() -> None:
    piece = sliced(
        """
        import keras
        generator = keras.Sequential([keras.layers.Dense(4)])
        generator.build((None, 3))
        generator.summary()
        gan = keras.Sequential([generator, keras.layers.Dense(1)])
        generator.build((None, 9))
        """,
        "gan",
    )
    # The build below the gan comes too late to shape it.
    assert kept(piece) == [
        "import keras",
        "generator = keras.Sequential([keras.layers.Dense(4)])",
        "generator.build((None, 3))",
        "gan = keras.Sequential([generator, keras.layers.Dense(1)])",
    ]


def test_augmented_assignment_reads_its_target() -> None:
    piece = sliced(
        """
        import keras
        inputs = keras.Input((6,))
        residual = keras.layers.Dense(6)(inputs)
        x = keras.layers.Dense(6)(inputs)
        x += residual
        model = keras.Model(inputs, x)
        """,
        "model",
    )
    assert "x = keras.layers.Dense(6)(inputs)" in kept(piece)


def test_a_loop_that_fills_a_list_of_tensors_is_kept_for_the_list() -> None:
    # The WaveNet of Hands-on ML: nothing after the loop reads ``x``, only the list it filled.
    piece = sliced(
        """
        import keras
        inputs = keras.Input((16, 4))
        x = keras.layers.Conv1D(8, 2, padding="causal")(inputs)
        skips = []
        for rate in [1, 2]:
            x = keras.layers.Conv1D(8, 2, padding="causal", dilation_rate=rate)(x)
            skips.append(x)
        outputs = keras.layers.Add()(skips)
        model = keras.Model(inputs, outputs)
        """,
        "model",
    )
    assert kept(piece)[2:7] == [
        'x = keras.layers.Conv1D(8, 2, padding="causal")(inputs)',
        "skips = []",
        "for rate in [1, 2]:",
        'x = keras.layers.Conv1D(8, 2, padding="causal", dilation_rate=rate)(x)',
        "skips.append(x)",
    ]


def test_a_model_called_on_a_tensor_gives_a_tensor() -> None:
    sites = find_models(index("""
            import keras
            inputs = keras.Input((8,))
            x = keras.Sequential([keras.layers.Dense(4)], name="stem")(inputs)
            model = keras.Model(inputs, x)
            """))
    assert [s.name for s in sites] == ["model"]


def test_a_layer_is_adapted_before_the_model_uses_it() -> None:
    piece = sliced(
        """
        import keras

        texts = ["the cat", "a dog"]
        vectorize = keras.layers.TextVectorization(max_tokens=20)
        vectorize.adapt(texts)
        other = keras.layers.Normalization()
        other.adapt([[1.0], [2.0]])
        inputs = keras.Input(shape=(1,), dtype="string")
        model = keras.Model(inputs, vectorize(inputs))
        vectorize.adapt(["adapted after the model: not part of it"])
        """,
        "model",
    )
    assert kept(piece) == [
        "import keras",
        'texts = ["the cat", "a dog"]',
        "vectorize = keras.layers.TextVectorization(max_tokens=20)",
        "vectorize.adapt(texts)",
        'inputs = keras.Input(shape=(1,), dtype="string")',
        "model = keras.Model(inputs, vectorize(inputs))",
    ]


def test_an_if_keeps_only_the_statements_the_model_needs() -> None:
    piece = sliced(
        """
        import numpy as np
        import keras

        x_train = np.load("train.npy")
        sizes = [8]
        if keras.backend.image_data_format() == "channels_first":
            x_train = x_train.reshape(-1, 1, 28, 28)
            input_shape = (1, 28, 28)
            print("first")
        elif x_train is None:
            x_train = x_train[:10]
        else:
            x_train = x_train.reshape(-1, 28, 28, 1)
            width = 4  # a binding no one reads
            sizes.append(width)
            input_shape = (28, 28, 1)
        model = keras.Sequential([keras.Input(input_shape)] + [keras.layers.Dense(n) for n in sizes])
        """,
        "model",
    )
    lines = piece.source.splitlines()
    assert [line for line in lines if line.strip()] == [
        "import numpy as np",
        "import keras",
        'x_train = np.load("train.npy")',  # the elif's test reads it
        "sizes = [8]",
        'if keras.backend.image_data_format() == "channels_first":',
        "    input_shape = (1, 28, 28)",
        "elif x_train is None:",
        "    pass",
        "else:",
        "    width = 4  # a binding no one reads",
        "    sizes.append(width)",  # changes `sizes`, which the model reads
        "    input_shape = (28, 28, 1)",
        "model = keras.Sequential([keras.Input(input_shape)] + [keras.layers.Dense(n) for n in sizes])",
    ]
    assert lines[11] == "    pass"  # in place of `x_train = x_train[:10]`: lines stay the user's


def test_steps_that_only_call_the_model_are_left_out_of_the_lean_slice() -> None:
    piece = sliced(
        """
        import keras
        import numpy as np
        import matplotlib.pyplot as plt
        features = np.load("higgs.npy")
        plt.hist(features)
        model = keras.Sequential([keras.layers.Dense(4, input_shape=(28,))])
        model.add(keras.layers.Dense(1))
        result = model(features)
        model.build((None, 28))
        """,
        "model",
    )
    # As the file builds it: a subclass would get its shape from ``model(features)``.
    assert kept(piece) == [
        "import keras",
        "import numpy as np",
        'features = np.load("higgs.npy")',
        "model = keras.Sequential([keras.layers.Dense(4, input_shape=(28,))])",
        "model.add(keras.layers.Dense(1))",
        "result = model(features)",
        "model.build((None, 28))",
    ]
    assert piece.lean is not None
    assert [line.strip() for line in piece.lean.splitlines() if line.strip()] == [
        "import keras",
        "model = keras.Sequential([keras.layers.Dense(4, input_shape=(28,))])",
        "model.add(keras.layers.Dense(1))",
    ]
    assert len(piece.lean.splitlines()) == len(piece.source.splitlines())


def test_a_slice_without_calls_of_the_model_has_no_lean_source() -> None:
    piece = sliced(
        """
        import keras
        model = keras.Sequential([keras.layers.Dense(4, input_shape=(28,))])
        model.add(keras.layers.Dense(1))
        """,
        "model",
    )
    assert piece.lean is None


def test_a_model_made_in_a_with_block_is_found_and_the_block_kept() -> None:
    source = index("""
        import numpy as np
        import tensorflow as tf
        strategy = tf.distribute.MirroredStrategy()
        data = np.load("x.npy")
        with strategy.scope():
            model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])
            model.compile("adam")
        if data.any():
            other = tf.keras.Sequential()
        model.fit(data)
        """)
    sites = find_models(source)
    # Only a with block always runs its lines; a model made under an if is not one of the file's.
    assert [(s.name, s.kind, s.line) for s in sites] == [("model", "variable", 6)]
    assert kept(slice_model(source, sites[0], sites)) == [
        "import tensorflow as tf",
        "strategy = tf.distribute.MirroredStrategy()",
        "with strategy.scope():",
        "model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])",
        'model.compile("adam")',
    ]


def test_a_builder_needing_arguments_is_called_as_the_file_calls_it_with_literals() -> None:
    text = """
        import keras
        WIDTH = 3

        def coupling(width, depth=1, *, name):
            return keras.Sequential([keras.Input((width,))], name=name)

        class Flow(keras.Model):
            def __init__(self, n):
                super().__init__()
                self.first = coupling(n, name="a")
                self.parts = [coupling(2, depth=-1, name="b") for _ in range(n)]
        """
    assert sliced(text, "coupling").expr == 'coupling(2, depth=-1, name="b")'
    # Flow is never called: called bare, and the build failure names what it needs.
    assert sliced(text, "Flow").expr == "Flow()"


def test_a_builder_without_a_literal_call_is_called_bare() -> None:
    text = """
        import keras

        def block(units):
            return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])

        def helper(size):
            return block(size)

        def ready(units=4):
            return block(units)
        ready(8)
        """
    assert sliced(text, "block").expr == "block()"
    # Parameters that all have defaults: the builder is called as it is written.
    assert sliced(text, "ready").expr == "ready()"


def test_pretrained_weights_of_an_application_are_left_unloaded() -> None:
    piece = sliced(
        """
        import keras
        from tensorflow.keras.applications import Xception
        base = Xception(
            include_top=False, weights="imagenet", input_shape=(71, 71, 3)
        )
        def features(weights="imagenet"):
            return keras.Sequential([keras.Input((4,))], name=weights)
        head = features(weights="other")
        model = keras.Sequential([base, keras.layers.Dense(2), head])
        """,
        "model",
    )
    assert piece.unloaded == (5,)
    assert kept(piece)[2:5] == [
        "base = Xception(",
        "include_top=False, weights=None, input_shape=(71, 71, 3)",
        ")",
    ]
    # A weights argument of the file's own function is its own business.
    assert 'head = features(weights="other")' in kept(piece)
    assert 'def features(weights="imagenet"):' in kept(piece)


REBOUND = """
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(1)])
model.compile(loss="mse")

model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(5), layers.Dense(2)])
"""


def test_a_name_bound_to_a_model_again_is_a_model_each_time() -> None:
    sites = find_models(index(REBOUND))
    assert [(s.name, s.line, s.occurrence) for s in sites] == [("model", 5, 0), ("model", 8, 1)]
    first = slice_model(index(REBOUND), sites[0], sites)
    assert "layers.Dense(3)" in first.source and "layers.Dense(5)" not in first.source


def test_the_nth_model_of_a_name_pairs_with_the_nth() -> None:
    converted = REBOUND.replace("layers.Dense(3)", "layers.Dense(4)")
    for model in (None, "model"):
        planned = plan(((REBOUND, "a.py"), (converted, "b.py")), model, (1e-4, 1e-4), None)
        assert [(o.source.count("Dense(3)"), c.source.count("Dense(4)")) for o, c in planned.pairs] == [(1, 1), (0, 0)]
        assert planned.report.models == ()
    fewer = plan(((REBOUND, "a.py"), (REBOUND.split("model.compile")[0], "b.py")), "model", (1e-4, 1e-4), None)
    assert fewer.pairs == ()
    assert fewer.report.models[0].reasons == ("2 models named 'model' in a.py, 1 in b.py",)


def test_an_attribute_set_on_a_model_before_another_is_built_on_it_is_kept() -> None:
    # Deep Learning Illustrated's GAN: the discriminator is frozen before the combined model
    # is built on it; without the line the original's combined model trained it too.
    piece = sliced(
        """
        import keras

        discriminator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        discriminator.compile(loss="mse")
        z = keras.Input(shape=(2,))
        img = keras.layers.Dense(4)(z)
        discriminator.trainable = False
        gan = keras.Model(z, discriminator(img))
        discriminator.trainable = True
        """,
        "gan",
    )
    assert kept(piece) == [
        "import keras",
        "discriminator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])",
        "z = keras.Input(shape=(2,))",
        "img = keras.layers.Dense(4)(z)",
        "discriminator.trainable = False",
        "gan = keras.Model(z, discriminator(img))",
    ]


def test_a_class_is_built_through_its_own_binding_when_the_name_held_another_model() -> None:
    # Hands-on ML ch. 10 binds `model` to a Sequential, then to `WideAndDeepModel(...)`: the class
    # was built through the first `model`, so `--model WideAndDeepModel` proved the Sequential.
    piece = sliced(
        """
        import keras

        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])

        class WideAndDeep(keras.Model):
            def call(self, inputs):
                return inputs

        model = WideAndDeep(name="wide")
        """,
        "WideAndDeep",
    )
    assert piece.expr == "model"
    assert 'model = WideAndDeep(name="wide")' in kept(piece)
    assert not any("Sequential" in line for line in kept(piece))
