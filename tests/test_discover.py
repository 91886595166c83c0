"""Finding files in a repository: folders, .gitignore, default and configured excludes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kconvert.cli import main
from kconvert.discover import Selection, discover

FIXTURES = Path(__file__).parent / "fixtures"
SEQUENTIAL = (FIXTURES / "mnist_mlp" / "sequential.py").read_text()
FUNCTIONAL = (FIXTURES / "mnist_mlp" / "functional.py").read_text()


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository as a user has it: a venv with Keras inside, build output, ignored files."""
    (tmp_path / ".git").mkdir()
    files = {
        "src/model.py": SEQUENTIAL,
        "src/util.py": "def helper():\n    return 1\n",
        "src/generated/gen.py": SEQUENTIAL,
        "scripts/train.py": SEQUENTIAL,
        ".venv/lib/python3.11/site-packages/keras/models.py": "class Model:\n    pass\nbroken = (\n",
        "build/lib/model.py": SEQUENTIAL,
        "node_modules/x/model.py": SEQUENTIAL,
        "notes.txt": "Model",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / ".gitignore").write_text("scripts/\n")
    (tmp_path / "src" / ".gitignore").write_text("generated/\n")
    return tmp_path


def _invoke(args: list[str]):
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _names(discovery, root: Path) -> list[str]:
    return [item.path.resolve().relative_to(root).as_posix() for item in discovery.files]


def test_a_folder_is_searched_without_venv_build_and_ignored_files(repo):
    assert _names(discover([str(repo)]), repo) == ["src/model.py", "src/util.py"]


def test_a_nested_gitignore_applies_when_the_subfolder_is_given(repo):
    assert _names(discover([str(repo / "src")]), repo) == ["src/model.py", "src/util.py"]


def test_a_named_file_is_used_even_if_excluded_but_not_if_force_excluded(repo):
    named = str(repo / "build" / "lib" / "model.py")
    assert _names(discover([named]), repo) == ["build/lib/model.py"]
    assert discover([named], Selection(force_exclude="/build/")).files == ()


def test_exclude_options_replace_and_extend_the_defaults(repo):
    assert "build/lib/model.py" in _names(discover([str(repo)], Selection(exclude=r"/\.venv/")), repo)
    assert _names(discover([str(repo)], Selection(extend_exclude="util")), repo) == ["src/model.py"]


def test_excludes_are_read_from_pyproject(repo):
    (repo / "pyproject.toml").write_text('[tool.kconvert]\nextend-exclude = "util"\n')
    found = discover([str(repo)])
    assert _names(found, repo) == ["src/model.py"]
    assert found.config == repo / "pyproject.toml"


def test_a_bad_pattern_is_a_problem_not_a_crash(repo):
    assert discover([str(repo)], Selection(exclude="(")).problems


def test_a_file_given_twice_is_used_once_and_counts_as_named(repo):
    model = repo / "src" / "model.py"
    found = discover([str(repo / "src"), str(model), f"{repo}/src/../src/model.py"])
    assert _names(found, repo) == ["src/model.py", "src/util.py"]
    assert found.files[0].explicit


def test_notebooks_are_found(repo):
    (repo / "src" / "nb.ipynb").write_text("{}")
    assert "src/nb.ipynb" in _names(discover([str(repo)]), repo)


def test_check_on_a_repository_skips_the_venv(repo):
    (repo / "pyproject.toml").write_text('[tool.kconvert]\nstyle = "functional"\n')
    result = _invoke(["check", str(repo)])
    assert result.exit_code == 1, result.output
    assert "model.py" in result.stdout and "site-packages" not in result.output
    assert "1 without a model" in result.stderr


def test_convert_a_folder_skips_files_without_a_model_silently(repo):
    result = _invoke(["to-functional", "--check", str(repo / "src")])
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"would convert {repo / 'src' / 'model.py'}\n1 file would be converted, 1 file without a model.\n"
    )


def test_a_named_file_without_a_model_is_reported(repo):
    result = _invoke(["to-functional", "--check", str(repo / "src" / "util.py")])
    assert result.exit_code == 123
    assert "no Keras model found" in result.stderr


def test_write_on_a_folder_uses_workers(repo):
    shutil.copy(repo / "src" / "model.py", repo / "src" / "second.py")
    result = _invoke(["to-functional", "-w", "-j", "2", str(repo / "src")])
    assert result.exit_code == 0, result.output
    assert (repo / "src" / "model.py").read_text() == FUNCTIONAL
    assert (repo / "src" / "second.py").read_text() == FUNCTIONAL
    assert "2 files converted, 1 file without a model." in result.stderr


def test_verbose_names_the_configuration_and_the_files(repo):
    (repo / "pyproject.toml").write_text("[tool.kconvert]\n")
    result = _invoke(["to-functional", "--check", "-v", str(repo / "src")])
    assert f"configuration: {repo / 'pyproject.toml'}" in result.stderr
    assert "file: " in result.stderr and "util.py (found in a folder)" in result.stderr


def test_a_bad_exclude_is_a_usage_error(repo):
    result = _invoke(["check", "--exclude", "(", str(repo)])
    assert result.exit_code == 2
    assert "not a valid regular expression" in result.output


def test_a_whole_repository_from_its_root(repo, monkeypatch):
    """The issue's "done when": a venv, notebooks, files without models and a .gitignore, run on `.`."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebook = new_notebook(cells=[new_markdown_cell("# Train"), new_code_cell(SEQUENTIAL)])
    nbformat.write(notebook, repo / "src" / "train.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("print(1)")]), repo / "src" / "plots.ipynb")
    (repo / "pyproject.toml").write_text('[tool.kconvert]\nstyle = "functional"\n')
    monkeypatch.chdir(repo)
    checked = _invoke(["check", "."])
    assert checked.exit_code == 1
    assert sorted(line.split(":")[0] for line in checked.stdout.splitlines()) == ["src/model.py", "src/train.ipynb"]
    assert checked.stderr == "check: 2 failed, 2 without a model.\n"
    converted = _invoke(["to-functional", "--check", "."])
    assert converted.exit_code == 1
    assert converted.stderr.splitlines()[-1] == "2 files would be converted, 2 files without a model."
    assert _invoke(["to-functional", "-w", "."]).exit_code == 0
    assert _invoke(["check", "."]).exit_code == 0
