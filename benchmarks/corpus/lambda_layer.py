"""Like keras.io / Géron examples using `keras.layers.Lambda` for scaling and normalisation steps in a Sequential model."""

import keras
from keras import layers, ops

model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        layers.Lambda(lambda images: images / 255.0, name="scale"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Lambda(lambda v: ops.normalize(v, axis=-1), name="l2_normalize"),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
