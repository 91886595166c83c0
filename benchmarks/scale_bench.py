"""How the cost of one conversion grows with the input (issue 13; not a timed test).

Three families of generated files, each converted whole-process in a fresh
interpreter, with wall time and peak memory (the child's maximum resident set):

- models per file: N one-line Sequential models, each compiled after it is made
  (100, 200, 500), converted to Functional;
- file size: one model and then ordinary functions up to 1, 5 and 20 MB,
  converted to Functional;
- layers: one Functional chain of 1,000 and 10,000 Dense layers, converted to
  Sequential (and to a subclass with ``--subclass``).

Next to each figure, in the same run and on the same file: the parse floor (a
fresh interpreter that only parses the file with libcst, which every conversion
did until a conversion parsed only the statements that can matter: slicing.py;
a 20 MB file's takes about 7 GB), with ``--black``, ``black --check``, and with ``--baseline DIR``, the
kconvert of another checkout (``git worktree add /tmp/base main``), so that a
change is judged on a loaded machine by ratios measured together.  Targets:
time and memory linear in models, layers and lines; 500 models under 10 s; a
20 MB file under 60 s and 1 GB.

    python benchmarks/scale_bench.py [--quick] [--only models|MB|layers] [--black] [--subclass]
        [--baseline DIR] [--timeout S]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARSE_FLOOR = "import sys, libcst; libcst.parse_module(open(sys.argv[1]).read())"


def models_file(count: int) -> str:
    lines = ["import keras\n\n"]
    for index in range(count):
        lines.append(
            f"model_{index} = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense({index + 1})])\n"
            f"model_{index}.compile(loss='mse')\n\n"
        )
    return "".join(lines)


def sized_file(megabytes: float) -> str:
    head = "import keras\n\nmodel = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4)])\n\n"
    chunk = (
        "def helper_{i}(values, scale=2):\n    total = 0\n    for value in values:\n"
        "        total += value * scale  # a comment\n    return {{'total': total, 'name': 'helper_{i}'}}\n\n\n"
    )
    parts, size, index = [head], len(head), 0
    while size < megabytes * 1_000_000:
        part = chunk.format(i=index)
        parts.append(part)
        size += len(part)
        index += 1
    return "".join(parts)


def layers_file(count: int) -> str:
    lines = ["import keras\n\ninputs = keras.Input(shape=(8,))\nx = inputs\n"]
    lines += [f"x = keras.layers.Dense({8 + index % 5})(x)\n" for index in range(count)]
    lines.append("model = keras.Model(inputs, x)\n")
    return "".join(lines)


def run(command: list[str], timeout: float, root: Path = ROOT) -> tuple[float, float, float] | None:
    """Wall seconds, CPU seconds and peak resident megabytes of ``command``, or None after ``timeout``.

    CPU time is what to compare on a machine other work shares: wall time grows with its load."""
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as cache:
        env.update(BLACK_CACHE_DIR=cache, KCONVERT_CACHE_DIR=cache)
        started = time.perf_counter()
        # cwd: ``python -m`` puts the working folder before PYTHONPATH, and a checkout there would win.
        child = subprocess.Popen(command, env=env, cwd=cache, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = started + timeout
        while True:
            pid, _, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
            if time.perf_counter() > deadline:
                child.kill()
                child.wait()
                return None
            time.sleep(0.02)


def show(figure: tuple[float, float, float] | None) -> str:
    return f"{'timeout':^26}" if figure is None else f"{figure[0]:7.2f} s {figure[1]:7.2f} cpu {figure[2]:5.0f} MB"


def cases(quick: bool, subclass: bool):
    models = (100, 200) if quick else (100, 200, 500)
    sizes = (1,) if quick else (1, 5, 20)
    layers = (1000,) if quick else (1000, 10000)
    for count in models:
        yield f"{count} models", models_file(count), "to-functional", "< 10 s" if count == 500 else "linear"
    for megabytes in sizes:
        yield f"{megabytes} MB file", sized_file(megabytes), "to-functional", "< 60 s, 1 GB" if megabytes == 20 else "linear"
    for count in layers:
        yield f"{count} layers", layers_file(count), "to-sequential", "linear"
        if subclass:
            yield f"{count} layers", layers_file(count), "to-subclass", "linear"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smaller sizes only")
    parser.add_argument("--black", action="store_true", help="also time black --check on each file")
    parser.add_argument("--subclass", action="store_true", help="also convert the layer chains to a subclass")
    parser.add_argument("--only", action="append", default=[], help="only the inputs whose label has this word")
    parser.add_argument("--baseline", type=Path, help="another checkout whose kconvert to time as well")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is stopped")
    options = parser.parse_args()
    python = sys.executable
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; wall time, CPU time and peak memory per run")
    header = f"{'input':<14} {'command':<14} {'kconvert':>26}   {'parse floor':>26}"
    header += f"   {'baseline':>26}" if options.baseline else ""
    print(header + (f"   {'black --check':>26}" if options.black else "") + "   target")
    with tempfile.TemporaryDirectory() as folder:
        for label, text, command, target in cases(options.quick, options.subclass):
            if options.only and not any(word in label for word in options.only):
                continue
            path = Path(folder) / "generated.py"
            path.write_text(text)
            ours = run([python, "-m", "kconvert", command, "--check", str(path)], options.timeout)
            floor = run([python, "-c", PARSE_FLOOR, str(path)], options.timeout)
            row = f"{label:<14} {command:<14} {show(ours)}   {show(floor)}"
            if options.baseline:
                convert = [python, "-m", "kconvert", command, "--check", str(path)]
                row += f"   {show(run(convert, options.timeout, options.baseline.resolve()))}"
            if options.black:
                row += f"   {show(run([python, '-m', 'black', '-q', '--check', str(path)], options.timeout))}"
            print(f"{row}   {target}", flush=True)


if __name__ == "__main__":
    main()
