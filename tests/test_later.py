"""The code after a model, read through the by-name index, gives what a plain scan gives."""

from __future__ import annotations

import libcst as cst

from kconvert.parse.memo import remembered
from kconvert.parse.later_reads import Later, mentioning, read_before_rebound

TEXT = """\
a = 1
b = f(a)
with scope():
    c = a + b
    a = 2
    print(c)
d = c
c = 3
print(c, b)
"""


def _loc(node):
    return node.value  # a stand-in position: which name was found is what matters here


def test_mentioning_gives_the_plain_scans_statements_in_order():
    module = cst.parse_module(TEXT)
    block = module.body[2].body
    later = Later(((block, 1, len(block.body)), (module, 3, len(module.body))))
    assert list(later) == [*block.body[1:], *module.body[3:]]
    with remembered():
        for names in ({"a"}, {"c"}, {"b", "c"}, {"missing"}):
            assert list(mentioning(later, set(names))) == list(mentioning(list(later), set(names)))
        assert list(mentioning(later, {"c"})) == [block.body[2], *module.body[3:]]


def test_a_part_ends_at_its_stop():
    module = cst.parse_module(TEXT)
    later = Later(((module, 3, 5),))  # `d = c` and `c = 3`: not the `print(c, b)` after them
    assert list(later) == list(module.body[3:5])
    with remembered():
        assert list(mentioning(later, {"b"})) == []
        assert list(mentioning(later, {"c"})) == list(module.body[3:5])


def test_names_dropped_while_scanning_are_not_looked_for_again():
    module = cst.parse_module(TEXT)
    names = {"c", "b"}
    seen = []
    with remembered():
        for statement in mentioning(Later(((module, 3, len(module.body)),)), names):
            seen.append(statement)
            names.discard("c")
    assert seen == [module.body[3], module.body[5]]  # `c = 3` is passed by: only `b` is left


def test_read_before_rebound_is_the_same_through_the_index():
    module = cst.parse_module(TEXT)
    block = module.body[2].body
    with remembered():
        for candidates in ({"a", "b", "c"}, {"c"}, {"d"}):
            indexed = read_before_rebound(Later(((block, 0, len(block.body)), (module, 3, len(module.body)))), set(candidates), _loc)
            plain = read_before_rebound([*block.body, *module.body[3:]], set(candidates), _loc)
            assert indexed == plain
        assert read_before_rebound(Later(((module, 3, len(module.body)),)), {"c", "b"}, _loc) == {"c": "c", "b": "b"}


def test_a_loop_target_is_bound_before_its_body_reads_it():
    # Keyird's VGG11 trains with `for step, (x, y) in enumerate(db): x = tf.reshape(x, ...)` after
    # the model: that reads the loop's `x`, so the model's code may bind `x`, not `x_1`.
    from kconvert.parse.later_reads import read_later

    module = cst.parse_module(
        "model = build()\nfor step, (x, y) in enumerate(db):\n    x = reshape(x)\n    out = model(x)\nprint(y)\n"
    )
    statements = list(module.body)
    assert read_later(statements, [1])[1] == {"enumerate", "db", "reshape", "model", "print"}
    assert read_before_rebound(statements[1:], {"x", "y", "model"}, _loc) == {"model": "model"}
