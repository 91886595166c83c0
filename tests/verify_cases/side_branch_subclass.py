"""The side-branch model, subclassed: calls run in source order, main head first."""

import keras
from keras import layers


class SideBranch(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(30)
        self.main = layers.Dense(1, name="main")
        self.aux = layers.Dense(1, name="aux")

    def call(self, inputs):
        h = self.hidden(inputs)
        out = self.main(layers.concatenate([inputs, h]))
        aux = self.aux(h)
        return [out, aux]


model = SideBranch()
model.build((None, 8))
