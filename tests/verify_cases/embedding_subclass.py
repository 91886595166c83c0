"""The bag-of-embeddings classifier, subclassed; its input shape comes from input_shape."""

import keras
from keras import layers


class BagOfEmbeddings(keras.Model):
    def __init__(self, vocab=100):
        super().__init__()
        self.embed = layers.Embedding(input_dim=vocab, output_dim=8)
        self.pool = layers.GlobalAveragePooling1D()
        self.classify = layers.Dense(3)

    def call(self, tokens):
        return self.classify(self.pool(self.embed(tokens)))


model = BagOfEmbeddings()
