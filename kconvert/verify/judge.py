"""The verdict on a model pair, decided in the parent from what the worker found.

The worker runs the user's code, so its report is evidence, not a ruling: a
worker may say that a pair differs or could not be checked (that is never
dangerous), but "equivalent" is the parent's word, given only when the report
holds everything that proves it: both models' summaries with the same parameter
counts, finite output differences from both the inference and the training
pass, and not one difference, reason or differing configuration.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .report import ModelReport, Verdict


def judge(report: ModelReport) -> ModelReport:
    """``report`` with the parent's verdict; a reason is added when the evidence is short."""
    if report.verdict is not Verdict.EQUIVALENT:
        return report  # "different" or "could not run": never a reason to write
    original, converted = report.original, report.converted
    if original is None or converted is None:
        reason = "the worker's report has no model summaries to judge"
        return replace(report, verdict=Verdict.ERROR, reasons=(reason,))
    if report.reasons or report.config_differences or report.first_difference:
        reason = "the worker said equivalent, but its report lists differences"
        return replace(report, verdict=Verdict.DIFFERENT, reasons=(*report.reasons, reason))
    missing = [
        what
        for what, value in (
            ("the outputs' difference", report.max_abs_diff),
            ("the training pass's difference", report.training_max_abs_diff),
        )
        if value is None or not math.isfinite(value)
    ]
    counts = [(s.total_params, s.trainable_params) for s in (original, converted)]
    if missing or counts[0] != counts[1]:
        reason = "the worker said equivalent, but its report does not show it: " + (
            ", ".join(missing) + " missing" if missing else "parameter counts differ"
        )
        return replace(report, verdict=Verdict.DIFFERENT, reasons=(reason,))
    return replace(report, verdict=Verdict.EQUIVALENT)
