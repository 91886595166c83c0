"""The fourth style: a ``keras.Model`` subclass whose ``__init__`` builds a Functional graph.

keras-hub writes every backbone this way: ``__init__`` makes ``keras.Input``
tensors, calls layers on them and hands the result to
``super().__init__(inputs=..., outputs=..., **kwargs)``, then stores its
configuration.  ``form`` recognises the class, ``lift`` reads the constructor
with the Functional lifter into the same IR as a builder function.
"""

from __future__ import annotations

from .form import GraphInit, graph_init
from .lift import functional_subclass_sites

__all__ = ["GraphInit", "functional_subclass_sites", "graph_init"]
