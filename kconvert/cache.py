"""Which file contents already passed ``kconvert check`` (or needed no conversion), so they are not parsed again.

As black does, only clean results are kept: a file that needs attention is
checked afresh each time, since its diagnostics are the point of the run.  The
key is the SHA-256 of the text plus the style it was checked against; the
kconvert version is part of the cache file's name, so an upgrade starts empty.
The folder is ``$KCONVERT_CACHE_DIR`` or the user cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from platformdirs import user_cache_dir

from .files import write_atomic
from .types import Style


def cache_dir() -> Path:
    return Path(os.environ.get("KCONVERT_CACHE_DIR") or user_cache_dir("kconvert"))


class Cache:
    """A set of clean (content hash, style) keys, loaded once and saved once per run."""

    def __init__(self, path: Path, keys: set[str]) -> None:
        self.path = path
        self._keys = keys
        self._added: set[str] = set()

    @classmethod
    def load(cls, version: str, kind: str = "check") -> "Cache":
        """``kind`` names the command: each keeps its own file."""
        path = cache_dir() / f"{kind}-{version}.json"
        try:
            keys = set(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            # A missing or damaged cache only costs a re-check.
            keys = set()
        return cls(path, keys)

    @staticmethod
    def key(text: str, style: Style | str | None) -> str:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return f"{style or 'none'}:{digest}"

    def is_clean(self, key: str) -> bool:
        return key in self._keys

    def mark_clean(self, key: str) -> None:
        if key not in self._keys:
            self._keys.add(key)
            self._added.add(key)

    def save(self) -> None:
        if not self._added:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            # A read-only cache folder must not fail the check itself.
            return
        if write_atomic(self.path, json.dumps(sorted(self._keys))) is not None:
            return
        self._added.clear()
