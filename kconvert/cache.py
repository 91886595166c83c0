"""What earlier runs learnt about file contents, so a repeated run does not parse them again.

``kconvert check`` keeps clean keys only, as black does.  A conversion also
keeps results (``batch.py``): a refusal's diagnostics, or that a file would be
converted, since they follow from the text, the options and kconvert's own
code alone.  A key is the SHA-256 of the text plus what else the answer
depends on.  The kconvert version names the cache file, and the file records a
fingerprint of kconvert's files (their sizes and times): an upgrade, or an
edited checkout, starts empty rather than answering with an older kconvert's
results.  The folder is ``$KCONVERT_CACHE_DIR`` or the user cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from platformdirs import user_cache_dir

from .files import write_atomic
from .types import Style

PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    return Path(os.environ.get("KCONVERT_CACHE_DIR") or user_cache_dir("kconvert"))


def code_fingerprint() -> str:
    """A digest of kconvert's own files (names, sizes, modification times): stat calls only.

    Data files count as much as sources: a conversion reads tables such as
    ``parse/saved/layer_defaults.json``, and a result found with an older table
    must not be answered again.  Only the interpreter's bytecode is left out.
    """
    entries = []
    for folder, subfolders, names in os.walk(PACKAGE):
        subfolders[:] = sorted(sub for sub in subfolders if sub != "__pycache__")
        for name in sorted(names):
            if not name.endswith((".pyc", ".pyo")):
                stat = os.stat(os.path.join(folder, name))
                entries.append(f"{os.path.relpath(os.path.join(folder, name), PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


class Cache:
    """Clean keys and kept results, loaded once and saved once per run."""

    def __init__(self, path: Path, keys: set[str], results: dict | None = None, code: str = "") -> None:
        self.path = path
        self._keys = keys
        self._results: dict[str, object] = results or {}
        self._code = code
        self._added: set[str] = set()

    @classmethod
    def load(cls, version: str, kind: str = "check") -> "Cache":
        """``kind`` names the command: each keeps its own file."""
        path = cache_dir() / f"{kind}-{version}.json"
        code = code_fingerprint()
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored["code"] != code:
                raise ValueError("written by other kconvert sources")
            keys, results = set(stored["clean"]), dict(stored["results"])
        except (OSError, ValueError, TypeError, KeyError):
            # A missing, damaged or outdated cache only costs a re-check.
            keys, results = set(), {}
        return cls(path, keys, results, code)

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

    def result(self, key: str):
        """The result kept for ``key`` (plain JSON data), or None."""
        return self._results.get(key)

    def keep(self, key: str, result) -> None:
        """Keeps ``result`` (plain JSON data) for ``key``."""
        if self._results.get(key) != result:
            self._results[key] = result
            self._added.add(key)

    def save(self) -> None:
        if not self._added:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            # A read-only cache folder must not fail the check itself.
            return
        stored = {"code": self._code, "clean": sorted(self._keys), "results": self._results}
        if write_atomic(self.path, json.dumps(stored, sort_keys=True)) is not None:
            return
        self._added.clear()
