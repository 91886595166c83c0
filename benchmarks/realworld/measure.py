"""How kconvert does on real public Keras code that nobody on the project wrote.

    python benchmarks/realworld/measure.py extract               # files/ from the git mirrors
    python benchmarks/realworld/measure.py judge --set tune      # tables and every non-pass
    python benchmarks/realworld/measure.py judge --no-verify vae  # files whose name has "vae"
    python benchmarks/realworld/measure.py judge --save vae       # and each verified model saved, loaded

``extract`` copies each ``manifest.toml`` entry out of its repository's bare git
mirror (``fetch``'s ``/work/.mirror/owner+name/...``, or ``$KCONVERT_MIRRORS``) into
the git-ignored ``files/``; a notebook becomes a ``.py`` of its code cells. ``judge``
converts each file in-process to each style and classifies the pair as
``converted`` (exit 0, changed, every changed model verified EQUIVALENT),
``unchanged-ok`` (every model already in the style; not a pass), ``refused``
(``imprecise`` if a diagnostic spans lines, has no hint or says "no Keras model
found"), ``WRONG`` (exit 0 but the verifier finds a difference, the output does not
compile or build, a model stays in another style (but for ``kept`` below), a top-level name
the rest of the file reads is gone, ``model.layers[i]`` now names another layer, or
converting the output again to the same style changes it or is refused),
``CRASH`` or ``unverifiable`` (the verifier cannot build the original either); ``caught``
(kconvert's static safety check refused its own wrong output: nothing written, a bug
to fix) and ``kept`` (nothing changed because every model left is a training
container with no forward pass, a shapeless block or, to functional-subclass, a view of a
graph model, each said in a note of its own).
One TensorFlow worker serves the run; results go to ``results-<set>.json``.
"""

from __future__ import annotations

import argparse
import ast
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]

from corpus_report import describe_crash, verify_model  # noqa: E402
from kconvert.convert import convert_source  # noqa: E402
from kconvert.types import Converted, Options, Style  # noqa: E402
from kconvert.verify import Worker  # noqa: E402
from kconvert.verify.report import LOADS  # noqa: E402

FILES = HERE / "files"
MANIFEST = HERE / "manifest.toml"
MIRRORS = Path(os.environ.get("KCONVERT_MIRRORS", "/work/.mirror"))
TIMEOUT = 120.0  # seconds per verification of one model
TARGETS = (Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS)
# Styles whose model is a Functional graph, so ``model.layers`` starts with the InputLayer.
GRAPH_STYLES = (Style.FUNCTIONAL, Style.FUNCTIONAL_SUBCLASS)
STATUSES = ("converted", "unchanged-ok", "kept", "refused", "caught", "WRONG", "CRASH", "unverifiable")
# Notes of a model left as it is on purpose, and the styles each can account for: a container with
# no forward pass, a block without a shape, and (functional-subclass) a view of a graph, a Functional
# ``Model(base.input, ...)`` next to the graph model it reads.
KEPT_NOTES = {
    "has no call(): it is a training container": TARGETS,
    "is used as a block inside": TARGETS,
    "is a view of the graph of": (Style.FUNCTIONAL,),
}
VERIFY_STATUS = {"verified": "converted", "NOT-EQUIVALENT": "WRONG"}
VERIFY_STATUS |= {"VERIFY-ERROR": "WRONG", "unverifiable": "unverifiable"}


@dataclass
class Outcome:
    file: str
    set: str
    target: str
    status: str = ""
    reasons: list[str] = field(default_factory=list)
    allowed: bool = True
    imprecise: bool = False
    left: bool = False  # WRONG because a model was left in another style
    seconds: float = 0.0


