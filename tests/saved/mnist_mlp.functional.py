"""The model saved in mnist_mlp.json, written out by kconvert from-saved."""

import keras

pixels = keras.Input(shape=(28, 28), name="pixels")
x = keras.layers.Flatten()(pixels)
x = keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal")(x)
x = keras.layers.Dropout(0.2)(x)
outputs = keras.layers.Dense(10, activation="softmax", name="digits")(x)
model = keras.Model(inputs=pixels, outputs=outputs, name="mnist_mlp")
