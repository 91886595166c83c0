"""Each model of each real file converted alone, as a refusal's hint tells the user to.

A file of several models that kconvert does not convert as a whole is refused with "pass
--model NAME:LINE to convert one model"; ``measure.py`` only converts whole files.  This
converts every model of every file with two or more, alone, to each style its file allows, and
counts what a user following that hint gets: converted (the output compiles and reads no name
the rest of the file lost; stability is measure.py's, since ``NAME:LINE`` names another model once
the lines move), refused, caught (kconvert's safety
check refused its own output: a bug, nothing written) or CRASH.  Slow: a notebook of twenty
models is converted eighty times.

    python benchmarks/realworld/per_model.py [NAME...]   # files whose name has one of these
"""

from __future__ import annotations

import ast
import sys
from collections import Counter

import measure
from kconvert.convert import convert_source
from kconvert.parse import find_models
from kconvert.types import Converted, Options, Style


def judge_model(text: str, name: str, target: Style, selector: str) -> tuple[str, str]:
    """The status of converting the model ``selector`` of ``text`` alone, and why."""
    try:
        result = convert_source(text, target, Options(model=selector), path=name)
    except Exception as error:  # a crash is a finding, not the end of the run
        return "CRASH", measure.describe_crash(error)
    if not isinstance(result, Converted):
        found = [d.render() for d in result.diagnostics]
        caught = [r for r in found if "internal error" in r]
        return ("caught", caught[0]) if caught else ("refused", found[0] if found else "")
    try:
        after = ast.parse(result.source)
    except SyntaxError as error:
        return "WRONG", f"the output does not compile: {error}"
    gone = (measure.top_level_bindings(ast.parse(text)) - measure.top_level_bindings(after)) & measure.global_reads(after)
    if gone:
        return "WRONG", "no longer defined but still read: " + ", ".join(sorted(gone))
    return "converted", ""


def main(names: list[str]) -> int:
    counts: Counter[tuple[str, str]] = Counter()
    for entry in measure.entries("all"):
        if names and not any(word in entry["name"] for word in names):
            continue
        text = (measure.FILES / entry["name"]).read_text(encoding="utf-8")
        models = [model for model in find_models(text) if model.problem is None]
        if len(models) < 2:
            continue
        for model in models:
            for target in measure.TARGETS:
                if str(target) not in measure.allows(entry):
                    continue
                status, why = judge_model(text, entry["name"], target, f"{model.name}:{model.line}")
                counts[(str(target), status)] += 1
                if status not in ("converted", "refused"):
                    print(f"{status} {entry['name']} --model {model.name}:{model.line} -> {target}: {why[:300]}")
    for target in measure.TARGETS:
        row = {status: counts[(str(target), status)] for status in ("converted", "refused", "caught", "WRONG", "CRASH")}
        print(f"to-{target}: " + ", ".join(f"{status} {n}" for status, n in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
