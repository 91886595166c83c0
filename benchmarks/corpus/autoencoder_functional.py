"""Like 'Hands-On Machine Learning' ch. 17 stacked autoencoder: encoder and decoder Sequential models used as blocks of a Functional model."""

import keras

stacked_encoder = keras.Sequential(
    [
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(30, activation="relu"),
    ],
    name="encoder",
)
stacked_decoder = keras.Sequential(
    [
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(28 * 28),
        keras.layers.Reshape([28, 28]),
    ],
    name="decoder",
)

inputs = keras.Input(shape=[28, 28])
codings = stacked_encoder(inputs)
reconstructions = stacked_decoder(codings)
stacked_ae = keras.Model(inputs=inputs, outputs=reconstructions, name="stacked_ae")

stacked_ae.compile(loss="mse", optimizer="nadam")

if __name__ == "__main__":
    (X_train, _), (X_valid, _) = keras.datasets.fashion_mnist.load_data()
    X_train, X_valid = X_train / 255.0, X_valid / 255.0
    history = stacked_ae.fit(
        X_train, X_train, epochs=20, validation_data=(X_valid, X_valid)
    )
