"""The Keras layers that never create weights or state of their own.

A subclass that makes one of them inside ``call()`` (``layers.Dropout(self.rate)(x)``) gets a
fresh instance each time it runs, which computes exactly what one instance made once computes:
a graph style can hold it as a layer made where it is called.  A layer with weights made there
starts from new weights at every call, so it stays refused.  For the same reason one such
layer called twice computes what two of its kind compute (a Sequential lists a new one for its
second pass; ``ir/structure.py`` does not tell them apart).  A test builds each layer here in
TensorFlow and checks that it has no weights.
"""

_RANKED = (
    "AdaptiveAveragePooling",
    "AdaptiveMaxPooling",
    "AveragePooling",
    "AvgPool",
    "Cropping",
    "GlobalAveragePooling",
    "GlobalAvgPool",
    "GlobalMaxPool",
    "GlobalMaxPooling",
    "MaxPool",
    "MaxPooling",
    "SpatialDropout",
    "UpSampling",
    "ZeroPadding",
)

WEIGHTLESS_LAYERS = frozenset(
    {
        *(f"{name}{rank}D" for name in _RANKED for rank in (1, 2, 3)),
        "Activation",
        "ActivityRegularization",
        "Add",
        "AlphaDropout",
        "Average",
        "CenterCrop",
        "Concatenate",
        "Dot",
        "Dropout",
        "ELU",
        "Flatten",
        "GaussianDropout",
        "GaussianNoise",
        "Identity",
        "LeakyReLU",
        "Masking",
        "Maximum",
        "Minimum",
        "Multiply",
        "Permute",
        "ReLU",
        "RepeatVector",
        "Rescaling",
        "Reshape",
        "Resizing",
        "Softmax",
        "Subtract",
        "UnitNormalization",
    }
)
