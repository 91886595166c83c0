"""The house style: ``[tool.kconvert]`` in the nearest ``pyproject.toml``.

Like black, the project a file belongs to is the first folder above it that
holds a ``pyproject.toml``; its ``[tool.kconvert]`` table sets ``style``
(``sequential``, ``functional``, ``subclass``, ``functional-subclass``, or
absent for none) and may list overrides, later ones winning::

    [tool.kconvert]
    style = "functional"

    [[tool.kconvert.overrides]]
    paths = ["legacy/*"]
    style = "subclass"

Patterns are ``fnmatch`` patterns on the path relative to the project folder,
so ``*`` also crosses ``/``.  An invalid table is reported as a diagnostic on
the ``pyproject.toml``, never guessed around.  The same file's ``[tool.black]``
``line-length`` and ``skip-magic-trailing-comma`` decide how the code kconvert
writes is laid out.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from .types import Diagnostic, Options, Style

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomllib is stdlib from 3.11; tomli is the same parser for 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class Override:
    patterns: tuple[str, ...]
    style: Style


@dataclass(frozen=True)
class HouseStyle:
    """One project's style settings; ``root`` is the folder of its ``pyproject.toml``."""

    root: Path | None = None
    style: Style | None = None
    overrides: tuple[Override, ...] = ()

    def style_for(self, path: Path) -> Style | None:
        if self.root is None:
            return self.style
        try:
            relative = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return self.style
        chosen = self.style
        for override in self.overrides:
            if any(fnmatch.fnmatchcase(relative, pattern) for pattern in override.patterns):
                chosen = override.style
        return chosen


class ConfigFinder:
    """Finds and reads each folder's project settings once per run."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, HouseStyle | Diagnostic] = {}

    def for_file(self, path: Path) -> HouseStyle | Diagnostic:
        return self._for_folder(path.resolve().parent)

    def _for_folder(self, folder: Path) -> HouseStyle | Diagnostic:
        if folder not in self._by_folder:
            candidate = folder / "pyproject.toml"
            if candidate.is_file():
                found = read_house_style(candidate)
            elif folder.parent == folder:
                found = HouseStyle()
            else:
                found = self._for_folder(folder.parent)
            self._by_folder[folder] = found
        return self._by_folder[folder]


def read_house_style(pyproject: Path) -> HouseStyle | Diagnostic:
    """The ``[tool.kconvert]`` settings of one ``pyproject.toml``."""
    try:
        with open(pyproject, "rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("kconvert", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        return _invalid(pyproject, f"cannot read it: {error}")
    root = pyproject.resolve().parent
    try:
        style = _style(table.get("style"))
        overrides = tuple(_override(entry) for entry in table.get("overrides", []))
    except ValueError as error:
        return _invalid(pyproject, str(error))
    return HouseStyle(root, style, overrides)


def _override(entry: object) -> Override:
    patterns = entry.get("paths") if isinstance(entry, dict) else None
    if not isinstance(patterns, list) or not all(isinstance(pattern, str) for pattern in patterns):
        raise ValueError('each [[tool.kconvert.overrides]] needs `paths = ["pattern", ...]`')
    style = _style(entry.get("style"))
    if style is None:
        raise ValueError("each [[tool.kconvert.overrides]] needs a `style`")
    return Override(tuple(patterns), style)


def _style(value: object) -> Style | None:
    if value is None:
        return None
    try:
        return Style.parse(str(value))
    except ValueError:
        raise ValueError(f"unknown style {value!r} in [tool.kconvert]") from None


def _invalid(pyproject: Path, message: str) -> Diagnostic:
    return Diagnostic(1, 1, message, "style is one of: " + ", ".join(style.value for style in Style), str(pyproject))


def with_black_settings(options: Options, path: str) -> Options:
    """``options`` with the ``[tool.black]`` settings of the project ``path`` belongs to.

    As black finds its configuration: the ``pyproject.toml`` of the nearest folder
    above the file that has one (the current folder's for standard input).
    """
    folder = Path(path).resolve().parent if path not in ("-", "<string>") else Path.cwd().resolve()
    line_length, skip_magic = _black_table(folder)
    return replace(options, line_length=line_length, skip_magic_trailing_comma=skip_magic)


def _black_table(folder: Path) -> tuple[int, bool]:
    candidate = folder / "pyproject.toml"
    if not candidate.is_file():
        return (Options.line_length, False) if folder.parent == folder else _black_table(folder.parent)
    try:
        with open(candidate, "rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("black", {})
    except (OSError, tomllib.TOMLDecodeError):
        # The file's own problems are reported by whatever reads it for real; black's defaults meanwhile.
        table = {}
    length = table.get("line-length", table.get("line_length"))
    skip = table.get("skip-magic-trailing-comma", table.get("skip_magic_trailing_comma"))
    return (
        length if isinstance(length, int) and not isinstance(length, bool) and length > 0 else Options.line_length,
        skip is True,
    )
