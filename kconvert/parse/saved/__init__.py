"""The fourth reader: a saved model's architecture (``.keras``, ``to_json()``, legacy ``.h5``) lifted into the IR.

``archive`` reads the config out of the file, ``lift`` turns it into IR graphs
(``sequential`` / ``functional``, layer entries by ``layers``), ``values``
writes config values back as Python, leaving out what ``defaults`` says Keras
would fill in anyway.  No TensorFlow is imported and no code is run.
"""

from .archive import SavedConfig, read_saved
from .lift import Lifted, Part, lift, model_entry
from .problems import SavedModelProblem
from .values import Custom

__all__ = ["Custom", "Lifted", "Part", "SavedConfig", "SavedModelProblem", "lift", "model_entry", "read_saved"]
