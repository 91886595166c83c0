"""Regenerate kconvert/parse/known_layers.py from the installed Keras."""

from pathlib import Path

import keras

TARGET = Path(__file__).resolve().parent.parent / "kconvert" / "parse" / "known_layers.py"
NOT_LAYERS = {"Input", "InputSpec", "Layer", "Wrapper"}
MERGE = ["add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract"]


def block(name: str, items: list[str]) -> list[str]:
    return [f"{name} = frozenset(", "    {", *(f'        "{item}",' for item in items), "    }", ")"]


def main() -> None:
    layers = sorted(
        n for n in dir(keras.layers) if n[:1].isupper() and n not in NOT_LAYERS
    )
    header = [
        '"""The names Keras 3 exports from ``keras.layers``, so a typo is caught without TensorFlow.',
        "",
        "Regenerate with ``python scripts/known_layers.py`` after a Keras upgrade.",
        '"""',
        "",
    ]
    lines = header + block("KERAS_LAYERS", layers) + [""] + block("MERGE_FUNCTIONS", MERGE) + [""]
    TARGET.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
