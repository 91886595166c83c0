"""A model's docstrings: its class's, its constructor's and its forward pass's, each said again where
the target style writes what it describes (the fixture ``documented_model`` has the subclass case)."""

from __future__ import annotations

import textwrap

from converting import C, F, convert

from kconvert.emit.docstrings import joined
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

GRAPH_CLASS = """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self, units=8, **kwargs):
            \"\"\"Builds the graph.

            units: width of the hidden layer.
            \"\"\"
            inputs = keras.Input(shape=(4,))
            x = layers.Dense(units, activation="relu")(inputs)
            outputs = layers.Dense(2)(x)
            super().__init__(inputs, outputs, **kwargs)


    model = Net()
    """


def test_graph_class_constructor_docstring_stays_in_the_subclass_constructor() -> None:
    # Was dropped: only a class's own docstring was read.
    lines = convert(GRAPH_CLASS, C).splitlines()
    start = lines.index("    def __init__(self, units=8, **kwargs):")
    assert lines[start + 1 : start + 6] == [
        '        """Builds the graph.',
        "",
        "        units: width of the hidden layer.",
        '        """',
        "        super().__init__(**kwargs)",
    ]
    call = lines.index("    def call(self, inputs, training=None):")
    assert '"""' not in lines[call + 1]


def test_graph_class_constructor_docstring_is_the_builder_docstring() -> None:
    out = convert(GRAPH_CLASS, F)
    assert 'def Net(units=8, **kwargs):\n    """Builds the graph.\n\n    units: width of the hidden layer.\n    """\n' in out


ONLY_CONSTRUCTOR_DOC = """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self):
            \"\"\"Two dense layers.\"\"\"
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(2)

        def call(self, inputs):
            return self.out(self.hidden(inputs))


    model = Net()
    model.build((None, 4))
    """


def test_a_class_whose_constructor_says_something_becomes_a_builder_not_module_code() -> None:
    # A class with no parameters used once was written as module-level code in its instance's
    # place, where its constructor's docstring had nowhere to go; a class docstring already kept
    # the class a function of its own.
    out = convert(ONLY_CONSTRUCTOR_DOC, F)
    assert 'def Net():\n    """Two dense layers."""\n    inputs = keras.Input(shape=(4,))\n' in out
    assert out.rstrip().endswith("model = Net()")


def test_joined_docstrings_are_paragraphs_of_one_docstring() -> None:
    assert joined(None, '"""One."""', None) == '"""One."""'
    assert joined(None, None) is None
    two = joined('"""A classifier."""', '"""Makes the layers.\n\n        units: the width.\n        """')
    assert two == '"""A classifier.\n\nMakes the layers.\n\nunits: the width.\n"""'
    assert joined("r'''a \\d'''", 'R"b"') == 'r"""a \\d\n\nb\n"""'


def test_docstrings_that_cannot_be_one_literal_stay_apart() -> None:
    # A raw one beside a plain one would change what the backslashes mean; one that holds the
    # quotes the joined literal would close with, or ends in one, cannot be put inside it.
    for docs in (
        ('r"""a \\d"""', '"""b"""'),
        ("'''say \"\"\"this\"\"\"'''", '"""b"""'),
        ('"""a"""', "'ends with a quote\"'"),
        ('"""a"""', 'f"""{name}"""'),
    ):
        assert joined(*docs) == "\n".join(docs)


def test_a_split_docstring_stays_valid_python_in_a_builder() -> None:
    text = textwrap.dedent(ONLY_CONSTRUCTOR_DOC).replace(
        "    def call(self, inputs):\n", "    def call(self, inputs):\n        r\"\"\"Uses \\d.\"\"\"\n"
    )
    out = convert(text, F)
    assert 'def Net():\n    """Two dense layers."""\n    r"""Uses \\d."""\n' in out
    compile(out, "m.py", "exec")
