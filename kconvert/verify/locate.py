"""Which Keras models a user file defines, found with libcst, never by running the file.

Three kinds of model, matched through qualified names so any import path works
(``keras``, ``tensorflow.keras``, ``tf.keras``, ``from keras.models import Sequential``):

* ``variable``: a module-level ``name = <model call>`` (``keras.models.load_model`` included),
  also in a top-level ``with`` block (``with strategy.scope():``), which the slice keeps whole;
* ``builder``: a function returning a model call, directly or through a local name;
* ``class``: a class deriving from ``keras.Model``, directly or through another
  model class of the file;
* ``method``: a method of another class returning a model call, as a builder does
  (``class DQNAgent: def _build_model(self)``), named ``DQNAgent._build_model``;
  ``instance.py`` builds it without running the class's constructor.

A *model call* calls keras ``Sequential``/``Model`` or a model class or builder of
the file. A model is *primary* unless another model of the file uses it: in
``class MLP(keras.Model)`` + ``model = MLP()`` the model is ``model``. Pairing two
files by name looks at primary models only; an explicit name may pick any model.
A name bound to a model again (``model = ...`` once per model of a tutorial) is a
model each time, numbered by ``occurrence``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import libcst as cst

from ..parse.init_lists import self_attribute
from ..parse.keras_names import MODEL, ROOTS, SEQUENTIAL
from .source import SourceIndex

# ``keras.models.load_model(path)`` makes a model too: ``kconvert from-saved --verify`` compares
# the written module with the saved file through it.
LOADERS = frozenset({"models.load_model", "saving.load_model", "models.model_from_json"})
KERAS_MODELS = frozenset(f"{root}.{name}" for root in ROOTS for name in SEQUENTIAL | MODEL | LOADERS)


@dataclass(frozen=True)
class ModelSite:
    """One model a file defines."""

    name: str
    kind: str  # "variable" | "builder" | "class" | "method"
    line: int
    statement: int  # index into SourceIndex.statements
    primary: bool = True
    # For a builder or class: the first module-level variable built from it, and the statement
    # that binds it (a file may bind ``model`` to another model above it).
    bound_to: str | None = None
    # Models bound to the same name before this one: pairs match the n-th of a name with the n-th.
    occurrence: int = 0
    bound_at: int | None = None
    # A class another model class of the file makes (``self.model = MyModel(...)`` in its
    # ``__init__``): comparing that class's models compares this one inside them.
    made_by: str | None = None


class _LocalCalls(cst.CSTVisitor):
    """Calls, assignments and returns in one function body, not in nested scopes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[cst.Call] = []
        self.assigned: list[tuple[str, cst.BaseExpression]] = []
        self.returned: list[cst.BaseExpression] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.append((target.target.value, node.value))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.returned.append(node.value)


def _own_method(call: cst.Call, owner: str) -> str | None:
    """``m`` of ``self.m(...)``, ``cls.m(...)`` or ``Owner.m(...)``: a method of the class ``owner``."""
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls", owner):
        return func.attr.value
    return None


class _BlockCalls(_LocalCalls):
    """Calls, outside nested scopes, whose model is a part of another: called at once on a
    tensor, listed in a variable, or given to a model's call (``keras.Sequential([...])``,
    ``Gan(generator, make_discriminator())``)."""

    def __init__(self, model_call: Callable[[cst.BaseExpression], str | None]) -> None:
        super().__init__()
        self.model_call = model_call

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Call):
            self.calls.append(node.func)
        if self.model_call(node) is not None:
            for arg in node.args:
                value = arg.value
                listed = value.elements if isinstance(value, (cst.List, cst.Tuple)) else ()
                self.calls.extend(v for v in [value, *(e.value for e in listed)] if isinstance(v, cst.Call))

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, (cst.List, cst.Tuple)):
            self.calls.extend(e.value for e in node.value.elements if isinstance(e.value, cst.Call))


