"""The conversion commands, in process: every flag, every exit code, every error form."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kconvert.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
MLP = FIXTURES / "mnist_mlp"
ADD = FIXTURES / "two_input_add"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mlp(tmp_path: Path) -> Path:
    return Path(shutil.copy(MLP / "sequential.py", tmp_path / "model.py"))


def run(runner: CliRunner, *args: str, input: str | None = None):
    result = runner.invoke(main, list(args), input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_one_file_prints_the_converted_file(runner, mlp):
    result = run(runner, "to-functional", str(mlp))
    assert result.exit_code == 0
    assert result.stdout == (MLP / "functional.py").read_text()
    assert mlp.read_text() == (MLP / "sequential.py").read_text()


def test_write_replaces_the_file_and_leaves_no_temporary(runner, mlp):
    result = run(runner, "to-functional", "-w", str(mlp))
    assert result.exit_code == 0
    assert mlp.read_text() == (MLP / "functional.py").read_text()
    assert [path.name for path in mlp.parent.iterdir()] == ["model.py"]
    assert "1 file converted" in result.stderr


def test_write_keeps_a_file_already_in_the_target_style(runner, tmp_path):
    path = Path(shutil.copy(MLP / "functional.py", tmp_path / "model.py"))
    before = path.stat().st_mtime_ns
    result = run(runner, "to-functional", "-w", str(path))
    assert result.exit_code == 0
    assert path.stat().st_mtime_ns == before
    assert "1 file left unchanged" in result.stderr


def test_diff_prints_a_unified_diff_and_writes_nothing(runner, mlp):
    result = run(runner, "to-functional", "--diff", str(mlp))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"--- {mlp}\n+++ {mlp}\n@@ ")
    assert "+inputs = keras.Input(shape=[28, 28])\n" in result.stdout
    assert "-model = keras.models.Sequential()\n" in result.stdout
    assert mlp.read_text() == (MLP / "sequential.py").read_text()


def test_check_exits_1_when_a_file_would_change(runner, mlp):
    result = run(runner, "to-functional", "--check", str(mlp))
    assert result.exit_code == 1
    assert f"would convert {mlp}" in result.stderr
    assert mlp.read_text() == (MLP / "sequential.py").read_text()


def test_check_exits_0_when_nothing_would_change(runner):
    result = run(runner, "to-functional", "--check", str(MLP / "functional.py"))
    assert result.exit_code == 0


def test_stdin_to_stdout(runner):
    result = run(runner, "to-sequential", "-", input=(MLP / "functional.py").read_text())
    assert result.exit_code == 0
    assert result.stdout == (MLP / "functional_to_sequential.py").read_text()


def test_refusal_is_one_line_per_problem_and_touches_nothing(runner, tmp_path):
    path = Path(shutil.copy(ADD / "functional.py", tmp_path / "functional.py"))
    result = run(runner, "to-sequential", "-w", str(path))
    assert result.exit_code == 123
    expected = (ADD / "functional_to_sequential.err").read_text().replace("functional.py", str(path))
    assert result.stderr.startswith(expected)
    assert path.read_text() == (ADD / "functional.py").read_text()


@pytest.mark.parametrize(
    ("source", "location", "message"),
    [
        ("import keras\nmodel = keras.Sequential([\n", "2:", "cannot parse the file"),
        ("import numpy as np\nx = np.zeros(3)\n", "1:1", "no Keras model found"),
        (
            "import keras\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dnse(2)])\n",
            "2:52",
            "unknown layer `keras.layers.Dnse`",
        ),
        (
            "import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\n",
            "2:27",
            "this model has no input shape",
        ),
        (
            "from tensorflow.python.keras import layers\nimport keras\n"
            "model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)])\n",
            "3:52",
            "`tensorflow.python.keras.layers.Dense` is a Keras 2 internal path",
        ),
    ],
    ids=["syntax", "no-model", "unknown-layer", "no-input-shape", "legacy-import"],
)
def test_user_errors_are_diagnostics(runner, tmp_path, source, location, message):
    path = tmp_path / "bad.py"
    path.write_text(source)
    result = run(runner, "to-functional", "-w", str(path))
    assert result.exit_code == 123
    assert result.stderr.startswith(f"{path}:{location}")
    assert f": error: {message}" in result.stderr
    assert "(hint: " in result.stderr
    assert path.read_text() == source


def test_input_shape_option_gives_the_missing_shape(runner):
    source = "import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\n"
    result = run(runner, "to-functional", "--input-shape", "28,28", "-", input=source)
    assert result.exit_code == 0
    assert "inputs = keras.Input(shape=(28, 28))\n" in result.stdout


def test_bad_input_shape_is_a_usage_error(runner, mlp):
    result = run(runner, "to-functional", "--input-shape", "a,b", str(mlp))
    assert result.exit_code == 2
    # A size Keras cannot build was written into keras.Input(shape=(0, -1)) with exit 0.
    for shape in ("0,28", "28,-1"):
        result = run(runner, "to-functional", "--input-shape", shape, str(mlp))
        assert result.exit_code == 2 and "each size is a positive number" in result.stderr
    assert run(runner, "to-functional", "--input-shape", "None,8", str(mlp)).exit_code == 0


def test_model_option_converts_only_that_model(runner):
    path = FIXTURES / "two_models" / "sequential.py"
    result = run(runner, "to-functional", "--model", "small", str(path))
    assert result.exit_code == 0
    assert result.stdout.count("Sequential(") == path.read_text().count("Sequential(") - 1


def test_unknown_model_name_is_an_error(runner, mlp):
    result = run(runner, "to-functional", "--model", "nope", str(mlp))
    assert result.exit_code == 123
    assert "no model named `nope`" in result.stderr
    assert "models found: model" in result.stderr


def test_missing_file_is_an_error(runner, tmp_path):
    result = run(runner, "to-functional", str(tmp_path / "missing.py"))
    assert result.exit_code == 123
    assert f"{tmp_path / 'missing.py'}:1:1: error: cannot read the file" in result.stderr


def test_several_files_need_an_output_mode(runner, mlp):
    other = shutil.copy(mlp, mlp.with_name("other.py"))
    result = run(runner, "to-functional", str(mlp), str(other))
    assert result.exit_code == 2


def test_a_file_named_twice_is_converted_once(runner, mlp):
    result = run(runner, "to-functional", str(mlp), str(mlp))
    assert result.exit_code == 0
    assert result.stdout == (MLP / "functional.py").read_text()


def test_one_bad_file_does_not_stop_the_others(runner, tmp_path, mlp):
    bad = tmp_path / "bad.py"
    bad.write_text("x = (\n")
    result = run(runner, "to-functional", "-w", str(bad), str(mlp))
    assert result.exit_code == 123
    assert mlp.read_text() == (MLP / "functional.py").read_text()
    assert "1 file converted, 1 file failed." in result.stderr


def test_crlf_files_keep_their_newlines(runner, tmp_path):
    path = tmp_path / "model.py"
    text = (MLP / "sequential.py").read_text().replace("\n", "\r\n")
    path.write_bytes(text.encode())
    run(runner, "to-functional", "-w", str(path))
    written = path.read_bytes().decode()
    assert "keras.Model(inputs=inputs, outputs=outputs)\r\n" in written
    assert "\n" not in written.replace("\r\n", "")


def test_converting_never_imports_tensorflow(tmp_path):
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "import kconvert\n"
        "from kconvert.cli import main\n"
        f"CliRunner().invoke(main, ['to-functional', {str(MLP / 'sequential.py')!r}])\n"
        f"kconvert.convert(open({str(MLP / 'functional.py')!r}).read(), to='sequential')\n"
        "print(sorted(name for name in ('tensorflow', 'keras') if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_only_the_process_of_the_command_line_freezes_what_it_loaded(tmp_path):
    # gc.freeze exempts every object of the process from collection: a library call and
    # CliRunner (both in someone else's process) must not do it; the kconvert program does,
    # and collects as often as before once the code is loaded.
    mlp = str(MLP / "sequential.py")
    script = (
        "import gc, os\n"
        "from click.testing import CliRunner\n"
        "import kconvert\n"
        "from kconvert.cli import main\n"
        f"kconvert.convert(open({mlp!r}).read(), to='functional')\n"
        f"CliRunner().invoke(main, ['to-functional', '--check', {mlp!r}])\n"
        "print(gc.get_freeze_count())\n"
        "thresholds = gc.get_threshold()\n"
        f"os.environ['KCONVERT_CACHE_DIR'] = {str(tmp_path / 'empty')!r}  # not answered from the cache\n"
        "try:\n"
        f"    main(['to-functional', '--check', {mlp!r}], prog_name='kconvert')\n"
        "except SystemExit as end:\n"
        "    print(end.code, gc.get_freeze_count() > 0, gc.get_threshold() == thresholds)\n"
    )
    env = {**os.environ, "KCONVERT_CACHE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.split() == ["0", "1", "True", "True"]


@pytest.mark.tensorflow
def test_verify_flag_proves_the_conversion_before_writing(runner, mlp):
    result = run(runner, "to-functional", "--verify", "-w", str(mlp))
    assert result.exit_code == 0, result.stderr
    assert "EQUIVALENT" in result.stderr
    assert mlp.read_text() == (MLP / "functional.py").read_text()


@pytest.mark.tensorflow
def test_verify_command_compares_two_files(runner):
    same = run(runner, "verify", str(MLP / "sequential.py"), str(MLP / "functional.py"))
    assert same.exit_code == 0, same.output
    assert "235,146" in same.stdout
    cases = FIXTURES.parent / "verify_cases"
    different = run(runner, "verify", "--json", str(cases / "mnist_functional.py"), str(cases / "broken_units.py"))
    assert different.exit_code == 1
    assert '"verdict": "different"' in different.stdout


def test_an_internal_error_is_one_diagnostic_not_a_traceback(runner, mlp, monkeypatch):
    def crash(*args):
        raise RuntimeError("boom")

    # The module, not `kconvert.convert`: that name is the public function.
    monkeypatch.setattr(importlib.import_module("kconvert.convert"), "convert_source", crash)
    result = run(runner, "to-functional", "-w", str(mlp))
    assert result.exit_code == 123
    assert result.stderr.startswith(f"{mlp}:1:1: error: internal error while converting: RuntimeError: boom")
    assert mlp.read_text() == (MLP / "sequential.py").read_text()
