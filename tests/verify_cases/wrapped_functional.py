"""A Functional model nested in a TimeDistributed wrapper: each word of a sentence encoded."""

import keras
from keras import layers

word_input = keras.Input(shape=(6,))
x = layers.Embedding(40, 8)(word_input)
x = layers.GlobalAveragePooling1D()(x)
word_model = keras.Model(word_input, x)

model = keras.Sequential([keras.Input(shape=(3, 6)), layers.TimeDistributed(word_model), layers.GlobalAveragePooling1D(), layers.Dense(1)])