def entries(which: str = "all") -> list[dict]:
    """The manifest's entries of one set (or of one session's fresh files, ``session``), each
    with its ``name`` under ``files/``."""
    chosen = tomllib.loads(MANIFEST.read_text())["file"]
    for entry in chosen:
        stem = f"{entry['repo'].replace('/', '__')}__{entry['path'].replace('/', '__')}"
        entry["name"] = stem.removesuffix(".ipynb") + (".py" if stem.endswith(".ipynb") else "")
        assert entry["set"] == split(entry["repo"], entry["path"]), entry
    return [e for e in chosen if which in ("all", e["set"], e.get("session"))]


def allows(entry: dict) -> set[str]:
    """The target styles the entry's model can be written in.

    Absent ``allows`` means all four.  A graph the Functional API can express can also be
    built in a class's ``__init__``, so ``functional`` brings ``functional-subclass`` with
    it, unless the entry says ``fourth = false`` (with a note why); ``functional-subclass``
    can also be listed alone (a graph model with a ``train_step`` of its own).
    """
    listed = set(entry.get("allows", [str(t) for t in TARGETS]))
    if "functional" in listed and entry.get("fourth", True):
        listed.add(str(Style.FUNCTIONAL_SUBCLASS))
    return listed


def split(repo: str, path: str) -> str:
    """Half the files tune fixes, the other half report figures; fixed by a hash."""
    return "tune" if hashlib.sha256(f"{repo}:{path}".encode()).digest()[0] % 2 == 0 else "report"


def mirror(repo: str) -> Path | None:
    """The bare git dir that ``fetch`` made for ``repo`` (``<root>/owner+name/...``)."""
    for top in sorted(glob.glob(str(MIRRORS / repo.replace("/", "+")))):
        # ``include_hidden``: some mirrors are a clone's ``repo/.git``.
        inner = [*sorted(glob.glob(f"{top}/*", include_hidden=True)), *sorted(glob.glob(f"{top}/*/*", include_hidden=True))]
        for candidate in [top, *inner]:
            if Path(candidate, "HEAD").is_file() and Path(candidate, "objects").is_dir():
                return Path(candidate)
    return None


