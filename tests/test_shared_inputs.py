"""Several models of one file built on the same ``keras.Input`` or on each other's tensors (issue 9).

The ideas of the Keras examples' VAE and seq2seq files, written small: an encoder, a decoder and
the whole VAE on the encoder's input; inference models over a training model's tensors; a value
computed from the encoder's tensors for the decoder. Expected outputs are written by hand.
"""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.ir.lint import lint
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.types import Converted, Options, Style

from converting import convert, refusal

VAE = """\
import keras
from keras import layers

inputs = keras.Input(shape=(16,))
h = layers.Dense(8, activation="relu")(inputs)
z = layers.Dense(2)(h)
encoder = keras.Model(inputs, z, name="encoder")
encoder.summary()

latent = keras.Input(shape=(2,))
h = layers.Dense(8, activation="relu")(latent)
reconstruction = layers.Dense(16)(h)
decoder = keras.Model(latent, reconstruction, name="decoder")
decoder.summary()

outputs = decoder(encoder(inputs))
vae = keras.Model(inputs, outputs, name="vae")
vae.compile(optimizer="adam", loss="mse")
"""

VAE_FUNCTIONAL_SUBCLASS = '''\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Encoder(keras.Model):
    def __init__(self, name="encoder", **kwargs):
        inputs = keras.Input(shape=(16,))
        h = layers.Dense(8, activation="relu")(inputs)
        z = layers.Dense(2)(h)
        super().__init__(inputs=inputs, outputs=z, name=name, **kwargs)


encoder = Encoder()
encoder.summary()


@keras.saving.register_keras_serializable(package="m")
class Decoder(keras.Model):
    def __init__(self, name="decoder", **kwargs):
        latent = keras.Input(shape=(2,))
        h = layers.Dense(8, activation="relu")(latent)
        reconstruction = layers.Dense(16)(h)
        super().__init__(inputs=latent, outputs=reconstruction, name=name, **kwargs)


decoder = Decoder()
decoder.summary()


@keras.saving.register_keras_serializable(package="m")
class VAE(keras.Model):
    def __init__(self, name="vae", **kwargs):
        inputs = keras.Input(shape=(16,))
        outputs = decoder(encoder(inputs))
        super().__init__(inputs=inputs, outputs=outputs, name=name, **kwargs)


vae = VAE()
vae.compile(optimizer="adam", loss="mse")
'''


def _convert(text: str, target: Style, model: str | None = None):
    return convert_source(textwrap.dedent(text), target, Options(model=model), "m.py")


def test_each_model_on_a_shared_input_owns_only_its_own_statements() -> None:
    sites = {site.name: site for site in find_sites(SourceFile.parse(VAE), Options())}
    assert all(site.problem is None for site in sites.values())
    for site in sites.values():
        lint(site.graph)
    # The VAE is its two calls and its Model line: the encoder's and decoder's code, and
    # their summary() calls, belong to them or to no model.
    assert (sites["vae"].start, sites["vae"].end) == (12, 14)
    assert [node.name for node in sites["vae"].graph.body][:1] == ["inputs"]
    assert sites["encoder"].escaping == ()


def test_a_vae_on_its_encoders_input_converts_with_the_encoder_and_decoder() -> None:
    written = convert(VAE, Style.FUNCTIONAL_SUBCLASS)
    assert written == VAE_FUNCTIONAL_SUBCLASS
    assert convert(written, Style.FUNCTIONAL_SUBCLASS) == written


def test_a_vae_converts_to_sequential_as_a_chain_of_the_two_models() -> None:
    written = convert(VAE, Style.SEQUENTIAL)
    assert written.endswith(
        'vae = keras.Sequential(\n    [\n        keras.Input(shape=(16,)),\n        encoder,\n        decoder,\n'
        '    ],\n    name="vae",\n)\nvae.compile(optimizer="adam", loss="mse")\n'
    )
    assert "inputs = keras.Input" not in written


