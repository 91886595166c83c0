"""Hostile input on the command line: one diagnostic line and exit 123 (or 2), never a traceback.

Inputs that used to kill the process (a segmentation fault in libcst's native
parser) run in a child process, so that a regression fails the test instead
of ending the test run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kconvert.cli import main

MLP = Path(__file__).parent / "fixtures" / "mnist_mlp" / "sequential.py"
MODEL = "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\n"


def kconvert(*args: str, stdin=None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kconvert", *args], stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=120
    )


def one_diagnostic(done: subprocess.CompletedProcess) -> str:
    """The one error line of a run that exited 123 (``check`` prints its findings on stdout)."""
    printed = done.stderr.decode() + (done.stdout.decode() if done.stdout else "")
    assert done.returncode == 123, printed
    assert "Traceback" not in printed
    errors = [line for line in printed.splitlines() if ": error: " in line]
    assert len(errors) == 1, printed
    return errors[0]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, text: str, name: str = "model.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("command", ["to-functional", "explain", "graph"])
@pytest.mark.parametrize(
    "body",
    [
        "x = " + "(" * 1500 + "1" + ")" * 1500,  # used to be a segmentation fault
        "x = " + "[" * 2000 + "]" * 2000,
        "x = " + " and ".join(["a"] * 10_000),  # valid Python, but too deep for libcst
        "x = " + "+".join(["1"] * 10_000),
    ],
    ids=["parentheses", "lists", "and-chain", "long-sum"],
)
def test_deep_nesting_is_one_diagnostic(tmp_path, command, body):
    path = write(tmp_path, "import keras\n" + body + "\n" + MODEL)
    done = kconvert(command, str(path))
    assert done.returncode == 123, done.stderr
    assert "nested" in one_diagnostic(done)


def test_verify_reads_deeply_nested_files_as_the_other_commands_do(tmp_path):
    # The verifier's own index parsed with libcst before any syntax check: a segmentation fault.
    path = write(tmp_path, "import keras\nx = " + "(" * 1500 + "1" + ")" * 1500 + "\n" + MODEL)
    done = kconvert("verify", str(path), str(path))
    printed = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 123, printed
    assert "too many nested parentheses" in printed and "Traceback" not in printed


@pytest.mark.parametrize("command", ["to-functional", "to-subclass", "explain", "graph"])
def test_a_500_term_sum_converts(runner, tmp_path, command):
    path = write(tmp_path, "import keras\nn = " + " + ".join(["1"] * 500) + "\n" + MODEL)
    result = runner.invoke(main, [command, str(path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["to-functional", "graph"])
def test_nested_layer_calls_convert(runner, tmp_path, command):
    """120 levels; 500 are more than the 200 parentheses Python allows."""
    nested = "keras.layers.Dense(2)(" * 120 + "inputs" + ")" * 120
    path = write(tmp_path, f"import keras\ninputs = keras.Input(shape=(4,))\nx = {nested}\nmodel = keras.Model(inputs, x)\n")
    result = runner.invoke(main, [command, str(path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_python_2_syntax_is_rejected_where_python_rejects_it(runner, tmp_path):
    path = write(tmp_path, "import keras\ntry:\n    pass\nexcept Exception, e:\n    pass\n" + MODEL)
    result = runner.invoke(main, ["to-functional", str(path)])
    assert result.exit_code == 123
    assert result.stderr.startswith(f"{path}:4:8: error: cannot parse the file: multiple exception types")


def test_invalid_utf8_on_standard_input(runner):
    result = runner.invoke(main, ["to-functional", "-"], input=b"import keras\nx = '\xff'\n")
    assert result.exit_code == 123
    assert result.stderr.startswith("-:2:6: error: the text is not UTF-8")


def test_closed_standard_input():
    done = subprocess.run(
        [sys.executable, "-m", "kconvert", "to-functional", "-"], stdin=subprocess.DEVNULL, capture_output=True, timeout=120,
        preexec_fn=lambda: os.close(0),
    )
    assert "standard input: it is closed" in one_diagnostic(done)


def test_endless_standard_input_is_cut_at_the_limit():
    with open("/dev/zero", "rb") as zero:
        done = kconvert("to-functional", "-", stdin=zero)
    assert "larger than 32 MB" in one_diagnostic(done)


@pytest.mark.parametrize("command", [["to-functional"], ["explain"], ["graph"], ["check"]])
def test_a_fifo_is_refused_not_waited_for(tmp_path, monkeypatch, command):
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path / "cache"))
    os.mkfifo(tmp_path / "pipe.py")
    done = kconvert(*command, str(tmp_path / "pipe.py"))
    assert "named pipe" in one_diagnostic(done)


def test_check_of_a_folder_with_a_fifo_inside(tmp_path, monkeypatch):
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copy(MLP, tmp_path / "model.py")
    os.mkfifo(tmp_path / "pipe.py")
    done = kconvert("check", "--style", "sequential", str(tmp_path))
    # A folder is searched for regular files only, as black does: the pipe is never opened.
    assert done.returncode == 0 and done.stderr == b"check: 1 clean.\n"
    named = kconvert("check", "--style", "sequential", str(tmp_path / "pipe.py"))
    assert "pipe.py:1:1: error: cannot read the file: it is a named pipe" in one_diagnostic(named)


@pytest.mark.parametrize("command", [["to-functional"], ["graph"]])
def test_standard_output_on_a_full_device(command):
    with open("/dev/full", "wb") as full:
        done = kconvert(*command, str(MLP), stdout=full)
    assert "<stdout>:1:1: error: cannot write standard output: No space left on device" in one_diagnostic(done)


def test_graph_into_a_missing_folder(runner, tmp_path):
    result = runner.invoke(main, ["graph", str(MLP), "-o", str(tmp_path / "missing" / "model.mmd")])
    assert result.exit_code == 123
    assert "cannot write the file: No such file or directory" in result.stderr


def test_a_read_only_file_is_refused_by_write_and_by_check_fix(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path / "cache"))
    path = Path(shutil.copy(MLP, tmp_path / "model.py"))
    path.chmod(0o444)
    for args in (["to-functional", "-w"], ["check", "--fix", "--style", "functional"]):
        result = runner.invoke(main, [*args, str(path)])
        assert result.exit_code == 123, result.output
        assert "read-only" in result.output and "internal error" not in result.output
        assert path.read_text() == MLP.read_text()


@pytest.mark.parametrize("name", ["1bad", "class", "keras", "Model", "my-net"])
def test_a_class_name_python_or_keras_cannot_take_is_a_usage_error(runner, name):
    result = runner.invoke(main, ["to-subclass", "--class-name", name, str(MLP)])
    assert result.exit_code == 2
    assert "--class-name" in result.output and "Traceback" not in result.output


def test_a_class_name_the_file_uses_is_refused_for_that_file(runner, tmp_path):
    path = write(tmp_path, "import keras\n" + MODEL)
    result = runner.invoke(main, ["to-subclass", "--class-name", "model", str(path)])
    assert result.exit_code == 123
    assert "--class-name model: this file already uses that name" in result.stderr


def test_a_bug_in_kconvert_is_one_line_not_a_traceback(runner, monkeypatch):
    import kconvert.explain

    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(kconvert.explain, "explain", crash)
    result = runner.invoke(main, ["explain", str(MLP)])
    assert result.exit_code == 123
    assert result.stderr == "kconvert:1:1: error: internal error: RuntimeError: a bug (hint: this is a kconvert bug: please report it with the command and the file)\n"


@pytest.mark.tensorflow
def test_verify_does_not_block_on_a_fifo(tmp_path):
    # `verify` read its files with Path.read_text: a FIFO named *.py blocked it for ever.
    os.mkfifo(tmp_path / "pipe.py")
    done = kconvert("verify", "--json", str(tmp_path / "pipe.py"), str(MLP))
    assert done.returncode == 123
    assert "cannot read the file: it is a named pipe" in json.loads(done.stdout)["problem"]


def test_a_verify_error_is_one_line_however_long_its_path(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    path = write(deep, "import keras\nx = (\n" + MODEL)
    done = kconvert("verify", str(path), str(path))
    printed = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 123, printed
    assert any(f"{path}:2:" in line for line in printed.splitlines()), printed
