"""Dense, BatchNormalization, ReLU, built with .add() calls in a loop."""

from keras import Input, Sequential
from keras.layers import Activation, BatchNormalization, Dense

WIDTHS = [32, 16]

model = Sequential()
model.add(Input(shape=(20,)))
for width in WIDTHS:
    model.add(Dense(width))
    model.add(BatchNormalization())
    model.add(Activation("relu"))
model.add(Dense(5, activation="softmax"))
