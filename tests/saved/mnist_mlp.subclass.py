"""The model saved in mnist_mlp.json, written out by kconvert from-saved."""

import keras


@keras.saving.register_keras_serializable(package="mnist_mlp")
class MnistMLP(keras.Model):
    def __init__(self, name="mnist_mlp", **kwargs):
        super().__init__(name=name, **kwargs)
        self.flatten = keras.layers.Flatten()
        self.dense = keras.layers.Dense(
            64, activation="relu", kernel_initializer="he_normal"
        )
        self.dropout = keras.layers.Dropout(0.2)
        self.digits = keras.layers.Dense(10, activation="softmax", name="digits")

    def call(self, inputs, training=None):
        x = self.flatten(inputs)
        x = self.dense(x)
        x = self.dropout(x, training=training)
        return self.digits(x)


model = MnistMLP()
model(keras.Input(shape=(28, 28), name="pixels"))
