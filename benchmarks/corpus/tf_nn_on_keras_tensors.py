"""Like Keras-2-era TF 1.x/2.x tutorials applying `tf.nn.relu` / `tf.reduce_mean` to Keras tensors in Functional code (does NOT build in Keras 3: kconvert should refuse it with a hint to use keras.ops)."""

import tensorflow as tf
from tensorflow import keras

inputs = keras.Input(shape=(20,))
x = keras.layers.Dense(64)(inputs)
x = tf.nn.relu(x)
x = keras.layers.Dense(64)(x)
x = tf.nn.relu(x)
outputs = keras.layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
