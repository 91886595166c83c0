import keras
from keras import layers


class Heads(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(8, activation="relu")
        self.mean = layers.Dense(2, name="mean")
        self.log_var = layers.Dense(2, name="log_var")

    def call(self, inputs):
        x = self.dense(inputs)
        return [self.mean(x), self.log_var(x)]


model = Heads()
model(keras.Input(shape=(6,)))
