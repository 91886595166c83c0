"""The siamese model with the tower no longer shared: two layers instead of one."""

import keras
from keras import layers

left = keras.Input(shape=(16,), name="left")
right = keras.Input(shape=(16,), name="right")
left_tower = layers.Dense(8, activation="relu")
right_tower = layers.Dense(8, activation="relu")
merged = layers.Concatenate()([left_tower(left), right_tower(right)])
score = layers.Dense(1, activation="sigmoid")(merged)
model = keras.Model({"left": left, "right": right}, score)
