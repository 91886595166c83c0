"""Idioms of session 37's fresh real-world files (benchmarks/realworld, ``session = "fresh37"``)."""

from __future__ import annotations

import textwrap

from converting import C, F, S, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A handwriting recogniser's plain class keeps its graph's input tensor on the object, then makes
# its inference model from that attribute; a method joins the same tensors into a training model.
KEPT = """\
    from keras.layers import Dense, Input
    from keras.models import Model


    class Recogniser:
        def __init__(self, size):
            inp = Input(shape=(size,))
            scores = Dense(4)(inp)
            self.graph_input = inp
            self.scores = scores
            self.inference_model = Model(inputs=self.graph_input, outputs=scores)
    """


def test_an_input_kept_on_the_object_by_its_own_block_is_no_view_of_another_model() -> None:
    # Was left as "a view of the graph of `self`" with exit 0 to functional-subclass: a model left
    # in another style. `self.graph_input` is the block's own Input, so the model is refused.
    for target in (S, C, FS):
        (message,) = refusal(KEPT, target)
        assert message.startswith("m.py:11:45: error: the model input `self.graph_input` is the block's tensor `inp`")
        assert "kept on the object" in message and "(hint: keep this model Functional" in message
    assert convert(KEPT, F) == textwrap.dedent(KEPT)


def test_an_attribute_kept_from_another_models_tensor_is_still_a_view() -> None:
    # `self.graph_input = base.input`: the attribute holds another model's tensor.
    viewing = KEPT.replace("self.graph_input = inp", "self.graph_input = base.input").replace(
        "    def __init__(self, size):", "    def __init__(self, size, base):"
    )
    (message,) = refusal(viewing, C)
    assert "is built from another model's tensors (`self.graph_input`)" in message
