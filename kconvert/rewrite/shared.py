"""The ``keras.Input`` lines a converted model shares with later models that stay as they are.

``inputs = keras.Input(...)`` made for an encoder and read again by ``vae = Model(inputs, ...)``:
when the VAE is converted too it makes its own input, and the line goes with the encoder's code.
When it is not (refused, or left out by ``--model``), converting the encoder alone would take away
the tensor the VAE is built on, so the encoder is refused with the model that holds it back.
"""

from __future__ import annotations

from ..parse.names_in import bound_names
from ..parse.sites import ModelSite
from ..types import Diagnostic


def shared_input_problem(site: ModelSite, converted: list[ModelSite]) -> Diagnostic | None:
    """Why ``site`` cannot be converted while a model sharing its input is not, if one is not."""
    for index, others in sorted(site.shared.items()):
        for other in others:
            if other in converted:
                continue
            names = ", ".join(f"`{name}`" for name in sorted(bound_names(site.block.body[index])))
            return Diagnostic(
                other.loc.line,
                other.loc.col,
                f"`{other.name}` is built on {names}, an input made with `{site.name}` (line {site.loc.line}),"
                f" which converting `{site.name}` takes away while `{other.name}` stays as it is",
                f"convert `{other.name}` too, or keep `{site.name}` Functional",
            )
    return None
