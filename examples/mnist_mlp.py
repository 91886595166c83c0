"""The MNIST multilayer perceptron from the Keras models tutorial, as a Sequential model.

Try:  kconvert to-functional --verify examples/mnist_mlp.py
"""

import numpy as np
from tensorflow import keras

model = keras.models.Sequential()
model.add(keras.layers.Flatten(input_shape=[28, 28]))
model.add(keras.layers.Dense(256, activation="relu"))
model.add(keras.layers.Dense(128, activation="relu"))
model.add(keras.layers.Dense(10, activation="softmax"))

model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])

if __name__ == "__main__":
    images = np.random.rand(256, 28, 28).astype("float32")
    labels = np.random.randint(0, 10, size=256)
    model.fit(images, labels, epochs=1, batch_size=32)
    model.summary()
