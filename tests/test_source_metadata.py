"""SourceFile's own metadata gives what libcst's providers give, more cheaply."""

from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, QualifiedNameProvider, ScopeProvider

from kconvert.parse.handed_modules import handed
from kconvert.parse.metadata import _as_expected, positions, scopes
from kconvert.parse.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(ROOT.glob("tests/fixtures/*/*.py"))[:40] + [ROOT / "kconvert" / "convert.py"]


def test_parents_are_those_of_the_parent_provider():
    for path in SAMPLES:
        src = SourceFile.parse(path.read_text())
        expected = MetadataWrapper(src.module, unsafe_skip_copy=True).resolve(ParentNodeProvider)
        assert len(expected) > 10
        for node, parent in expected.items():
            assert src.parent(node) is parent, path
        assert src.parent(src.module) is None


def test_qualified_names_are_those_of_the_provider():
    for path in SAMPLES:
        src = SourceFile.parse(path.read_text())
        names = MetadataWrapper(src.module, unsafe_skip_copy=True).resolve(QualifiedNameProvider)
        asked = 0
        for node, found in names.items():
            if not isinstance(node, (cst.Name, cst.Attribute, cst.Call)):
                continue
            expected = {name.name for name in (found() if callable(found) else found)}
            if expected:  # an empty answer falls back to star imports (parse/star_imports.py)
                # A module the caller hands in (parse/handed_modules.py) reads as Keras instead.
                assert src.qualified(node) == (handed(src, node) or expected), (path, src.code(node))
                asked += 1
        assert asked > 0, path


def _shape(scope) -> tuple:
    """A scope as names: its kind, what it assigns, and what each access reads (by node kind)."""
    if scope is None:
        return (None,)
    assigned = sorted((name, len(scope[name])) for name in scope._assignments)
    accesses = sorted((access.node.value if isinstance(access.node, cst.Name) else type(access.node).__name__,
                       sorted(type(getattr(referent, "node", referent)).__name__ for referent in access.referents))
                      for access in scope.accesses)
    return (type(scope).__name__, assigned, accesses)


def test_scopes_are_those_of_the_scope_provider():
    for path in SAMPLES:
        module = cst.parse_module(path.read_text())
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
        found = scopes(MetadataWrapper(module, unsafe_skip_copy=True))
        assert found.keys() == expected.keys(), path
        assert len(expected) > 10
        for node, scope in expected.items():
            assert _shape(found[node]) == _shape(scope), (path, type(node).__name__)


# Line endings and layouts whose positions are easy to get wrong when counted statement by statement.
ODD_LAYOUTS = [
    "x = 1",
    "# header\n\nx = 1\r\ny = '''a\r\nb'''\r\n",
    "def f():\n\tif x:\n\t\treturn 1\n\n# footer\n",
    "x = 1\ry = 2\r",
    "\n\n# only a comment\n",
    "if x: pass\nelse: y()\n@deco\nclass A(B): z = [\n  1,\n]\n",
]


def test_positions_are_those_of_the_position_provider():
    assert _as_expected()  # otherwise the wrapper is used, and this compares it with itself
    texts = [path.read_text() for path in SAMPLES] + ODD_LAYOUTS
    for text in texts:
        src = SourceFile.parse(text)
        expected = MetadataWrapper(src.module, unsafe_skip_copy=True).resolve(PositionProvider)
        # Asked last statement first, the module itself last: each statement is generated alone.
        asked = [node for node in reversed(list(expected)) if node is not src.module] + [src.module]
        for node in asked:
            assert src._positions[node] == expected[node], (text[:40], node)
        fresh = positions(MetadataWrapper(src.module, unsafe_skip_copy=True), src.parent)
        assert fresh[src.module] == expected[src.module]  # the whole module at once
        assert all(fresh[node] == range_ for node, range_ in expected.items())
