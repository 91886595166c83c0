"""Pictures of the IR: every model of a file as a Mermaid flowchart or a Graphviz digraph.

``picture`` turns graphs into a neutral ``Picture`` (boxes, arrows, nested
clusters); ``to_mermaid`` and ``to_dot`` only spell it.  One box per layer
*definition* and one arrow per call, so a shared layer is one box with an
arrow in and out for each of its calls, numbered.  Loops and conditions are
clusters; a dashed ``repeat`` arrow closes a loop.  Every box says its source
line.  Nothing here runs the model or imports TensorFlow: a subclassed model
is drawn as easily as a Functional one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .emit.render import render, render_args
from .ir.control import Cond, Loop
from .ir.dataflow import produced
from .ir.graph import Graph
from .ir.iteration import for_header
from .ir.nodes import Call, Input, LayerDef, Node, Op
from .ir.source_text import Code, ValueId
from .parse import ModelInfo

LABEL_WIDTH = 48  # characters of an argument list before it is shortened with "…"


@dataclass(frozen=True)
class Box:
    id: str
    label: str  # lines joined with "\n"
    kind: str  # "input", "layer", "op" or "output"


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    label: str = ""
    dashed: bool = False


@dataclass
class Cluster:
    id: str
    label: str
    boxes: list[Box] = field(default_factory=list)
    children: list["Cluster"] = field(default_factory=list)


@dataclass
class Picture:
    clusters: list[Cluster] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)


def picture(models: Iterable[ModelInfo], where: Callable[[int], str] = lambda line: f"line {line}") -> Picture:
    """One cluster per model (models without a graph are left out); ``where`` names a line
    of the source (in a notebook: its cell and the line in it)."""
    result = Picture()
    for index, model in enumerate(models):
        if model.graph is None:
            continue
        cluster = Cluster(f"m{index}", f"{model.name} ({model.style}, {where(model.line)})")
        _Drawer(model.graph, f"m{index}_", result.arrows, where).draw(cluster)
        result.clusters.append(cluster)
    return result


# Where a tensor comes from: the box that made it, and the call number when that box is a shared layer.
Source = tuple[str, str]


class _Drawer:
    def __init__(self, graph: Graph, prefix: str, arrows: list[Arrow], where: Callable[[int], str]) -> None:
        self.graph = graph
        self.where = where
        self.prefix = prefix
        self.arrows = arrows
        self.sources: dict[ValueId, list[Source]] = {}
        self.readers: dict[ValueId, list[str]] = {}
        self.names: dict[ValueId, str] = {}
        self.placed: set[str] = set()
        self.calls_seen: dict[str, int] = {}

    def draw(self, cluster: Cluster) -> None:
        self._body(self.graph.body, cluster)
        out = Box(self.prefix + "outputs", "outputs", "output")
        cluster.boxes.append(out)
        self._arrows_into(out.id, self.graph.outputs.values, "")

    def _body(self, body: tuple[Node, ...], cluster: Cluster) -> None:
        for node in body:
            if isinstance(node, Input):
                self._name(node.out, node.name)
                box = Box(self.prefix + node.out, self._lines(_input_text(node), node.loc.line), "input")
                cluster.boxes.append(box)
                self.sources[node.out] = [(box.id, "")]
            elif isinstance(node, Call):
                self._call(node, cluster)
            elif isinstance(node, Op) and node.helper is not None and node.helper.problem is None:
                self._helper(node, cluster)
            elif isinstance(node, Op):
                self._name(node.out, node.name)
                box = Box(self.prefix + node.out, self._lines(_short(self._text(node.expr)), node.loc.line), "op")
                cluster.boxes.append(box)
                self._arrows_into(box.id, node.expr.values, "")
                for value, name in ((node.out, node.name), *node.more):
                    self._name(value, name)
                    self.sources[value] = [(box.id, "")]
            elif isinstance(node, (Loop, Cond)):
                self._carrier(node, cluster)

    def _lines(self, text: str, line: int) -> str:
        return f"{text}\n{self.where(line)}"

    def _call(self, node: Call, cluster: Cluster) -> None:
        layer = self.graph.layer(node.layer)
        box_id = self.prefix + layer.id
        if box_id not in self.placed:
            self.placed.add(box_id)
            cluster.boxes.append(Box(box_id, self._lines(self._layer_text(layer), layer.loc.line), "layer"))
        shared = len(self.graph.calls_of(layer.id)) > 1
        self.calls_seen[layer.id] = self.calls_seen.get(layer.id, 0) + 1
        number = f"call {self.calls_seen[layer.id]}" if shared else ""
        self._arrows_into(box_id, tuple(v for arg in node.args for v in arg.value.values), number)
        for value, name in ((node.out, node.name), *node.more):
            self._name(value, name)
            self.sources[value] = [(box_id, number)]

    def _helper(self, node: Op, cluster: Cluster) -> None:
        """A call of the file's layer-building function: its layers, in a box of their own."""
        inner = Cluster(f"{self.prefix}{node.out}_body", f"{node.helper.name}(...) ({self.where(node.loc.line)})")
        cluster.children.append(inner)
        self._body(node.helper.body, inner)
        for value, name, result in zip(produced(node), (node.name, *(n for _, n in node.more)), node.helper.results):
            self._name(value, name)
            self.sources[value] = list(self.sources.get(result, []))

    def _carrier(self, node: Loop | Cond, cluster: Cluster) -> None:
        if isinstance(node, Loop):
            items = [(item.name, self._text(item.source)) for item in node.items]
            title = for_header(node.target, self._text(node.iterable), items).removesuffix(":")
            for item in node.items:
                # A tensor drawn from a list comes from whatever put tensors into the list.
                self.sources[item.value] = [s for value in item.source.values for s in self.sources.get(value, [])]
        else:
            title = f"if {self._text(node.test)}"
        inner = Cluster(f"{self.prefix}{node.carried[0].out}_body", f"{title} ({self.where(node.loc.line)})")
        cluster.children.append(inner)
        for carried in node.carried:
            self.sources[carried.param] = self.sources.get(carried.init, [])
            self._name(carried.param, carried.name)
        for item in getattr(node, "items", ()):
            self._name(item.value, item.name)
        self._body(node.body, inner)
        if isinstance(node, Cond) and node.orelse:
            # Drawn in the same box: a picture of the layers, not of which branch runs.
            self._body(node.orelse, inner)
        for carried in node.carried:
            after = list(self.sources.get(carried.result, []))
            if isinstance(node, Loop):
                for source, _ in after:
                    for reader in self.readers.get(carried.param, []):
                        self.arrows.append(Arrow(source, reader, "repeat", dashed=True))
            elif carried.other is not None:
                after += self.sources.get(carried.other, [])
            else:
                after += [(source, "skipped") for source, _ in self.sources.get(carried.init, [])]
            self.sources[carried.out] = after
            self._name(carried.out, carried.name)

    def _arrows_into(self, target: str, values: Iterable[ValueId], number: str) -> None:
        for value in values:
            self.readers.setdefault(value, []).append(target)
            for source, made_by in self.sources.get(value, []):
                label = " → ".join(part for part in (made_by, number) if part)
                self.arrows.append(Arrow(source, target, label, dashed=made_by == "skipped"))

    def _name(self, value: ValueId, name: str | None) -> None:
        self.names[value] = name or value

    def _text(self, code: Code) -> str:
        return render(code, {value: self.names.get(value, value) for _, value in code.refs})

    def _layer_text(self, layer: LayerDef) -> str:
        if layer.factory is None:
            # An external layer or model: the name it is reached by is all the source says.
            return f"{self._text(layer.reference) if layer.reference else layer.type_name} (made elsewhere)"
        arguments = render_args(layer.args, {v: self.names.get(v, v) for a in layer.args for v in a.value.values})
        made = f"{layer.type_name}({_short(arguments)})"
        return f"{layer.name} = {made}" if layer.name else made


