"""Repeated blocks of a saved model written once, without TensorFlow.

The configs were written by Keras' ``to_json`` once and committed:
``residual_blocks.json`` is three residual blocks whose layers are named
``res1_conv1`` ... ``res3_out`` and whose first convolutions differ only in
``dilation_rate`` (1, 2, 4); ``dense_blocks.json`` a chain of three
Dense + LayerNormalization blocks named ``block1_dense`` ... with 64, 32, 16
units; ``unnamed_blocks.json`` three residual blocks with the names Keras made
up; ``transformer_blocks.json`` three unnamed encoder blocks (attention, Add,
LayerNormalization, two Dense, Add, LayerNormalization), each two segments.  The golden modules were written and checked by hand.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import kconvert
from kconvert.from_saved import source_from_saved
from kconvert.ir.control import Loop
from kconvert.ir.lint import lint
from kconvert.ir.nodes import Call, Op
from kconvert.parse.saved import lift, read_saved, repeats
from kconvert.parse.saved.cuts import segments
from kconvert.types import Style

SAVED = Path(__file__).parent / "saved"
GOLDENS = [
    ("residual_blocks", "functional"),
    ("residual_blocks", "subclass"),
    ("residual_blocks", "functional-subclass"),
    ("dense_blocks", "functional"),
    ("dense_blocks", "sequential"),
    ("transformer_blocks", "functional"),
]


def _main_part(path: Path):
    found = read_saved(path)
    return lift(found.config, found.keras_version, "model").parts[-1]


@pytest.mark.parametrize(("model", "style"), GOLDENS)
def test_golden_module_byte_for_byte(model, style) -> None:
    written = source_from_saved(SAVED / f"{model}.json", Style(style))
    assert written.ok, written.diagnostics
    assert written.source == (SAVED / f"{model}.{style}.py").read_text()


@pytest.mark.parametrize(("model", "style"), GOLDENS)
def test_written_module_is_stable_under_conversion_to_its_own_style(model, style) -> None:
    written = source_from_saved(SAVED / f"{model}.json", Style(style)).source
    assert kconvert.convert(written, to=style) == written


def test_the_residual_model_splits_at_the_tensors_between_its_blocks() -> None:
    graph = _main_part(SAVED / "residual_blocks.json").graph
    found = segments(graph)
    # The stem, then per block the branch up to its Add and the activation after it, then the head.
    assert [segment.end - segment.start for segment in found] == [1, 5, 1, 5, 1, 5, 1, 1, 1]
    for segment in found:
        reads_before = {
            value
            for node in graph.body[segment.start : segment.end]
            for _, value in node.args[0].value.refs
            if value not in {n.out for n in graph.body[segment.start : segment.end]}
        }
        assert reads_before == {segment.entry}


def test_folded_graph_lints_and_calls_one_block_in_a_loop() -> None:
    part = _main_part(SAVED / "residual_blocks.json")
    folded = part.folded
    lint(folded)
    lint(part.graph)
    (block,) = folded.blocks
    assert (block.name, [param.name for param in block.graph.params]) == ("residual_block", ["dilation_rate", "prefix"])
    (loop,) = [node for node in folded.body if isinstance(node, Loop)]
    assert (loop.target, loop.iterable.text) == ("dilation_rate, prefix", '[((1, 1), "res1_"), ((2, 2), "res2_"), ((4, 4), "res3_")]')
    # Every layer of the saved model is still made, once per instance.
    assert len([node for node in part.graph.body if isinstance(node, Call)]) == 3 * 6 + 3


def test_names_keras_made_up_are_left_out_and_identical_blocks_loop_over_a_range() -> None:
    written = source_from_saved(SAVED / "unnamed_blocks.json", Style.FUNCTIONAL)
    assert written.ok, written.diagnostics
    assert "def residual_block(inputs):\n" in written.source
    assert "for _ in range(3):\n    x = residual_block(x)\n" in written.source
    assert "name=" not in written.source


def test_a_block_whose_names_break_the_pattern_stays_as_it_was(tmp_path) -> None:
    text = (SAVED / "residual_blocks.json").read_text().replace('"res2_conv2"', '"custom_name"')
    (tmp_path / "model.json").write_text(text)
    written = source_from_saved(tmp_path / "model.json", Style.FUNCTIONAL)
    assert written.ok, written.diagnostics
    # res1 and res3 are one block; res2 is written out with its names, custom_name among them.
    assert written.source.count("= residual_block(x, ") == 2
    assert 'name="custom_name"' in written.source and 'name="res2_add"' in written.source
    assert "for " not in written.source


def test_blocks_that_differ_in_more_than_a_few_arguments_are_not_folded(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(repeats, "MAX_PARAMS", 0)
    written = source_from_saved(SAVED / "residual_blocks.json", Style.FUNCTIONAL)
    assert "def " not in written.source and 'name="res3_conv1"' in written.source


def test_a_sequential_target_writes_every_layer_and_refuses_a_branching_model() -> None:
    written = source_from_saved(SAVED / "residual_blocks.json", Style.SEQUENTIAL)
    assert not written.ok
    assert "Add" in written.diagnostics[0].message


def test_with_weights_a_subclass_keeps_its_layers_flat_the_functional_styles_keep_their_helpers(tmp_path) -> None:
    # --weights needs a file that holds weights; the architecture is all the writer reads.
    archive = tmp_path / "residual_blocks.keras"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("config.json", (SAVED / "residual_blocks.json").read_text())
    subclass = source_from_saved(archive, Style.SUBCLASS, weights=True).source
    assert "keras.layers.Layer" not in subclass and 'name="res3_out"' in subclass
    for style in (Style.FUNCTIONAL, Style.FUNCTIONAL_SUBCLASS):
        written = source_from_saved(archive, style, weights=True).source
        assert "def residual_block(inputs, dilation_rate, prefix):" in written
        assert "model.load_weights(" in written


def test_folding_is_deterministic() -> None:
    config = json.loads((SAVED / "residual_blocks.json").read_text())
    first = lift(config, None, "model").parts[-1].folded
    second = lift(config, None, "model").parts[-1].folded
    assert first == second
    assert [type(node) for node in first.body].count(Op) == 0


def test_a_block_renames_whole_placeholders_only() -> None:
    from kconvert.ir.source_text import Arg, Code
    from kconvert.parse.saved.fold import _local_arg

    # The tensor v1 and the tensor v12 added: renaming v1 must not touch the start of v12.
    add = Arg(Code("[_kc_v12, _kc_v1]", (("_kc_v12", "v12"), ("_kc_v1", "v1"))))
    renamed = _local_arg(add, {"v1": "b0", "v12": "b5"})
    assert renamed.value == Code("[_kc_b5, _kc_b0]", (("_kc_b5", "b5"), ("_kc_b0", "b0")))
