"""The model saved in dense_blocks.json, written out by kconvert from-saved."""

import keras

model = keras.Sequential(
    [
        keras.Input(shape=(20,), name="features"),
        keras.layers.Dense(64, activation="relu", name="block1_dense"),
        keras.layers.LayerNormalization(axis=(-1,), name="block1_norm"),
        keras.layers.Dense(32, activation="relu", name="block2_dense"),
        keras.layers.LayerNormalization(axis=(-1,), name="block2_norm"),
        keras.layers.Dense(16, activation="relu", name="block3_dense"),
        keras.layers.LayerNormalization(axis=(-1,), name="block3_norm"),
        keras.layers.Dense(1, name="score"),
    ],
    name="tapered_mlp",
)
