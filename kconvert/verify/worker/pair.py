"""Verifies one (original, converted) model pair, from slices to a ModelReport.

1. build both models from their slices (``build``), each without the steps that
   only call or build it when it has its own inputs without them (``_build_sides``);
2. call the converted model once on zeros, so that all its weights exist
   (``trace``); the original too if it is a subclassed model (a Functional or
   Sequential model is built by then), or if the converted one fails (so that a
   failure both share is reported as the original's);
3. perturb the original's weights and call it on seeded inputs in inference
   mode, recording its dataflow ``graph``;
4. call the converted model on the same inputs while ``match`` pairs its calls
   with the original's and copies weights across, then compare parameter counts
   and outputs (``compare``) and the paired layers' configurations (``config``);
5. if they agree, run both again in training mode with the same randomness
   (``training``): Dropout and noise layers active, BatchNormalization on the
   batch's statistics; when the request asks (``save``), save the converted model
   as ``.keras`` and load it back (``saving``);
6. on a difference, name the first layer call where the models part.

Stateful RNNs are reset before each measured pass, so that the zeros pass
leaves nothing behind, and the global random seeds are set before each build
and each pass, so that unseeded random operations draw the same numbers.
"""

from __future__ import annotations

from typing import Any

import keras

from ..report import ConfigDifference, Difference, ModelReport, ModelSummary, Verdict
from .build import BuildFailure, Built, build, describe, recording
from .compare import Found, Tolerance, close, first_difference, perturb, shape_text
from .config import config_mismatches
from .graph import Graph
from .inputs import (
    FREE_DIMS,
    built_spec,
    draw,
    given_spec,
    has_free,
    keras2_spec,
    model_spec,
    shapes,
    with_embedding,
    zeros,
)
from .match import Matcher
from .seeds import SEED, reseed
from .saving import save_and_load
from .summary import summarize
from .trace import Observer, Pass, reset_states, run
from .training import Training, depends_on_training, training_pass

SIDES = ("original", "converted")


class _CallFailed(Exception):
    """A model could not be called; caught in verify_pair and reported as an error."""


def verify_pair(request: dict[str, Any]) -> ModelReport:
    sides = [request["original"], request["converted"]]
    names = {"name": sides[0]["name"], "converted_name": sides[1]["name"]}
    for free in FREE_DIMS:
        # Both models afresh for each length: a failed call may have built some layers.
        built = _build_sides(sides)
        failures = [
            f"{who}: {b.reason}"
            for who, b in zip(SIDES, built)
            if isinstance(b, BuildFailure)
        ]
        if failures:
            return ModelReport(**names, verdict=Verdict.ERROR, reasons=tuple(failures))
        models = [b for b in built if isinstance(b, Built)]
        specs = _input_specs(models, request.get("input_shape"))
        if specs is None:
            reason = (
                f"cannot tell the input shape of '{sides[0]['name']}': pass input_shape, e.g. "
                "(None, 20), or build the model in the file (model.build(...) or model(x))"
            )
            return ModelReport(**names, verdict=Verdict.ERROR, reasons=(reason,))
        try:
            return _compare(request, sides, models, specs, names, free)
        except _CallFailed as failure:
            failed = failure
            if not any(has_free(spec) for spec in specs):
                break
    return ModelReport(**names, verdict=Verdict.ERROR, reasons=(str(failed),))


def _compare(
    request: dict[str, Any],
    sides: list[dict[str, str]],
    models: list[Built],
    specs: list[Any],
    names: dict[str, str],
    free: int,
) -> ModelReport:
    original, converted = models
    needs_building = model_spec(original.model) is None
    first_o = (
        _call(0, sides[0], original, zeros(specs[0], free)).calls if needs_building else None
    )
    try:
        first_c = _call(1, sides[1], converted, zeros(specs[1], free)).calls
    except _CallFailed:
        if not needs_building:
            # A built graph model was never called: if it fails on the same zeros, the
            # failure is the original's own (Keras 2 code), not the conversion's.
            _call(0, sides[0], original, zeros(specs[0], free))
        raise
    specs = [
        with_embedding(spec, calls[0].layer) if calls else spec
        for spec, calls in zip(specs, (first_o, first_c))
    ]
    if shapes(specs[0]) != shapes(specs[1]):
        reason = f"inputs differ: {shapes(specs[0])} in original, {shapes(specs[1])} in converted"
        return ModelReport(**names, verdict=Verdict.DIFFERENT, reasons=(reason,))

    tol = Tolerance(request["atol"], request["rtol"])
    inputs = draw(specs[0], SEED, free)
    perturb(original.model, SEED)
    pass_o = _call(0, sides[0], original, inputs)
    matcher = Matcher(Graph(pass_o), tol.atol, tol.rtol)
    pass_c = _call(1, sides[1], converted, inputs, matcher)
    matcher.finish()
    outputs_o, outputs_c = pass_o.outputs, pass_c.outputs

    summaries = [
        summarize(side["name"], model.model, calls, model.sites, shapes(spec))
        for side, model, calls, spec in zip(
            sides, models, (pass_o.calls, pass_c.calls), specs
        )
    ]
    reasons = _count_differences(*summaries)
    if matcher.problems:
        reasons.append(matcher.problems[0].reason)
    same, biggest = close(outputs_c, outputs_o, tol)
    if biggest is None:
        reasons.append(
            f"outputs differ in shape: {shape_text(outputs_o)} in original, "
            f"{shape_text(outputs_c)} in converted"
        )
    elif not same:
        reasons.append(
            f"outputs differ: max |diff| {biggest:.3g} (atol {tol.atol:g}, rtol {tol.rtol:g})"
        )
    mismatches = config_mismatches(matcher)
    reasons += [m.reason for m in mismatches]
    training = None
    if not reasons and not any(depends_on_training(m.model) for m in models):
        # Nothing behaves differently while training: that pass is this one.
        training = Training(biggest, True, None)
    elif not reasons:

        def train(i: int) -> Pass:
            return _call(i, sides[i], models[i], inputs, training=True)

        training = training_pass(matcher, train, tol)
        if training.max_abs_diff is None:
            reasons.append("outputs differ in shape in training mode")
        elif not training.same:
            reasons.append(
                f"outputs differ in training mode: max |diff| {training.max_abs_diff:.3g}"
            )

    def rows(o: int | None, c: int | None) -> Any:
        return _row(summaries[0], o), _row(summaries[1], c)

    report = {
        **names,
        "original": summaries[0],
        "converted": summaries[1],
        "max_abs_diff": biggest,
        "training_max_abs_diff": training.max_abs_diff if training else None,
        "config_differences": tuple(
            ConfigDifference(
                m.key,
                m.original_value,
                m.converted_value,
                *rows(m.original, m.converted),
            )
            for m in mismatches
        ),
    }
    if not reasons:
        if request.get("save"):
            report["saving"] = save_and_load(converted.model, sides[1]["path"], inputs, tol)
        return ModelReport(**report, verdict=Verdict.EQUIVALENT)
    # Outputs first, then configuration, then the training pass: the first that parts.
    found = (
        first_difference(matcher, tol)
        or next((Found(m.reason, m.original, m.converted) for m in mismatches), None)
        or (training.found if training else None)
    )
    difference = None
    if found is not None:
        difference = Difference(
            found.reason, *rows(found.original, found.converted), found.max_abs_diff
        )
    return ModelReport(
        **report,
        verdict=Verdict.DIFFERENT,
        reasons=tuple(reasons),
        first_difference=difference,
    )


