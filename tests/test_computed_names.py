"""A model name computed from other values (``"mobilenet_%0.2f_%s" % (alpha, rows)``), as the
Keras Applications builders write it (issue 9).

A class cannot take such a name as a parameter's default: ``alpha`` and ``rows`` are not bound
where the ``def`` runs. So the class sets it first thing in ``__init__`` when ``__init__`` sees
every name it reads, and the line that makes the model passes it otherwise (``rows`` computed by
the builder before the model). The expected outputs are written as a Keras user would write them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert, refusal

F, C, G = Style.FUNCTIONAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

# The builder checks its arguments and loads weights, so it stays; ``rows`` is its own local.
APPLICATION = """\
import keras
from keras import layers


def TinyNet(input_shape=(32, 32, 3), alpha=1.0, weights=None):
    rows = input_shape[0]
    if weights is not None and rows != 32:
        raise ValueError("weights are for 32x32 inputs")
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(int(16 * alpha), 3)(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, x, name="tinynet_%0.2f_%s" % (alpha, rows))
    if weights is not None:
        model.load_weights(weights)
    return model
"""

# The class the model becomes may not be called ``TinyNet``: that name stays the builder's,
# which calls the class (a class of that name would be the builder's own recursion): the class
# is the builder's model, `TinyNetModel`, not a numbered second `TinyNet`.
APPLICATION_AS_GRAPH_CLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class TinyNetModel(keras.Model):
    def __init__(self, input_shape=(32, 32, 3), alpha=1.0, **kwargs):
        inputs = keras.Input(shape=input_shape)
        x = layers.Conv2D(int(16 * alpha), 3)(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        super().__init__(inputs=inputs, outputs=x, **kwargs)
        self._input_shape = input_shape
        self.alpha = alpha

    def get_config(self):
        config = {"input_shape": self._input_shape, "alpha": self.alpha}
        return {**super().get_config(), **config}


def TinyNet(input_shape=(32, 32, 3), alpha=1.0, weights=None):
    rows = input_shape[0]
    if weights is not None and rows != 32:
        raise ValueError("weights are for 32x32 inputs")
    model = TinyNetModel(
        input_shape=input_shape, alpha=alpha, name="tinynet_%0.2f_%s" % (alpha, rows)
    )
    if weights is not None:
        model.load_weights(weights)
    return model
"""

# The subclass has no use for ``input_shape``: only the build line in ``TinyNet`` reads it.
APPLICATION_AS_SUBCLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class TinyNetModel(keras.Model):
    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.conv = layers.Conv2D(int(16 * alpha), 3)
        self.global_pool = layers.GlobalAveragePooling2D()

    def call(self, inputs, training=None):
        x = self.conv(inputs)
        return self.global_pool(x)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


def TinyNet(input_shape=(32, 32, 3), alpha=1.0, weights=None):
    rows = input_shape[0]
    if weights is not None and rows != 32:
        raise ValueError("weights are for 32x32 inputs")
    model = TinyNetModel(alpha=alpha, name="tinynet_%0.2f_%s" % (alpha, rows))
    model(keras.Input(shape=input_shape))
    if weights is not None:
        model.load_weights(weights)
    return model
"""

# A CamelCase builder that only builds the model becomes the class of its name; its name reads
# only parameters. The head's ``if`` has a statement in its body and an ``else`` that is one
# ``if``: the ``else`` starts from the same ``x`` (written ``elif``, no copy to ``x_1``).
BUILDER = """\
import keras
from keras import layers


