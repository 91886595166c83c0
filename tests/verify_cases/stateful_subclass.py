"""The stateful LSTM, subclassed and built by a call on a batch of 32."""

import keras
from keras import layers


class Stateful(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = layers.LSTM(12, stateful=True, return_sequences=True)
        self.second = layers.LSTM(12, stateful=True)
        self.head = layers.Dense(1)

    def call(self, inputs):
        return self.head(self.second(self.first(inputs)))


model = Stateful()
model(keras.ops.zeros((32, 16, 4)))
