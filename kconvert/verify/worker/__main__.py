"""``python -m kconvert.verify.worker``: imports TensorFlow once, then serves requests.

Protocol, one JSON object per line (stdin in, stdout out); EOF on stdin ends it:

* first line out: ``{"ready": true, "tensorflow": "2.21.0", "keras": "3.15.1"}``
* ``{"id": 1, "op": "verify", "original": SLICE, "converted": SLICE,
  "input_shape": [null, 20] | null, "atol": 1e-4, "rtol": 1e-4}``
  -> ``{"id": 1, "report": ModelReport.to_dict()}``, where SLICE is
  ``{"name", "path", "source", "expr"}`` (``kconvert.verify.slicer.ModelSlice``)
* ``{"id": 2, "op": "ping"}`` -> ``{"id": 2, "pong": true}``
* a bug in kconvert itself -> ``{"id": n, "internal_error": "<traceback>"}``

The protocol owns the real stdin and stdout: both are duplicated for it, then
fd 0 is pointed at /dev/null and fd 1 at stderr, so user code cannot read a
request, and whatever it or TensorFlow prints lands on stderr, which the parent
keeps to itself unless something fails.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, TextIO


def main() -> int:
    requests, channel = _claim_protocol_pipes()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")

    import keras
    import tensorflow as tf

    from .pair import verify_pair

    _send(
        channel,
        {"ready": True, "tensorflow": tf.__version__, "keras": keras.__version__},
    )
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        reply: dict[str, Any] = {"id": request.get("id")}
        try:
            if request.get("op") == "verify":
                reply["report"] = verify_pair(request).to_dict()
            elif request.get("op") == "ping":
                reply["pong"] = True
            else:
                reply["internal_error"] = f"unknown op {request.get('op')!r}"
        except Exception:
            reply["internal_error"] = traceback.format_exc()
        _send(channel, reply)
    return 0


def _claim_protocol_pipes() -> tuple[TextIO, TextIO]:
    """Keep stdin/stdout for the protocol; user code gets /dev/null and stderr."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # an input() must not eat a request
    os.dup2(2, 1)  # print() and C-level writes land on stderr
    sys.stdin = open(os.devnull, encoding="utf-8")
    sys.stdout = sys.stderr
    return requests, channel


def _send(channel: TextIO, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message) + "\n")
    channel.flush()


if __name__ == "__main__":
    sys.exit(main())
