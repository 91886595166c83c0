"""Idioms of session 38's fresh real-world files (benchmarks/realworld, ``session = "fresh38"``)."""

from __future__ import annotations

import textwrap

import pytest

from converting import C, F, S, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A tutorial script copies its model through the model's config with Keras' own class:
# `tf.keras.Model.from_config` reads a graph's config, which only the Functional model gives.
REBUILT = """\
    import tensorflow as tf

    inputs = tf.keras.Input((4,))
    outputs = tf.keras.layers.Dense(3)(inputs)
    model = tf.keras.Model(inputs, outputs)
    config = model.get_config()
    copy = tf.keras.Model.from_config(config)
    """


@pytest.mark.parametrize("target", [S, C, FS])
def test_a_config_made_a_model_again_by_a_keras_class_is_refused_in_another_style(target: Style) -> None:
    # Was exit 0: to Sequential, `Model.from_config` of a Sequential's config raises a ValueError; to
    # a class, it makes an empty `Model` of the class's constructor arguments.
    (message,) = refusal(REBUILT, target)
    assert message.startswith(
        "m.py:6:10: error: `model.get_config()` is read where the file makes a model of a config with a Keras"
        " class's `from_config`, which reads it as a functional model's"
    )
    assert "(hint: make the copy with `type(model).from_config(...)` or `keras.models.clone_model(model)`" in message


def test_a_config_made_a_model_again_by_the_models_own_class_still_converts() -> None:
    own = REBUILT.replace("tf.keras.Model.from_config(config)", "type(model).from_config(config)")
    assert "copy = type(model).from_config(config)\n" in convert(own, C)
    # Nor is a config that nothing makes a model of again a reason to refuse.
    printed = REBUILT.replace("copy = tf.keras.Model.from_config(config)", "print(config)")
    assert "print(config)\n" in convert(printed, S)


def test_a_layers_config_is_no_config_of_the_model() -> None:
    # `layer = model.get_layer("fc1")` then `layer.get_config()`: the layer is not asked for a graph.
    layer = REBUILT.replace("(3)(inputs)", '(3, name="fc1")(inputs)').replace(
        "config = model.get_config()", 'layer = model.get_layer("fc1")\n    config = layer.get_config()'
    ).replace("copy = tf.keras.Model.from_config(config)", "print(config)")
    assert 'layer = model.get_layer("fc1")\nconfig = layer.get_config()\n' in convert(layer, C)


def test_a_config_made_a_model_again_stays_as_it_is_in_its_own_style() -> None:
    assert convert(REBUILT, F) == textwrap.dedent(REBUILT)


# A game agent's builder names its trunk's last tensor for the heads, then deletes the name the
# blocks reassigned (`del x`), so that no head reads it by mistake.
DELETED = """\
    from keras.layers import Dense, Input
    from keras.models import Model


    def build(size):
        inp = Input(shape=(size,))
        x = Dense(8)(inp)
        x = Dense(8)(x)
        trunk = x
        del x
        policy = Dense(3, name="policy")(trunk)
        value = Dense(1, name="value")(trunk)
        return Model(inputs=[inp], outputs=[policy, value])
    """


def test_a_tensor_name_deleted_among_a_builders_lines_is_no_statement_of_the_graph() -> None:
    # Was refused in every other style: "`del x` uses a tensor but is not part of the model's graph".
    converted = convert(DELETED, FS)
    assert "del x" not in converted
    assert "        x = Dense(8)(x)\n        policy = Dense(3, name=\"policy\")(x)\n" in converted
    assert "super().__init__(inputs=[inp], outputs=[policy, value], **kwargs)\n" in converted
    subclass = convert(DELETED, C)
    assert "del x" not in subclass and "self.policy = Dense(3, name=\"policy\")" in subclass


