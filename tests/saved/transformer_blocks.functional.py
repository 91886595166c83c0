"""The model saved in transformer_blocks.json, written out by kconvert from-saved."""

import keras


def transformer_block(inputs):
    x = keras.layers.MultiHeadAttention(2, 8, value_dim=8, attention_axes=(1,))(
        inputs, inputs
    )
    x = keras.layers.Add()([inputs, x])
    x = keras.layers.LayerNormalization(axis=(-1,))(x)
    x_1 = keras.layers.Dense(32, activation="relu")(x)
    x_1 = keras.layers.Dense(16)(x_1)
    x = keras.layers.Add()([x, x_1])
    x = keras.layers.LayerNormalization(axis=(-1,))(x)
    return x


inputs = keras.Input(shape=(10, 16))
x = inputs
for _ in range(3):
    x = transformer_block(x)
x = keras.layers.GlobalAveragePooling1D()(x)
outputs = keras.layers.Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
