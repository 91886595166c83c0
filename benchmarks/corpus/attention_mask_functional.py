"""Like keras.io 'English-to-Spanish translation with a sequence-to-sequence Transformer': MultiHeadAttention called in Functional code with a padding mask input."""

import keras
from keras import layers

sequence_length = 20
vocab_size = 15000
embed_dim = 64
num_heads = 4

token_ids = keras.Input(shape=(sequence_length,), dtype="int64", name="token_ids")
padding_mask = keras.Input(
    shape=(1, sequence_length), dtype="bool", name="padding_mask"
)

x = layers.Embedding(vocab_size, embed_dim)(token_ids)
attention = layers.MultiHeadAttention(
    num_heads=num_heads, key_dim=embed_dim, dropout=0.1
)
attended = attention(query=x, value=x, key=x, attention_mask=padding_mask)
x = layers.LayerNormalization()(x + attended)
projected = layers.Dense(embed_dim, activation="relu")(x)
projected = layers.Dense(embed_dim)(projected)
x = layers.LayerNormalization()(x + projected)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(vocab_size, activation="softmax", name="next_token")(x)

model = keras.Model(
    {"token_ids": token_ids, "padding_mask": padding_mask}, outputs, name="encoder_lm"
)
model.compile("rmsprop", loss="sparse_categorical_crossentropy")
