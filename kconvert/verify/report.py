"""What a verification found, as frozen values, and the one place that decides exit codes.

Exit codes (``exit_code``, with the values of ``kconvert.report``):

* 0 — equivalent: every model pair builds the same layers, parameter counts and
  sharing, with the same configurations, and gives the same outputs (within
  atol/rtol) on the same inputs, in inference mode and in a seeded training pass;
* 1 — different: some pair differs (parameters, weights, sharing, a layer's
  configuration, or outputs in either mode);
* 123 — could not run: a file could not be read or parsed, a model was not found or
  could not be built or called, or the worker failed or timed out.

A proven difference outranks an error: if one pair differs and another could not
run, the files are not equivalent and the code is 1 (``combine``).

The worker builds these values too (this module imports neither TensorFlow nor
libcst) and sends them as ``to_dict()`` JSON; ``from_dict`` reads them back.
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from .. import report as codes

Shape = tuple[int | None, ...]


class Verdict(str, enum.Enum):
    EQUIVALENT = "equivalent"
    DIFFERENT = "different"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


_EXIT_CODES = {
    Verdict.EQUIVALENT: codes.OK,
    Verdict.DIFFERENT: codes.DIFFERENT,
    Verdict.ERROR: codes.ERROR,
}


def exit_code(verdict: Verdict) -> int:
    """0 equivalent, 1 different, 123 could not run."""
    return _EXIT_CODES[verdict]


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict of several pairs (or files): different > error > equivalent."""
    found = set(verdicts)
    for verdict in (Verdict.DIFFERENT, Verdict.ERROR):
        if verdict in found:
            return verdict
    return Verdict.EQUIVALENT if found else Verdict.ERROR


@dataclass(frozen=True)
class Location:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class LayerRow:
    """One layer call of the forward pass, in call order (a shared layer appears again)."""

    call: int  # 1-based position in call order
    name: str
    kind: str  # class name, e.g. "Dense"
    output_shapes: tuple[Shape, ...]
    params: int
    shared: bool  # this layer was already called earlier in the pass
    location: Location | None


@dataclass(frozen=True)
class ModelSummary:
    """One built model: where it is, its inputs, its layer calls and parameter counts."""

    name: str
    kind: str  # "Sequential", "Functional" or the subclass name
    location: Location | None
    input_shapes: tuple[Shape, ...]
    rows: tuple[LayerRow, ...]
    total_params: int
    trainable_params: int
    non_trainable_params: int


@dataclass(frozen=True)
class Difference:
    """The first layer call where the two models part ways, and why."""

    reason: str
    original: LayerRow | None
    converted: LayerRow | None
    max_abs_diff: float | None = None


@dataclass(frozen=True)
class ConfigDifference:
    """A configuration key (``rate``, ``momentum``, ``Dropout.rate`` inside a block)
    whose values differ between two paired layers; values are shown as JSON."""

    key: str
    original_value: str
    converted_value: str
    original: LayerRow | None
    converted: LayerRow | None


# ``ModelReport.saving`` of a converted model that saved, loaded and gave the same outputs.
LOADS = "loads, same outputs"


@dataclass(frozen=True)
class ModelReport:
    """The verdict on one pair of models (original, converted)."""

    name: str
    converted_name: str
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    original: ModelSummary | None = None
    converted: ModelSummary | None = None
    max_abs_diff: float | None = None
    first_difference: Difference | None = None
    training_max_abs_diff: float | None = None  # of the seeded training-mode pass
    config_differences: tuple[ConfigDifference, ...] = ()
    # Asked for with ``save``, of an equivalent pair: how the converted model saved and loaded.
    saving: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ModelReport":
        diff = data.get("first_difference")
        return cls(
            name=data["name"],
            converted_name=data["converted_name"],
            verdict=Verdict(data["verdict"]),
            reasons=tuple(data.get("reasons", ())),
            original=_summary(data.get("original")),
            converted=_summary(data.get("converted")),
            max_abs_diff=data.get("max_abs_diff"),
            first_difference=(
                Difference(
                    diff["reason"],
                    _row(diff["original"]),
                    _row(diff["converted"]),
                    diff.get("max_abs_diff"),
                )
                if diff
                else None
            ),
            training_max_abs_diff=data.get("training_max_abs_diff"),
            config_differences=tuple(
                ConfigDifference(
                    c["key"],
                    c["original_value"],
                    c["converted_value"],
                    _row(c["original"]),
                    _row(c["converted"]),
                )
                for c in data.get("config_differences", ())
            ),
            saving=data.get("saving"),
        )


@dataclass(frozen=True)
class VerifyReport:
    """The verdict on a pair of files: one ModelReport per model pair.

    ``problem`` is set when nothing could be compared (unreadable file, no model).
    """

    original: str
    converted: str
    models: tuple[ModelReport, ...] = ()
    problem: str = ""
    atol: float = 1e-4
    rtol: float = 1e-4
    # (name, value) the user gave in place of the file's code (``--set``): the verdict holds for them.
    given: tuple[tuple[str, str], ...] = ()
    # What the slices changed in both files alike, each a ``path:line: ...`` sentence.
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> Verdict:
        if self.problem:
            return Verdict.ERROR
        return combine(model.verdict for model in self.models)

    @property
    def exit_code(self) -> int:
        return exit_code(self.verdict)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason, each prefixed by its model when there are several."""
        if self.problem:
            return (self.problem,)
        several = len(self.models) > 1
        return tuple(
            f"{model.name}: {reason}" if several else reason
            for model in self.models
            for reason in model.reasons
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict"] = self.verdict.value
        data["exit_code"] = self.exit_code
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, default=str)

    def render(self, *, width: int | None = None, color: bool = False) -> str:
        """A side-by-side table of both models, for people."""
        from .render import render_report  # rich is only needed when rendering

        return render_report(self, width=width, color=color)


def _location(data: dict[str, Any] | None) -> Location | None:
    return Location(data["path"], data["line"]) if data else None


def _shape(data: list[int | None]) -> Shape:
    return tuple(data)


def _row(data: dict[str, Any] | None) -> LayerRow | None:
    if not data:
        return None
    return LayerRow(
        call=data["call"],
        name=data["name"],
        kind=data["kind"],
        output_shapes=tuple(_shape(s) for s in data["output_shapes"]),
        params=data["params"],
        shared=data["shared"],
        location=_location(data.get("location")),
    )


def _summary(data: dict[str, Any] | None) -> ModelSummary | None:
    if not data:
        return None
    return ModelSummary(
        name=data["name"],
        kind=data["kind"],
        location=_location(data.get("location")),
        input_shapes=tuple(_shape(s) for s in data["input_shapes"]),
        rows=tuple(r for r in map(_row, data["rows"]) if r is not None),
        total_params=data["total_params"],
        trainable_params=data["trainable_params"],
        non_trainable_params=data["non_trainable_params"],
    )
