"""Fuzz the conversion commands: mutated fixtures and generated Python, checked for four properties.

For each input and each target style, ``kconvert to-<style> -`` runs in process and must

1. raise nothing and print no traceback and no "internal error" (a kconvert bug);
2. exit 0, 1, 2 or 123;
3. on exit 0, print Python that compiles;
4. on exit 0, print a fixed point: converting the output again changes nothing.

Inputs are mutants of ``tests/fixtures/*/*.py`` (a line deleted, duplicated or
swapped with another, the text truncated), or of the files ``--files`` names (the
real-world files, ``--files 'benchmarks/realworld/files/*.py'``, whose models are larger
and stranger than ours), and, with ``--generated``, programs from hypothesmith's Python
grammar strategy.  ``tests/test_fuzz.py`` runs a
few seconds of this in CI with a fixed seed; for long runs::

    python scripts/fuzz.py --seconds 3600 --seed 7 --generated

Each failure is printed with its input, which is also saved under
``--out`` (default ``fuzz-failures/``) for a reproduction.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from kconvert.cli import main as cli

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
STYLES = ("functional", "sequential", "subclass", "functional-subclass")
EXIT_CODES = {0, 1, 2, 123}


@dataclass(frozen=True)
class Failure:
    text: str
    style: str
    reason: str

    def render(self) -> str:
        return f"to-{self.style}: {self.reason}\n--- input ---\n{self.text}\n-------------"


def fixture_texts(pattern: str | None = None) -> list[str]:
    paths = sorted(Path().glob(pattern)) if pattern else sorted(FIXTURES.glob("*/*.py"))
    return [path.read_text(encoding="utf-8", errors="replace") for path in paths]


def mutate(text: str, rng: random.Random) -> str:
    """One random edit of the kind a hurried user (or a bad merge) makes."""
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        return text[: rng.randrange(len(text) + 1)]
    kind = rng.choice(("delete", "duplicate", "swap", "truncate"))
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(j, lines[i])
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    else:
        return text[: rng.randrange(len(text) + 1)]
    return "".join(lines)


def check(text: str, styles: tuple[str, ...] = STYLES) -> list[Failure]:
    """Every property ``text`` breaks, for each target style."""
    failures = []
    for style in styles:
        reason = _check_one(text, style)
        if reason is not None:
            failures.append(Failure(text, style, reason))
    return failures


def _check_one(text: str, style: str) -> str | None:
    first = _run(text, style)
    if isinstance(first, str):
        return first
    code, output = first
    if code != 0:
        return None
    try:
        compile(output, "<converted>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return f"the output does not compile: {error}"
    again = _run(output, style)
    if isinstance(again, str):
        return f"converting the output again: {again}"
    if again != (0, output):
        return f"converting the output again gives exit {again[0]} and {'the same' if again[1] == output else 'other'} text"
    return None


def _run(text: str, style: str) -> tuple[int, str] | str:
    """(exit code, standard output), or why the run broke a property."""
    result = CliRunner().invoke(cli, [f"to-{style}", "-"], input=text)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"uncaught {type(result.exception).__name__}: {result.exception}"
    printed = result.stdout + result.stderr
    if "Traceback" in printed or "internal error" in printed:
        return "a traceback or internal error: " + result.stderr.strip().splitlines()[-1]
    if result.exit_code not in EXIT_CODES:
        return f"exit code {result.exit_code}"
    return result.exit_code, result.stdout


def mutants(seed: int, pattern: str | None = None):
    """An endless, reproducible stream of mutated fixtures, or files matching ``pattern`` (one to
    three edits each)."""
    rng = random.Random(seed)
    texts = fixture_texts(pattern)
    while True:
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        yield text


def generated(seed: int):
    """An endless, reproducible stream of programs from hypothesmith's grammar strategy."""
    import hypothesmith
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as with_seed

    for batch in range(sys.maxsize):
        found: list[str] = []

        @with_seed(seed * 1_000_003 + batch)
        @settings(database=None, deadline=None, max_examples=50, suppress_health_check=list(HealthCheck))
        @given(hypothesmith.from_grammar())
        def collect(text: str) -> None:
            found.append(text)

        collect()
        yield from found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--generated", action="store_true", help="also fuzz with hypothesmith's generated programs")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--files", help="mutate the files matching this glob (relative to the current directory) instead of the fixtures")
    args = parser.parse_args(argv)
    # Generated programs are full of `"a"()`-like code; CPython's warnings about it are noise here.
    warnings.simplefilter("ignore", SyntaxWarning)
    streams = [mutants(args.seed, args.files)] + ([generated(args.seed)] if args.generated else [])
    deadline = time.monotonic() + args.seconds
    tried = failed = 0
    while time.monotonic() < deadline:
        text = next(streams[tried % len(streams)])
        tried += 1
        for failure in check(text):
            failed += 1
            print(failure.render(), flush=True)
            args.out.mkdir(exist_ok=True)
            (args.out / f"failure-{args.seed}-{tried}-{failure.style}.py").write_text(text)
    print(f"{tried} inputs, {failed} failures", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
