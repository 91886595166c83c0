"""Like keras.io 'Conditional GAN' / Géron's GAN chapter: `activation=layers.LeakyReLU(0.2)` passed as a layer object, MLP generator and discriminator."""

import keras
from keras import layers

codings_size = 30
image_shape = (28, 28)

generator = keras.Sequential(
    [
        layers.Dense(
            100, activation=layers.LeakyReLU(0.2), kernel_initializer="he_normal"
        ),
        layers.Dense(
            150, activation=layers.LeakyReLU(0.2), kernel_initializer="he_normal"
        ),
        layers.Dense(28 * 28, activation="sigmoid"),
        layers.Reshape(image_shape),
    ],
    name="generator",
)
generator.build((None, codings_size))

disc_inputs = keras.Input(shape=image_shape)
x = layers.Flatten()(disc_inputs)
x = layers.Dense(150, activation=layers.LeakyReLU(negative_slope=0.2))(x)
x = layers.Dense(100, activation=layers.LeakyReLU(negative_slope=0.2))(x)
disc_outputs = layers.Dense(1, activation="sigmoid")(x)
discriminator = keras.Model(disc_inputs, disc_outputs, name="discriminator")

gan = keras.Sequential([generator, discriminator])

discriminator.compile(loss="binary_crossentropy", optimizer="rmsprop")
discriminator.trainable = False
gan.compile(loss="binary_crossentropy", optimizer="rmsprop")
