"""``kconvert explain``: for each model of a file, which styles it can be written in, and why not.

Each answer is a real conversion attempt of that one model, so the explanation
can never disagree with what the conversion commands do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from .convert import convert_source, select
from .document import Document
from .deep import on_deep_stack
from .parse import find_models
from .selection import in_module, pick
from .types import Converted, Diagnostic, Options, Style


@dataclass(frozen=True)
class Answer:
    target: Style
    possible: bool
    reason: Diagnostic | None = None


@dataclass(frozen=True)
class ModelExplanation:
    name: str
    style: Style
    line: int
    col: int
    answers: tuple[Answer, ...]
    problem: Diagnostic | None = None

    def render(self, path: str, locate: Callable[[Diagnostic], Diagnostic] = lambda found: found) -> str:
        """``locate`` moves a file line to its place in the file (a notebook's cell and line)."""
        lines = [f"{locate(Diagnostic(self.line, self.col, '', path=path)).where}: {self.name} is {self.style}"]
        if self.problem is not None:
            label = "left as it is" if self.problem.severity == "note" else "cannot be read"
            lines.append(f"  {label}: {locate(self.problem.at(path)).render()}")
        for answer in self.answers:
            if answer.possible:
                lines.append(f"  to {answer.target}: yes")
            else:
                lines.append(f"  to {answer.target}: no: {locate(answer.reason.at(path)).render()}")
        return "\n".join(lines)


@on_deep_stack
def explain(text: str, path: str = "<string>", options: Options = Options()) -> list[ModelExplanation] | Diagnostic:
    models = find_models(text, options)
    if isinstance(models, Diagnostic):
        return models.at(path)
    if not models:
        return select([], options).at(path)
    if options.model is not None:
        models = pick(options.model, models, lambda model: ((model.name, model.scope), model.line))
    explanations = []
    for model in models:
        answers = []
        if model.problem is None:
            for target in Style:
                if target is model.style:
                    continue
                # By its line too: a file may bind the name to other models, which are not asked about.
                only = Options(model=f"{model.name}:{model.line}", input_shape=options.input_shape, class_name=options.class_name)
                result = convert_source(text, target, only, path)
                if isinstance(result, Converted):
                    answers.append(Answer(target, True))
                else:
                    answers.append(Answer(target, False, result.diagnostics[0]))
        explanations.append(
            ModelExplanation(model.name, model.style, model.line, model.col, tuple(answers), model.problem)
        )
    return explanations


def explain_document(document: Document | Diagnostic, options: Options = Options()) -> tuple[list[str], tuple[Diagnostic, ...]]:
    """The rendered explanations of a file's models, or the diagnostics placed in the file (and cell)."""
    if isinstance(document, Diagnostic):
        return [], (document,)
    options = replace(options, model=in_module(options.model, document.notebook))
    found = explain(document.text, document.path, options)
    if isinstance(found, Diagnostic):
        return [], document.locate((found,))
    return [model.render(document.path, lambda where: document.locate((where,))[0]) for model in found], ()
