"""Idioms of session 41's fresh real-world files (benchmarks/realworld, ``session = "fresh41"``)."""

from __future__ import annotations

import textwrap

import pytest
from converting import C, F, convert, refusal

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style
from kconvert.verify.locate import find_models
from kconvert.verify.source import index_source

FS = Style.FUNCTIONAL_SUBCLASS

# A policy network's call() first makes what it is given a tensor.
CONVERTED_INPUT = """\
    import tensorflow as tf
    from tensorflow import keras


    class Policy(keras.Model):
        def __init__(self, actions):
            super().__init__()
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.logits = keras.layers.Dense(actions)

        def call(self, inputs):
            x = tf.convert_to_tensor(inputs)
            return self.logits(self.hidden(x))


    model = Policy(4)
    model.build((None, 8))
    """


def test_convert_to_tensor_in_call_is_written_as_keras_ops() -> None:
    # Was refused: "`tf.convert_to_tensor` is a TensorFlow function; Keras 3 does not accept it".
    assert convert(CONVERTED_INPUT, F) == textwrap.dedent(
        """\
        from tensorflow import keras


        def Policy(actions):
            inputs = keras.Input(shape=(8,))
            x = keras.ops.convert_to_tensor(inputs)
            hidden = keras.layers.Dense(16, activation="relu")(x)
            outputs = keras.layers.Dense(actions)(hidden)
            return keras.Model(inputs=inputs, outputs=outputs)


        model = Policy(4)
        """
    )


# A segmentation network's object makes its down-sampling blocks with a static method, each a
# Sequential with no input shape, lists them, and the method that builds the model calls each
# in a loop.
LISTED_BLOCKS = """\
    from tensorflow import keras


    class Segmenter:
        def __init__(self, size):
            self.size = size
            self.model = self._create_model()

        @staticmethod
        def _down(filters):
            block = keras.Sequential()
            block.add(keras.layers.Conv2D(filters, 3, strides=2, padding="same"))
            block.add(keras.layers.LeakyReLU())
            return block

        def _create_model(self):
            stack = [self._down(8)]
            for filters in (16, 32):
                stack.append(self._down(filters))
            inputs = keras.Input(shape=(self.size, self.size, 3))
            x = inputs
            for down in stack:
                x = down(x)
            return keras.Model(inputs, x)


    segmenter = Segmenter(32)
    """

BLOCK_NOTE = (
    "m.py:{line}:9: note: `block` has no input shape and is used as a block inside another model, so it"
    " stays sequential; the models that use it are converted (hint: to convert it too, pass --model block"
    " --input-shape D1,D2,...)"
)


def _converted(text: str, target: Style) -> Converted:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result


def test_a_shapeless_block_listed_for_a_loop_of_another_model_stays_a_block() -> None:
    # Was refused: "this model has no input shape" for the block, though the model that calls it
    # is Functional already: the list filled before the model hid what it held.
    result = _converted(LISTED_BLOCKS, F)
    assert result.source == textwrap.dedent(LISTED_BLOCKS)
    assert [note.render() for note in result.notes] == [BLOCK_NOTE.format(line=11)]


def test_a_shapeless_block_a_method_makes_and_the_model_calls_at_once_stays_a_block() -> None:
    # ``self._down(8)(x)`` among the model's own lines: the method is read as an attribute of self.
    lines = textwrap.dedent(LISTED_BLOCKS).splitlines(keepends=True)
    text = "".join(lines[:16] + lines[19:21] + ["        x = self._down(8)(x)\n", "        x = self._down(16)(x)\n"] + lines[23:])
    assert "self._down(16)(x)" in text and "stack" not in text
    result = _converted(text, F)
    assert result.source == text
    assert [note.render() for note in result.notes] == [BLOCK_NOTE.format(line=11)]


def test_a_class_handed_its_blocks_keeps_them_blocks_when_converted_again() -> None:
    # The listed blocks, once the model is a class made with them: the instance line reads the list.
    once = _converted(LISTED_BLOCKS, FS).source
    assert "stack=stack" in once
    again = _converted(once, FS)
    assert again.source == once
    assert [note.render() for note in again.notes] == [BLOCK_NOTE.format(line=35)]


def test_the_verifier_compares_a_methods_block_inside_the_model_that_calls_it() -> None:
    # ``Segmenter._down`` is a part of ``Segmenter._create_model``'s model, not a model to build alone.
    sites = {site.name: site.primary for site in find_models(index_source(textwrap.dedent(LISTED_BLOCKS), "m.py"))}
    assert sites["Segmenter._down"] is False
    assert sites["Segmenter._create_model"] is True


