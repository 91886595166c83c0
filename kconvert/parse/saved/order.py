"""The order a Keras Functional model runs its calls in, so the written model runs them the same way.

Keras walks back from the outputs, depth first through each call's input
tensors; each call's depth is its longest distance from an output, recorded
walking the calls back from the last one reached; the model runs the deepest
calls first, ties in the order their depths were first recorded
(``keras/src/ops/function.py``).  Written in this order, a subclass creates and
calls its layers in the order the saved model's summary shows them.
"""

from __future__ import annotations

from .problems import SavedModelProblem

CallKey = tuple[str, int]  # a layer's name and the number of its call


def keras_order(parents: dict[CallKey, list[CallKey]], outputs: list[CallKey]) -> dict[CallKey, tuple[int, int]]:
    """A sort key, ``(-depth, when its depth was first recorded)``, for every call the outputs need."""
    finished: set[CallKey] = set()
    walked: list[CallKey] = []  # each call after the calls it reads from
    for output in outputs:
        if output in finished:
            continue
        stack, in_progress = [(output, iter(parents[output]))], {output}
        while stack:
            call, pending = stack[-1]
            parent = next(pending, None)
            if parent is None:
                stack.pop()
                in_progress.discard(call)
                finished.add(call)
                walked.append(call)
            elif parent not in finished:
                if parent in in_progress:
                    raise SavedModelProblem(f"the calls of layer `{parent[0]}` read their own output")
                in_progress.add(parent)
                stack.append((parent, iter(parents[parent])))
    depths: dict[CallKey, int] = {}  # in the order Keras records them, which breaks ties
    for call in reversed(walked):
        depth = depths.setdefault(call, 0)
        for parent in parents[call]:
            depths[parent] = max(depth + 1, depths.get(parent, 0))
    return {call: (-depth, recorded) for recorded, (call, depth) in enumerate(depths.items())}
