"""The name of an emitted model class: ``--class-name``, else the model's own name, variable,
builder function or file, in CamelCase as the field spells it (``build_resnet`` → ``ResNet``)."""

from __future__ import annotations

import keyword
import re

import libcst as cst

from ...ir.graph import Graph
from ..context import EmitContext

# Variable, function and file names that say nothing about the model.
GENERIC_MODEL_NAMES = frozenset(
    {
        "model", "models", "net", "network", "m", "keras_model", "main", "train", "sequential",
        "functional", "subclass", "functional_subclass", "keras", "tf", "tensorflow", "nn", "example",
        "demo", "test", "module", "app", "utils",
        # A builder named by its verb alone (``def build(...)``) names no model either.
        "build", "make", "create", "get", "define", "construct",
    }
)
BUILDER_VERBS = ("build_", "make_", "create_", "get_", "define_", "construct_")
# Words of a file or variable name that say how it is run, not what the model is:
# ``train_mnist_cnn.py`` → ``MnistCNN``, ``keras_lenet.py`` → ``LeNet``.
FILLER_WORDS = frozenset(
    {
        "train", "training", "test", "run", "demo", "example", "keras", "tf", "tf2", "tensorflow", "main",
        "implementation", "impl", "tutorial", "tut",
    }
)

# Words that model names spell in capitals or mixed case, as the papers and Keras itself do:
# ``build_resnet`` → ``ResNet``, ``mlp_block`` → ``MLPBlock``, not ``Resnet`` and ``MlpBlock``.
SPELLED = {
    word.lower(): word
    for word in (
        "A2C", "AE", "BN", "BERT", "CCT", "CGAN", "CNN", "CTC", "ConvMixer", "ConvNeXt", "CycleGAN", "DCGAN", "DenseNet",
        "DQN", "EfficientNet", "GoogLeNet", "SRGAN", "ShuffleNet", "SqueezeNet", "YOLO",
        "FCN", "FFN", "GAN", "GPT", "GRU", "LSTM", "LeNet", "MHA", "MLP", "MobileNet", "NER", "OCR",
        "ResNet", "ResNeXt", "RNN", "SE", "TCN", "UNet", "VAE", "VGG", "ViT", "WGAN",
    )
}


# A model nothing names: the Keras guides' own name for one.
FALLBACK_CLASS = "MyModel"


def says_nothing(name: str) -> bool:
    """``MyModel``, or ``MyModel1`` for the second model nothing names: no word to build on."""
    return re.fullmatch(FALLBACK_CLASS + r"\d*", name) is not None


def class_name(graph: Graph, ctx: EmitContext) -> str:
    """``--class-name``, else the first telling one of: the model's ``name=``, its variable,
    its builder function (``build_resnet`` → ``ResNet``), the class that function is a method of,
    the file; in CamelCase; ``MyModel`` when none tells anything."""
    if ctx.class_name:
        return ctx.class_name
    candidates = []
    if graph.name is not None:
        literal = cst.parse_expression(graph.name.text)
        if isinstance(literal, cst.SimpleString):
            candidates.append(literal.evaluated_value)
    candidates += [ctx.target, builder_subject(ctx.scope)]
    camel = next((c for c in map(_camel, filter(None, candidates)) if c), None)
    owner = _camel(ctx.owner) if ctx.owner and camel is None else None
    # The class whose method builds the model stays beside it: ``Classifier_MLP`` makes a
    # ``ClassifierMLPModel``, not a ``ClassifierMLP`` that only its underscore tells apart.
    camel = camel or (owner and f"{owner.removesuffix('Model')}Model") or _file_camel(ctx.file_name or ctx.module or "")
    classes = {name.lower(): name for name in sorted(ctx.module_names) if name[:1].isupper()}
    if camel is None:
        camel = FALLBACK_CLASS
    elif camel.lower() in classes:
        # The builder ``MobileNet`` keeps its name and makes a ``MobileNetModel`` (``MPNNModel`` an
        # ``MPNN``), the file's ``class Agent`` whose method makes the model an ``AgentModel``: a
        # number would say there is a second MobileNet.  A second model of one name is numbered.
        # ``name="fashionnet"`` beside the file's ``class FashionNet`` is a ``FashionNetModel``,
        # spelled as the file spells it: a class told apart by its capitals alone misleads.
        camel = classes[camel.lower()]
        camel = camel.removesuffix("Model") if camel.endswith("Model") and camel != "Model" else f"{camel}Model"
    taken = ctx.reserved | ctx.module_names
    name, counter = camel, 0
    while name in taken:
        counter += 1
        # A second ``model1`` is a ``Model1_1``, not a ``Model11``.
        name = f"{camel}{'_' if camel[-1:].isdigit() else ''}{counter}"
    return name


def builder_subject(function: str | None) -> str | None:
    """``build_resnet`` → ``resnet``; ``build_model`` → ``model`` (generic, so skipped); a method's
    ``_get_generator`` → ``generator``; ``__init__`` says nothing of the model."""
    if function is None or (function.startswith("__") and function.endswith("__")):
        return None
    function = function.lstrip("_")
    for verb in BUILDER_VERBS:
        if function.startswith(verb):
            return function[len(verb) :]
        # ``buildNetwork``, ``createModel``: the verb in camelCase.
        if function.startswith(verb[:-1]) and function[len(verb) - 1 : len(verb)].isupper():
            return function[len(verb) - 1 :]
    return function


def _file_camel(stem: str) -> str | None:
    """A file's name as a class name: ``4-regressor_example`` → ``Regressor``, ``rnn-mnist-1.5.1``
    → ``RNNMnist``; None for a name of more than three telling words (a chapter's title says how
    it teaches, not what the model is)."""
    words = [word for word in re.split(r"[^0-9A-Za-z]+", stem) if word and not word.isdigit()]
    telling = [word for word in words if word.lower() not in FILLER_WORDS]
    if len(telling) > 3:
        return None
    return _camel("_".join(words))


def _camel(source: str) -> str | None:
    """``"mnist_cnn"`` → ``MnistCnn``; None for a generic or unusable name."""
    source = source.split(".")[-1]
    parts = [part for part in re.split(r"[^0-9A-Za-z]+", source) if part]
    parts = [part for part in parts if part.lower() not in FILLER_WORDS] or parts
    if not parts or "_".join(parts).lower() in GENERIC_MODEL_NAMES:
        return None
    camel = camel_case(parts)
    if not camel.isidentifier() or keyword.iskeyword(camel) or camel in ("Model", "Sequential", "Input", "Layer"):
        return None
    return camel


def camel_case(words: list[str]) -> str:
    """``["mnist", "cnn"]`` → ``MnistCNN``: each word capitalised, or spelled as the field spells it
    (``resnet50`` → ``ResNet50``); two numbers keep the ``_`` between them (``conv_mixer_256_8`` →
    ``ConvMixer256_8``, not ``ConvMixer2568``)."""
    name = ""
    for word in map(_spelled, words):
        name += f"_{word}" if name[-1:].isdigit() and word[:1].isdigit() else word
    return name


def _spelled(word: str) -> str:
    letters = word.rstrip("0123456789")
    spelled = SPELLED.get(letters.lower())
    return spelled + word[len(letters) :] if spelled else word[:1].upper() + word[1:]
