"""MNIST MLP, subclassed; layers are created in a different order than they are called."""

import keras
from keras import layers


class MnistMLP(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.head = layers.Dense(num_classes, activation="softmax")
        self.hidden2 = layers.Dense(128, activation="relu")
        self.hidden1 = layers.Dense(256, activation="relu")
        self.flatten = layers.Flatten()

    def call(self, inputs):
        x = self.flatten(inputs)
        x = self.hidden1(x)
        x = self.hidden2(x)
        return self.head(x)


model = MnistMLP()
model.build((None, 28, 28))
