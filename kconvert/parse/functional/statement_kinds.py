"""What a statement of a Functional model is: an ``if`` that picks the input, a shape
check, a setting of a layer, a nested model grown or viewed among the lines; a
mixin of ``FunctionalLifter`` that reads its ``env``, ``lists`` and ``named``."""

from __future__ import annotations

import libcst as cst

from ...ir.nodes import Input, Stmt
from ...ir.reads import changed_by_method
from ...ir.source_text import Code
from ..input_choice import input_choice, source_choice
from ..keras_names import INPUT, MODEL
from ..names_in import calls_in, configured_name, outer_identifiers, reads
from ..shape_tests import graph_spelling, only_checks, statement_reads_only_shapes


class StatementKinds:
    """Tells what a statement or expression of the model is, for ``FunctionalLifter``."""

    def _chosen(self, statement: cst.If) -> bool:
        """An ``if`` that picks the model's input, or what the model is built from: kept as written
        (parse/input_choice.py)."""
        loc = self.src.loc(statement)
        chosen = input_choice(self.src, statement) if not self._touches_tensor(statement) else None
        if chosen is not None:
            name, call, given = chosen
            text = self.src.code(statement.with_changes(leading_lines=())).strip("\n")
            out = self.builder.new_value()
            factory = Code(self.src.code(call.func))
            self.nodes.append(Input(out, self.builder.args(call), loc, name, factory, text, given))
            self.env[name] = out
            return True
        made = {node.out for node in self.nodes if isinstance(node, Input) and node.choice is not None}
        inputs = {name for name, value in self.env.items() if value in made}
        picked = source_choice(statement, inputs)
        if picked is None:
            return False
        name, pairs = picked
        passed = [value for _, value in pairs if isinstance(value, cst.Name) and value.value in inputs]
        if any(self.reads_tensor(value) for _, value in pairs if value not in passed):
            return False
        read = self.code(statement.with_changes(leading_lines=()))
        self.nodes.append(Stmt(read.text.strip("\n"), loc, read.refs))
        self.env.pop(name, None)
        self.picked.add(name)
        return True

    def _shape_check(self, small: cst.BaseSmallStatement, kept: cst.CSTNode) -> bool:
        """``assert x.shape == (None, 7, 7, 256)``: shapes are static while the graph is built, so a
        statement that reads tensors only through them is kept (``kept``: with its comment) in place."""
        if not isinstance(small, (cst.Assert, cst.Expr)) or self.calls_layer(small):
            return False
        read = self.code(kept.with_changes(leading_lines=()) if kept is not small else small)
        if not statement_reads_only_shapes(read):
            return False
        self.nodes.append(Stmt(read.text.strip(), self.src.loc(kept), read.refs))
        return True

    def _shape_guard(self, statement: cst.If) -> bool:
        """``if len(x.get_shape()) != 2: raise ValueError(...)``: an ``if`` that reads tensors only
        through their static shapes and only raises, asserts or calls plain functions makes no part
        of the graph and binds nothing; kept in place as a statement, a check of how the graph is
        built, as ``_shape_check`` keeps an ``assert``."""
        if not only_checks(statement) or self.calls_layer(statement):
            return False
        read = self.code(statement.with_changes(leading_lines=()))
        if not statement_reads_only_shapes(read):
            return False
        self.nodes.append(Stmt(graph_spelling(read).text.strip("\n"), self.src.loc(statement), read.refs))
        return True

    def _makes_input_or_layer(self, small: cst.BaseSmallStatement) -> bool:
        if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
            return False
        targets = [target.target for target in small.targets]
        if not all(isinstance(target, cst.Name) for target in targets):
            return False
        keras = self.src.keras(small.value.func)
        if keras is not None and keras.path in INPUT:
            return True
        return len(targets) == 1 and (targets[0].value in self.callees or targets[0].value in self.made_inputs)


    def _grown_layer(self, small: cst.BaseSmallStatement) -> str | None:
        """The named layer (a nested ``Sequential``) that ``small`` adds a layer to, if it does."""
        call = small.value if isinstance(small, cst.Expr) else None
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return None
        owner = call.func.value
        if call.func.attr.value != "add" or not isinstance(owner, cst.Name) or owner.value not in self.named:
            return None
        return owner.value

    def _model_on_tensors(self, node: cst.CSTNode) -> cst.Call | None:
        """A ``keras.Model(...)`` call in ``node`` that reads the model's tensors, if there is one."""
        for call in calls_in(node):
            keras = self.src.keras(call.func)
            if keras is not None and keras.path in MODEL and self.reads_tensor(call):
                return call
        return None

    def calls_layer(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` calls a layer, even on no tensor (``Embedding(n, d)(ops.arange(n))``)."""
        return any(self.call_kind(call) != "function" for call in calls_in(node))

    def _configures_layer(self, target: cst.BaseExpression, value: cst.BaseExpression) -> bool:
        """``base_model.trainable = False``: a setting of a layer object, not a tensor."""
        name = configured_name(target)
        return name is not None and name not in self.env and not self.reads_tensor(value)

    def _changes_layer(self, small: cst.BaseSmallStatement) -> bool:
        """``norm.adapt(data)``: a call of a method that changes a layer the model made
        (ir/reads.py), reading no tensor."""
        return changed_by_method(small) in self.named and not self.reads_tensor(small)

    def reads_tensor(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` reads one of the model's tensors or tensor lists by name."""
        return bool(outer_identifiers(node) & (set(self.env) | set(self.lists)))

    def _touches_tensor(self, node: cst.CSTNode) -> bool:
        # A ``def`` reads only its free names: ``z_mu, z_sigma = args`` in a Lambda's function binds
        # its own ``z_mu``, not the model's tensor of that name.
        names = reads(node) if isinstance(node, cst.FunctionDef) else outer_identifiers(node)
        return bool(names & (set(self.env) | set(self.lists) | set(self.named)))
