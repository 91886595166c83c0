"""Reading the architecture out of a saved model file, without TensorFlow.

Three containers hold the same JSON config: a ``.keras`` archive (a zip whose
``config.json`` it is), a ``model.to_json()`` / ``get_config()`` file, and a
legacy ``.h5`` file (the ``model_config`` attribute of its root group, read
with h5py, an optional extra).  Every way a file can be unreadable is a
``SavedModelProblem``, never an exception from zipfile, json or h5py.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .problems import SavedModelProblem

MAX_CONFIG_BYTES = 64 * 1024 * 1024
REGENERATE_HINT = "save the model again with model.save('model.keras')"


@dataclass(frozen=True)
class SavedConfig:
    """A saved model's config (``{"class_name": ..., "config": ...}``) and the Keras that wrote it."""

    config: dict
    keras_version: str | None
    container: str  # "keras", "json" or "h5": the one --weights can load from


def read_saved(path: Path) -> SavedConfig:
    if not path.exists():
        raise SavedModelProblem("no such file", "check the path")
    if not path.is_file():
        raise SavedModelProblem("not a regular file", "name a .keras, .h5 or .json file")
    if zipfile.is_zipfile(path):
        return _from_archive(path)
    with path.open("rb") as stream:
        head = stream.read(8)
    if head == b"\x89HDF\r\n\x1a\n":
        return _from_h5(path)
    if path.suffix == ".keras":
        raise SavedModelProblem("this .keras file is not a zip archive: it is damaged or incomplete", REGENERATE_HINT)
    return _from_json(path)


def _from_archive(path: Path) -> SavedConfig:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "config.json" not in names:
                raise SavedModelProblem(
                    "this zip archive has no config.json, so it is not a Keras 3 .keras file",
                    "save the model with model.save('model.keras')",
                )
            if archive.getinfo("config.json").file_size > MAX_CONFIG_BYTES:
                raise SavedModelProblem("the archive's config.json is too large to be a model config")
            config = _json(archive.read("config.json"), "the archive's config.json")
            metadata = _json(archive.read("metadata.json"), "metadata.json") if "metadata.json" in names else {}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise SavedModelProblem(f"cannot read this .keras archive: {error}", REGENERATE_HINT) from None
    version = metadata.get("keras_version") if isinstance(metadata, dict) else None
    return SavedConfig(config, version if isinstance(version, str) else None, "keras")


def _from_json(path: Path) -> SavedConfig:
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise SavedModelProblem("this file is too large to be a model config")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SavedModelProblem(f"cannot read the file: {error.strerror or error}") from None
    config = _json(raw, "the file")
    version = config.get("keras_version") if isinstance(config, dict) else None
    return SavedConfig(config, version if isinstance(version, str) else None, "json")


def _from_h5(path: Path) -> SavedConfig:
    try:
        import h5py
    except ImportError:
        raise SavedModelProblem(
            "reading a legacy .h5 model needs h5py, which is not installed",
            "pip install 'keras-convert[h5]', or save the model as .keras",
        ) from None
    try:
        with h5py.File(path, "r") as h5:
            found = h5.attrs.get("model_config")
            version = h5.attrs.get("keras_version")
    except (OSError, ValueError) as error:
        raise SavedModelProblem(f"cannot read this .h5 file: {error}", "is the file complete?") from None
    if found is None:
        raise SavedModelProblem(
            "this .h5 file holds no model_config: it holds weights only, not an architecture",
            "give the .keras or full .h5 file the model was saved to",
        )
    if isinstance(version, bytes):
        version = version.decode("utf-8", "replace")
    config = _json(found.encode() if isinstance(found, str) else bytes(found), "the file's model_config")
    return SavedConfig(config, version if isinstance(version, str) else None, "h5")


def _json(raw: bytes, what: str):
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise SavedModelProblem(
            f"{what} is neither a .keras archive, an .h5 file nor JSON",
            "give a file written by model.save() or model.to_json()",
        ) from None
    except RecursionError:
        raise SavedModelProblem(f"{what} nests too deeply to be a model config") from None
