"""Like old StackOverflow / TF 1.x-era code importing the private `tensorflow.python.keras` package (kconvert should refuse it clearly)."""

from tensorflow.python.keras import layers
from tensorflow.python.keras.models import Sequential

model = Sequential()
model.add(layers.Dense(32, activation="relu", input_shape=(16,)))
model.add(layers.Dense(1))
model.compile(optimizer="adam", loss="mse")
