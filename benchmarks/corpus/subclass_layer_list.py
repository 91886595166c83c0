"""Like the TensorFlow guide 'Training & evaluation': a subclassed model keeping its blocks in a list built with a loop, `training` passed to Dropout and BatchNormalization."""

import keras
from keras import layers


class DeepClassifier(keras.Model):
    def __init__(self, num_blocks=3, units=128, num_classes=10, rate=0.3):
        super().__init__()
        self.flatten = layers.Flatten()
        self.hidden = [
            layers.Dense(units, activation="relu") for _ in range(num_blocks)
        ]
        self.norms = [layers.BatchNormalization() for _ in range(num_blocks)]
        self.dropout = layers.Dropout(rate)
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=None):
        x = self.flatten(inputs)
        for dense, norm in zip(self.hidden, self.norms):
            x = dense(x)
            x = norm(x, training=training)
        x = self.dropout(x, training=training)
        return self.classifier(x)


model = DeepClassifier()
model.build((None, 28, 28))
model.compile(
    optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
