"""Like the keras.io functional API guide 'Shared layers' (one Embedding and one LSTM applied to two inputs)."""

import keras
from keras import layers

# Embedding for 1000 unique words mapped to 128-dimensional vectors
shared_embedding = layers.Embedding(1000, 128)
shared_lstm = layers.LSTM(64)

# Variable-length sequence of integers
text_input_a = keras.Input(shape=(None,), dtype="int32")

# Variable-length sequence of integers
text_input_b = keras.Input(shape=(None,), dtype="int32")

# Reuse the same layers to encode both inputs
encoded_input_a = shared_lstm(shared_embedding(text_input_a))
encoded_input_b = shared_lstm(shared_embedding(text_input_b))

merged = layers.concatenate([encoded_input_a, encoded_input_b], axis=-1)
predictions = layers.Dense(1, activation="sigmoid")(merged)

model = keras.Model(inputs=[text_input_a, text_input_b], outputs=predictions)
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