def _call(
    side_index: int,
    side: dict[str, str],
    model: Built,
    inputs: Any,
    observer: Observer | None = None,
    training: bool = False,
) -> Pass:
    # Layers a subclassed model creates in build() or call() are created here.
    try:
        with recording(model.sites):
            reset_states(model.model)
            reseed()
            return run(model.model, inputs, observer, training)
    except Exception as error:
        shape = [tuple(leaf.shape) for leaf in keras.tree.flatten(inputs)]
        mode = " in training mode" if training else ""
        raise _CallFailed(
            f"{SIDES[side_index]}: calling the model{mode} on inputs of shape {shape} failed: "
            f"{describe(error, side['path'])}"
        ) from None


def _build_sides(sides: list[dict[str, str]]) -> list[Built | BuildFailure]:
    """Each model without the steps that only call or build it (the slice's ``lean``
    source) when it has its own inputs without them, so those steps change nothing;
    else as the file builds it, since a subclass's ``model(x)`` gives it its shape.
    When that fails (``x`` is data not here) but the other model has its own inputs,
    the lean one is called on those, as a model the file never builds would be."""
    built, spare = [], []
    for side in sides:
        lean = build({**side, "source": side["lean"]}) if side.get("lean") else None
        if isinstance(lean, Built) and model_spec(lean.model) is not None:
            built.append(lean)
        else:
            built.append(build(side))
        spare.append(lean if isinstance(lean, Built) else None)
    for i, other in ((0, built[1]), (1, built[0])):
        if isinstance(built[i], BuildFailure) and spare[i] is not None:
            if isinstance(other, Built) and model_spec(other.model) is not None:
                built[i] = spare[i]
    return built


def _input_specs(
    models: list[Built], input_shape: list[int | None] | None
) -> list[Any] | None:
    """One input spec per model: its own if it has one, else the best shared guess,
    unless the file built it on another shape: then that one, so the two differ."""
    own = [model_spec(m.model) for m in models]
    made = [
        built_spec(m.model) or keras2_spec(m.model, m.sites.input_length)
        for m in models
    ]
    fallback = (
        next((s for s in own if s is not None), None)
        or (given_spec(input_shape) if input_shape else None)
        or next((s for s in made if s is not None), None)
    )
    if fallback is None:
        return None
    return [
        (
            spec
            if spec is not None
            else (shape if _other_shape(shape, fallback) else fallback)
        )
        for spec, shape in zip(own, made)
    ]


def _other_shape(built: Any, spec: Any) -> bool:
    """Whether a model built on ``built`` cannot take ``spec`` (batch and free axes aside)."""
    if built is None:
        return False
    mine, theirs = shapes(built), shapes(spec)
    if [len(s) for s in mine] != [len(s) for s in theirs]:
        return True
    return any(
        a is not None and b is not None and a != b
        for one, other in zip(mine, theirs)
        for a, b in zip(one[1:], other[1:])
    )


def _count_differences(original: ModelSummary, converted: ModelSummary) -> list[str]:
    def split(s: ModelSummary) -> str:
        parts = f"{s.trainable_params:,} trainable, {s.non_trainable_params:,} not"
        return f"{s.total_params:,} ({parts})"

    counts = [(s.total_params, s.trainable_params) for s in (original, converted)]
    if counts[0] == counts[1]:
        return []
    return [
        f"parameters differ: {split(original)} in original, {split(converted)} in converted"
    ]


def _row(summary: ModelSummary, index: int | None) -> Any:
    return (
        summary.rows[index] if index is not None and index < len(summary.rows) else None
    )
