"""What the commands print: colour, output formats, editors' standard input, summaries, usage errors."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kconvert import batch
from kconvert.cli import main
from kconvert.output import Printer, wants_colour
from kconvert.types import Diagnostic

FIXTURES = Path(__file__).parent / "fixtures"
MLP = FIXTURES / "mnist_mlp"
ADD = FIXTURES / "two_input_add"
RED = "\x1b[31m"


@pytest.fixture(autouse=True)
def _no_colour_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture
def mlp(tmp_path: Path) -> Path:
    return Path(shutil.copy(MLP / "sequential.py", tmp_path / "model.py"))


def _invoke(*args: str, input: str | None = None, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_colour_follows_the_flags_then_the_environment_then_the_terminal(monkeypatch):
    tty = io.StringIO()
    tty.isatty = lambda: True  # type: ignore[method-assign]
    assert wants_colour(None, tty) and not wants_colour(None, io.StringIO())
    assert not wants_colour(False, tty) and wants_colour(True, io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(None, tty)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert wants_colour(None, io.StringIO())


def test_diff_is_coloured_on_request_and_plain_otherwise(mlp):
    assert RED not in _invoke("to-functional", "--diff", str(mlp)).stdout
    coloured = _invoke("to-functional", "--diff", "--color", str(mlp)).stdout
    assert f"{RED}-model = keras.models.Sequential()" in coloured
    assert "\x1b[32m+" in coloured
    assert RED in _invoke("to-functional", "--diff", str(mlp), env={"FORCE_COLOR": "1"}).stdout
    assert RED not in _invoke("to-functional", "--diff", str(mlp), env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout
    assert RED in _invoke("to-functional", "--diff", "--color", str(mlp), env={"NO_COLOR": "1"}).stdout


def test_diagnostics_are_coloured_on_request(tmp_path):
    path = Path(shutil.copy(ADD / "functional.py", tmp_path / "add.py"))
    result = _invoke("to-sequential", "--color", str(path))
    assert result.exit_code == 123
    assert RED in result.stderr and "error:" in result.stderr


def test_json_output_is_one_object_per_diagnostic(tmp_path):
    path = Path(shutil.copy(ADD / "functional.py", tmp_path / "add.py"))
    result = _invoke("to-sequential", "--output-format", "json", str(path))
    assert result.exit_code == 123
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert records and records[0]["path"] == str(path) and records[0]["severity"] == "error"
    assert {"line", "col", "message", "hint", "cell"} <= set(records[0])


def test_github_output_is_workflow_annotations(tmp_path):
    path = Path(shutil.copy(ADD / "functional.py", tmp_path / "add.py"))
    result = _invoke("to-sequential", "--output-format", "github", str(path))
    line = result.stderr.splitlines()[0]
    assert line.startswith(f"::error file={path},line=") and ",col=" in line and "title=kconvert::" in line


def test_github_escapes_what_would_end_the_command():
    # A diagnostic is one line already (a newline in quoted code is folded), so only % needs escaping.
    text = Printer("github").format_diagnostic(Diagnostic(3, 4, "a\nb 100%", path="x,y.py"))
    assert text == "::error file=x%2Cy.py,line=3,col=4,title=kconvert::a b 100%25"
    notebook = Printer("github").format_diagnostic(Diagnostic(2, 1, "m", path="n.ipynb", cell=3))
    assert notebook == "::error file=n.ipynb,title=kconvert::cell 3, line 2: m"


def test_check_prints_violations_as_annotations(tmp_path, monkeypatch):
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copy(MLP / "sequential.py", tmp_path / "seq.py")
    result = _invoke("check", "--style", "functional", "--output-format", "github", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"::error file={tmp_path / 'seq.py'},line=")


def test_stdin_filename_names_the_diagnostics(tmp_path):
    result = _invoke("to-sequential", "--stdin-filename", "src/add.py", "-", input=(ADD / "functional.py").read_text())
    assert result.exit_code == 123
    assert result.stderr.startswith("src/add.py:")


def test_a_force_excluded_stdin_file_comes_back_unchanged():
    text = (MLP / "sequential.py").read_text()
    result = _invoke("to-functional", "--stdin-filename", "gen/m.py", "--force-exclude", "/gen/", "-", input=text)
    assert result.exit_code == 0 and result.stdout == text


def test_diff_alone_says_would_be_converted(mlp):
    result = _invoke("to-functional", "--diff", str(mlp))
    assert result.exit_code == 0
    assert result.stderr == "1 file would be converted.\n"


@pytest.mark.parametrize("other", ["--diff", "--check"])
def test_write_with_diff_or_check_is_a_usage_error(mlp, other):
    result = _invoke("to-functional", "-w", other, str(mlp))
    assert result.exit_code == 2
    assert "choose one" in result.output
    assert mlp.read_text() == (MLP / "sequential.py").read_text()


def test_png_is_not_written_to_a_terminal(monkeypatch):
    monkeypatch.setattr("kconvert.cli._stdout_is_terminal", lambda: True)
    result = CliRunner().invoke(main, ["graph", "--format", "png", str(MLP / "sequential.py")])
    assert result.exit_code == 2
    assert "-o FILE" in result.output


def test_workers_must_be_positive(mlp):
    assert _invoke("to-functional", "-j", "0", "--check", str(mlp)).exit_code == 2


def test_the_progress_bar_appears_on_a_slow_run_on_a_terminal(monkeypatch):
    shown = []

    class Bar:
        def __init__(self, **kwargs):
            shown.append("made")

        def start(self):
            shown.append("start")

        def add_task(self, *args, **kwargs):
            return 0

        def update(self, task, completed):
            shown.append(completed)

        def stop(self):
            shown.append("stop")

    import rich.progress

    monkeypatch.setattr(rich.progress, "Progress", Bar)
    monkeypatch.setattr(batch, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert list(batch.run_jobs(str, [1, 2, 3], 1)) == ["1", "2", "3"]
    assert shown == ["made", "start", 1, 2, 3, "stop"]
    shown.clear()
    monkeypatch.setattr(batch, "PROGRESS_AFTER", 60.0)
    assert list(batch.run_jobs(str, [1, 2], 1)) == ["1", "2"]
    assert shown == []


def test_version_and_help_do_not_import_the_converter():
    script = (
        "import sys\n"
        "from kconvert.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('libcst', 'black', 'rich', 'nbformat', 'pathspec') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_conversion_imports_only_what_it_uses():
    script = (
        "import sys\n"
        "from kconvert.cli import main\n"
        "try:\n"
        f"    main(['to-functional', '--check', {str(MLP / 'sequential.py')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('rich', 'nbformat', 'libcst.codemod', 'libcst.matchers', 'tensorflow')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_verify_report_is_coloured_on_a_colour_stream(monkeypatch):
    import importlib

    asked = []

    class Report:
        exit_code = 0

        def render(self, color=False):
            asked.append(color)
            return "report"

    verify = importlib.import_module("kconvert.verify")
    monkeypatch.setattr(verify, "verify_files", lambda *args, **kwargs: Report())
    _invoke("verify", str(MLP / "sequential.py"), str(MLP / "functional.py"), env={"FORCE_COLOR": "1"})
    _invoke("verify", str(MLP / "sequential.py"), str(MLP / "functional.py"))
    assert asked == [True, False]