def test_the_later_model_alone_keeps_the_shared_input_line_for_the_earlier_one() -> None:
    result = _convert(VAE, Style.FUNCTIONAL_SUBCLASS, "vae")
    assert isinstance(result, Converted)
    assert result.source.startswith(VAE[: VAE.index("outputs = decoder")])
    assert "class VAE(keras.Model):" in result.source


def test_a_model_between_them_converts_alone_and_its_class_is_not_the_later_models_code() -> None:
    # The Decoder class written between the encoder and the VAE has a `call(self, inputs)`: that
    # parameter is not the module's `inputs`, so the VAE's code still starts after the class.
    result = _convert(VAE, Style.SUBCLASS, "decoder")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert result.source.startswith(VAE[: VAE.index("latent = ")])
    assert result.source.endswith(VAE[VAE.index("decoder.summary()") :])


def test_the_earlier_model_alone_is_refused_while_a_later_one_is_built_on_its_input() -> None:
    result = _convert(VAE, Style.FUNCTIONAL_SUBCLASS, "encoder")
    assert [d.render() for d in result.diagnostics] == [
        "m.py:17:1: error: `vae` is built on `inputs`, an input made with `encoder` (line 7), which"
        " converting `encoder` takes away while `vae` stays as it is"
        " (hint: convert `vae` too, or keep `encoder` Functional)"
    ]


def test_inference_models_over_a_training_models_tensors_are_refused_by_line() -> None:
    source = """\
    import keras
    from keras import layers

    encoder_inputs = keras.Input(shape=(None, 5))
    _, state_h, state_c = layers.LSTM(8, return_state=True)(encoder_inputs)
    states = [state_h, state_c]
    decoder_inputs = keras.Input(shape=(None, 6))
    decoder_lstm = layers.LSTM(8, return_sequences=True)
    decoded = decoder_lstm(decoder_inputs, initial_state=states)
    model = keras.Model([encoder_inputs, decoder_inputs], decoded)
    model.compile(optimizer="rmsprop", loss="mse")

    encoder_model = keras.Model(encoder_inputs, states)
    h_in = keras.Input(shape=(8,))
    c_in = keras.Input(shape=(8,))
    step = decoder_lstm(decoder_inputs, initial_state=[h_in, c_in])
    decoder_model = keras.Model([decoder_inputs, h_in, c_in], step)
    """
    messages = refusal(source, Style.SUBCLASS)
    assert (
        "m.py:13:45: error: `states` comes from the code of `model`: `encoder_model` is built on"
        " that model's tensors or layers, a view of its graph, which only the Functional API can express"
        " (hint: keep `encoder_model` and `model` Functional (--model picks the models to convert))"
    ) in messages
    assert (
        "m.py:16:8: error: `decoder_lstm` comes from the code of `model`: `decoder_model` is built on"
        " that model's tensors or layers, a view of its graph, which only the Functional API can express"
        " (hint: keep `decoder_model` and `model` Functional (--model picks the models to convert))"
    ) in messages
    assert not any("compile" in message for message in messages)
    assert messages[0].startswith("m.py:13:29: error: `encoder_inputs` from the model's code is still used here")


def test_a_value_computed_from_the_encoders_tensors_for_the_decoder_names_where_it_is_read() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8, 8, 1))
    x = layers.Conv2D(4, 3, strides=2, padding="same")(inputs)
    shape = keras.ops.shape(x)
    code = layers.Dense(2)(layers.Flatten()(x))
    encoder = keras.Model(inputs, code)

    latent = keras.Input(shape=(2,))
    y = layers.Dense(shape[1] * shape[2] * shape[3])(latent)
    decoded = layers.Reshape((shape[1], shape[2], shape[3]))(y)
    decoder = keras.Model(latent, decoded)
    """
    assert refusal(source, Style.SUBCLASS)[0] == (
        "m.py:11:18: error: `shape` is computed from the model's tensors among its statements, but only"
        " code after the model reads it; only the Functional form keeps those tensors"
        " (hint: keep this model Functional, or compute the value without the model's tensors)"
    )
    # The decoder alone converts: the encoder, left Functional, still computes `shape` for it.
    result = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(model="decoder"), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert "        self.dense = layers.Dense(shape[1] * shape[2] * shape[3])\n" in result.source
