"""A VerifyReport for people: both models side by side, call by call, with rich."""

from __future__ import annotations

import io
from itertools import zip_longest

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .report import LayerRow, ModelReport, ModelSummary, Verdict, VerifyReport

_VERDICT_STYLE = {
    Verdict.EQUIVALENT: "bold green",
    Verdict.DIFFERENT: "bold red",
    Verdict.ERROR: "bold yellow",
}


def render_report(
    report: VerifyReport, *, width: int | None = None, color: bool = False
) -> str:
    console = Console(
        file=io.StringIO(),
        width=width or 120,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
    )
    headline = Text.assemble(
        (report.verdict.value.upper(), _VERDICT_STYLE[report.verdict]),
        f"  {report.original}  vs  {report.converted}",
    )
    # Paths and diagnostics stay on one line each, whatever the width: a wrapped
    # ``path:line:col`` is no longer one a terminal or an editor can follow.
    console.print(headline, soft_wrap=True)
    if report.problem:
        console.print(Text(report.problem), soft_wrap=True)
    for model in report.models:
        console.print()
        _model(console, model, report)
    if report.given:
        values = ", ".join(f"{name}={value}" for name, value in report.given)
        console.print()
        console.print(
            Text(f"with the values given for the file's data: {values}"), soft_wrap=True
        )
    if report.notes:
        console.print()
    for note in report.notes:
        console.print(Text(note), soft_wrap=True)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _model(console: Console, model: ModelReport, report: VerifyReport) -> None:
    name = (
        model.name
        if model.name == model.converted_name
        else f"{model.name} / {model.converted_name}"
    )
    console.print(
        Text.assemble(
            f"model {name}: ", (model.verdict.value, _VERDICT_STYLE[model.verdict])
        )
    )
    if model.original is not None and model.converted is not None:
        console.print(_table(model.original, model.converted, model))
    if model.max_abs_diff is not None:
        tolerance = f"atol {report.atol:g}, rtol {report.rtol:g}"
        console.print(f"max |diff| of outputs: {model.max_abs_diff:.3g} ({tolerance})")
    if model.training_max_abs_diff is not None:
        console.print(
            f"max |diff| of outputs in a seeded training pass: {model.training_max_abs_diff:.3g}"
        )
    if model.saving is not None:
        console.print(Text(f"saved as .keras and loaded back: {model.saving}"), soft_wrap=True)
    for reason in model.reasons:
        console.print(Text(f"- {reason}"), soft_wrap=True)
    diff = model.first_difference
    if diff is not None:
        console.print(Text("first difference: ", "bold") + Text(diff.reason))
        for side, row in (("original", diff.original), ("converted", diff.converted)):
            where = (
                f"{row.kind} '{row.name}' (call {row.call}) at {row.location or 'unknown place'}"
                if row
                else "-"
            )
            console.print(f"  {side:<9}  {where}")
        if diff.max_abs_diff is not None:
            console.print(
                f"  max |diff| of that call's outputs: {diff.max_abs_diff:.3g}"
            )


def _table(
    original: ModelSummary, converted: ModelSummary, model: ModelReport
) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("#", justify="right")
    for side, summary in (("original", original), ("converted", converted)):
        table.add_column(f"{side} ({summary.kind})", overflow="fold")
        table.add_column("output")
        table.add_column("params", justify="right")
        table.add_column("line", justify="right")
    blamed = model.first_difference
    blamed_calls = (
        {
            blamed.original and blamed.original.call,
            blamed.converted and blamed.converted.call,
        }
        if blamed
        else set()
    )
    for number, (row_o, row_c) in enumerate(
        zip_longest(original.rows, converted.rows), start=1
    ):
        differs = _signature(row_o) != _signature(row_c)
        style = "red" if differs else ""
        if number in blamed_calls:
            style = "bold red"
        table.add_row(str(number), *_cells(row_o), *_cells(row_c), style=style)
    for label, attr in (
        ("total params", "total_params"),
        ("trainable", "trainable_params"),
        ("non-trainable", "non_trainable_params"),
    ):
        a, b = getattr(original, attr), getattr(converted, attr)
        table.add_row(
            "",
            label,
            "",
            f"{a:,}",
            "",
            label,
            "",
            f"{b:,}",
            "",
            style="" if a == b else "red",
        )
    return table


def _signature(row: LayerRow | None) -> tuple[object, ...] | None:
    return (row.kind, row.output_shapes, row.params, row.shared) if row else None


def _cells(row: LayerRow | None) -> tuple[str, str, str, str]:
    if row is None:
        return "", "", "", ""
    shape = ", ".join(_shape(s) for s in row.output_shapes)
    params = "shared" if row.shared else f"{row.params:,}"
    line = str(row.location.line) if row.location else ""
    return f"{row.name} ({row.kind})", shape, params, line


def _shape(shape: tuple[int | None, ...]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
