"""Like the keras.io 'Multi-output' examples (object detection heads): outputs given as a nested structure, named outputs, a Model(inputs=dict)."""

import keras
from keras import layers

image = keras.Input(shape=(64, 64, 3), name="image")
meta = keras.Input(shape=(4,), name="meta")

x = layers.Conv2D(16, 3, strides=2, activation="relu")(image)
x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Concatenate()([x, meta])

class_logits = layers.Dense(5, name="class_logits")(x)
box = layers.Dense(4, activation="sigmoid", name="box")(x)
confidence = layers.Dense(1, activation="sigmoid", name="confidence")(x)

model = keras.Model(
    inputs={"image": image, "meta": meta},
    outputs={"classification": class_logits, "localization": [box, confidence]},
)
model.compile(
    optimizer="adam",
    loss={
        "classification": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "localization": ["mse", "binary_crossentropy"],
    },
)
