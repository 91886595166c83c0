"""Like the Keras 2 'Getting started with the Sequential model' guide: `input_dim=`, `InputLayer(input_shape=...)`, `tf.keras.models.Model`, merge-era `concatenate`/`add` functions."""

import tensorflow as tf
from tensorflow.keras.layers import (
    Activation,
    Dense,
    Dropout,
    InputLayer,
    add,
    concatenate,
)
from tensorflow.keras.models import Sequential

# For a single-input model with 2 classes (binary classification):
model = Sequential()
model.add(Dense(32, activation="relu", input_dim=100))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])

# Multilayer Perceptron (MLP) for multi-class softmax classification
mlp = Sequential()
mlp.add(InputLayer(input_shape=(20,)))
mlp.add(Dense(64))
mlp.add(Activation("relu"))
mlp.add(Dropout(0.5))
mlp.add(Dense(64, activation="relu"))
mlp.add(Dropout(0.5))
mlp.add(Dense(10, activation="softmax"))
mlp.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])

# A small graph written with the functional merge helpers
a = tf.keras.layers.Input(shape=(16,))
b = tf.keras.layers.Input(shape=(16,))
summed = add([Dense(8)(a), Dense(8)(b)])
joined = concatenate([summed, a, b])
merged_model = tf.keras.models.Model(inputs=[a, b], outputs=Dense(1)(joined))
