"""A bag-of-embeddings classifier; its inputs must be token ids."""

import keras
from keras import layers

VOCAB = 100

model = keras.Sequential(
    [
        keras.Input(shape=(12,)),
        layers.Embedding(input_dim=VOCAB, output_dim=8),
        layers.GlobalAveragePooling1D(),
        layers.Dense(3),
    ]
)
