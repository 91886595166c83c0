"""One Dense layer shared by two named inputs (a siamese tower), Functional API."""

import keras
from keras import layers

left = keras.Input(shape=(16,), name="left")
right = keras.Input(shape=(16,), name="right")
tower = layers.Dense(8, activation="relu")
merged = layers.Concatenate()([tower(left), tower(right)])
score = layers.Dense(1, activation="sigmoid")(merged)
model = keras.Model({"left": left, "right": right}, score)
