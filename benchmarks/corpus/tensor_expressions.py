"""Like keras.io 'WaveNet'-style / 'Timeseries forecasting' residual stacks: `x += residual`, slicing `x[:, 2:-2]`, keras.ops and keras.activations on symbolic tensors."""

import keras
from keras import layers, ops

window = 64
channels = 8

inputs = keras.Input(shape=(window, channels))
x = layers.Conv1D(32, 1, padding="same")(inputs)
for dilation_rate in (1, 2, 4):
    residual = x
    tanh_out = layers.Conv1D(
        32, 2, dilation_rate=dilation_rate, padding="causal", activation="tanh"
    )(x)
    sigm_out = layers.Conv1D(
        32, 2, dilation_rate=dilation_rate, padding="causal", activation="sigmoid"
    )(x)
    x = layers.Multiply()([tanh_out, sigm_out])
    x = layers.Conv1D(32, 1)(x)
    x += residual

x = keras.activations.relu(x)
# Drop the warm-up steps at both ends of the window
x = x[:, 2:-2]
x = ops.mean(x, axis=1)
scale = ops.sqrt(ops.sum(ops.square(x), axis=-1, keepdims=True) + 1e-6)
x = x / scale
outputs = layers.Dense(1)(x * 2.0 - 1.0)

model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
