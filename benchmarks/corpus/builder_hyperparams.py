"""Like 'Hands-On Machine Learning' ch. 10 `build_model(n_hidden, n_neurons, ...)` used with hyperparameter search (Sequential built in a loop)."""

import keras


def build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3, input_shape=[8]):
    model = keras.models.Sequential()
    model.add(keras.layers.InputLayer(shape=input_shape))
    for layer in range(n_hidden):
        model.add(keras.layers.Dense(n_neurons, activation="relu"))
    model.add(keras.layers.Dense(1))
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    model.compile(loss="mse", optimizer=optimizer)
    return model


model = build_model(n_hidden=2, n_neurons=50)

if __name__ == "__main__":
    from sklearn.datasets import fetch_california_housing

    housing = fetch_california_housing()
    model.fit(housing.data, housing.target, epochs=10)
