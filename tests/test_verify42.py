"""Session 42's verification sample (verify42): the blank lines above an import a conversion removes.

mfarooq2's terrain LSTM and Packt's GRU stock predictor import ``Sequential`` in the middle of the
file, after the data is prepared, set off from it by two blank lines. To functional, the import goes
away (``Model`` is imported at the top) and so did the blank lines above it: the last line of the
data code ran on into the next import line. A removed import line's comments already moved to the
line after it; its blank lines alone now move too, when that line has none of its own.
"""

from __future__ import annotations

import pytest

from converting import C, F, convert
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

SCRIPT = """\
import numpy as np

data = np.zeros((4, 3))


from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(8, input_shape=(data.shape[1],), activation="relu"))
model.add(Dense(1))
model.compile(loss="mse")
"""

FUNCTIONAL = """\
import numpy as np
from keras.layers import Input
from keras.models import Model

data = np.zeros((4, 3))


from keras.layers import Dense

inputs = Input(shape=(data.shape[1],))
x = Dense(8, activation="relu")(inputs)
outputs = Dense(1)(x)
model = Model(inputs=inputs, outputs=outputs)
model.compile(loss="mse")
"""


def test_the_blank_lines_above_a_removed_import_stay_above_the_next_line() -> None:
    assert convert(SCRIPT, F) == FUNCTIONAL


@pytest.mark.parametrize("target", [C, FS])
def test_the_class_styles_keep_them_too(target) -> None:
    assert "data = np.zeros((4, 3))\n\n\nfrom keras.layers import Dense\n\n\n@saving" in convert(SCRIPT, target)


def test_a_next_line_with_blank_lines_of_its_own_keeps_only_those() -> None:
    # Two blank lines above the next import as well would make four: the next line's own stand.
    text = SCRIPT.replace("from keras.layers import Dense", "\nfrom keras.layers import Dense")
    assert "data = np.zeros((4, 3))\n\nfrom keras.layers import Dense\n" in convert(text, F)


def test_an_import_section_at_the_top_is_as_it_was() -> None:
    text = '''"""Doc."""

from keras import Sequential
import numpy as np
from keras.layers import Dense

model = Sequential([Dense(8, input_shape=(3,)), Dense(1)])
'''
    assert convert(text, F).startswith('"""Doc."""\n\nfrom keras import Model\nimport numpy as np\nfrom keras.layers')