class _Finder:
    def __init__(self, index: SourceIndex) -> None:
        self.index = index
        self.classes: dict[str, int] = {}
        self.builders: dict[str, int] = {}
        # Every binding, in order: a notebook or tutorial binds ``model`` again for each model.
        self.variables: list[tuple[str, int, str | None]] = []
        self.used: set[str] = set()
        self.made_by: dict[str, str] = {}
        self.methods: list[tuple[str, int]] = []

    def model_call(self, node: cst.BaseExpression) -> str | None:
        """'' for a keras model call, the callee's name for a call of the file, else None."""
        # ``keras.Sequential([...])(x)`` calls a model: its value is a tensor.
        if not isinstance(node, cst.Call) or isinstance(node.func, cst.Call):
            return None
        if self.index.names_of(node.func) & KERAS_MODELS:
            return ""
        if isinstance(node.func, cst.Name) and (
            node.func.value in self.classes or node.func.value in self.builders
        ):
            return node.func.value
        return None

    def find_classes(self) -> None:
        for i, stmt in enumerate(self.index.statements):
            if not isinstance(stmt.node, cst.ClassDef):
                continue
            for base in stmt.node.bases:
                inherited = (
                    isinstance(base.value, cst.Name)
                    and base.value.value in self.classes
                )
                if inherited or self.index.names_of(base.value) & KERAS_MODELS:
                    self.classes[stmt.node.name.value] = i
                    if inherited:
                        self.used.add(cst.ensure_type(base.value, cst.Name).value)
                    break

    def find_builders(self) -> None:
        # Builders may call builders defined further down, so repeat until stable.
        changed = True
        while changed:
            changed = False
            for i, stmt in enumerate(self.index.statements):
                node = stmt.node
                if (
                    isinstance(node, cst.FunctionDef)
                    and node.name.value not in self.builders
                ):
                    if self._returns_model(node):
                        self.builders[node.name.value] = i
                        changed = True

    def _returns_model(self, node: cst.FunctionDef) -> bool:
        body = _LocalCalls()
        node.body.visit(body)
        models = {
            name for name, value in body.assigned if self.model_call(value) is not None
        }
        for value in body.returned:
            if self.model_call(value) is not None:
                return True
            if isinstance(value, cst.Name) and value.value in models:
                return True
        return False

    def find_methods(self) -> None:
        for i, stmt in enumerate(self.index.statements):
            node = stmt.node
            if not isinstance(node, cst.ClassDef) or node.name.value in self.classes:
                continue
            builders = [m for m in node.body.body if isinstance(m, cst.FunctionDef) and self._returns_model(m)]
            names = {method.name.value for method in builders}
            for method in builders:
                self.methods.append((f"{node.name.value}.{method.name.value}", i))
                # A model class the method instantiates (a conversion's) is its model's.
                body = _LocalCalls()
                method.body.visit(body)
                self.used.update(filter(None, map(self.model_call, body.calls)))
                # ``self._downsample(64)``, a block the model of another such method calls (or
                # lists, for a loop to call): a part of that model, in either file.
                called = {_own_method(call, node.name.value) for call in body.calls} & names
                self.used.update(f"{node.name.value}.{name}" for name in called - {method.name.value})

    def mark_builder_uses(self) -> None:
        # A model class's code uses the builders it calls as a builder's does: a block
        # helper (``conv_block(16)(x)``) is no model of its own once its model is a class.
        # Every definition of a builder: a notebook that defines ``build_model_2`` again has its
        # class (``Model21``) made there, the builder's model, not one of its own.
        definitions = [
            (stmt.node.name.value, i)
            for i, stmt in enumerate(self.index.statements)
            if isinstance(stmt.node, cst.FunctionDef) and stmt.node.name.value in self.builders
        ]
        for name, i in [*definitions, *self.classes.items()]:
            body = _LocalCalls()
            node = self.index.statements[i].node
            methods = node.body.body if isinstance(node, cst.ClassDef) else ()
            for function in [node] if isinstance(node, cst.FunctionDef) else methods:
                if isinstance(function, cst.FunctionDef):
                    function.body.visit(body)
            for call in body.calls:
                callee = self.model_call(call)
                # Only a builder a class calls: a class another class makes stays primary.
                if callee and callee != name and (name in self.builders or callee in self.builders):
                    self.used.add(callee)
                elif callee and callee != name and name in self.classes and callee in self.classes:
                    self.made_by.setdefault(callee, name)

    def mark_block_uses(self) -> None:
        # Module-level code uses a model as a part of another where it calls it on a tensor
        # (``downsample(64, 4)(x)``, ``LeNet5()(inputs)``), lists it (``down_stack =
        # [downsample(64, 4), ...]``, the blocks a loop calls) or gives it to a model
        # (``keras.Sequential([generator, make_discriminator()])``): converted, the same model is
        # made in one of these ways, so it is a model of its own in neither file.
        blocks = _BlockCalls(self.model_call)
        for stmt in self.index.statements:
            if not isinstance(stmt.node, (cst.FunctionDef, cst.ClassDef)):
                stmt.node.visit(blocks)
        self.used.update(filter(None, map(self.model_call, blocks.calls)))

    def find_variables(self) -> None:
        for i, stmt in enumerate(self.index.statements):
            for small in _unconditional(stmt.node):
                for name, value in _assignments(small):
                    callee = self.model_call(value)
                    if callee is not None:
                        self.variables.append((name, i, callee or None))
                        if callee:
                            self.used.add(callee)

    def sites(self) -> tuple[ModelSite, ...]:
        bound: dict[str, tuple[str, int]] = {}
        for name, i, callee in self.variables:
            if callee is not None:
                bound.setdefault(callee, (name, i))
        found = [
            *(self._site(n, "class", i, bound.get(n)) for n, i in self.classes.items()),
            *(
                self._site(n, "builder", i, bound.get(n))
                for n, i in self.builders.items()
            ),
            *(self._site(n, "variable", i, None) for n, i, _ in self.variables),
            *(self._site(n, "method", i, None) for n, i in self.methods),
        ]
        found.sort(key=lambda site: (site.line, site.name))
        seen: dict[str, int] = {}
        numbered = []
        for site in found:
            numbered.append(replace(site, occurrence=seen.get(site.name, 0)))
            seen[site.name] = seen.get(site.name, 0) + 1
        return tuple(numbered)

    def _site(self, name: str, kind: str, i: int, bound: tuple[str, int] | None) -> ModelSite:
        line = self.index.statements[i].first_line
        target, at = bound or (None, None)
        made_by = self.made_by.get(name) if kind == "class" else None
        return ModelSite(name, kind, line, i, name not in self.used, target, bound_at=at, made_by=made_by)


