"""The model saved in residual_blocks.json, written out by kconvert from-saved."""

import keras


@keras.saving.register_keras_serializable(package="residual_blocks")
class ResidualBlock(keras.layers.Layer):
    def __init__(self, dilation_rate, prefix, **kwargs):
        super().__init__(**kwargs)
        self.dilation_rate = dilation_rate
        self.prefix = prefix
        self.conv1 = keras.layers.Conv2D(
            8,
            (3, 3),
            padding="same",
            dilation_rate=dilation_rate,
            name=f"{prefix}conv1",
        )
        self.bn = keras.layers.BatchNormalization(name=f"{prefix}bn1")
        self.activation1 = keras.layers.Activation("relu", name=f"{prefix}relu1")
        self.conv2 = keras.layers.Conv2D(
            8, (3, 3), padding="same", name=f"{prefix}conv2"
        )
        self.add = keras.layers.Add(name=f"{prefix}add")
        self.activation2 = keras.layers.Activation("relu", name=f"{prefix}out")

    def call(self, inputs, training=None):
        x = self.conv1(inputs)
        x = self.bn(x, training=training)
        x = self.activation1(x)
        x = self.conv2(x)
        x = self.add([inputs, x])
        return self.activation2(x)

    def get_config(self):
        config = {"dilation_rate": self.dilation_rate, "prefix": self.prefix}
        return {**super().get_config(), **config}


@keras.saving.register_keras_serializable(package="residual_blocks")
class SmallResNet(keras.Model):
    def __init__(self, name="small_resnet", **kwargs):
        super().__init__(name=name, **kwargs)
        self.stem = keras.layers.Conv2D(8, (3, 3), padding="same", name="stem")
        self.residual_blocks = [
            ResidualBlock(dilation_rate=dilation_rate, prefix=prefix)
            for dilation_rate, prefix in [
                ((1, 1), "res1_"),
                ((2, 2), "res2_"),
                ((4, 4), "res3_"),
            ]
        ]
        self.global_pool = keras.layers.GlobalAveragePooling2D()
        self.classes = keras.layers.Dense(10, activation="softmax", name="classes")

    def call(self, inputs, training=None):
        x = self.stem(inputs)
        for residual_block in self.residual_blocks:
            x = residual_block(x)
        x = self.global_pool(x)
        return self.classes(x)


model = SmallResNet()
model(keras.Input(shape=(16, 16, 3), name="image"))
