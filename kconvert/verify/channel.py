"""The worker's reply channel: every line signed with a secret of the run.

The worker runs the user's model code in its own process, and that code can
write anywhere the process can, the reply pipe included. So the parent makes a
random secret for each worker it starts and sends it on the worker's standard
input (never in its arguments or environment, which other processes can read);
the worker signs each reply line with it (HMAC-SHA256) and the parent drops the
worker at the first line that is not signed. Printing a forged ``equivalent``
reply is then not enough: the code would have to dig the secret out of the
worker's memory, which is an attack on kconvert, not an accident (see the docs'
note on what ``verify`` protects against).

Pure standard library: both the parent and the worker import it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def sign(secret: bytes, payload: str) -> str:
    """``payload`` as one channel line: its signature, a space, the payload."""
    return f"{_mac(secret, payload)} {payload}"


def opened(secret: bytes, line: str) -> str | None:
    """The payload of a signed line, or None if the signature is not the secret's."""
    mac, _, payload = line.rstrip("\n").partition(" ")
    return payload if hmac.compare_digest(mac, _mac(secret, payload)) else None


def _mac(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode("utf-8"), hashlib.sha256).hexdigest()
