"""Converting a snippet in a test: the text, or the refusal's lines, with the reason on failure."""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS


def convert(text: str, target: Style) -> str:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result.source


def refusal(text: str, target: Style) -> list[str]:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Refused), result.source
    return [diagnostic.render() for diagnostic in result.diagnostics]


def input_arguments(text: str) -> str:
    """What the ``keras.Input(...)`` of ``text`` converted to Functional is given: its shape."""
    line = next(line for line in convert(text, F).splitlines() if "keras.Input(" in line)
    return line.split("keras.Input(", 1)[1].rsplit(")", 1)[0]
