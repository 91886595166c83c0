"""What a helper says goes with its code wherever a style writes that code (parse/comments.py's
``_helper_remarks``, a block's own remarks), and a plain class's private method that built blocks
of the model its other method makes goes once nothing reads it (rewrite/helper_methods.py)."""

from __future__ import annotations

from converting import C, S, convert
from kconvert.ir.lint import lint
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.types import Options, Style

FS = Style.FUNCTIONAL_SUBCLASS

AGENT = """\
import keras
from keras import layers


class Agent:
    def __init__(self, width=8):
        self.width = width
        self.model = self.build_model()

    def _block(self, x):
        # Wide first, then narrowed.
        x = layers.Dense(self.width)(x)
        return layers.Dense(self.width // 2)(x)  # half as wide

    def build_model(self):
        inputs = keras.Input(shape=(4,))
        x = self._block(inputs)
        outputs = layers.Dense(1)(self._block(x))
        return keras.Model(inputs, outputs)
"""

ONLY_AGENT = """\
class Agent:
    def __init__(self, width=8):
        self.width = width
        self.model = self.build_model()

"""


def test_an_unread_private_method_goes_and_its_block_class_says_what_it_said() -> None:
    subclass = convert(AGENT, C)
    assert "def _block" not in subclass
    assert (
        "    def call(self, x, training=None):\n"
        "        # Wide first, then narrowed.\n"
        "        x = self.dense1(x)\n"
        "        return self.dense2(x)  # half as wide\n"
    ) in subclass
    assert ONLY_AGENT + "    def build_model(self):\n        model = AgentModel(width=self.width)\n" in subclass
    assert convert(subclass, C) == subclass


def test_a_class_that_builds_a_graph_calls_a_module_function_that_says_what_the_method_said() -> None:
    graph_class = convert(AGENT, FS)
    assert (
        "def block(x, width):\n"
        "    # Wide first, then narrowed.\n"
        "    x = layers.Dense(width)(x)\n"
        "    return layers.Dense(width // 2)(x)  # half as wide\n"
    ) in graph_class
    assert "def _block" not in graph_class
    assert graph_class.count("# Wide first, then narrowed.") == 1


def test_a_sequential_lists_the_layers_with_what_the_method_said_of_the_first_and_the_method_goes() -> None:
    sequential = convert(AGENT, S)
    assert "def _block" not in sequential
    assert (
        "                keras.Input(shape=(4,)),\n"
        "                # Wide first, then narrowed.\n"
        "                layers.Dense(self.width),\n"
        "                layers.Dense(self.width // 2),  # half as wide\n"
        "                layers.Dense(self.width),\n"
        "                layers.Dense(self.width // 2),\n"
    ) in sequential


def test_a_private_method_the_file_still_reads_stays() -> None:
    for reader in (
        "    def probe(self, x):\n        return self._block(x)\n",
        "    def probe(self, x):\n        return getattr(self, '_block')(x)\n",
    ):
        source = AGENT + "\n" + reader
        subclass = convert(source, C)
        assert "    def _block(self, x):\n        # Wide first, then narrowed.\n" in subclass
        assert reader in subclass


def test_a_private_static_method_the_class_calls_by_name_goes_too() -> None:
    source = AGENT.replace("    def _block(self, x):", "    @staticmethod\n    def _block(x, width):")
    source = source.replace("self._block(inputs)", "Agent._block(inputs, self.width)").replace("self._block(x)", "Agent._block(x, self.width)")
    source = source.replace("layers.Dense(self.width)(x)", "layers.Dense(width)(x)").replace("self.width // 2", "width // 2")
    subclass = convert(source, C)
    assert "_block" not in subclass.split("class Agent:")[1]
    assert "    def call(self, x, training=None):\n        # Wide first, then narrowed.\n" in subclass


FUNCTION = """\
import keras
from keras import layers


def block(x, width):
    # Wide first, then narrowed.
    x = layers.Dense(width)(x)
    return layers.Dense(width // 2)(x)  # half as wide


def build_model(width=8):
    inputs = keras.Input(shape=(4,))
    x = block(inputs, width)
    outputs = layers.Dense(1)(block(x, width))
    return keras.Model(inputs, outputs)
"""


def test_a_sequential_says_what_a_function_said_with_the_first_layers_it_writes_from_it() -> None:
    (site,) = find_sites(SourceFile.parse(FUNCTION), Options())
    lint(site.graph)
    sequential = convert(FUNCTION, S)
    assert sequential.startswith(
        "import keras\nfrom keras import layers\n\n\ndef build_model(width=8):\n"
        "    return keras.Sequential(\n"
        "        [\n"
        "            keras.Input(shape=(4,)),\n"
        "            # Wide first, then narrowed.\n"
        "            layers.Dense(width),\n"
        "            layers.Dense(width // 2),  # half as wide\n"
        "            layers.Dense(width),\n"
        "            layers.Dense(width // 2),\n"
    )
    assert sequential.count("#") == 2
    # Functional code keeps the calls, and the function its comments.
    assert convert(FUNCTION, Style.FUNCTIONAL) == FUNCTION
