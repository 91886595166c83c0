"""``kconvert check``: house style from pyproject.toml, --fix, the no-style round trip, skipping and the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import kconvert
import kconvert.check as check_module
from kconvert.cache import Cache
from kconvert.check import run_check
from kconvert.check_results import Status
from kconvert.cli import main
from kconvert.types import Style

FIXTURES = Path(__file__).parent / "fixtures"
SEQUENTIAL = (FIXTURES / "mnist_mlp" / "sequential.py").read_text()
FUNCTIONAL = (FIXTURES / "mnist_mlp" / "functional.py").read_text()
SHARED = (FIXTURES / "shared_layer" / "functional.py").read_text()
BRANCHING = """import keras
inputs = keras.Input(shape=(3,))
h = keras.layers.Dense(2)(inputs)
if h is None:
    h = keras.layers.Dense(3)(h)
model = keras.Model(inputs, h)
"""


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KCONVERT_CACHE_DIR", str(folder))
    return folder


def _project(root: Path, style: str | None, files: dict[str, str], extra: str = "") -> Path:
    setting = f'style = "{style}"\n' if style else ""
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.kconvert]\n{setting}{extra}")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def test_model_in_another_style_is_named_and_exits_1(tmp_path: Path) -> None:
    _project(tmp_path, "functional", {"seq.py": SEQUENTIAL, "fun.py": FUNCTIONAL})
    result = _check(str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path / 'seq.py'}:13:1: model is sequential, house style is functional" in result.output
    assert "fun.py" not in result.output


def test_fix_rewrites_the_file_and_then_it_passes(tmp_path: Path) -> None:
    _project(tmp_path, "functional", {"seq.py": SEQUENTIAL})
    fixed = _check("--fix", str(tmp_path / "seq.py"))
    assert fixed.exit_code == 0, fixed.output
    assert "fixed: " in fixed.output
    assert (tmp_path / "seq.py").read_text() == FUNCTIONAL
    assert _check(str(tmp_path / "seq.py")).exit_code == 0


def test_a_model_that_cannot_be_converted_gets_a_diagnostic_and_is_not_written(tmp_path: Path) -> None:
    _project(tmp_path, "sequential", {"shared.py": SHARED})
    result = _check("--fix", str(tmp_path / "shared.py"))
    assert result.exit_code == 1
    assert "model is functional, house style is sequential" in result.output
    assert "shared.py:7:9: error: `right` is a second input" in result.output
    assert (tmp_path / "shared.py").read_text() == SHARED


SHAPELESS = """import keras
model = keras.Sequential()
model.add(keras.layers.Dense(8))
model.add(keras.layers.Dense(2))
"""
TWO = SEQUENTIAL + """
other = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
"""


def test_check_takes_the_input_shape_its_hint_asks_for(tmp_path: Path) -> None:
    # Issue 12: check said "pass --input-shape" and had no such option.
    _project(tmp_path, "functional", {"m.py": SHAPELESS})
    asked = _check(str(tmp_path / "m.py"))
    assert asked.exit_code == 1 and "--input-shape D1,D2,... (e.g. 28,28), and --model model:LINE" in asked.output
    fixed = _check("--fix", "--input-shape", "4", str(tmp_path / "m.py"))
    assert fixed.exit_code == 0, fixed.output
    assert "inputs = keras.Input(shape=(4,))\n" in (tmp_path / "m.py").read_text()
    assert _check("--input-shape", "four", str(tmp_path / "m.py")).exit_code == 2


def test_check_takes_model_as_the_conversion_commands_do(tmp_path: Path) -> None:
    _project(tmp_path, "functional", {"two.py": TWO})
    result = _check("--model", "other", str(tmp_path / "two.py"))
    assert result.exit_code == 1
    assert "other is sequential, house style is functional" in result.output
    assert "model is sequential" not in result.output
    assert _check("--model", "other", "--fix", str(tmp_path / "two.py")).exit_code == 0
    fixed = (tmp_path / "two.py").read_text()
    assert "model = keras.models.Sequential()" in fixed and "other = keras.Model(" in fixed
    missing = _check("--model", "nothere", str(tmp_path / "two.py"))
    assert missing.exit_code == 123
    assert f"{tmp_path / 'two.py'}:1:1: error: no model named `nothere` in this file" in missing.output
    assert _check("--model", "a:b", str(tmp_path / "two.py")).exit_code == 2


def test_style_option_wins_over_pyproject(tmp_path: Path) -> None:
    _project(tmp_path, "functional", {"fun.py": FUNCTIONAL})
    result = _check("--style", "sequential", str(tmp_path / "fun.py"))
    assert result.exit_code == 1
    assert "model is functional, house style is sequential" in result.output


def test_house_style_is_found_above_the_file_and_overridden_per_path(tmp_path: Path) -> None:
    extra = '\n[[tool.kconvert.overrides]]\npaths = ["legacy/*"]\nstyle = "sequential"\n'
    _project(tmp_path, "functional", {"legacy/old/seq.py": SEQUENTIAL, "pkg/deep/seq.py": SEQUENTIAL}, extra)
    report = run_check([tmp_path / "legacy" / "old" / "seq.py", tmp_path / "pkg" / "deep" / "seq.py"])
    assert [outcome.status for outcome in report.outcomes] == [Status.CLEAN, Status.FAILED]


def test_invalid_house_style_is_an_error_said_once(tmp_path: Path) -> None:
    _project(tmp_path, "functionl", {"a.py": SEQUENTIAL, "b.py": SEQUENTIAL})
    result = _check(str(tmp_path))
    assert result.exit_code == 123
    assert result.output.count("unknown style 'functionl'") == 1


def test_without_house_style_models_must_round_trip(tmp_path: Path) -> None:
    _project(tmp_path, None, {"seq.py": SEQUENTIAL, "shared.py": SHARED})
    assert _check(str(tmp_path)).exit_code == 0
    (tmp_path / "branching.py").write_text(BRANCHING)
    result = _check(str(tmp_path))
    assert result.exit_code == 1
    assert "branching.py:4:1: error: " in result.output and "`if`" in result.output


def test_files_without_a_model_are_skipped_silently(tmp_path: Path) -> None:
    files = {"plain.py": "x = 1\n", "util.py": "import keras\n\nprint(keras.__version__)\n"}
    _project(tmp_path, "functional", files)
    statuses = [outcome.status for outcome in run_check([tmp_path]).outcomes]
    assert statuses == [Status.SKIPPED, Status.SKIPPED]
    result = _check("-q", str(tmp_path))
    assert result.exit_code == 0 and result.output == ""


def test_files_without_model_words_are_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, "functional", {"plain.py": "def f(:\n"})
    parsed = _count_parses(monkeypatch)
    assert run_check([tmp_path / "plain.py"]).outcomes[0].status is Status.SKIPPED
    assert parsed == []


def test_syntax_error_in_a_keras_file_exits_123(tmp_path: Path) -> None:
    _project(tmp_path, "functional", {"broken.py": "import keras\nmodel = keras.Model(:\n"})
    result = _check(str(tmp_path / "broken.py"))
    assert result.exit_code == 123
    assert "broken.py:2:" in result.output


def test_unchanged_clean_file_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    _project(tmp_path, "functional", {"fun.py": FUNCTIONAL})
    path = tmp_path / "fun.py"
    assert run_check([path]).outcomes[0].status is Status.CLEAN
    assert list(cache_dir.glob("*.json"))
    parsed = _count_parses(monkeypatch)
    assert run_check([path]).outcomes[0].status is Status.CACHED
    assert parsed == []
    # The key holds the style: the same text under another house style is checked afresh.
    assert run_check([path], style=Style.SEQUENTIAL).outcomes[0].status is Status.FAILED
    path.write_text(FUNCTIONAL + "\n# changed\n")
    assert run_check([path]).outcomes[0].status is Status.CLEAN
    assert len(parsed) == 2


def test_files_with_violations_are_not_cached(tmp_path: Path) -> None:
    _project(tmp_path, "functional", {"seq.py": SEQUENTIAL})
    run_check([tmp_path / "seq.py"])
    assert not Cache.load(kconvert.__version__).is_clean(Cache.key(SEQUENTIAL, Style.FUNCTIONAL))
    assert run_check([tmp_path / "seq.py"]).outcomes[0].status is Status.FAILED


def test_a_fix_the_verifier_rejects_is_not_written(tmp_path: Path) -> None:
    _project(tmp_path, "functional", {"seq.py": SEQUENTIAL})
    seen = []

    def prove(path: str, original: str, converted: str) -> tuple[bool, str]:
        seen.append((original, converted))
        return False, f"{path}: fix is different"

    outcome = run_check([tmp_path / "seq.py"], fix=True, prove=prove).outcomes[0]
    assert outcome.status is Status.FAILED and outcome.proof.endswith("fix is different")
    assert seen == [(SEQUENTIAL, FUNCTIONAL)]
    assert (tmp_path / "seq.py").read_text() == SEQUENTIAL
    accepted = run_check([tmp_path / "seq.py"], fix=True, prove=lambda *args: (True, "equivalent"))
    assert accepted.outcomes[0].status is Status.FIXED
    assert (tmp_path / "seq.py").read_text() == FUNCTIONAL


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every text ``check`` parses from now on."""
    parsed: list[str] = []
    real = check_module.find_models

    def counting(text: str):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(check_module, "find_models", counting)
    return parsed


@pytest.mark.tensorflow
def test_verify_proves_the_fix_in_tensorflow(tmp_path: Path) -> None:
    lenet = (FIXTURES / "lenet5" / "sequential.py").read_text()
    _project(tmp_path, "functional", {"lenet.py": lenet})
    result = _check("--verify", str(tmp_path / "lenet.py"))
    assert result.exit_code == 1, "verified but not fixed: still not in the house style"
    assert f"{tmp_path / 'lenet.py'}: fix is equivalent" in result.output
    assert (tmp_path / "lenet.py").read_text() == lenet
