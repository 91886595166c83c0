"""Like 'Hands-On Machine Learning' ch. 14 Fashion-MNIST CNN: `DefaultConv2D = partial(layers.Conv2D, kernel_size=3, padding="same")` in a Sequential list."""

from functools import partial

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

DefaultConv2D = partial(
    layers.Conv2D,
    kernel_size=3,
    padding="same",
    activation="relu",
    kernel_initializer="he_normal",
)

model = keras.Sequential(
    [
        DefaultConv2D(filters=64, kernel_size=7, input_shape=[28, 28, 1]),
        layers.MaxPool2D(),
        DefaultConv2D(filters=128),
        DefaultConv2D(filters=128),
        layers.MaxPool2D(),
        DefaultConv2D(filters=256),
        DefaultConv2D(filters=256),
        layers.MaxPool2D(),
        layers.Flatten(),
        layers.Dense(units=128, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(units=64, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(units=10, activation="softmax"),
    ]
)

model.compile(
    loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"]
)

(X_train_full, y_train_full), (X_test, y_test) = (
    keras.datasets.fashion_mnist.load_data()
)
X_train_full = np.expand_dims(X_train_full, axis=-1).astype(np.float32) / 255
X_train, X_valid = X_train_full[:-5000], X_train_full[-5000:]
y_train, y_valid = y_train_full[:-5000], y_train_full[-5000:]
history = model.fit(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid))
