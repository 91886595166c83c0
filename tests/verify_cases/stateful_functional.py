"""A stateful LSTM, which only runs on the batch size its input declares."""

import keras
from keras import layers

inputs = keras.Input(batch_shape=(32, 16, 4))
x = layers.LSTM(12, stateful=True, return_sequences=True)(inputs)
x = layers.LSTM(12, stateful=True)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