def _unconditional(node: cst.BaseStatement) -> list[cst.BaseSmallStatement]:
    """The small statements of a line, or of the lines of a ``with`` block, which
    always run (``with strategy.scope(): model = ...``); not those of an if or a loop."""
    if isinstance(node, cst.SimpleStatementLine):
        return list(node.body)
    if isinstance(node, cst.With):
        return [small for line in node.body.body for small in _unconditional(line)]
    return []


def _assignments(small: cst.BaseSmallStatement) -> list[tuple[str, cst.BaseExpression]]:
    if isinstance(small, cst.Assign):
        return [
            (t.target.value, small.value)
            for t in small.targets
            if isinstance(t.target, cst.Name)
        ]
    if isinstance(small, cst.AnnAssign) and small.value is not None:
        if isinstance(small.target, cst.Name):
            return [(small.target.value, small.value)]
    return []


def find_models(index: SourceIndex) -> tuple[ModelSite, ...]:
    """Every model ``index`` defines, in source order."""
    finder = _Finder(index)
    finder.find_classes()
    finder.find_builders()
    finder.mark_builder_uses()
    finder.mark_block_uses()
    finder.find_variables()
    finder.find_methods()
    return finder.sites()


def class_made_models(index: SourceIndex) -> frozenset[str]:
    """``encoder`` for each ``self.encoder = keras.Sequential(...)`` (or a local ``encoder = ...``)
    in a class of the file: a module-level model the original calls among another model's lines is
    made there once that model is a class, and compared inside it."""
    finder = _Finder(index)
    found: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            target = node.targets[0].target if len(node.targets) == 1 else None
            name = self_attribute(target) or (target.value if isinstance(target, cst.Name) else None)
            if name is not None and finder.model_call(node.value) == "":
                found.add(name)

    for stmt in index.statements:
        if isinstance(stmt.node, cst.ClassDef):
            stmt.node.visit(Visitor())
    return frozenset(found)
