"""Plain data shared by every stage: styles, options, diagnostics and results.

Nothing here knows about libcst or TensorFlow; the parser, emitters, verifier and
CLI all speak in these values, so a refusal travels from the deepest stage to the
user as data, never as an exception.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace


class Style(str, enum.Enum):
    """The four ways to write a Keras model.

    ``functional-subclass`` is the keras-hub backbone: a ``keras.Model`` subclass
    whose ``__init__`` builds a Functional graph and hands it to ``super().__init__``.
    """

    SEQUENTIAL = "sequential"
    FUNCTIONAL = "functional"
    SUBCLASS = "subclass"
    FUNCTIONAL_SUBCLASS = "functional-subclass"

    @classmethod
    def parse(cls, text: str) -> "Style":
        # ``functional_subclass``, ``FunctionalSubclass`` and ``functional-subclass`` are one style.
        wanted = _squashed(text)
        for style in cls:
            if _squashed(style.value) == wanted:
                return style
        return cls(text)

    @property
    def stem(self) -> str:
        """The style as a Python file name stem (``functional_subclass``), as fixtures name files."""
        return self.value.replace("-", "_")

    def __str__(self) -> str:
        return self.value


def _squashed(text: str) -> str:
    return text.strip().lower().replace("-", "").replace("_", "")


@dataclass(frozen=True)
class Diagnostic:
    """One problem a user can fix, printed as ``path:line:col: error: message``.

    In a notebook, ``cell`` is the cell's number (1-based, as Jupyter shows
    them) and ``line`` counts within that cell: ``nb.ipynb:cell 3:line 4:5: ...``.
    """

    line: int
    col: int
    message: str
    hint: str = ""
    path: str = "<string>"
    severity: str = "error"
    cell: int | None = None

    def __post_init__(self) -> None:
        # Messages quote the user's code, which may span lines; a diagnostic is one line, always.
        object.__setattr__(self, "message", one_line(self.message))
        object.__setattr__(self, "hint", one_line(self.hint))

    def at(self, path: str) -> "Diagnostic":
        return replace(self, path=path)

    @property
    def where(self) -> str:
        if self.cell is None:
            return f"{self.path}:{self.line}:{self.col}"
        return f"{self.path}:cell {self.cell}:line {self.line}:{self.col}"

    def render(self) -> str:
        text = f"{self.where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


def one_line(text: str) -> str:
    """``f(\n    a,\n)`` as ``f(a)``: quoted code folded the way it would read on one line."""
    text = re.sub(r"([(\[{])\s*\n\s*", r"\1", text)
    text = re.sub(r",?\s*\n\s*([)\]}])", r"\1", text)
    return re.sub(r"\s*\n\s*", " ", text)


@dataclass(frozen=True)
class Options:
    """What the user asked for, beyond the target style."""

    model: str | None = None
    input_shape: tuple[int | None, ...] | None = None
    class_name: str | None = None
    # The file's black settings (``[tool.black]`` of its project), for the code kconvert writes.
    line_length: int = 88
    skip_magic_trailing_comma: bool = False


@dataclass(frozen=True)
class ModelChange:
    """One model that a conversion rewrote (or left alone, with the reason)."""

    name: str
    line: int
    source_style: Style
    target_style: Style
    changed: bool


@dataclass(frozen=True)
class Converted:
    """A successful conversion: the new text of the whole file."""

    source: str
    models: tuple[ModelChange, ...] = ()
    notes: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return True


@dataclass(frozen=True)
class Refused:
    """A conversion that could not be done; nothing may be written."""

    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return False


ConversionResult = Converted | Refused


# The styles that write a class: a model in one of them is made by instantiating the class.
CLASSES = frozenset({Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS})
