"""Proving that a converted file builds the same Keras model as the original.

Pipeline: ``source`` indexes a file with libcst, ``locate`` finds its models,
``slicer`` cuts out the statements that build one, ``client.Worker`` sends the two
slices to a TensorFlow subprocess (``worker/``), which builds, traces and compares
them and answers with the values of ``report`` on a signed ``channel``; ``judge``
gives the verdict from those facts, in this process; ``render`` draws them for people.
Importing this package imports neither TensorFlow nor numpy; see ``report`` for
the exit codes (0 equivalent, 1 different, 123 could not run).
"""

from .api import Progress, ProgressCallback, verify_files, verify_many, verify_sources
from .client import Worker
from .report import (
    ConfigDifference,
    Difference,
    LayerRow,
    Location,
    ModelReport,
    ModelSummary,
    Verdict,
    VerifyReport,
    combine,
    exit_code,
)

__all__ = [
    "ConfigDifference",
    "Difference",
    "LayerRow",
    "Location",
    "ModelReport",
    "ModelSummary",
    "Progress",
    "ProgressCallback",
    "Verdict",
    "VerifyReport",
    "Worker",
    "combine",
    "exit_code",
    "verify_files",
    "verify_many",
    "verify_sources",
]