# A builder handed the layer objects it calls: the class made of it keeps them for get_config.
HANDED_LAYERS = """\
    from tensorflow import keras


    def build_mlp(size, stack, head):
        inputs = keras.Input(shape=(size,))
        x = inputs
        for layer in stack:
            x = layer(x)
        outputs = head(x)
        return keras.Model(inputs, outputs)


    model = build_mlp(6, [keras.layers.Dense(8), keras.layers.Dense(4)], keras.layers.Dense(2))
    """

HANDED_LAYERS_FS = """\
    from tensorflow import keras


    @keras.utils.register_keras_serializable(package="m")
    class MLP(keras.Model):
        def __init__(self, size, stack, head, **kwargs):
            inputs = keras.Input(shape=(size,))
            x = inputs
            for layer in stack:
                x = layer(x)
            outputs = head(x)
            super().__init__(inputs=inputs, outputs=outputs, **kwargs)
            self.size = size
            self.stack = stack
            self.head = head

        def get_config(self):
            config = {
                "size": self.size,
                "stack": keras.utils.serialize_keras_object(self.stack),
                "head": keras.utils.serialize_keras_object(self.head),
            }
            return {**super().get_config(), **config}

        @classmethod
        def from_config(cls, config):
            config["stack"] = keras.utils.deserialize_keras_object(config["stack"])
            config["head"] = keras.utils.deserialize_keras_object(config["head"])
            return cls(**config)


    def build_mlp(size, stack, head):
        return MLP(size=size, stack=stack, head=head)


    model = build_mlp(6, [keras.layers.Dense(8), keras.layers.Dense(4)], keras.layers.Dense(2))
    """


def test_layer_objects_a_builder_is_handed_are_saved_as_their_configs() -> None:
    # Was `"stack": self.stack` and `"head": self.head`: a config holding layer objects, which
    # Keras saves as dicts and hands back as dicts, so the class did not load.
    assert convert(HANDED_LAYERS, FS) == textwrap.dedent(HANDED_LAYERS_FS)


@pytest.mark.tensorflow
def test_the_class_handed_layer_objects_saves_and_loads_back() -> None:
    from kconvert.verify import Verdict, Worker, verify_sources
    from kconvert.verify.report import LOADS

    with Worker() as worker:
        report = verify_sources(
            textwrap.dedent(HANDED_LAYERS), textwrap.dedent(HANDED_LAYERS_FS), worker=worker, save=True
        )
    assert report.verdict is Verdict.EQUIVALENT, report.render()
    assert [model.saving for model in report.models] == [LOADS]


# A forecaster's builder splits its data, reshapes the inputs to (samples, 1, features), gives a
# stateful LSTM a batch shape read from them, and trains on them after the model.
PREPARED_DATA = """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense


    def fit_lstm(train, n_batch, n_neurons):
        X, y = train[:, 0:-1], train[:, -1]
        X = X.reshape(X.shape[0], 1, X.shape[1])
        model = Sequential()
        model.add(LSTM(n_neurons, batch_input_shape=(n_batch, X.shape[1], X.shape[2]), stateful=True))
        model.add(Dense(1))
        model.compile(loss="mean_squared_error", optimizer="adam")
        model.fit(X, y, epochs=1, batch_size=n_batch, verbose=0, shuffle=False)
        return model
    """


def test_data_statements_only_the_input_shape_reads_stay_in_the_builder_of_a_subclass() -> None:
    # Was refused: "`X` is computed among the model's statements and read here, after the model":
    # two statements bind `X` (and one `y` too), where one statement binding one name was read so.
    assert convert(PREPARED_DATA, C).endswith(
        textwrap.dedent(
            """\
            def fit_lstm(train, n_batch, n_neurons):
                X, y = train[:, 0:-1], train[:, -1]
                X = X.reshape(X.shape[0], 1, X.shape[1])
                model = FitLSTM(n_neurons=n_neurons)
                model(ops.zeros((n_batch, X.shape[1], X.shape[2])))
                model.compile(loss="mean_squared_error", optimizer="adam")
                model.fit(X, y, epochs=1, batch_size=n_batch, verbose=0, shuffle=False)
                return model
            """
        )
    )


def test_data_statements_a_layer_reads_too_still_go_into_the_class() -> None:
    # `y` sizes the head: the statement binding it is the model's, so reading `X` after is refused.
    text = PREPARED_DATA.replace("Dense(1)", "Dense(y.shape[-1])").replace("train[:, -1]", "train[:, -1:]")
    assert refusal(text, C)[0].startswith("m.py:12:15: error: `X` is computed among the model's statements")
