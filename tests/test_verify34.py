"""Session 34's verification sample (verify34): a model that differs from itself.

keras-io's VAE samples with ``tf.keras.backend.random_normal``, Keras 2's backend function, which
takes its operation seed from NumPy's global generator. The worker reseeds every generator before
each pass, but cheaply, leaving TensorFlow alone when it handed out no operation seed; a kernel
cached for the seed NumPy gave went on with its stream, so the encoder differed from itself and
the judge called every conversion of it unverifiable ("the original differs from itself").
"""

from __future__ import annotations

import pytest

ORIGINAL = '''\
import tensorflow as tf
from tensorflow import keras


class Noise(keras.layers.Layer):
    def call(self, inputs):
        return inputs + tf.keras.backend.random_normal(shape=tf.shape(inputs))


inputs = keras.Input(shape=(3,))
outputs = Noise()(keras.layers.Dense(2)(inputs))
model = keras.Model(inputs, outputs)
'''

CONVERTED = '''\
import tensorflow as tf
from tensorflow import keras


class Noise(keras.layers.Layer):
    def call(self, inputs):
        return inputs + tf.keras.backend.random_normal(shape=tf.shape(inputs))


class Model(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)
        self.noise = Noise()

    def call(self, inputs):
        return self.noise(self.dense(inputs))


model = Model()
model.build((None, 3))
'''


@pytest.mark.tensorflow
def test_a_keras2_random_draw_repeats_after_each_reseed() -> None:
    import tensorflow as tf

    from kconvert.verify.worker.seeds import reseed

    draws = []
    for _ in range(2):
        reseed()
        draws.append(tf.keras.backend.random_normal(shape=(2, 2)).numpy().tolist())
    assert draws[0] == draws[1]


@pytest.mark.tensorflow
@pytest.mark.parametrize("converted", [ORIGINAL, CONVERTED], ids=["itself", "subclass"])
def test_a_model_that_samples_with_keras2s_backend_is_compared(converted: str) -> None:
    from kconvert.verify import Verdict, verify_sources

    report = verify_sources(ORIGINAL, converted)
    (model,) = report.models
    assert model.verdict is Verdict.EQUIVALENT, model.reasons


# keras-io's learnable resizer: the resizer, a Functional model whose builder calls a residual
# helper, is a layer of the classifier `get_model` makes. To subclass, the helper is a Layer
# class inside the resizer's class; the verifier compared the nested model's sublayers as a
# multiset and counted the block class as one more layer, so the classifier read as DIFFERENT
# (the judge's WRONG) with equal outputs, while the resizer alone was EQUIVALENT.
NESTED = '''\
import keras
from keras import layers


def block(x):
    y = layers.Dense(4)(x)
    y = layers.Dropout(0.1)(y)
    return layers.Add()([x, y])


def get_inner():
    inputs = keras.Input(shape=(4,))
    return keras.Model(inputs, block(inputs))


inner = get_inner()


def get_model():
    inputs = keras.Input(shape=(4,))
    return keras.Model(inputs, layers.Dense(2)(inner(inputs)))
'''

NESTED_SUBCLASS = '''\
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(4)
        self.dropout = layers.Dropout(RATE)
        self.add = layers.Add()

    def call(self, x, training=None):
        return self.add([x, self.dropout(self.dense(x), training=training)])


class Inner(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.block = Block()

    def call(self, inputs, training=None):
        return self.block(inputs, training=training)


def get_inner():
    model = Inner()
    model(keras.Input(shape=(4,)))
    return model


inner = get_inner()


class Outer(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
        self.dense = layers.Dense(2)

    def call(self, inputs, training=None):
        return self.dense(self.inner(inputs, training=training))


def get_model():
    model = Outer()
    model(keras.Input(shape=(4,)))
    return model
'''


@pytest.mark.tensorflow
def test_a_block_class_inside_a_nested_model_is_compared_through_its_layers() -> None:
    from kconvert.verify import Verdict, verify_sources

    report = verify_sources(NESTED, NESTED_SUBCLASS.replace("RATE", "0.1"), model="get_model")
    (model,) = report.models
    assert model.verdict is Verdict.EQUIVALENT, model.reasons


@pytest.mark.tensorflow
def test_a_layer_inside_a_nested_block_class_is_still_compared() -> None:
    from kconvert.verify import Verdict, verify_sources

    report = verify_sources(NESTED, NESTED_SUBCLASS.replace("RATE", "0.9"), model="get_model")
    (model,) = report.models
    assert model.verdict is Verdict.DIFFERENT
    assert model.reasons == (
        "Functional 'functional' has Dropout.rate 0.1 in original, Inner 'inner' has 0.9 in converted",
    )
