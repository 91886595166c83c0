"""SourceFile's own metadata gives what libcst's providers give, more cheaply."""

from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, QualifiedNameProvider

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
                assert src.qualified(node) == expected, (path, src.code(node))
                asked += 1
        assert asked > 0, path
