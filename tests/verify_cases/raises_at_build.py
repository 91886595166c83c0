"""A model that cannot be built: Conv2D on a flat input."""

import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(28,)),
        layers.Conv2D(8, 3),
    ]
)
