"""The same, its word model a subclass: the wrapper's config names another class."""

import keras
from keras import layers


class WordModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(40, 8)
        self.pool = layers.GlobalAveragePooling1D()

    def call(self, inputs):
        return self.pool(self.embedding(inputs))


word_model = WordModel()
word_model(keras.Input(shape=(6,)))

model = keras.Sequential([keras.Input(shape=(3, 6)), layers.TimeDistributed(word_model), layers.GlobalAveragePooling1D(), layers.Dense(1)])
