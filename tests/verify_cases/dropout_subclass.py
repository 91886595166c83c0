"""The same model subclassed, its layers created in another order than called."""

import keras
from keras import layers


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.head = layers.Dense(3)
        self.noise = layers.GaussianNoise(0.1)
        self.drop = layers.Dropout(0.3)
        self.norm = layers.BatchNormalization(momentum=0.99)
        self.hidden = layers.Dense(16)

    def call(self, inputs, training=None):
        x = self.hidden(inputs)
        x = self.norm(x, training=training)
        x = self.drop(x, training=training)
        x = self.noise(x, training=training)
        return self.head(x)


model = Net()
model.build((None, 12))
