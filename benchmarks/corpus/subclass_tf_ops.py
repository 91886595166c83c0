"""Like the TensorFlow 'Customization basics' tutorials: a subclass whose call uses `tf.nn.relu` and `tf.concat` (fine eagerly, impossible in Keras 3 Functional code)."""

import tensorflow as tf


class WideDeep(tf.keras.Model):
    def __init__(self, units=30, **kwargs):
        super().__init__(**kwargs)
        self.hidden1 = tf.keras.layers.Dense(units)
        self.hidden2 = tf.keras.layers.Dense(units)
        self.main_output = tf.keras.layers.Dense(1)

    def call(self, inputs):
        hidden1 = tf.nn.relu(self.hidden1(inputs))
        hidden2 = tf.nn.relu(self.hidden2(hidden1))
        concat = tf.concat([inputs, hidden2], axis=-1)
        return self.main_output(concat)


model = WideDeep(name="wide_and_deep")
model.build((None, 8))
model.compile(loss="mse", optimizer="sgd")
