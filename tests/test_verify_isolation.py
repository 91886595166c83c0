"""The verifier against hostile model code: children, forged replies, kills, limits.

Model code runs in the worker with the user's rights; these tests pin what the
verifier still guarantees (docs/verify.md): what the code starts dies with the
worker, a reply it writes is not taken for the worker's, killing its parent or
its process group does not kill kconvert, and CPU and memory limits end it
with a message. The verdict itself is the parent's (``judge``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from kconvert.verify import ModelReport, ModelSummary, Verdict, Worker, verify_sources
from kconvert.verify.channel import new_secret, opened, sign
from kconvert.verify.judge import judge

HOSTILE = """
import os, signal, subprocess, time
import keras

def build_model():
    {body}
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense({units})])

model = build_model()
"""

FORGED = '{"id": 1, "report": {"name": "model", "converted_name": "model", "verdict": "equivalent"}}'


def hostile(body: str, units: int = 3) -> str:
    return HOSTILE.format(
        body=textwrap.indent(textwrap.dedent(body), "    ").strip(), units=units
    )


def dead(pid: int) -> bool:
    """Gone or a zombie (killed, not yet reaped by init) within 5 s: SIGKILL is asynchronous."""
    for _ in range(50):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return True
        if stat.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.tensorflow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_process_started_by_model_code_dies_with_the_worker(tmp_path: Path) -> None:
    pid_file = tmp_path / "sleep.pid"
    source = hostile(f"""
        child = subprocess.Popen(["sleep", "300"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        """)
    with Worker() as worker:
        report = verify_sources(source, source, worker=worker)
        assert report.verdict is Verdict.EQUIVALENT, report.render()
    assert dead(int(pid_file.read_text()))


@pytest.mark.tensorflow
def test_a_reply_forged_by_model_code_is_not_accepted() -> None:
    original = hostile("pass", units=3)
    # Different models; the converted one writes an "equivalent" reply on every pipe.
    converted = hostile(
        f"""
        for fd in range(3, 64):
            try:
                os.write(fd, b'{FORGED}\\n')
            except OSError:
                pass
        print({FORGED!r})
        """,
        units=5,
    )
    with Worker() as worker:
        report = verify_sources(original, converted, worker=worker)
    assert report.verdict is Verdict.ERROR, report.render()
    assert "not signed" in report.reasons[0]


KILLERS = {
    "parent": "os.kill(os.getppid(), signal.SIGKILL)",
    "group": "os.killpg(0, signal.SIGKILL)",
}


@pytest.mark.tensorflow
@pytest.mark.skipif(os.name != "posix", reason="process groups and signals")
def test_model_code_cannot_kill_kconvert() -> None:
    # In a child process: if the shield failed, it would take pytest down with it.
    script = textwrap.dedent(f"""
        from kconvert.verify import Worker, verify_sources
        KILLERS = {KILLERS!r}
        HOSTILE = {HOSTILE!r}
        with Worker() as worker:
            for name, body in KILLERS.items():
                source = HOSTILE.format(body=body, units=3)
                report = verify_sources(source, source, worker=worker, timeout=120)
                print(name, report.verdict.value, report.reasons[:1])
        """)
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=400
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    # Killing the worker's parent kills a stand-in; the pair is still verified.
    assert lines[0].startswith("parent equivalent"), run.stdout
    # Killing its own process group ends the worker only, which is reported.
    assert lines[1].startswith("group error") and "code -9" in lines[1], run.stdout


@pytest.mark.tensorflow
def test_cpu_and_memory_limits_end_the_worker_with_a_message() -> None:
    spin = hostile("while True: pass")
    with Worker(max_cpu_seconds=2) as worker:
        report = verify_sources(spin, spin, worker=worker, timeout=120)
    assert report.verdict is Verdict.ERROR
    assert "CPU time (2 s per pair)" in report.reasons[0], report.reasons
    greedy = hostile("x = bytearray(20 * 1024**3)")
    with Worker(max_memory_mb=6000) as worker:
        report = verify_sources(greedy, greedy, worker=worker, timeout=120)
    assert report.verdict is Verdict.ERROR
    assert "MemoryError" in report.reasons[0] or "memory limit" in report.reasons[0]


def test_channel_lines_open_only_with_their_secret() -> None:
    secret = new_secret()
    line = sign(secret, FORGED)
    assert opened(secret, line) == FORGED
    assert opened(new_secret(), line) is None
    assert opened(secret, FORGED) is None
    assert opened(secret, line.replace("model", "other")) is None


def _summary(params: int) -> ModelSummary:
    return ModelSummary("m", "Functional", None, ((None, 4),), (), params, params, 0)


def test_equivalent_is_the_parents_word() -> None:
    proven = ModelReport(
        "m",
        "m",
        Verdict.EQUIVALENT,
        (),
        _summary(15),
        _summary(15),
        0.0,
        training_max_abs_diff=0.0,
    )
    assert judge(proven).verdict is Verdict.EQUIVALENT
    bare = ModelReport("m", "m", Verdict.EQUIVALENT)
    assert judge(bare).verdict is Verdict.ERROR
    for claim in (
        replace(proven, training_max_abs_diff=None),
        replace(proven, max_abs_diff=float("nan")),
        replace(proven, converted=_summary(25)),
        replace(proven, reasons=("outputs differ",)),
    ):
        assert judge(claim).verdict is Verdict.DIFFERENT, claim
    failed = ModelReport("m", "m", Verdict.ERROR, ("building m failed",))
    assert judge(failed) == failed


SLOW = """
import time

import keras
from keras import layers


def slow_width():
    time.sleep(120)
    return 8


WIDTH = slow_width()
model = keras.Sequential([keras.Input((4,)), layers.Dense(WIDTH), layers.Dense(2)])
"""


MODEL = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    "command",
    [["to-functional", "--verify"], ["check", "--verify", "--fix"], ["verify"]],
)
@pytest.mark.parametrize(
    ("limit", "source", "message"),
    [
        (["--timeout", "15"], SLOW, "timed out after 15 s"),
        # 200 MB of address space cannot even map TensorFlow's library: the limit reached the worker.
        (["--max-memory", "200"], MODEL, "the TensorFlow worker failed"),
    ],
)
def test_worker_limits_wherever_verify_is(
    tmp_path: Path, command: list[str], limit: list[str], source: str, message: str
) -> None:
    from click.testing import CliRunner

    from kconvert.cli import main

    path = tmp_path / "model.py"
    path.write_text(source)
    (tmp_path / "pyproject.toml").write_text('[tool.kconvert]\nstyle = "functional"\n')
    paths = [str(path), str(path)] if command == ["verify"] else [str(path)]
    result = CliRunner().invoke(main, [*command, *limit, *paths])
    assert result.exit_code in (1, 123), result.output
    assert message in result.output, result.output
    assert path.read_text() == source  # nothing written without a proof


class _Replying:
    """A stand-in worker that answers every request with ``reply``."""

    def __init__(self, reply: dict) -> None:
        self.reply = reply

    def request(self, message: dict, *, timeout: float) -> dict:
        return self.reply


@pytest.mark.parametrize(
    "reply",
    [
        {
            "internal_error": "Traceback (most recent call last):\n  File x\nKeyError: 'rows'"
        },
        {"report": {"name": "model", "verdict": "equivalent"}},
        {"report": "equivalent"},
    ],
)
def test_a_broken_reply_is_one_line_never_a_traceback_nor_equivalent(
    reply: dict,
) -> None:
    report = verify_sources(MODEL, MODEL, worker=_Replying(reply))  # type: ignore[arg-type]
    assert report.verdict is Verdict.ERROR
    assert len(report.reasons) == 1 and "\n" not in report.reasons[0]
    assert "Traceback" not in report.reasons[0]