def _input_text(node: Input) -> str:
    arguments = ", ".join((f"{arg.keyword}=" if arg.keyword else arg.star) + arg.value.text for arg in node.args)
    return f"Input({_short(arguments)})"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"




_MERMAID_SHAPES = {"input": ('[/"', '"/]'), "layer": ('["', '"]'), "op": ('(["', '"])'), "output": ('[["', '"]]')}


def to_mermaid(drawing: Picture) -> str:
    """A Mermaid ``flowchart`` (GitHub and mkdocs-material render it inline)."""
    out = ["flowchart TD"]

    def cluster(item: Cluster, depth: int) -> None:
        pad = "    " * depth
        out.append(f'{pad}subgraph {item.id}["{_mermaid_text(item.label)}"]')
        for box in item.boxes:
            opening, closing = _MERMAID_SHAPES[box.kind]
            out.append(f"{pad}    {box.id}{opening}{_mermaid_text(box.label)}{closing}")
        for child in item.children:
            cluster(child, depth + 1)
        out.append(f"{pad}end")

    for item in drawing.clusters:
        cluster(item, 1)
    for arrow in drawing.arrows:
        link = "-.->" if arrow.dashed else "-->"
        label = f'|"{_mermaid_text(arrow.label)}"|' if arrow.label else ""
        out.append(f"    {arrow.source} {link}{label} {arrow.target}")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("\n", "<br/>")


_DOT_SHAPES = {"input": "parallelogram", "layer": "box", "op": "ellipse", "output": "doublecircle"}


def to_dot(drawing: Picture) -> str:
    """A Graphviz ``digraph``; ``dot -Tsvg`` draws it."""
    out = ["digraph kconvert {", '    node [fontname="Helvetica", fontsize=11];', "    rankdir=TB;"]

    def cluster(item: Cluster, depth: int) -> None:
        pad = "    " * depth
        out.append(f"{pad}subgraph cluster_{item.id} {{")
        out.append(f"{pad}    label={_dot_text(item.label)};")
        for box in item.boxes:
            out.append(f"{pad}    {box.id} [label={_dot_text(box.label)}, shape={_DOT_SHAPES[box.kind]}];")
        for child in item.children:
            cluster(child, depth + 1)
        out.append(f"{pad}}}")

    for item in drawing.clusters:
        cluster(item, 1)
    for arrow in drawing.arrows:
        attributes = [f"label={_dot_text(arrow.label)}"] if arrow.label else []
        if arrow.dashed:
            attributes.append("style=dashed")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        out.append(f"    {arrow.source} -> {arrow.target}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
