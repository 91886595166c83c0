"""The one exception the saved-model reader raises inside itself, turned into a diagnostic at its edge."""

from __future__ import annotations

from ...types import Diagnostic


class SavedModelProblem(Exception):
    """Something in the saved file that kconvert cannot (or must not) write as code."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostic(self, path: str) -> Diagnostic:
        # A saved model has no lines: the diagnostic points at the file itself.
        return Diagnostic(1, 1, self.message, self.hint, path)
