"""The committed table of layer defaults is what the installed Keras says: regenerated and compared.

Fails when a Keras upgrade changes a default; then run ``python scripts/layer_defaults.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kconvert.parse.saved.defaults import TABLE

pytestmark = pytest.mark.tensorflow
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "layer_defaults.py"


def test_layer_defaults_table_matches_installed_keras() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--print"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    fresh, committed = json.loads(done.stdout), json.loads(TABLE.read_text())
    assert fresh["classes"] == committed["classes"], "Keras changed a layer default: regenerate the table"
    assert committed["classes"]["layers.Dense"]["required"] == ["units"]
