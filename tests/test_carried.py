"""Loops and ``if`` blocks that carry several tensors (``ir.graph.Carried``) beyond the fixtures."""

from __future__ import annotations

import re
import textwrap

from kconvert.convert import convert_source
from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Converted, Options, Refused, Style


def _convert(source: str, target: Style):
    return convert_source(textwrap.dedent(source), target, Options(), "m.py")


def _converted(source: str, target: Style) -> str:
    result = _convert(source, target)
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    return result.source


SWAP = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    a = layers.Dense(8)(inputs)
    b = layers.Dense(8)(inputs)
    for _ in range(3):
        c = layers.Dense(8)(a)
        a = b
        b = c
    outputs = layers.add([a, b])
    model = keras.Model(inputs, outputs)
    """


def test_a_loop_that_shifts_its_tensors_copies_them_at_once_in_a_subclass() -> None:
    subclass = _converted(SWAP, Style.SUBCLASS)
    # ``b`` of this pass is still to be read when ``c`` is made, so ``c`` keeps its own name.
    assert "            c = dense(a)\n            a, b = b, c\n" in subclass
    back = _converted(subclass, Style.FUNCTIONAL)
    # Made once at module level, the class comes back as module-level code.
    assert "    c = layers.Dense(8)(a)\n    a, b = b, c\n" in back
    for model in find_models(back):
        lint(model.graph)


def test_an_if_may_carry_two_tensors() -> None:
    source = """\
        import keras
        from keras import layers


        def build(use_skip=True):
            inputs = keras.Input(shape=(8,))
            x = layers.Dense(8)(inputs)
            skip = x
            if use_skip:
                x = layers.Dense(8)(x)
                skip = layers.Dense(8)(skip)
            outputs = layers.add([x, skip])
            return keras.Model(inputs, outputs)
        """
    subclass = _converted(source, Style.SUBCLASS)
    assert (
        "        skip = x\n"
        "        if self.use_skip:\n"
        "            x = self.dense2(x)\n"
        "            skip = self.skip(skip)\n"
    ) in subclass
    assert _converted(subclass, Style.SUBCLASS) == subclass


def test_a_loop_that_carries_no_tensor_is_refused() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        for units in [4, 8]:
            head = layers.Dense(units)(inputs)
        model = keras.Model(inputs, head)
        """
    result = _convert(source, Style.SUBCLASS)
    assert isinstance(result, Refused)
    assert "must carry a tensor from one pass to the next" in result.diagnostics[0].message


def test_an_if_making_a_tensor_in_one_branch_only_is_refused_naming_it() -> None:
    # fresh37's skip U-Net: `hidden = None` in one branch; "from one pass to the next" meant nothing there.
    source = """\
        import keras
        from keras import layers


        def build(units=None):
            inputs = keras.Input(shape=(8,))
            if units is None:
                hidden = None
            else:
                hidden = layers.Dense(units)(inputs)
            x = layers.Dense(4)(inputs)
            if hidden is not None:
                x = layers.Add()([x, hidden])
            return keras.Model(inputs, layers.Dense(1)(x))
        """
    for target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
        result = _convert(source, target)
        assert isinstance(result, Refused)
        (diagnostic,) = result.diagnostics
        assert (diagnostic.line, diagnostic.col) == (7, 5)
        assert diagnostic.message.startswith("this `if` makes `hidden` a tensor in one branch only")
        assert diagnostic.hint.startswith("use `hidden` only inside the branch that makes it")


def test_an_if_whose_layers_bind_no_tensor_says_so() -> None:
    source = """\
        import keras
        from keras import layers


        def build(debug=False):
            inputs = keras.Input(shape=(8,))
            if debug:
                layers.Dense(4)(inputs)
            return keras.Model(inputs, layers.Dense(1)(inputs))
        """
    result = _convert(source, Style.SUBCLASS)
    assert isinstance(result, Refused)
    assert result.diagnostics[0].message == "this `if` calls layers but binds no tensor the code after it goes on from"


ELSE_ALIAS = """\
    import keras
    from keras import layers


    def build(project=True):
        inputs = keras.Input(shape=(16,))
        x = layers.Dense(16, activation="relu")(inputs)
        if project:
            x = layers.Dense(16)(x)
        else:
            x = inputs
        outputs = layers.Dense(3)(x)
        return keras.Model(inputs=inputs, outputs=outputs)


    model = build()
    """


def test_an_else_that_only_names_an_earlier_tensor_is_kept_in_every_graph_style() -> None:
    # The ``else`` makes no node of its own; it was taken for no ``else`` at all (internal error).
    (model,) = find_models(textwrap.dedent(ELSE_ALIAS))
    lint(model.graph)
    for target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
        written = _converted(ELSE_ALIAS, target)
        assert re.search(r"\n( +)else:\n\1    x = inputs\n", written), written
        back = _converted(written, Style.FUNCTIONAL)
        assert "\n    else:\n        x = inputs\n" in back


LATE_READ = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    x = inputs
    for i in range(2):
        if i == 0:
            h = layers.Dense(8)(x)
        else:
            h = layers.Dense(8)(h)
        x = layers.Dense(8)(h)
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
    """


def test_a_branch_that_reads_a_tensor_of_an_earlier_pass_is_refused() -> None:
    # keras.io's WideResNet: ``h`` is made by the first pass's branch and read by the next
    # pass's ``else``; read as a tensor made in each branch, the subclass read ``h`` unbound.
    result = _convert(LATE_READ, Style.SUBCLASS)
    assert isinstance(result, Refused)
    assert [d.render() for d in result.diagnostics] == [
        "m.py:7:5: error: a branch of this `if` reads `h` before it binds it (a tensor an earlier pass of a"
        " loop made); kconvert carries through a block only a tensor named before it (hint: give `h` its"
        " first value before the loop or `if`)"
    ]


NESTED_BRANCHES = """\
    import keras
    from keras import layers


    def build(a=True, b=False):
        inputs = keras.Input(shape=(8,))
        if a:
            if b:
                r = inputs
            else:
                r = layers.Dense(8)(inputs)
            r = layers.Dense(4)(r)
        else:
            r = layers.Dense(4)(inputs)
        outputs = layers.Dense(2)(r)
        return keras.Model(inputs, outputs)


    model = build()
    """


def test_a_tensor_made_in_each_branch_of_nested_ifs_makes_its_layers_under_the_same_tests() -> None:
    subclass = _converted(NESTED_BRANCHES, Style.SUBCLASS)
    # Only the inner ``else`` makes a layer: ``__init__`` tests the negation, with no empty branch.
    assert "        if a:\n            if not b:\n                self.dense1 = layers.Dense(8)\n" in subclass
    assert "            if self.b:\n                r = inputs\n            else:\n                r = self.dense1(inputs)\n" in subclass


PASS_BEFORE = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    x = inputs
    for i in range(3):
        if i:
            x = layers.Add()([x, h])
        h = layers.Dense(4)(x)
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
    """


def test_a_loop_that_reads_the_tensor_of_the_pass_before_is_refused() -> None:
    # Issue 13's cycle_loop: ``h`` is read as a plain name; the subclass's block read it unbound
    # (exit 0 with a NameError) and the graph class failed its own safety check.
    for target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS, Style.SEQUENTIAL):
        result = _convert(PASS_BEFORE, target)
        assert isinstance(result, Refused)
        assert [d.render() for d in result.diagnostics] == [
            "m.py:6:1: error: this loop reads `h` before it binds it (the tensor the pass before made);"
            " kconvert carries through a loop only a tensor named before it (hint: give `h` its first"
            " value before the loop)"
        ]
