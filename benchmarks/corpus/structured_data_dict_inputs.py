"""Like keras.io 'Structured data classification from scratch' (pre-FeatureSpace version): one named Input per feature, held in a dict, concatenated."""

import keras
from keras import layers

NUMERIC_FEATURES = ["age", "trestbps", "chol", "thalach", "oldpeak", "slope"]
CATEGORICAL_FEATURES = ["sex", "cp", "fbs", "restecg", "exang", "ca"]

inputs = {name: keras.Input(shape=(1,), name=name) for name in NUMERIC_FEATURES}
for name in CATEGORICAL_FEATURES:
    inputs[name] = keras.Input(shape=(1,), name=name, dtype="int64")

numeric = layers.concatenate([inputs[name] for name in NUMERIC_FEATURES])
numeric = layers.BatchNormalization()(numeric)
encoded = [layers.Embedding(10, 4)(inputs[name]) for name in CATEGORICAL_FEATURES]
categorical = layers.Flatten()(layers.concatenate(encoded))
all_features = layers.concatenate([numeric, categorical])
x = layers.Dense(32, activation="relu")(all_features)
x = layers.Dropout(0.5)(x)
output = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, output)
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
