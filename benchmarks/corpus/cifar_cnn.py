"""Like the TensorFlow tutorial 'Convolutional Neural Network (CNN)' on CIFAR-10 (`from tensorflow.keras import datasets, layers, models`, model.add with input_shape)."""

import tensorflow as tf
from tensorflow.keras import datasets, layers, models


def load():
    (train_images, train_labels), (test_images, test_labels) = (
        datasets.cifar10.load_data()
    )
    # Normalize pixel values to be between 0 and 1
    return (train_images / 255.0, train_labels), (test_images / 255.0, test_labels)


model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.Flatten())
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(10))

model.summary()

model.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
