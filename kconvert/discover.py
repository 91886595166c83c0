"""Which files a command works on: the paths given, and the sources under the folders given.

Shared by every command, and done as black does it:

- a folder is searched recursively for ``*.py`` and ``*.ipynb`` files;
- a path inside a folder is left out when it matches ``exclude`` (a regular
  expression, ``DEFAULT_EXCLUDES`` unless set) or ``extend_exclude``, or when a
  ``.gitignore`` of the project root or of any folder on the way ignores it;
  the pattern is matched against ``/`` + the path relative to the project root,
  with a trailing ``/`` for folders, so ``/build/`` means a folder named build;
- a file named on the command line is always used, unless it matches
  ``force_exclude`` (meant for pre-commit, which names every file itself);
- a file found twice is used once, in the order first found.

The settings come from the command line or else from ``[tool.kconvert]`` in the
project root's ``pyproject.toml`` (``exclude``, ``extend-exclude``,
``force-exclude``).  Each ``Found`` file says whether it was named explicitly:
a named file without a model is an error, a found one is only counted.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .types import Diagnostic

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, from PyPI, before 3.11
    import tomli as tomllib

SUFFIXES = (".py", ".ipynb")

# black's defaults, plus the folders a Python or JavaScript project keeps
# installed packages in: site-packages holds Keras' own models.
DEFAULT_EXCLUDES = (
    r"/(\.direnv|\.eggs|\.git|\.hg|\.ipynb_checkpoints|\.mypy_cache|\.nox|\.pytest_cache|\.ruff_cache"
    r"|\.svn|\.tox|\.venv|venv|__pycache__|__pypackages__|_build|buck-out|build|dist|node_modules"
    r"|site-packages)/"
)
PROJECT_MARKERS = (".git", ".hg", "pyproject.toml")


@dataclass(frozen=True)
class Selection:
    """The exclusion settings of one run, as regular expressions (None: not set)."""

    exclude: str | None = None
    extend_exclude: str | None = None
    force_exclude: str | None = None


@dataclass(frozen=True)
class Found:
    """One file to work on; ``explicit`` when it was named, not found in a folder."""

    path: Path
    explicit: bool


@dataclass(frozen=True)
class Discovery:
    files: tuple[Found, ...]
    root: Path
    config: Path | None  # the pyproject.toml the settings were read from
    problems: tuple[Diagnostic, ...] = ()


def project_root(paths: Iterable[Path]) -> Path:
    """The first folder above the common base of ``paths`` holding .git, .hg or pyproject.toml."""
    folders = [path if path.is_dir() else path.parent for path in (p.resolve() for p in paths)]
    common = Path(os.path.commonpath(folders)) if folders else Path.cwd().resolve()
    for folder in (common, *common.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return common


def discover(paths: Iterable[str], given: Selection = Selection()) -> Discovery:
    """The files to work on, in order; ``-`` (standard input) passes through as named."""
    named = list(paths)
    root = project_root([Path(path) for path in named if path != "-"])
    config, settings = _settings(root, given)
    if isinstance(settings, Diagnostic):
        return Discovery((), root, config, (settings,))
    exclude, extend, force = settings
    files: list[Found] = []
    seen: dict[Path, int] = {}

    def add(path: Path, explicit: bool) -> None:
        key = path.resolve()
        if key not in seen:
            seen[key] = len(files)
            files.append(Found(path, explicit))
        elif explicit:  # named as well as found: a missing model is then worth saying
            files[seen[key]] = Found(files[seen[key]].path, True)

    for name in named:
        path = Path(name)
        if name == "-":
            files.append(Found(path, True))
        elif path.is_dir():
            ignores = _gitignores_above(path.resolve(), root)
            for found in _walk(path, root, exclude, extend, force, ignores):
                add(found, False)
        elif force is None or not force.search(_relative(path, root, False)):
            add(path, True)
    return Discovery(tuple(files), root, config)


def _settings(root: Path, given: Selection):
    """The compiled exclusion patterns: the command line's, else pyproject.toml's, else the defaults."""
    config = root / "pyproject.toml"
    table: dict = {}
    if config.is_file():
        try:
            with open(config, "rb") as handle:
                table = tomllib.load(handle).get("tool", {}).get("kconvert", {})
        except (OSError, tomllib.TOMLDecodeError):
            table = {}  # config.py reports an unreadable pyproject.toml; discovery uses the defaults
    else:
        config = None
    compiled = []
    for option, key, default in (
        (given.exclude, "exclude", DEFAULT_EXCLUDES),
        (given.extend_exclude, "extend-exclude", None),
        (given.force_exclude, "force-exclude", None),
    ):
        pattern = option if option is not None else table.get(key, default)
        try:
            compiled.append(_compile(pattern) if pattern else None)
        except re.error as error:
            where = f"--{key}" if option is not None else f"[tool.kconvert] {key} in {config}"
            return config, Diagnostic(
                1, 1, f"{where} is not a valid regular expression: {error}",
                "exclusions are regular expressions, e.g. '/(generated|legacy)/'", str(config or key),
            )
    return config, tuple(compiled)


def _compile(pattern: str) -> re.Pattern:
    # A multi-line pattern in pyproject.toml is written in verbose mode, as black allows.
    return re.compile(pattern, re.VERBOSE if "\n" in pattern else 0)


def _walk(folder: Path, root: Path, exclude, extend, force, ignores: tuple) -> Iterator[Path]:
    ignores = (*ignores, *_gitignore(folder.resolve()))
    for child in sorted(folder.iterdir(), key=lambda path: path.name):
        is_dir = child.is_dir()
        if is_dir and child.is_symlink():
            continue  # a link to a folder may lead out of the project or round in a loop
        relative = _relative(child, root, is_dir)
        if any(pattern is not None and pattern.search(relative) for pattern in (exclude, extend, force)):
            continue
        if _ignored(child.resolve(), is_dir, ignores):
            continue
        if is_dir:
            yield from _walk(child, root, exclude, extend, force, ignores)
        elif child.suffix in SUFFIXES and child.is_file():
            yield child


def _relative(path: Path, root: Path, is_dir: bool) -> str:
    resolved = path.resolve()
    try:
        text = "/" + resolved.relative_to(root).as_posix()
    except ValueError:
        text = resolved.as_posix()
    return text + "/" if is_dir else text


def _gitignores_above(folder: Path, root: Path) -> tuple:
    """The .gitignore files from the project root down to (not including) ``folder``."""
    if folder == root or root not in folder.parents:
        return ()
    chain = [parent for parent in reversed(folder.parents) if parent == root or root in parent.parents]
    return tuple(spec for parent in chain for spec in _gitignore(parent))


@lru_cache(maxsize=None)
def _gitignore(folder: Path) -> tuple:
    """``(folder, spec)`` for the folder's .gitignore, or nothing; patterns are relative to it."""
    path = folder / ".gitignore"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ()
    from pathspec import GitIgnoreSpec  # only a run over a folder needs it

    return ((folder, GitIgnoreSpec.from_lines(lines)),)


def _ignored(path: Path, is_dir: bool, ignores: tuple) -> bool:
    for folder, spec in ignores:
        try:
            relative = path.relative_to(folder).as_posix()
        except ValueError:
            continue
        if spec.match_file(relative + "/" if is_dir else relative):
            return True
    return False
