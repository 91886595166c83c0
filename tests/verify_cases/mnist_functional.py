"""MNIST MLP, Functional API."""

from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(28, 28))
x = layers.Flatten()(inputs)
x = layers.Dense(256, activation="relu")(x)
x = layers.Dense(128, activation="relu")(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_mlp")

if __name__ == "__main__":
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train / 255.0, y_train, epochs=5)
