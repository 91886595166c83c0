"""Like keras.io 'Image classification with MLP-Mixer' (helper functions building blocks with keras.ops, Permute, a loop over blocks, keras.Sequential used as block)."""

import keras
from keras import layers

num_classes = 10
input_shape = (32, 32, 3)
image_size = 32
patch_size = 8
num_patches = (image_size // patch_size) ** 2
embedding_dim = 64
num_blocks = 2
dropout_rate = 0.2


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, x):
        patches = keras.ops.image.extract_patches(x, self.patch_size)
        batch_size = keras.ops.shape(patches)[0]
        num_patches = keras.ops.shape(patches)[1] * keras.ops.shape(patches)[2]
        patch_dim = keras.ops.shape(patches)[3]
        out = keras.ops.reshape(patches, (batch_size, num_patches, patch_dim))
        return out


def mixer_block(x, num_patches, hidden_units, dropout_rate):
    token_mixing = keras.Sequential(
        [
            layers.Dense(units=num_patches, activation="gelu"),
            layers.Dense(units=num_patches),
            layers.Dropout(rate=dropout_rate),
        ]
    )
    channel_mixing = keras.Sequential(
        [
            layers.Dense(units=hidden_units, activation="gelu"),
            layers.Dense(units=hidden_units),
            layers.Dropout(rate=dropout_rate),
        ]
    )
    # Apply layer normalization.
    x1 = layers.LayerNormalization(epsilon=1e-6)(x)
    # Transpose inputs from [num_batches, num_patches, hidden_units] to [num_batches, hidden_units, num_patches].
    x_channels = layers.Permute((2, 1))(x1)
    # Apply mlp1 on each channel independently.
    mlp1_outputs = token_mixing(x_channels)
    # Transpose mlp1_outputs from [num_batches, hidden_dim, num_patches] to [num_batches, num_patches, hidden_units].
    mlp1_outputs = layers.Permute((2, 1))(mlp1_outputs)
    # Add skip connection.
    x = mlp1_outputs + x
    # Apply layer normalization.
    x2 = layers.LayerNormalization(epsilon=1e-6)(x)
    # Apply mlp2 on each patch independtenly.
    x2 = channel_mixing(x2)
    # Add skip connection.
    x = x + x2
    return x


def build_classifier(num_blocks, positional_encoding=False):
    inputs = layers.Input(shape=input_shape)
    # Create patches.
    patches = Patches(patch_size)(inputs)
    # Encode patches to generate a [batch_size, num_patches, embedding_dim] tensor.
    x = layers.Dense(units=embedding_dim)(patches)
    if positional_encoding:
        x = x + layers.Embedding(input_dim=num_patches, output_dim=embedding_dim)(
            keras.ops.arange(start=0, stop=num_patches, step=1)
        )
    # Process x using the module blocks.
    for _ in range(num_blocks):
        x = mixer_block(x, num_patches, embedding_dim, dropout_rate)
    # Apply global average pooling to generate a [batch_size, embedding_dim] representation tensor.
    representation = layers.GlobalAveragePooling1D()(x)
    # Apply dropout.
    representation = layers.Dropout(rate=dropout_rate)(representation)
    # Compute logits outputs.
    logits = layers.Dense(num_classes)(representation)
    # Create the Keras model.
    return keras.Model(inputs=inputs, outputs=logits)


mlpmixer_classifier = build_classifier(num_blocks)
