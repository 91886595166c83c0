"""How kconvert does on a corpus of realistic model files, per direction.

    python benchmarks/corpus_report.py                # tables and every non-pass, for people
    python benchmarks/corpus_report.py --json         # the same, as JSON
    python benchmarks/corpus_report.py vae unet       # only corpus files whose name contains these
    python benchmarks/corpus_report.py --no-verify    # conversions only (no TensorFlow)

Each file of ``benchmarks/corpus/`` is written in the style of a well-known public
Keras example (its docstring's first line says which). Every (file, target style)
is converted with ``convert_source``; a changed result is verified against the
original, model by model (each model the conversion changed), with one
long-lived ``kconvert.verify.Worker`` (TensorFlow is imported once); a file takes
the worst of its models' results. Each (file, direction) is classified as:

* ``unchanged``     the file is already in the target style;
* ``converted``     converted, not verified (only with ``--no-verify``);
* ``verified``      converted, and the verifier proves it equivalent;
* ``NOT-EQUIVALENT`` converted, but the verifier finds a difference (wrong code: a bug);
* ``VERIFY-ERROR``  converted, but the converted file could not be built or compared
                    while the original can (a bug);
* ``unverifiable``  converted, but the verifier cannot build or run the original
                    either (a verifier limit, not a conversion bug);
* ``refused``       the conversion was refused; the diagnostics are listed;
* ``CRASH``         ``convert_source`` raised (a bug).

*pass* = verified, over the directions that needed a change (a file already in
the target style is counted apart, not as a pass); *handled* = pass, or a refusal whose every
diagnostic has a hint and is not the generic "no Keras model found".
``EXPECTED_REFUSALS`` lists the directions the model's graph cannot take (a
second input, a skip connection, a file that does not build in Keras 3);
*pass (allowed)* is the pass rate over the other directions, the figure issue 6
asks to be at least 90%. A converted file is also converted again to the same
style: a second pass that changes or refuses it is reported as ``unstable``.
Figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kconvert.convert import convert_source  # noqa: E402
from kconvert.types import Converted, Options, Style  # noqa: E402
from kconvert.verify import Verdict, Worker, verify_sources  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"
TARGETS = (Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS)
VERIFY_TIMEOUT = 180.0  # seconds per file pair

# Corpus files whose graph is not one chain (several inputs or outputs, a skip, a
# merge): no Sequential model can express them.
NOT_A_CHAIN = (
    "attention_mask_functional",
    "augmentation_block",
    "functional_multi_io",
    "keras2_legacy_spellings",
    "lstm_state_outputs",
    "mlp_mixer_blocks",
    "nested_outputs",
    "seq2seq_lstm_state",
    "siamese",
    "siamese_shared_layers",
    "structured_data_dict_inputs",
    "subclass_tf_ops",
    "tensor_expressions",
    "toy_resnet",
    "unet",
    "unet_xception",
    "vae",
    "wide_and_deep",
)
_TF_ON_KERAS = "the original does not build in Keras 3 (tf.nn.relu on Keras tensors)"
_KERAS2 = "tensorflow.python.keras is Keras 2, not Keras 3"

# (file stem, target) -> why that direction cannot be expected to convert.
EXPECTED_REFUSALS: dict[tuple[str, Style], str] = {
    (stem, Style.SEQUENTIAL): "the graph is not one chain" for stem in NOT_A_CHAIN
}
EXPECTED_REFUSALS[("subclass_tf_ops", Style.FUNCTIONAL)] = "tf.* calls in call()"
EXPECTED_REFUSALS[("tf_nn_on_keras_tensors", Style.SEQUENTIAL)] = _TF_ON_KERAS
EXPECTED_REFUSALS[("tf_nn_on_keras_tensors", Style.SUBCLASS)] = _TF_ON_KERAS
EXPECTED_REFUSALS.update({("tensorflow_python_keras", t): _KERAS2 for t in TARGETS})

# Only a conversion that changed something and was proven counts; a file already in
# the target style says nothing about the converter.
PASS = ("verified",)
BUGS = ("NOT-EQUIVALENT", "VERIFY-ERROR", "CRASH")
RANK = (
    "verified",
    "unverifiable",
    "VERIFY-ERROR",
    "NOT-EQUIVALENT",
)  # a file gets its worst model's
ORDER = (
    "unchanged",
    "converted",
    "verified",
    "refused",
    "unverifiable",
    "NOT-EQUIVALENT",
    "VERIFY-ERROR",
    "CRASH",
)


@dataclass
class Outcome:
    file: str
    target: str
    status: str
    reasons: list[str] = field(default_factory=list)
    expected_refusal: str = ""
    precise: bool = True  # for a refusal: every diagnostic has a hint and is specific
    models: dict[str, str] = field(
        default_factory=dict
    )  # changed model -> its verification status
    unstable: str = ""  # why a second conversion of the result is not a no-op
    seconds: float = 0.0


def classify(path: Path, target: Style, worker: Worker | None) -> Outcome:
    text = path.read_text(encoding="utf-8")
    name = path.name
    outcome = Outcome(
        name,
        str(target),
        "",
        expected_refusal=EXPECTED_REFUSALS.get((path.stem, target), ""),
    )
    start = time.perf_counter()
    try:
        result = convert_source(text, target, Options(), path=name)
    except Exception as error:  # a crash is a finding, not the end of the run
        outcome.status = "CRASH"
        outcome.reasons = [describe_crash(error)]
        return _timed(outcome, start)
    if not isinstance(result, Converted):
        outcome.status = "refused"
        outcome.reasons = [d.render() for d in result.diagnostics]
        outcome.precise = bool(result.diagnostics) and all(
            d.hint and not d.message.startswith("no Keras model found")
            for d in result.diagnostics
        )
        return _timed(outcome, start)
    if result.source == text:
        outcome.status = "unchanged"
        return _timed(outcome, start)
    outcome.unstable = _unstable(result.source, target, name)
    if worker is None:
        outcome.status = "converted"
        return _timed(outcome, start)
    worst = "verified"
    changed = [m.name for m in result.models if m.changed] or [
        None
    ]  # None: the whole file
    for model in changed:
        status, reasons = verify_model(text, result.source, model, name, target, worker)
        outcome.models[model or "*"] = status
        outcome.reasons += [f"{model or name}: {reason}" for reason in reasons]
        if RANK.index(status) > RANK.index(worst):
            worst = status
    outcome.status = worst
    return _timed(outcome, start)


def verify_model(
    text: str,
    converted: str,
    model: str | None,
    name: str,
    target: Style,
    worker: Worker,
    timeout: float = VERIFY_TIMEOUT,
    given: dict[str, str] | None = None,
    input_shape: list[int] | None = None,
    save: bool = False,
) -> tuple[str, list[str]]:
    """One changed model, original against converted; the original alone when that fails.

    Returns ``verified``, ``NOT-EQUIVALENT``, ``VERIFY-ERROR`` (only the converted
    file fails, or a model of it that the original builds alone) or ``unverifiable`` (the
    original fails too), with the reasons.
    ``given`` and ``input_shape`` (without the batch axis) are what a user gives
    with ``--set`` and ``--input-shape``. With ``save``, a verified pair's reasons say
    how each converted model saved and loaded (``saving: ...``). Shared with
    ``benchmarks/realworld/measure.py``.
    """
    shape = None if input_shape is None else (None, *input_shape)
    report = verify_sources(
        text,
        converted,
        original_path=name,
        converted_path=f"{name} [{target}]",
        model=model,
        worker=worker,
        timeout=timeout,
        given=given,
        input_shape=shape,
        save=save,
    )
    if report.verdict is Verdict.EQUIVALENT:
        return "verified", [f"saving: {m.saving}" for m in report.models if m.saving]
    if _timed_out(report):
        # ``timeout`` bounds the whole file, each pair's saving and loading included, and the
        # original alone (below) is neither converted nor saved: a pair out of time is no verdict.
        # Once more with twice the time and no saving, before blaming the conversion (verify35:
        # a ResNet-50 subclass saved twice ran out of its 120 s beside two busy sessions).
        report = verify_sources(
            text,
            converted,
            original_path=name,
            converted_path=f"{name} [{target}]",
            model=model,
            worker=worker,
            timeout=2 * timeout,
            given=given,
            input_shape=shape,
        )
        if report.verdict is Verdict.EQUIVALENT:
            return "verified", [f"timed out in {timeout:g} s with saving; equivalent in {2 * timeout:g} s without"]
    if report.verdict is Verdict.DIFFERENT:
        return "NOT-EQUIVALENT", verify_reasons(report)
    alone = verify_sources(
        text,
        text,
        original_path=name,
        converted_path=name,
        model=model,
        worker=worker,
        timeout=timeout,
        given=given,
        input_shape=shape,
    )
    if _data_missing(report, text, converted, f"{name} [{target}]"):
        return "unverifiable", [
            "converted: fails on a line of the file's data, left as written: " + reason
            for reason in verify_reasons(report)
        ]
    if alone.verdict is Verdict.EQUIVALENT or _broken(report, alone):
        return "VERIFY-ERROR", verify_reasons(report)
    return "unverifiable", [
        "original vs itself: " + reason for reason in verify_reasons(alone)
    ]


def _timed_out(report) -> bool:
    """Whether the pair failed only by running out of time (the worker is killed then)."""
    failed = [model for model in report.models if model.verdict is Verdict.ERROR]
    return bool(failed) and all(
        reason.startswith("the TensorFlow worker failed: timed out") for model in failed for reason in model.reasons
    )


def _broken(report, alone) -> bool:
    """Whether a model that fails in the pair builds and runs alone: the converted file broke it,
    whatever another model of the file (a shapeless block it calls) does alone. Models that
    share a name (a tutorial's every `model`) are told apart by their order among them."""
    failed = {key for key, model in _keyed(report.models) if model.verdict is Verdict.ERROR}
    return any(key in failed and model.verdict is Verdict.EQUIVALENT for key, model in _keyed(alone.models))


def _data_missing(report, text: str, converted: str, path: str) -> bool:
    """Whether each model that fails in the pair fails only on a line of the file's data that
    the conversion left as it was (``imdb.load_data(...)``, which cannot download here): the
    converted model reads that data (``Input(shape=x_train.shape[1:])``, the shape its ``fit``
    gives an unbuilt Sequential) where the original built without it, so nothing is known
    (verify40: Keras' ``imdb_lstm``, equivalent with ``--set x_train=...``)."""
    failed = [model for model in report.models if model.verdict is Verdict.ERROR]
    original_lines = {line.strip() for line in text.splitlines()}
    converted_lines = converted.splitlines()
    for model in failed:
        found = [
            re.search(rf"^converted: building \S+ failed: {re.escape(path)}:(\d+): ", reason)
            for reason in model.reasons
        ]
        lines = [int(match.group(1)) for match in found if match]
        if not (
            lines
            and any("which cannot run here (hint: give the value" in reason for reason in model.reasons)
            and all(0 < line <= len(converted_lines) and converted_lines[line - 1].strip() in original_lines for line in lines)
        ):
            return False
    return bool(failed)


def _keyed(models):
    """Each model with (its name, how many before it had that name)."""
    seen: Counter[str] = Counter()
    for model in models:
        yield (model.name, seen[model.name]), model
        seen[model.name] += 1


def _timed(outcome: Outcome, start: float) -> Outcome:
    outcome.seconds = round(time.perf_counter() - start, 2)
    return outcome


def describe_crash(error: Exception) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
    try:
        message = " ".join(str(error).split())
    except Exception:  # libcst's ParserSyntaxError fails in str() for a parse of text it did not keep
        message = "(no message)"
    return f"{type(error).__name__} at {where}: {message[:200]}"


def _unstable(converted: str, target: Style, name: str) -> str:
    """Converting the result again to the same style must change nothing; else why not."""
    try:
        again = convert_source(converted, target, Options(), path=f"{name} [{target}]")
    except Exception as error:
        return "second pass crashed: " + describe_crash(error)
    if not isinstance(again, Converted):
        return "second pass refused: " + "; ".join(
            d.render() for d in again.diagnostics
        )
    return "" if again.source == converted else "second pass changed the file again"


def verify_reasons(report) -> list[str]:
    reasons = list(report.reasons)
    for model in report.models:
        diff = model.first_difference
        if diff is not None:
            rows = [row for row in (diff.original, diff.converted) if row is not None]
            at = " vs ".join(
                f"{row.kind} {row.name!r} (call {row.call})" for row in rows
            )
            reasons.append(
                f"first difference: {diff.reason}" + (f" at {at}" if at else "")
            )
    return [" ".join(reason.split())[:400] for reason in reasons] or [
        "(no reason given)"
    ]


def summarise(outcomes: list[Outcome]) -> dict[str, dict[str, object]]:
    table: dict[str, dict[str, object]] = {}
    for target in TARGETS:
        every = [o for o in outcomes if o.target == str(target)]
        counts = Counter(o.status for o in every)
        rows = [o for o in every if o.status != "unchanged"]
        passed = sum(counts[s] for s in PASS)
        precise_refusals = sum(1 for o in rows if o.status == "refused" and o.precise)
        allowed = [o for o in rows if not o.expected_refusal]
        allowed_passed = sum(1 for o in allowed if o.status in PASS)
        table[str(target)] = {
            "files": len(every),
            "needed_a_change": len(rows),
            "counts": {status: counts[status] for status in ORDER if counts[status]}
            | {s: n for s, n in counts.items() if s not in ORDER},
            "pass": passed,
            "pass_rate": _rate(passed, len(rows)),
            "allowed": len(allowed),
            "pass_allowed": allowed_passed,
            "pass_rate_allowed": _rate(allowed_passed, len(allowed)),
            "handled": passed + precise_refusals,
            "handled_rate": _rate(passed + precise_refusals, len(rows)),
            "unstable": sum(1 for o in rows if o.unstable),
            "bugs": sum(1 for o in rows if o.status in BUGS),
        }
    return table


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def render(
    outcomes: list[Outcome],
    table: dict[str, dict[str, object]],
    seconds: float,
    versions: dict,
) -> str:
    lines = []
    header = f"{'direction':<12} {'files':>5} {'unch':>5} {'conv':>5} {'verif':>5} {'refus':>5} {'unver':>5} {'NOTEQ':>5} {'VERR':>5} {'CRASH':>5}"
    header += f"  {'pass':>6}  {'pass (allowed)':>16}  {'handled':>7}  {'unstable':>8}"
    lines += [header, "-" * len(header)]
    for target, row in table.items():
        counts = row["counts"]
        cells = " ".join(f"{counts.get(status, 0):>5}" for status in ORDER)
        lines.append(
            f"to-{target:<9} {row['files']:>5} {cells}  {row['pass_rate']:>5}%"
            f"  {row['pass_allowed']:>3}/{row['allowed']:<3} {row['pass_rate_allowed']:>6}%"
            f"  {row['handled_rate']:>6}%  {row['unstable']:>8}"
        )
    lines.append("")
    lines.append(
        "unch = unchanged (already in style), conv = converted, not verified (--no-verify),"
    )
    lines.append("verif = converted and verified equivalent,")
    lines.append(
        "unver = the verifier cannot run the original either; NOTEQ = converted but not equivalent;"
    )
    lines.append(
        "VERR = the converted code could not be built or compared (the original could);"
    )
    lines.append(
        "pass = verif, of the rows that needed a change (unch counted apart); allowed = directions the graph allows (see EXPECTED_REFUSALS);"
    )
    lines.append(
        "handled = pass + refusals whose every diagnostic has a hint and is specific."
    )
    for title, keep in (
        ("Bugs (wrong code, unbuildable output, crashes)", lambda o: o.status in BUGS),
        (
            "Refusals in directions the graph allows (gaps)",
            lambda o: o.status == "refused" and not o.expected_refusal,
        ),
        ("Expected refusals", lambda o: o.status == "refused" and o.expected_refusal),
        (
            "Expected refusals that did not happen",
            lambda o: o.status in PASS and o.expected_refusal,
        ),
        (
            "Unverifiable (the verifier cannot run the original either)",
            lambda o: o.status == "unverifiable",
        ),
        ("Unstable (converting the result again is not a no-op)", lambda o: o.unstable),
    ):
        chosen = [o for o in outcomes if keep(o)]
        if not chosen:
            continue
        lines += ["", f"## {title}: {len(chosen)}"]
        for o in chosen:
            flag = "" if o.precise else " [imprecise]"
            lines.append(f"- {o.file} -> {o.target}: {o.status}{flag}")
            if o.expected_refusal and o.status == "refused":
                lines.append(f"    expected: {o.expected_refusal}")
            lines += [f"    {reason}" for reason in o.reasons]
            if o.unstable and title.startswith("Unstable"):
                lines.append(f"    {o.unstable}")
    lines += [
        "",
        f"{len(outcomes)} (file, direction) pairs in {seconds:.0f} s; "
        + ", ".join(f"{k} {v}" for k, v in versions.items()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "only", nargs="*", help="only corpus files whose name contains one of these"
    )
    parser.add_argument(
        "--json", action="store_true", help="print JSON instead of tables"
    )
    parser.add_argument(
        "--no-verify", action="store_true", help="convert only; do not start TensorFlow"
    )
    args = parser.parse_args(argv)
    files = [
        p
        for p in sorted(CORPUS.glob("*.py"))
        if not args.only or any(w in p.name for w in args.only)
    ]
    if not files:
        parser.error("no corpus file matches")
    start = time.perf_counter()
    outcomes = []
    worker = None if args.no_verify else Worker()
    try:
        if worker is not None:
            worker.start()  # imports TensorFlow while the first files convert
        for path in files:
            for target in TARGETS:
                outcome = classify(path, target, worker)
                outcomes.append(outcome)
                print(
                    f"{outcome.file} -> {outcome.target}: {outcome.status}",
                    file=sys.stderr,
                    flush=True,
                )
        versions = worker.versions if worker is not None else {}
    finally:
        if worker is not None:
            worker.close()
    seconds = time.perf_counter() - start
    table = summarise(outcomes)
    if args.json:
        print(
            json.dumps(
                {
                    "summary": table,
                    "outcomes": [asdict(o) for o in outcomes],
                    "seconds": round(seconds, 1),
                    "versions": versions,
                },
                indent=2,
            )
        )
    else:
        print(render(outcomes, table, seconds, versions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