def notebook_code(text: str) -> str:
    """A notebook's code cells in order; magics and shell lines become ``pass``."""
    cells = []
    for cell in json.loads(text)["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "code" or source.lstrip().startswith("%%"):
            continue
        lines, continued = [], None  # the indent of a magic a trailing backslash continues
        # A later cell's first lines, after code: its `from __future__` imports are kconvert's to mask too.
        opening = any(line.strip() and not line.lstrip().startswith("#") for cell in cells for line in cell.splitlines())
        for line in source.splitlines():
            body = line.lstrip()
            future = opening and re.match(r"from\s+__future__\s+import\s+(?!.*\bannotations\b)", line) is not None
            opening = opening and (future or not body or body.startswith("#"))
            if future:
                lines.append("pass")
                continue
            # IPython help: `name?`, `name??`, and `?name` (`?vista.Display`); a shell escape is
            # `!` and anything but `=` (`! wget ...` too), as kconvert's notebook reader has it.
            magic = continued is not None or re.match(r"%[A-Za-z]|!(?!=)|\?+\w|[\w.]+\?{1,2}$", body) is not None
            indent = continued if continued is not None else line[: len(line) - len(body)]
            lines.append(indent + "pass" if magic else line)
            continued = indent if magic and line.endswith("\\") else None
        cells.append("\n".join(lines).strip("\n"))
    return "\n\n\n".join(cells) + "\n"


def extract(chosen: list[dict]) -> int:
    FILES.mkdir(exist_ok=True)
    missing = sorted({e["repo"] for e in chosen if mirror(e["repo"]) is None})
    for repo in missing:
        print(f"missing mirror of {repo}: bring it in with the search tool's fetch(github:{repo})")
    for entry in (e for e in chosen if e["repo"] not in missing):
        show = ["git", "--git-dir", str(mirror(entry["repo"])), "show", f"{entry['commit']}:{entry['path']}"]
        done = subprocess.run(show, capture_output=True, text=True)
        if done.returncode:
            print(f"{entry['name']}: {done.stderr.strip()}")
            missing.append(entry["repo"])
            continue
        text = notebook_code(done.stdout) if entry["path"].endswith(".ipynb") else done.stdout
        (FILES / entry["name"]).write_text(text, encoding="utf-8")
    print(f"{len(chosen) - len(missing)} files in {FILES}" if not missing else "some files are missing")
    return 1 if missing else 0


def styles_in(source: str) -> list[tuple[int, Style, str]]:
    """Models found by plain AST matching, independent of kconvert's own finder.

    A subclass is a class whose base ends in ``Model`` and that defines ``__init__``,
    ``call`` or ``build``; ``Sequential(...)`` and
    ``Model(...)`` calls are models unless they are inside a class derived from a
    ``Layer`` (a block's sublayer) or a model subclass (its own helper), or the file
    defines a class or function named ``Model`` (npfl114's templates: ``Model(args)`` is an
    instance of that class, or what that builder returns, found where it is defined).  Neither is
    another library's ``Sequential`` (``iaa.Sequential``, imgaug), nor a ``Sequential(...)`` called
    where it is made (``keras.Sequential([...])(x)``: a layer of the model around it), nor an empty
    ``model = Sequential()`` whose name the next statement mentioning it binds again (a name made ready
    for the Functional model below it), nor a ``Model(...)`` made as the layer ``TimeDistributed``
    wraps (a view of a pretrained base applied per frame, a layer of the model around it).  A class of any
    base whose ``__init__`` hands ``inputs`` and ``outputs`` to ``super().__init__`` and
    that has no ``call`` is the fourth style (keras-hub's ``Backbone`` subclasses).
    """
    found: list[tuple[int, Style, str]] = []
    tree = ast.parse(source)
    own = {node.name for node in ast.walk(tree) if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    # ``iaa.Sequential`` (imgaug) is another library's pipeline, not a Keras model.
    foreign = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
        if not re.match(r"(keras|tensorflow|tf_keras)\b", getattr(node, "module", None) or alias.name)
    }
    # ``keras.Sequential([...])(x)``: a block called where it is made, a layer of the model around it.
    called_at_once = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    # ``TimeDistributed(Model(base.input, base.output))``: made as the layer a wrapper applies per
    # frame, a layer of the model around it too.
    wrapped = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "TimeDistributed"
        for arg in node.args[:1]
    }
    placeholders = _placeholders(tree)
    called_layers: set[int] = set()

    def visit(node: ast.AST, inside_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                bases = [ast.unparse(b).split(".")[-1] for b in child.bases]
                methods = {item.name for item in child.body if isinstance(item, ast.FunctionDef)}
                # A class with only training methods (``train_step``) is the class of a
                # Functional model (``CustomModel(inputs, outputs)``), not a model to convert.
                if "call" not in methods and graph_init(child):
                    found.append((child.lineno, Style.FUNCTIONAL_SUBCLASS, f"class {child.name}"))
                elif any(b == "Model" for b in bases) and methods & {"__init__", "call", "build"}:
                    found.append((child.lineno, Style.SUBCLASS, f"class {child.name}"))
                called_layers.update(_called_in_call(child))
                visit(child, inside_class or any(b in ("Model", "Layer") for b in bases))
                continue
            if isinstance(child, ast.Call) and not inside_class:
                callee = ast.unparse(child.func).split(".")[-1]
                root = ast.unparse(child.func).split(".")[0]
                if callee == "Sequential" and "." in ast.unparse(child.func) and root in foreign:
                    pass
                elif callee == "Sequential" and (id(child) in called_at_once or id(child) in placeholders | called_layers):
                    pass
                elif callee == "Sequential":
                    found.append((child.lineno, Style.SEQUENTIAL, ast.unparse(child.func)))
                elif callee == "Model" and id(child) in wrapped:
                    pass
                elif callee == "Model" and (child.args or child.keywords) and ast.unparse(child.func) not in own:
                    found.append((child.lineno, Style.FUNCTIONAL, ast.unparse(child.func)))
            visit(child, inside_class)

    visit(tree, False)
    return found


def _called_in_call(cls: ast.ClassDef) -> set[int]:
    """Ids of the ``Sequential(...)`` calls a class binds to ``self.name`` and its ``call()`` calls
    (``self.blocks(x)``): a layer of that class whatever its base is named (Ketos' ``ResNetArch(NNArch)``,
    ``NNArch`` a ``tf.keras.Model`` of another module), not a model of the file."""
    call = next((item for item in cls.body if isinstance(item, ast.FunctionDef) and item.name == "call"), None)
    if call is None:
        return set()
    called = {
        node.func.attr
        for node in ast.walk(call)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
    }
    return {
        id(node.value)
        for node in ast.walk(cls)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).split(".")[-1] == "Sequential"
        and any(
            isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self" and t.attr in called
            for t in node.targets
        )
    }


