"""Running a file in a test, original or converted, as a user runs it: its own Python process in
a directory of its own, TensorFlow's logging quiet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_script(directory: Path, name: str, text: str) -> subprocess.CompletedProcess:
    (directory / name).write_text(text)
    return subprocess.run(
        [sys.executable, name],
        capture_output=True,
        text=True,
        cwd=directory,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
