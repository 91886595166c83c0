"""Idioms of session 40's fresh real-world files (benchmarks/realworld, ``session = "fresh40"``)."""

from __future__ import annotations

import textwrap

from converting import C, F, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A text classifier's call() first checks the rank of what it is given, and says what it got
# with `str.format` on the tensor's shape.
RANK_CHECK = """\
    from tensorflow import keras


    class Classifier(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.head = keras.layers.Dense(2)

        def call(self, inputs):
            if len(inputs.shape) != 2:
                raise ValueError("rank 2 expected, not {}".format(inputs.shape))
            x = self.hidden(inputs)
            return self.head(x)


    model = Classifier()
    model.build((None, 6))
    """


def test_a_check_whose_message_formats_a_shape_is_kept_as_a_check() -> None:
    # Was refused: "this `if` calls layers but binds no tensor": `"...".format(inputs.shape)` was
    # read as the call of a layer from outside the model.
    assert convert(RANK_CHECK, F) == textwrap.dedent(
        """\
        from tensorflow import keras

        inputs = keras.Input(shape=(6,))
        if len(inputs.shape) != 2:
            raise ValueError("rank 2 expected, not {}".format(inputs.shape))
        x = keras.layers.Dense(8, activation="relu")(inputs)
        outputs = keras.layers.Dense(2)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    )


def test_a_string_method_on_a_tensor_between_layers_is_still_no_layer() -> None:
    # The same call outside a check, where its value would be a tensor's: still a function (a
    # str), so the line is code the graph cannot hold, not a layer call kconvert would move.
    text = RANK_CHECK.replace(
        'if len(inputs.shape) != 2:\n                raise ValueError("rank 2 expected, not {}".format(inputs.shape))',
        'label = "{}".format(inputs)',
    )
    assert 'label = "{}".format(inputs)' in text
    assert refusal(text, F) == [
        "m.py:11:17: error: `label` is computed among the model's statements but the model does not use it"
        " (hint: move unrelated code after the model, or add the tensor to the outputs)"
    ]


# A forecaster's builder reads the number of features from its data for the input shape, trains
# the model, and reads the number again to shape the window it predicts on.
FEATURES_FROM_DATA = """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense


    def forecast(series, targets, n_steps):
        n_features = series.shape[2]
        model = Sequential()
        model.add(LSTM(16, input_shape=(n_steps, n_features)))
        model.add(Dense(1))
        model.compile(optimizer="adam", loss="mse")
        model.fit(series, targets, epochs=1, verbose=0)
        window = series[-1:].reshape((1, n_steps, n_features))
        return model.predict(window)
    """


def test_a_shape_value_read_after_the_model_stays_in_the_builder_of_a_subclass() -> None:
    # Was refused: "`n_features` is computed among the model's statements and read here, after
    # the model"; the subclass's builder computes it where it was, for the line that builds it.
    assert convert(FEATURES_FROM_DATA, C) == textwrap.dedent(
        """\
        from keras.models import Model
        from keras.layers import LSTM, Dense, Input
        from keras import saving


        @saving.register_keras_serializable(package="m")
        class Forecast(Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.lstm = LSTM(16)
                self.dense = Dense(1)

            def call(self, inputs, training=None):
                x = self.lstm(inputs)
                return self.dense(x)


        def forecast(series, targets, n_steps):
            n_features = series.shape[2]
            model = Forecast()
            model(Input(shape=(n_steps, n_features)))
            model.compile(optimizer="adam", loss="mse")
            model.fit(series, targets, epochs=1, verbose=0)
            window = series[-1:].reshape((1, n_steps, n_features))
            return model.predict(window)
        """
    )


def test_a_shape_value_a_layer_reads_too_is_still_refused_when_read_after() -> None:
    # `Dense(n_features)` reads it as well: the statement goes into the class.
    text = FEATURES_FROM_DATA.replace("model.add(Dense(1))", "model.add(Dense(n_features))")
    (message, *_) = refusal(text, C)
    assert message.startswith(
        "m.py:12:47: error: `n_features` is computed among the model's statements and read here, after the model"
    )


def test_a_shape_value_read_after_the_model_is_still_refused_to_functional_subclass() -> None:
    # Its constructor is given `series.shape[2]` itself, and the statement is gone.
    (message, *_) = refusal(FEATURES_FROM_DATA, FS)
    assert message.startswith(
        "m.py:12:47: error: `n_features` is computed among the model's statements and read here, after the model;"
        " a functional-subclass model moves"
    )


# A time-series classifier applies a small convolutional model to each frame: the model is made
# inside the builder, as the argument of TimeDistributed, on an Input of its own.
MODEL_PER_FRAME = """\
    import keras


    def build_model(input_shape, n_classes):
        frames = keras.layers.Input(input_shape)
        frame = keras.layers.Input(input_shape[1:])
        x = keras.layers.Conv1D(8, 3, padding="same")(frame)
        x = keras.layers.GlobalAveragePooling1D()(x)
        per_frame = keras.layers.TimeDistributed(keras.Model(inputs=frame, outputs=x))(frames)
        h = keras.layers.LSTM(16)(per_frame)
        outputs = keras.layers.Dense(n_classes, activation="softmax")(h)
        return keras.Model(inputs=frames, outputs=outputs)
    """


def test_an_input_of_a_model_made_as_a_layers_argument_is_said_to_be_that() -> None:
    # Was: "`frame` is an Input that is not among the model's inputs (hint: add it to `inputs=`
    # ...)", which would make a model of two inputs.
    assert refusal(MODEL_PER_FRAME, C) == [
        "m.py:6:13: error: `frame` is the input of a model made inside this model's code, in the arguments"
        " of `TimeDistributed`; kconvert does not convert a model nested in another's lines (hint: build the"
        " inner model in a function of its own and call it there (`TimeDistributed(frame_model())`, say),"
        " which kconvert converts too, or keep this model Functional)"
    ]


def test_a_stray_input_no_layer_reads_is_still_said_to_be_missing_from_inputs() -> None:
    text = MODEL_PER_FRAME.replace(
        "keras.layers.TimeDistributed(keras.Model(inputs=frame, outputs=x))(frames)",
        "keras.layers.TimeDistributed(keras.layers.Dense(4))(frames)",
    )
    assert refusal(text, C)[0].startswith(
        "m.py:6:13: error: `frame` is an Input that is not among the model's inputs (hint: add it to `inputs=`"
    )


# A TextCNN fills its layer lists in a loop over its `kernel_sizes` parameter, which it also
# stores, and call() counts the passes by the stored list: `range(len(self.kernel_sizes))`.
COUNTED_BY_THE_STORED_PARAMETER = """\
    from tensorflow import keras


    class TextCNN(keras.Model):
        def __init__(self, vocab, kernel_sizes):
            super().__init__()
            self.kernel_sizes = kernel_sizes
            self.embedding = keras.layers.Embedding(vocab, 8)
            self.convs = []
            self.pools = []
            for size in kernel_sizes:
                self.convs.append(keras.layers.Conv1D(4, size))
                self.pools.append(keras.layers.GlobalMaxPooling1D())
            self.head = keras.layers.Dense(2)

        def call(self, inputs):
            emb = self.embedding(inputs)
            pooled = []
            for i in range(len(self.kernel_sizes)):
                c = self.convs[i](emb)
                pooled.append(self.pools[i](c))
            return self.head(keras.layers.concatenate(pooled))


    model = TextCNN(100, [2, 3])
    model.build((None, 12))
    """


def test_positions_counted_by_the_stored_parameter_the_lists_were_filled_over() -> None:
    # Was refused: "`self.convs[i]` picks a layer from a list by position".
    assert convert(COUNTED_BY_THE_STORED_PARAMETER, F) == textwrap.dedent(
        """\
        from tensorflow import keras


        def TextCNN(vocab, kernel_sizes):
            inputs = keras.Input(shape=(12,))
            emb = keras.layers.Embedding(vocab, 8)(inputs)
            pooled = []
            for size in kernel_sizes:
                c = keras.layers.Conv1D(4, size)(emb)
                x = keras.layers.GlobalMaxPooling1D()(c)
                pooled.append(x)
            outputs = keras.layers.Dense(2)(keras.layers.concatenate(pooled))
            return keras.Model(inputs=inputs, outputs=outputs)


        model = TextCNN(100, [2, 3])
        """
    )


def test_positions_counted_by_a_stored_list_that_is_not_the_parameter_are_still_refused() -> None:
    # `self.kernel_sizes` holds a copy cut shorter: it counts other passes than the lists have.
    text = COUNTED_BY_THE_STORED_PARAMETER.replace(
        "self.kernel_sizes = kernel_sizes", "self.kernel_sizes = kernel_sizes[:1]"
    )
    assert refusal(text, F)[0].startswith("m.py:20:17: error: `self.convs[i]` picks a layer from a list by position")


def test_positions_counted_by_a_parameter_init_binds_again_are_still_refused() -> None:
    text = COUNTED_BY_THE_STORED_PARAMETER.replace(
        "self.embedding = keras.layers.Embedding(vocab, 8)",
        "self.embedding = keras.layers.Embedding(vocab, 8)\n            kernel_sizes = kernel_sizes[1:]",
    )
    # Refused before the loop is read: the stored list and the parameter the lists were filled
    # over are no longer the same.
    assert refusal(text, F)[0].startswith("m.py:20:28: error: call() reads `self.kernel_sizes`, `__init__`'s `kernel_sizes`")