def _placeholders(tree: ast.Module) -> set[int]:
    """Ids of the empty ``Sequential()`` calls bound to a name that the next statement of the same
    block mentioning it binds again without reading it."""
    found: set[int] = set()
    blocks = (getattr(node, field, None) for node in ast.walk(tree) for field in ("body", "orelse", "finalbody"))
    for block in (block for block in blocks if isinstance(block, list)):
        for index, statement in enumerate(block):
            value = statement.value if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
            if not (isinstance(value, ast.Call) and ast.unparse(value.func).split(".")[-1] == "Sequential"):
                continue
            if value.args or value.keywords or not isinstance(statement.targets[0], ast.Name):
                continue
            name = statement.targets[0].id
            mentioning = (s for s in block[index + 1 :] if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(s)))
            following = next(mentioning, None)
            if (
                isinstance(following, ast.Assign)
                and [ast.unparse(t) for t in following.targets] == [name]
                and name not in {n.id for n in ast.walk(following.value) if isinstance(n, ast.Name)}
            ):
                found.add(id(value))
    return found


def graph_init(cls: ast.ClassDef) -> bool:
    """Whether the class's ``__init__`` calls ``super().__init__`` with a graph's inputs and outputs.

    Two positional arguments count only for a class derived from a ``Model``: ``ResNet18(ResNet)``
    hands its own base ``(input_shape, num_classes)`` (Hands-On Computer Vision's Sequential
    subclasses)."""
    keras_base = any(ast.unparse(b).split(".")[-1] == "Model" for b in cls.bases)
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            for statement in item.body:
                call = statement.value if isinstance(statement, ast.Expr) else None
                if (
                    isinstance(call, ast.Call)
                    and ast.unparse(call.func).startswith("super(")
                    and ast.unparse(call.func).endswith(".__init__")
                    and ((keras_base and len(call.args) >= 2) or {"inputs", "outputs"} <= {k.arg for k in call.keywords})
                ):
                    return True
    return False


