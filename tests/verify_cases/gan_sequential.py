"""A GAN as a Sequential of two models built beforehand: by build() and by a helper."""

import keras
from keras import layers

generator = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(12)])
generator.build((None, 6))


def make_discriminator():
    inputs = keras.Input((12,))
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(inputs))


gan = keras.Sequential([generator, make_discriminator()])