def test_a_deleted_name_is_read_nowhere_after_it() -> None:
    # The graph no longer knows `x`: a layer that reads it after the `del` reads the module's `x`, if any.
    later = DELETED.replace('policy = Dense(3, name="policy")(trunk)', 'policy = Dense(3, name="policy")(x)')
    (message,) = refusal(later, FS)
    assert "`x`" in message


def test_deleting_a_layer_or_a_listed_value_is_still_refused() -> None:
    # Only names of the graph's tensors go with the line; `del` of anything else keeps its refusal.
    layer = DELETED.replace("del x", "del inp, size")
    (message,) = refusal(layer, C)
    assert "`del inp, size` uses a tensor but is not part of the model's graph" in message


# A student's model file gives Keras' classes short names by assignment instead of importing them.
ALIASED = """\
    import tensorflow as tf

    Sequential = tf.keras.models.Sequential
    Dense = tf.keras.layers.Dense
    Dropout = tf.keras.layers.Dropout


    def build_model(num_classes):
        model = Sequential([
            Dense(16, activation="relu", input_shape=(8,)),
            Dropout(0.5),
            Dense(num_classes, activation="softmax"),
        ])
        return model
    """


def test_keras_names_assigned_once_at_module_level_are_read_as_imported() -> None:
    # Was "no Keras model found in this file" in every direction.
    converted = convert(ALIASED, F)
    assert "    inputs = tf.keras.Input(shape=(8,))\n" in converted
    assert '    x = Dense(16, activation="relu")(inputs)\n' in converted
    assert "    model = tf.keras.Model(inputs=inputs, outputs=outputs)\n" in converted
    assert "Sequential = tf.keras.models.Sequential\n" in converted  # the rest of the file may read it
    assert "        self.dropout = Dropout(0.5)\n" in convert(ALIASED, C)


def test_a_module_alias_reads_its_attributes_as_keras_names() -> None:
    # `layers = tf.keras.layers`, then `layers.Dense(...)`.
    module = """\
        import tensorflow as tf

        layers = tf.keras.layers
        model = tf.keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(1)])
        """
    assert "x = layers.Dense(4)(inputs)\n" in convert(module, F)


def test_a_name_bound_more_than_once_stays_the_files_own() -> None:
    # `Sequential` is Keras' class only if nothing binds it again: here a flag may make it a list.
    twice = ALIASED.replace(
        "Sequential = tf.keras.models.Sequential\n",
        "Sequential = tf.keras.models.Sequential\n    if PLAIN:\n        Sequential = list\n",
    )
    (message,) = refusal(twice, F)
    assert message.startswith("m.py:1:1: error: no Keras model found in this file")


# Hands-on ML's wide-and-deep subclass, copied with `super().__init__(kwargs)` for `**kwargs`.
HANDED_WHOLE = """\
    from tensorflow import keras


    class Wide(keras.Model):
        def __init__(self, units=30, **kwargs):
            super().__init__(kwargs)
            self.hidden = keras.layers.Dense(units)
            self.out = keras.layers.Dense(1)

        def call(self, inputs):
            return self.out(self.hidden(inputs))


    model = Wide()
    model.fit(x_train, y_train)
    """


def test_a_dict_passed_by_position_to_super_init_is_refused_with_a_remedy() -> None:
    # Was "positional arguments to `super().__init__` cannot be converted", with no hint.
    assert refusal(HANDED_WHOLE, F) == [
        "m.py:6:26: error: `kwargs` is passed to `super().__init__` by position; kconvert reads only keywords"
        " there (`name=...`, `**kwargs`), which a model class passes on (hint: pass it by keyword, or unpack a"
        " dict of them (`super().__init__(**kwargs)`); or keep the model a subclass)"
    ]


def test_names_assigned_from_each_other_are_no_aliases() -> None:
    # Was an internal error (RecursionError): each name's value reads the other.
    cycle = """\
        import tensorflow as tf

        a = b.layers
        b = a.keras
        model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])
        """
    assert "outputs = tf.keras.layers.Dense(4)(inputs)\n" in convert(cycle, F)
