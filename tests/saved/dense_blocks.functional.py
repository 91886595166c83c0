"""The model saved in dense_blocks.json, written out by kconvert from-saved."""

import keras


def block(x, units, prefix):
    x = keras.layers.Dense(units, activation="relu", name=f"{prefix}dense")(x)
    x = keras.layers.LayerNormalization(axis=(-1,), name=f"{prefix}norm")(x)
    return x


features = keras.Input(shape=(20,), name="features")
x = features
for units, prefix in [(64, "block1_"), (32, "block2_"), (16, "block3_")]:
    x = block(x, units=units, prefix=prefix)
outputs = keras.layers.Dense(1, name="score")(x)
model = keras.Model(inputs=features, outputs=outputs, name="tapered_mlp")
