"""A text classifier whose input is strings: TextVectorization adapted in the file."""

import keras
from keras import layers

vectorize = layers.TextVectorization(max_tokens=40, output_sequence_length=6)
vectorize.adapt(["the cat sat on the mat", "a dog ran far away"])

inputs = keras.Input(shape=(1,), dtype="string")
x = vectorize(inputs)
x = layers.Embedding(40, 4)(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