def Net(alpha=1.0, include_top=True, pooling=None, classes=10):
    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(int(16 * alpha), 3)(inputs)
    if include_top:
        if keras.config.image_data_format() == "channels_first":
            shape = (int(16 * alpha), 1, 1)
        else:
            shape = (1, 1, int(16 * alpha))
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Reshape(shape)(x)
        x = layers.Flatten()(x)
        x = layers.Dense(classes)(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
    return keras.Model(inputs, x, name="net_%0.2f" % alpha)


model = Net(alpha=0.5)
"""

BUILDER_AS_GRAPH_CLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Net(keras.Model):
    def __init__(self, alpha=1.0, include_top=True, pooling=None, classes=10, **kwargs):
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(int(16 * alpha), 3)(inputs)
        if include_top:
            if keras.config.image_data_format() == "channels_first":
                shape = (int(16 * alpha), 1, 1)
            else:
                shape = (1, 1, int(16 * alpha))
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Reshape(shape)(x)
            x = layers.Flatten()(x)
            x = layers.Dense(classes)(x)
        elif pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        kwargs.setdefault("name", "net_%0.2f" % alpha)
        super().__init__(inputs=inputs, outputs=x, **kwargs)
        self.alpha = alpha
        self.include_top = include_top
        self.pooling = pooling
        self.classes = classes

    def get_config(self):
        config = {
            "alpha": self.alpha,
            "include_top": self.include_top,
            "pooling": self.pooling,
            "classes": self.classes,
        }
        return {**super().get_config(), **config}


model = Net(alpha=0.5)
"""


def test_a_name_from_a_local_of_the_builder_is_given_where_the_model_is_made() -> None:
    assert convert(APPLICATION, G) == APPLICATION_AS_GRAPH_CLASS
    assert convert(APPLICATION, C) == APPLICATION_AS_SUBCLASS
    for out in (APPLICATION_AS_GRAPH_CLASS, APPLICATION_AS_SUBCLASS):
        (model,) = find_models(out)
        lint(model.graph)
        assert model.graph.name is None  # given by the caller, through **kwargs
        assert convert(out, G if "super().__init__(inputs" in out else C) == out


def test_a_name_from_parameters_is_set_in_init_where_cls_config_can_override_it() -> None:
    assert convert(BUILDER, G) == BUILDER_AS_GRAPH_CLASS
    subclass = convert(BUILDER, C)
    assert '        kwargs.setdefault("name", "net_%0.2f" % alpha)\n        super().__init__(**kwargs)\n' in subclass
    for out in (BUILDER_AS_GRAPH_CLASS, subclass):
        (model,) = find_models(out)
        lint(model.graph)
        # Read back, the line is the model's name again: the way back writes it where it was.
        assert model.graph.name.text == '"net_%0.2f" % alpha'
        assert '    return keras.Model(inputs=inputs, outputs=x, name="net_%0.2f" % alpha, **kwargs)\n' in convert(
            out, F
        )


def test_the_else_of_an_if_reuses_the_name_its_longer_body_rebinds() -> None:
    assert (
        "            x = layers.Dense(classes)(x)\n"
        '        elif pooling == "avg":\n'
        "            x = layers.GlobalAveragePooling2D()(x)\n"
        '        elif pooling == "max":\n'
        "            x = layers.GlobalMaxPooling2D()(x)\n"
        '        kwargs.setdefault("name", "net_%0.2f" % alpha)\n'
    ) in BUILDER_AS_GRAPH_CLASS


def test_a_name_from_a_local_the_model_code_makes_is_refused_by_the_subclass() -> None:
    moved = APPLICATION.replace(
        '    if weights is not None and rows != 32:\n        raise ValueError("weights are for 32x32 inputs")\n', ""
    )
    assert refusal(moved, C) == [
        "m.py:10:13: error: the model's name `\"tinynet_%0.2f_%s\" % (alpha, rows)` is computed from `rows`,"
        " which the class's __init__ does not have before `super().__init__(...)` takes the name (hint: compute"
        " the name from the constructor's parameters, or keep this model in its current style)"
    ]
    # A graph class computes ``rows`` before ``super().__init__``: the name is set there.
    assert '        rows = input_shape[0]\n' in convert(moved, G)
    assert '        kwargs.setdefault("name", "tinynet_%0.2f_%s" % (alpha, rows))\n' in convert(moved, G)


# A builder's own parameter called ``name`` that the model's name is computed from (keras.io's
# ``embedding_encoder(..., name=None)``): a class's ``name`` is Keras' own, so the value stays the
# builder's and the line that makes the model passes the computed name.
NAME_PARAM = """\
import keras
from keras import layers


def encoder(units, name=None):
    inputs = keras.Input(shape=(8,))
    x = layers.Dense(units)(inputs)
    return keras.Model(inputs, x, name=f"{name}_encoder" if name else None)


model = encoder(4, name="user")
"""


def test_a_builder_parameter_called_name_stays_the_builders() -> None:
    made = 'Encoder(units=units, name=f"{name}_encoder" if name else None)\n'
    subclass, graph_class = convert(NAME_PARAM, C), convert(NAME_PARAM, G)
    for out in (subclass, graph_class):
        assert "    def __init__(self, units, **kwargs):\n" in out
    # The subclass is built before it is returned; a graph class is built by its constructor.
    assert "def encoder(units, name=None):\n    model = " + made in subclass
    assert "def encoder(units, name=None):\n    return " + made in graph_class
    assert "        super().__init__(**kwargs)\n" in subclass
    assert "        super().__init__(inputs=inputs, outputs=x, **kwargs)\n" in graph_class
    # Read by a layer too, the class would have no value of its own for it.
    assert refusal(NAME_PARAM.replace("Dense(units)", "Dense(units, name=name)"), C) == [
        "m.py:8:12: error: the builder's parameter `name` is not the model's name, and a model class's `name`"
        " is Keras' own (the model's name, which `get_config()` saves) (hint: rename the parameter (e.g."
        " `prefix`), or keep this model in its current style)"
    ]


SCRIPT = """
import importlib, sys
import numpy as np
import keras

names = []
for module in sys.argv[1:]:
    made = importlib.import_module(module)
    model = made.TinyNet(alpha=0.5) if hasattr(made, "TinyNet") else made.model
    again = type(model).from_config(model.get_config())
    names.append((model.name, again.name, model.count_params()))
print(names)
assert len(set(names)) == 1, names
"""


@pytest.mark.tensorflow
@pytest.mark.parametrize("case", ["application", "builder", "name_param"])
def test_the_converted_models_have_the_original_name_also_after_from_config(tmp_path: Path, case: str) -> None:
    source = {"application": APPLICATION, "builder": BUILDER, "name_param": NAME_PARAM}[case]
    texts = {"original": source, "graph_class": convert(source, G), "subclass": convert(source, C)}
    for module, text in texts.items():
        (tmp_path / f"{module}.py").write_text(text)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, *texts],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    expected = {"application": "tinynet_0.50_32", "builder": "net_0.50", "name_param": "user_encoder"}[case]
    assert expected in run.stdout
