"""MNIST MLP, Functional API, with one activation changed (relu -> tanh)."""

from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(28, 28))
x = layers.Flatten()(inputs)
x = layers.Dense(256, activation="relu")(x)
x = layers.Dense(128, activation="tanh")(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_mlp")
