"""The same text classifier as a Sequential model."""

import keras
from keras import layers

vectorize = layers.TextVectorization(max_tokens=40, output_sequence_length=6)
vectorize.adapt(["the cat sat on the mat", "a dog ran far away"])

model = keras.Sequential(
    [
        keras.Input(shape=(1,), dtype="string"),
        vectorize,
        layers.Embedding(40, 4),
        layers.GlobalAveragePooling1D(),
        layers.Dense(1),
    ]
)
