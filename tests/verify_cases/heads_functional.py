import keras
from keras import layers

inputs = keras.Input(shape=(6,))
x = layers.Dense(8, activation="relu")(inputs)
mean = layers.Dense(2, name="mean")(x)
log_var = layers.Dense(2, name="log_var")(x)
model = keras.Model(inputs, [mean, log_var])
