"""A side branch: the auxiliary head reads a hidden tensor, the main head a concatenation."""

import keras
from keras import layers

i = keras.Input((8,))
h = layers.Dense(30)(i)
out = layers.Dense(1, name="main")(layers.concatenate([i, h]))
aux = layers.Dense(1, name="aux")(h)
model = keras.Model(i, [out, aux])
