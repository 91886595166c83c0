"""Like the classic TF2 'LeNet-5 with model subclassing' tutorials (import tensorflow as tf, tf.keras.Model, layers in __init__, call chaining them)."""

import tensorflow as tf


class LeNet(tf.keras.Model):
    def __init__(self, num_classes=10):
        super(LeNet, self).__init__()
        self.conv1 = tf.keras.layers.Conv2D(
            6, kernel_size=5, padding="same", activation="tanh"
        )
        self.pool1 = tf.keras.layers.AveragePooling2D(pool_size=2, strides=2)
        self.conv2 = tf.keras.layers.Conv2D(16, kernel_size=5, activation="tanh")
        self.pool2 = tf.keras.layers.AveragePooling2D(pool_size=2, strides=2)
        self.flatten = tf.keras.layers.Flatten()
        self.fc1 = tf.keras.layers.Dense(120, activation="tanh")
        self.fc2 = tf.keras.layers.Dense(84, activation="tanh")
        self.fc3 = tf.keras.layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        x = self.pool1(self.conv1(x))
        x = self.pool2(self.conv2(x))
        x = self.flatten(x)
        x = self.fc1(x)
        x = self.fc2(x)
        return self.fc3(x)


model = LeNet()
model.build(input_shape=(None, 28, 28, 1))
model.summary()

if __name__ == "__main__":
    (x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
    x_train = x_train[..., tf.newaxis].astype("float32") / 255.0
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(x_train, y_train, epochs=5)
