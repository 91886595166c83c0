"""Like the TensorFlow tutorial 'Basic text classification' (Embedding + GlobalAveragePooling1D, tf.keras style)."""

import tensorflow as tf
from tensorflow.keras import layers, losses

max_features = 10000
embedding_dim = 16
sequence_length = 250

model = tf.keras.Sequential(
    [
        layers.Embedding(max_features, embedding_dim),
        layers.Dropout(0.2),
        layers.GlobalAveragePooling1D(),
        layers.Dropout(0.2),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.build((None, sequence_length))
model.summary()

model.compile(
    loss=losses.BinaryCrossentropy(),
    optimizer="adam",
    metrics=[tf.metrics.BinaryAccuracy(threshold=0.5)],
)


def load_dataset(batch_size=32, seed=42):
    raw_train_ds = tf.keras.utils.text_dataset_from_directory(
        "aclImdb/train",
        batch_size=batch_size,
        validation_split=0.2,
        subset="training",
        seed=seed,
    )
    return raw_train_ds


if __name__ == "__main__":
    train_ds = load_dataset()
    history = model.fit(train_ds, epochs=10)
