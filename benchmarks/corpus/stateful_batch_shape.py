"""Like the Keras 'stateful LSTM' examples: `Input(batch_shape=...)` for a stateful recurrent model."""

import keras
from keras import layers

batch_size = 32
timesteps = 16
features = 4

inputs = keras.Input(batch_shape=(batch_size, timesteps, features))
x = layers.LSTM(50, stateful=True, return_sequences=True)(inputs)
x = layers.LSTM(50, stateful=True)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)

model.compile(loss="mse", optimizer="adam")
