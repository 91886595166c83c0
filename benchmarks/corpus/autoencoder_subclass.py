"""Like the TensorFlow tutorial 'Intro to Autoencoders' (keras.Model subclass holding two tf.keras.Sequential blocks)."""

import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.models import Model

latent_dim = 64


class Autoencoder(Model):
    def __init__(self, latent_dim):
        super(Autoencoder, self).__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential(
            [
                layers.Flatten(),
                layers.Dense(latent_dim, activation="relu"),
            ]
        )
        self.decoder = tf.keras.Sequential(
            [
                layers.Dense(784, activation="sigmoid"),
                layers.Reshape((28, 28)),
            ]
        )

    def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded


autoencoder = Autoencoder(latent_dim)
autoencoder.build((None, 28, 28))
autoencoder.compile(optimizer="adam", loss=losses.MeanSquaredError())

if __name__ == "__main__":
    (x_train, _), (x_test, _) = tf.keras.datasets.fashion_mnist.load_data()
    x_train = x_train.astype("float32") / 255.0
    x_test = x_test.astype("float32") / 255.0
    autoencoder.fit(
        x_train, x_train, epochs=10, shuffle=True, validation_data=(x_test, x_test)
    )
