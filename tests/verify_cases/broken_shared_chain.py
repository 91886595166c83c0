"""The shared chain, subclassed, with the second input given its own Embedding."""

import keras
from keras import layers


class SharedChain(keras.Model):
    def __init__(self):
        super().__init__()
        self.emb = layers.Embedding(100, 8)
        self.emb_b = layers.Embedding(100, 8)
        self.enc = layers.LSTM(8)
        self.head = layers.Dense(1)

    def call(self, inputs):
        a, b = inputs
        first = self.enc(self.emb(a))
        second = self.enc(self.emb_b(b))
        return self.head(keras.ops.concatenate([first, second], axis=-1))


model = SharedChain()
model([keras.Input((5,), dtype="int32"), keras.Input((5,), dtype="int32")])
