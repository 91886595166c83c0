"""The model saved in mnist_mlp.json, written out by kconvert from-saved."""

import keras

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28), name="pixels"),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax", name="digits"),
    ],
    name="mnist_mlp",
)
