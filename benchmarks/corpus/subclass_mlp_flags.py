"""Like keras.io 'Making new layers and models via subclassing' / TF 'Custom layers': an MLP subclass with constructor flags."""

import keras
from keras import layers


class MLP(keras.Model):
    def __init__(
        self, hidden_units=64, num_classes=10, use_bn=False, use_dropout=False, **kwargs
    ):
        super().__init__(**kwargs)
        self.use_bn = use_bn
        self.use_dropout = use_dropout
        self.dense1 = layers.Dense(hidden_units, activation="relu")
        self.dense2 = layers.Dense(hidden_units, activation="relu")
        self.dense3 = layers.Dense(num_classes)
        if self.use_bn:
            self.bn = layers.BatchNormalization()
        if self.use_dropout:
            self.dropout = layers.Dropout(0.5)

    def call(self, inputs, training=False):
        x = self.dense1(inputs)
        if self.use_bn:
            x = self.bn(x, training=training)
        x = self.dense2(x)
        if self.use_dropout:
            x = self.dropout(x, training=training)
        return self.dense3(x)


model = MLP(use_bn=True, use_dropout=True)
model.build((None, 784))
model.compile(
    optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
)
