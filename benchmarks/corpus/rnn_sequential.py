"""Like the TensorFlow guide 'Recurrent Neural Networks (RNN) with Keras': Sequential GRU + SimpleRNN model built with model.add."""

from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential()
model.add(layers.Embedding(input_dim=1000, output_dim=64))

# The output of GRU will be a 3D tensor of shape (batch_size, timesteps, 256)
model.add(layers.GRU(256, return_sequences=True))

# The output of SimpleRNN will be a 2D tensor of shape (batch_size, 128)
model.add(layers.SimpleRNN(128))

model.add(layers.Dense(10))

model.build(input_shape=(None, 20))
model.summary()
