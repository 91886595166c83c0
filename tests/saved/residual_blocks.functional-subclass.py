"""The model saved in residual_blocks.json, written out by kconvert from-saved."""

import keras


def residual_block(inputs, dilation_rate, prefix):
    x = keras.layers.Conv2D(
        8, (3, 3), padding="same", dilation_rate=dilation_rate, name=f"{prefix}conv1"
    )(inputs)
    x = keras.layers.BatchNormalization(name=f"{prefix}bn1")(x)
    x = keras.layers.Activation("relu", name=f"{prefix}relu1")(x)
    x = keras.layers.Conv2D(8, (3, 3), padding="same", name=f"{prefix}conv2")(x)
    x = keras.layers.Add(name=f"{prefix}add")([inputs, x])
    x = keras.layers.Activation("relu", name=f"{prefix}out")(x)
    return x


@keras.saving.register_keras_serializable(package="residual_blocks")
class SmallResNet(keras.Model):
    def __init__(self, name="small_resnet", **kwargs):
        image = keras.Input(shape=(16, 16, 3), name="image")
        x = keras.layers.Conv2D(8, (3, 3), padding="same", name="stem")(image)
        for dilation_rate, prefix in [
            ((1, 1), "res1_"),
            ((2, 2), "res2_"),
            ((4, 4), "res3_"),
        ]:
            x = residual_block(x, dilation_rate=dilation_rate, prefix=prefix)
        x = keras.layers.GlobalAveragePooling2D()(x)
        outputs = keras.layers.Dense(10, activation="softmax", name="classes")(x)
        super().__init__(inputs=image, outputs=outputs, name=name, **kwargs)


model = SmallResNet()