def top_level_bindings(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
            continue
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
            elif isinstance(child, (ast.stmt, ast.expr, ast.excepthandler, ast.withitem)):
                todo.append(child)
            elif isinstance(child, ast.comprehension):
                todo.append(child.iter)
    return names


def global_reads(node: ast.AST, local: frozenset[str] = frozenset()) -> set[str]:
    """Names read from module scope: at module level, or in a function, lambda or
    comprehension that does not bind them itself."""
    reads: set[str] = set()
    for child in ast.iter_child_nodes(node):
        inner = local
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inner = local | {a.arg for a in ast.walk(child.args) if isinstance(a, ast.arg)}
            inner |= {n.id for n in ast.walk(child) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            # ``from ... import X`` inside the function binds X there too.
            imported = (n for n in ast.walk(child) if isinstance(n, (ast.Import, ast.ImportFrom)))
            inner |= {(a.asname or a.name).split(".")[0] for n in imported for a in n.names}
        elif isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            inner = local | {n.id for g in child.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load) and child.id not in local:
            reads.add(child.id)
        reads |= global_reads(child, frozenset(inner))
    return reads


def shifted_indexing(before: ast.Module, after: ast.Module, models, target: Style) -> str:
    """``model.layers[i]`` (i >= 0) that does not name the same layer after a conversion that adds
    or removes the InputLayer: kconvert must renumber each by one, or refuse."""
    shift = {m.name: (target in GRAPH_STYLES) - (m.source_style in GRAPH_STYLES) for m in models if m.changed}
    pairs = zip(_layer_indexes(before), _layer_indexes(after), strict=False)
    for (owner, old, _), (_, new, text) in pairs:
        if owner in shift and new != old + shift[owner]:
            return text
    return ""


def _layer_indexes(tree: ast.Module) -> list[tuple[str, int, str]]:
    """``(owner, i, text)`` for each ``owner.layers[i]`` with a literal i >= 0, in source order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
            owner = node.value
            if isinstance(owner, ast.Attribute) and owner.attr == "layers" and node.slice.value >= 0:
                found.append((node.lineno, node.col_offset, ast.unparse(owner.value), node.slice.value, ast.unparse(node)))
    return [entry[2:] for entry in sorted(found)]


def judge_one(entry: dict, target: Style, worker: Worker | None, save: bool = False) -> Outcome:
    text = (FILES / entry["name"]).read_text(encoding="utf-8")
    out = Outcome(entry["name"], entry["set"], str(target), allowed=str(target) in allows(entry))
    start = time.perf_counter()
    try:
        result = convert_source(text, target, Options(), path=entry["name"])
    except Exception as error:  # a crash is a finding, not the end of the run
        out.status, out.reasons = "CRASH", [describe_crash(error)]
        return finish(out, start)
    if not isinstance(result, Converted):
        out.reasons = [d.render() for d in result.diagnostics]
        out.status = "refused"
        if any("internal error" in r for r in out.reasons):
            # The safety check caught kconvert's own mistake: refused, nothing written.
            out.status = "caught" if all("failed its safety check" in r for r in out.reasons if "internal error" in r) else "CRASH"
        out.imprecise = not result.diagnostics or any(
            "\n" in d.render() or not d.hint or d.message.startswith("no Keras model found") for d in result.diagnostics
        )
        return finish(out, start)
    try:
        after = ast.parse(result.source)
    except SyntaxError as error:
        out.status, out.reasons = "WRONG", [f"the output does not compile: {error}"]
        return finish(out, start)
    notes = [n.render() for n in result.notes]
    left = [
        (style, f"{kind} at line {line} is still {style}")
        for line, style, kind in styles_in(result.source)
        if style is not target
    ]
    if left and accounted(left, notes):
        # Said plainly, and not a model to convert: the file counts by its other models, or as
        # `kept` (apart, not a pass) when it has none.
        out.reasons = [f"kept: {w}" for _, w in left] + [f"with note: {n}" for n in notes]
    elif left:
        out.left, out.status = True, "WRONG"
        out.reasons = (
            [f"left: {w}" for _, w in left] + [f"with note: {n}" for n in notes]
            if notes
            else [f"left silently: {w}" for _, w in left]
        )
    gone = (top_level_bindings(ast.parse(text)) - top_level_bindings(after)) & global_reads(after)
    if gone:
        out.status, out.left = "WRONG", False
        out.reasons.append("no longer defined but still read: " + ", ".join(sorted(gone)))
    shifted = shifted_indexing(ast.parse(text), after, result.models, target)
    if shifted:
        out.status, out.left = "WRONG", False
        out.reasons.append(f"`{shifted}` now names another layer (only graph models list their InputLayer)")
    if result.source == text:
        out.status = out.status or ("kept" if left else "unchanged-ok")
        return finish(out, start)
    again = convert_source(result.source, target, Options(), path=entry["name"])
    if not isinstance(again, Converted) or again.source != result.source:
        # A hard rule: converting the output again to the same style changes nothing.
        out.status, out.left = "WRONG", False
        out.reasons.append("converting the output again " + ("is refused" if not isinstance(again, Converted) else "changes it"))
    if worker is None:
        out.status = out.status or "converted"
        return finish(out, start)
    verdicts = []
    for model in [m.name for m in result.models if m.changed] or [None]:
        status, reasons = verify_model(text, result.source, model, entry["name"], target, worker, TIMEOUT, **entry.get("verify", {}), save=save)
        if model and status == "unverifiable" and any("no model named" in r for r in reasons):
            # The verifier names a builder's model otherwise: pair all of the file's models.
            status, reasons = verify_model(text, result.source, None, entry["name"], target, worker, TIMEOUT, **entry.get("verify", {}), save=save)
        if status == "NOT-EQUIVALENT":  # a random layer (VAE sampling) differs from itself too
            alone, _ = verify_model(text, text, model, entry["name"], target, worker, TIMEOUT, **entry.get("verify", {}))
            status = status if alone == "verified" else "unverifiable"
            reasons = reasons if alone == "verified" else ["the original differs from itself"] + reasons
        verdicts.append(VERIFY_STATUS[status])
        out.reasons += [f"{model or '*'}: {status}: {r}" for r in reasons]
    worst = max(verdicts, key=("converted", "unverifiable", "WRONG").index)
    out.status = "WRONG" if out.status == "WRONG" else worst
    out.left = out.left and worst != "WRONG"  # (left) counts rows wrong only for that
    return finish(out, start)


def accounted(left: list[tuple[Style, str]], notes: list[str]) -> bool:
    """Whether each model left in another style has a note of its own saying why (the finder
    here knows no names, so one note per model, of a kind that style can be kept for)."""
    kinds = Counter(phrase for n in notes for phrase in KEPT_NOTES if phrase in n)
    for style, _ in left:
        phrase = next((p for p in KEPT_NOTES if kinds[p] and style in KEPT_NOTES[p]), None)
        if phrase is None:
            return False
        kinds[phrase] -= 1
    return True


def not_loaded(out: Outcome) -> bool:
    """Whether ``--save`` found a converted model that does not come back from its ``.keras``."""
    return any("saving: " in r and not r.endswith(LOADS) for r in out.reasons)


def finish(out: Outcome, start: float) -> Outcome:
    out.seconds = round(time.perf_counter() - start, 2)
    return out


def summarise(outcomes: list[Outcome]) -> dict[str, dict]:
    table = {}
    for target in TARGETS:
        rows = [o for o in outcomes if o.target == str(target)]
        counts = Counter(o.status for o in rows)
        todo = [o for o in rows if o.allowed and o.status != "unchanged-ok"]
        done = sum(o.status == "converted" for o in todo)
        table[str(target)] = {
            "files": len(rows),
            **{s: counts[s] for s in STATUSES},
            "wrong_left": sum(o.left for o in rows),
            "allowed_to_change": len(todo),
            "converted_of_allowed": round(100 * done / len(todo), 1) if todo else 0.0,
        }
    return table


def render(outcomes: list[Outcome], table: dict, seconds: float) -> str:
    head = (
        f"{'direction':<23}{'files':>6}{'conv':>6}{'unch':>6}{'kept':>6}{'refus':>6}{'caught':>7}{'WRONG':>6}"
        f"{'(left)':>7}{'CRASH':>6}{'unver':>6}   conv/allowed"
    )
    lines = [head, "-" * len(head)]
    for target, row in table.items():
        cells = "".join(f"{row[s]:>6}" for s in STATUSES[:4]) + f"{row['caught']:>7}{row['WRONG']:>6}"
        cells += f"{'(' + str(row['wrong_left']) + ')':>7}" + "".join(f"{row[s]:>6}" for s in STATUSES[6:])
        lines.append(
            f"to-{target:<20}{row['files']:>6}{cells}   {row['converted_of_allowed']:>5}% of {row['allowed_to_change']}"
        )
    lines += [
        "",
        "conv = converted and verified (only converted with --no-verify); unch = unchanged-ok (not a pass);",
        "kept = a training container or shapeless block left as it is with a note (not a pass);",
        "caught = kconvert's own mistake refused by its static safety check (nothing written; a bug to fix);",
        "(left) = WRONG because a model stayed in another style; unver = original does not build either;",
        "conv/allowed = converted / directions the graph allows (manifest `allows`) that needed a change.",
    ]
    groups = (
        ("WRONG", lambda o: o.status == "WRONG"),
        ("CRASH", lambda o: o.status == "CRASH"),
        ("Caught by the safety check", lambda o: o.status == "caught"),
        ("Refused in a direction the graph allows", lambda o: o.status == "refused" and o.allowed),
        ("Refused, as the graph requires", lambda o: o.status == "refused" and not o.allowed),
        ("Unverifiable (the verifier cannot build, or reproduce, the original)", lambda o: o.status == "unverifiable"),
        ("Verified, but not saved and loaded back (--save)", lambda o: o.status == "converted" and not_loaded(o)),
    )
    for title, keep in groups:
        chosen = [o for o in outcomes if keep(o)]
        if chosen:
            lines += ["", f"## {title}: {len(chosen)}"]
        for o in chosen:
            lines.append(f"- {o.file} -> {o.target}" + (" [imprecise]" if o.imprecise else ""))
            lines += [f"    {r[:400]}" for r in o.reasons[:6]]
            lines += [f"    ... {len(o.reasons) - 6} more"] if len(o.reasons) > 6 else []
    lines += ["", f"{len(outcomes)} (file, direction) pairs in {seconds:.0f} s"]
    return "\n".join(lines)


def judge(args: argparse.Namespace) -> int:
    chosen = [e for e in entries(args.set) if not args.names or any(w in e["name"] for w in args.names)]
    absent = [e["name"] for e in chosen if not (FILES / e["name"]).is_file()]
    if absent:
        print(f"{len(absent)} files not extracted (run `measure.py extract`), e.g. {absent[0]}")
        return 1
    start, outcomes = time.perf_counter(), []
    worker = None if args.no_verify else Worker()
    try:
        if worker is not None:
            worker.start()  # imports TensorFlow while the first files convert
        for entry in chosen:
            for target in TARGETS:
                outcomes.append(judge_one(entry, target, worker, args.save))
                print(f"{entry['name']} -> {target}: {outcomes[-1].status}", file=sys.stderr, flush=True)
        versions = worker.versions if worker is not None else {}
    finally:
        if worker is not None:
            worker.close()
    seconds, table = time.perf_counter() - start, summarise(outcomes)
    report = {
        "summary": table,
        "outcomes": [asdict(o) for o in outcomes],
        "seconds": round(seconds, 1),
        "versions": versions,
    }
    if not args.names:
        (HERE / f"results-{args.set}{'-noverify' if args.no_verify else ''}.json").write_text(
            json.dumps(report, indent=1)
        )
    print(json.dumps(report, indent=1) if args.json else render(outcomes, table, seconds))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="copy the manifest's files out of the git mirrors")
    run = commands.add_parser("judge", help="convert every file to each style and classify")
    run.add_argument("names", nargs="*", help="only files whose name contains one of these")
    run.add_argument("--set", default="all", help="tune, report, all, or a session's fresh files (fresh9)")
    run.add_argument("--no-verify", action="store_true", help="convert only; no TensorFlow")
    run.add_argument("--json", action="store_true", help="print JSON instead of tables")
    run.add_argument("--save", action="store_true", help="also save each verified model as .keras and load it back")
    args = parser.parse_args(argv)
    return extract(entries()) if args.command == "extract" else judge(args)


if __name__ == "__main__":
    sys.exit(main())
