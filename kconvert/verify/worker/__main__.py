"""``python -m kconvert.verify.worker``: imports TensorFlow once, then serves requests.

Protocol, one JSON object per line (stdin in, stdout out); EOF on stdin ends it:

* first line in: ``{"secret": HEX, "max_memory_mb": int | null,
  "max_cpu_seconds": float | null}``; every line out is signed with the secret
  (``kconvert.verify.channel``), and the limits are applied (``guard``);
* first line out: ``{"ready": true, "tensorflow": "2.21.0", "keras": "3.15.1"}``
* ``{"id": 1, "op": "verify", "original": SLICE, "converted": SLICE,
  "input_shape": [null, 20] | null, "atol": 1e-4, "rtol": 1e-4}``
  -> ``{"id": 1, "report": ModelReport.to_dict()}``, where SLICE is
  ``{"name", "path", "source", "expr", "lean"}`` (``kconvert.verify.slicer.ModelSlice``)
* ``{"id": 2, "op": "ping"}`` -> ``{"id": 2, "pong": true}``
* a bug in kconvert itself -> ``{"id": n, "internal_error": "<traceback>"}``

The protocol owns the real stdin and stdout: both are duplicated for it (onto
descriptors that processes started by user code do not inherit), then fd 0 is
pointed at /dev/null and fd 1 at stderr, so user code cannot read a request,
and whatever it or TensorFlow prints lands on stderr, which the parent keeps to
itself unless something fails. The reports sent are facts; the parent decides
the verdict from them (``kconvert.verify.judge``).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, TextIO

from ..channel import sign
from .guard import limit_cpu, limit_memory, shield


def main() -> int:
    requests, channel = _claim_protocol_pipes()
    hello = json.loads(requests.readline() or "{}")
    secret = bytes.fromhex(hello.get("secret", ""))
    limit_memory(hello.get("max_memory_mb"))
    shield()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")

    import keras
    import tensorflow as tf

    from .legacy import serve_keras2_modules
    from .pair import verify_pair

    serve_keras2_modules()

    def send(message: dict[str, Any]) -> None:
        channel.write(sign(secret, json.dumps(message)) + "\n")
        channel.flush()

    send(
        {"ready": True, "tensorflow": tf.__version__, "keras": keras.__version__},
    )
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        reply: dict[str, Any] = {"id": request.get("id")}
        try:
            if request.get("op") == "verify":
                limit_cpu(hello.get("max_cpu_seconds"))
                reply["report"] = verify_pair(request).to_dict()
            elif request.get("op") == "ping":
                reply["pong"] = True
            else:
                reply["internal_error"] = f"unknown op {request.get('op')!r}"
        except Exception:
            reply["internal_error"] = traceback.format_exc()
        send(reply)
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


if __name__ == "__main__":
    sys.exit(main())
