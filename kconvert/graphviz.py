"""Running Graphviz's ``dot`` to turn a digraph into an SVG or PNG picture.

Graphviz is a system program, not a Python package, so kconvert does not
depend on it: when ``dot`` is missing the result says how to install it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

FORMATS = ("svg", "png")


@dataclass(frozen=True)
class GraphvizFailure:
    message: str
    hint: str


def render_with_dot(dot_text: str, image_format: str) -> bytes | GraphvizFailure:
    """``dot_text`` drawn as ``svg`` or ``png`` bytes."""
    program = shutil.which("dot")
    if program is None:
        return GraphvizFailure(
            f"drawing {image_format} needs Graphviz's `dot` program, which is not installed",
            "install it with `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) "
            "or from https://graphviz.org/download/, or use --format mermaid or dot, which need nothing",
        )
    done = subprocess.run([program, f"-T{image_format}"], input=dot_text.encode(), capture_output=True)
    if done.returncode != 0:
        problem = " ".join(done.stderr.decode(errors="replace").split())  # one line, as every diagnostic
        return GraphvizFailure(f"dot failed: {problem}", "use --format mermaid or dot, and report this model")
    return done.stdout
