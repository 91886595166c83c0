"""One Embedding and one LSTM, chained, shared by two inputs, Functional API."""

import keras
from keras import layers

emb = layers.Embedding(100, 8)
enc = layers.LSTM(8)
a = keras.Input((5,))
b = keras.Input((5,))
x = layers.concatenate([enc(emb(a)), enc(emb(b))])
out = layers.Dense(1)(x)
model = keras.Model([a, b], out)
