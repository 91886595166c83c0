"""Many files: the conversion cache, and results in the order the files were given."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kconvert.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEQUENTIAL = (FIXTURES / "mnist_mlp" / "sequential.py").read_text()
FUNCTIONAL = (FIXTURES / "mnist_mlp" / "functional.py").read_text()


@pytest.fixture
def parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts converted in this process (runs use -j 1 so the work stays here)."""
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path / "cache"))
    module = importlib.import_module("kconvert.convert")
    real = module.convert_source
    seen: list[str] = []

    def counting(text, *args, **kwargs):
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(module, "convert_source", counting)
    return seen


def _run(*args: str):
    result = CliRunner().invoke(main, ["to-functional", "-j", "1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a_done.py").write_text(FUNCTIONAL)
    (folder / "b_todo.py").write_text(SEQUENTIAL)
    (folder / "c_none.py").write_text("import keras\n\nprint(keras.Model)\n")
    return folder


def test_a_repeated_check_parses_nothing(tmp_path, parses):
    folder = _project(tmp_path)
    first = _run("--check", str(folder))
    assert len(parses) == 3
    parses.clear()
    second = _run("--check", str(folder))
    assert parses == []
    assert second.exit_code == first.exit_code == 1
    assert second.stderr == first.stderr
    assert second.stderr.endswith("1 file would be converted, 1 file left unchanged, 1 file without a model.\n")


def test_a_diff_converts_again_what_a_check_found_to_convert(tmp_path, parses):
    folder = _project(tmp_path)
    _run("--check", str(folder))
    parses.clear()
    result = _run("--diff", str(folder))
    assert parses == [SEQUENTIAL]
    assert "+inputs = keras.Input(" in result.stdout


def test_a_refusal_is_answered_from_the_cache_with_its_diagnostics(tmp_path, parses):
    path = tmp_path / "siamese.py"
    path.write_text(
        "import keras\n\nleft = keras.Input(shape=(4,))\nright = keras.Input(shape=(4,))\n"
        "model = keras.Model([left, right], keras.layers.Add()([left, right]))\n"
    )
    first = CliRunner().invoke(main, ["to-sequential", "-j", "1", "--check", str(path)])
    assert first.exit_code == 123 and "second input" in first.stderr
    parses.clear()
    second = CliRunner().invoke(main, ["to-sequential", "-j", "1", "--check", str(path)])
    assert parses == [] and second.exit_code == 123 and second.stderr == first.stderr
    moved = tmp_path / "other.py"
    path.rename(moved)
    third = CliRunner().invoke(main, ["to-sequential", "-j", "1", "--check", str(moved)])
    assert len(parses) == 1 and str(moved) in third.stderr  # the file's name is part of the key


def test_black_settings_are_part_of_the_key(tmp_path, parses):
    folder = _project(tmp_path)
    _run("--check", str(folder))
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 60\n")
    parses.clear()
    _run("--check", str(folder))
    assert len(parses) == 3


def test_edited_kconvert_sources_empty_the_cache(tmp_path, parses, monkeypatch):
    folder = _project(tmp_path)
    _run("--check", str(folder))
    cache = importlib.import_module("kconvert.cache")
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another kconvert")
    parses.clear()
    _run("--check", str(folder))
    assert len(parses) == 3


def test_a_changed_data_table_empties_the_cache(tmp_path, monkeypatch):
    # A copy of the package, so the real table is not touched; a results key
    # is only as good as the fingerprint of everything the answer was read from.
    cache = importlib.import_module("kconvert.cache")
    copy = tmp_path / "kconvert"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", copy)
    before = cache.code_fingerprint()
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "cache.cpython-312.pyc").write_bytes(b"bytecode")
    assert cache.code_fingerprint() == before  # the interpreter's bytecode is not kconvert's code
    table = copy / "parse" / "saved" / "layer_defaults.json"
    table.write_text(table.read_text() + "\n")
    assert cache.code_fingerprint() != before


def test_a_changed_file_is_converted_again(tmp_path, parses):
    folder = _project(tmp_path)
    _run("--check", str(folder))
    (folder / "a_done.py").write_text(SEQUENTIAL)
    parses.clear()
    result = _run("--check", str(folder))
    assert parses == [SEQUENTIAL]  # the edited file; the other one to convert is known
    assert "2 files would be converted" in result.stderr


def test_options_are_part_of_the_key(tmp_path, parses):
    folder = _project(tmp_path)
    _run("--check", str(folder))
    parses.clear()
    _run("--check", "--input-shape", "28,28", str(folder))
    assert len(parses) == 3


def test_a_named_file_without_a_model_is_reported_every_time(tmp_path, parses):
    folder = _project(tmp_path)
    _run("--check", str(folder))
    result = _run("--check", str(folder / "c_none.py"))
    assert result.exit_code == 123
    assert "no Keras model found" in result.stderr


def test_a_cached_file_still_prints_when_asked(tmp_path, parses):
    folder = _project(tmp_path)
    _run("--check", str(folder))
    result = _run(str(folder / "a_done.py"))
    assert result.exit_code == 0 and result.stdout == FUNCTIONAL


def test_a_file_with_notes_keeps_them_in_the_cache(tmp_path, parses):
    # A training container with no call() is left as it is, with a note.
    container = "class GAN(keras.Model):\n    def __init__(self, g):\n        super().__init__()\n        self.g = g\n\n\n"
    source = "import keras\n\n\n" + container + FUNCTIONAL.split("\n", 1)[1]
    path = tmp_path / "noted.py"
    path.write_text(source)
    first = _run("--check", str(path))
    parses.clear()
    second = _run("--check", str(path))
    assert "note:" in first.stderr and second.stderr == first.stderr
    assert parses == []


def test_workers_keep_the_order_of_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(12):
        shutil.copy(FIXTURES / "mnist_mlp" / "sequential.py", folder / f"m{index:02}.py")
    result = CliRunner().invoke(main, ["to-functional", "--check", "-j", "2", str(folder)])
    names = [line.split()[-1] for line in result.stderr.splitlines() if line.startswith("would convert")]
    assert names == [str(folder / f"m{index:02}.py") for index in range(12)]
