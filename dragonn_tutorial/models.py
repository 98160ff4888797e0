"""Keras 3 model builders: the workshop's shallow and deep CNNs, and the
general ``build_cnn`` behind them.

Every layer has a readable name so interpretation code can find it:
``conv_1, relu_1, [dropout_1,] conv_2, relu_2, ..., pool, global_pool (or
flatten), logits, output``. The ReLU is always a separate layer (never fused into the Conv1D),
so the pre-ReLU scores are visible and DeepLIFT can treat it as a
nonlinearity. The output is a float32 sigmoid, one unit per task, even when
mixed precision is on.
"""
from __future__ import annotations

from typing import Sequence, Union

from ._validation import check_float, check_int

IntOrSeq = Union[int, Sequence[int]]


def _as_tuple(value, name: str, n: int | None = None) -> tuple:
    if isinstance(value, (list, tuple)):
        values = tuple(check_int(v, f"{name}[{i}]", 1) for i, v in enumerate(value))
    else:
        values = (check_int(value, name, 1),)
    if not values:
        raise ValueError(f"{name} must name at least one layer; received {value!r}")
    if n is not None and len(values) == 1 and n > 1:
        values = values * n
    if n is not None and len(values) != n:
        raise ValueError(f"{name} must have one entry per conv layer ({n}); received {value!r}")
    return values


def build_cnn(seq_length: int, num_filters: IntOrSeq = (15,), conv_width: IntOrSeq = (25,),
              pool_width: int = 35, pool_stride: int | None = None, global_pool: Union[bool, str] = True,
              dropout: float = 0.0,
              l1: float = 0.0, l2: float = 0.0, num_tasks: int = 1, learning_rate: float = 1e-3,
              name: str = "cnn", compile: bool = True):
    """A convolutional network for one-hot DNA: conv -> ReLU (-> dropout), repeated,
    then max pooling, flatten and a dense sigmoid output.

    Parameters
    ----------
    seq_length : int
        Input length in bp; the input has shape (seq_length, 4).
    num_filters : int or sequence of int, default (15,)
        Filters per conv layer; its length sets the number of conv layers.
    conv_width : int or sequence of int, default (25,)
        Filter width per conv layer (one value is reused for every layer).
    pool_width : int, default 35
        Max-pooling window after the last conv layer.
    pool_stride : int or None, default None (= pool_width, non-overlapping)
    global_pool : bool or {"max", "mean"}, default True (= "max")
        After the width-``pool_width`` max pooling, take the maximum (``"max"``)
        or the mean (``"mean"``) over all pooled windows (layer ``global_pool``),
        so the output unit sees each filter's best match wherever it is, or how
        many windows contain a match (what counting needs). ``False`` gives the
        2016 workshop's exact head: flatten the pooled windows into a
        position-specific dense layer (what localisation needs). On the
        heterodimer task that head memorises the training set before its filters
        find the motifs (measured in ``benchmarks/bench_training.py`` and shown
        in notebook 03), so it is not the default.
    dropout : float in [0, 1), default 0.0
        Dropout after every ReLU.
    l1, l2 : float >= 0, default 0.0
        Weight penalties on the conv kernels.
    num_tasks : int, default 1
        Output units (independent sigmoids).
    learning_rate : float, default 1e-3 (Adam)
    name : str, default "cnn"
    compile : bool, default True
        Compile with Adam and binary cross-entropy.

    Returns
    -------
    keras.Model
        Built inside ``dragonn_tutorial.device.strategy()`` (all GPUs when there are
        several) after ``device.configure()`` (memory growth; mixed precision where it pays).

    Examples
    --------
    >>> model = build_cnn(500, num_filters=15, conv_width=25, pool_width=35)  # doctest: +SKIP
    >>> [layer.name for layer in model.layers]                                # doctest: +SKIP
    ['sequence', 'conv_1', 'relu_1', 'pool', 'global_pool', 'logits', 'output']
    """
    seq_length = check_int(seq_length, "seq_length", 1)
    filters = _as_tuple(num_filters, "num_filters")
    widths = _as_tuple(conv_width, "conv_width", len(filters))
    pool_width = check_int(pool_width, "pool_width", 1)
    pool_stride = pool_width if pool_stride is None else check_int(pool_stride, "pool_stride", 1)
    dropout = check_float(dropout, "dropout", 0.0, 0.99)
    l1 = check_float(l1, "l1", 0.0)
    l2 = check_float(l2, "l2", 0.0)
    num_tasks = check_int(num_tasks, "num_tasks", 1)
    learning_rate = check_float(learning_rate, "learning_rate", 1e-12)
    if global_pool not in (True, False, "max", "mean"):
        raise ValueError(f"global_pool must be True/'max', 'mean' or False (flatten); received {global_pool!r}")
    length = seq_length
    for i, w in enumerate(widths, 1):
        length -= w - 1
        if length < 1:
            raise ValueError(f"conv_width {widths} is too wide for seq_length {seq_length}: "
                             f"nothing is left after conv_{i}")
    if pool_width > length:
        raise ValueError(f"pool_width ({pool_width}) must be <= the length after the conv layers "
                         f"({length} = seq_length {seq_length} - sum(conv_width - 1))")

    from . import device

    device.configure()
    import keras
    from keras import layers

    with device.strategy().scope():
        reg = keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
        inputs = keras.Input(shape=(seq_length, 4), name="sequence")
        x = inputs
        for i, (f, w) in enumerate(zip(filters, widths), 1):
            x = layers.Conv1D(f, w, strides=1, padding="valid", kernel_regularizer=reg, name=f"conv_{i}")(x)
            x = layers.Activation("relu", name=f"relu_{i}")(x)
            if dropout:
                x = layers.Dropout(dropout, name=f"dropout_{i}")(x)
        # padding="same": the last, shorter window is pooled too, so no position is ignored
        x = layers.MaxPooling1D(pool_size=pool_width, strides=pool_stride, padding="same", name="pool")(x)
        if global_pool in (True, "max"):
            x = layers.GlobalMaxPooling1D(name="global_pool")(x)
        elif global_pool == "mean":
            x = layers.GlobalAveragePooling1D(name="global_pool")(x)
        else:
            x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(num_tasks, name="logits")(x)
        outputs = layers.Activation("sigmoid", dtype="float32", name="output")(x)
        model = keras.Model(inputs, outputs, name=name)
        if compile:
            model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy")
    return model


def shallow_cnn(seq_length: int = 500, num_tasks: int = 1, **kwargs):
    """The workshop's one-layer CNN: 15 filters of width 25, max pooling 35.
    ``kwargs`` go to :func:`build_cnn` (dropout, l1, l2, learning_rate, ...)."""
    params = {"num_filters": (15,), "conv_width": (25,), "pool_width": 35, "name": "shallow_cnn"}
    params.update(kwargs)
    return build_cnn(seq_length, num_tasks=num_tasks, **params)


def deep_cnn(seq_length: int = 500, num_tasks: int = 1, **kwargs):
    """The workshop's three-layer CNN: 3 x 15 filters of width 15, max pooling 35.
    ``kwargs`` go to :func:`build_cnn`."""
    params = {"num_filters": (15, 15, 15), "conv_width": (15, 15, 15), "pool_width": 35,
              "name": "deep_cnn"}
    params.update(kwargs)
    return build_cnn(seq_length, num_tasks=num_tasks, **params)


def parameter_table(model):
    """One row per layer: output shape, parameter count and how it is computed.

    The formula column lets a learner check the count by hand, e.g. a Conv1D
    with 15 filters of width 25 over 4 channels has 25 x 4 x 15 + 15 = 1,515.
    """
    import pandas as pd

    rows = []
    for layer in model.layers:
        kind = type(layer).__name__
        n = layer.count_params()
        formula = ""
        if kind == "Conv1D":
            w, c_in, f = layer.kernel.shape
            formula = f"{w} x {c_in} x {f} + {f} (width x channels x filters + biases)"
        elif kind == "Dense":
            i, o = layer.kernel.shape
            formula = f"{i} x {o} + {o} (inputs x units + biases)"
        elif kind == "BatchNormalization":
            formula = "4 x channels (2 trained, 2 running statistics)"
        shape = tuple(layer.output.shape[1:]) if hasattr(layer, "output") else ""
        rows.append({"layer": layer.name, "type": kind, "output shape": shape, "parameters": n,
                     "how": formula})
    frame = pd.DataFrame(rows).set_index("layer")
    return frame


def receptive_field(model) -> int:
    """How many input bases one unit of the last conv layer sees: 1 + sum(width - 1)."""
    widths = [layer.kernel.shape[0] for layer in model.layers if type(layer).__name__ == "Conv1D"]
    if not widths:
        raise ValueError(f"model {model.name!r} has no Conv1D layer")
    return 1 + sum(w - 1 for w in widths)


# Recommended models for the six simulations (measured in benchmarks/bench_simulations.py; the
# README and notebook 04 show the table). The output head follows the question: "is it there"
# is a global max; "how many" a global mean over the pooled windows (it grows with the number of
# windows holding a hit); "where" keeps the pooled windows (global_pool=False, the 2016 head).
RECOMMENDED = {
    "simulate_single_motif_detection": dict(builder="shallow", global_pool="max", learning_rate=3e-3),
    "simulate_motif_counting": dict(builder="shallow", global_pool="mean", learning_rate=1e-2),
    "simulate_motif_density_localization": dict(builder="shallow", global_pool=False, learning_rate=3e-3),
    "simulate_multi_motif_embedding": dict(builder="shallow", global_pool="max", learning_rate=3e-3),
    "simulate_differential_accessibility": dict(builder="shallow", global_pool="max", learning_rate=3e-3),
    "simulate_heterodimer_grammar": dict(builder="deep", global_pool="max", learning_rate=1e-3),
}


def recommended_cnn(simulation: str, seq_length: int, num_tasks: int = 1, **overrides):
    """The recommended CNN for one of the six simulations (see ``RECOMMENDED``).

    Parameters
    ----------
    simulation : str
        A simulation name (``simulations.get_available_simulations()``).
    seq_length, num_tasks : int
        Taken from the data (``data.X_train.shape[1]``, ``data.y_train.shape[1]``).
    overrides : keyword arguments for :func:`build_cnn` (e.g. ``dropout=0.1``)
    """
    from .simulations import _resolve

    name = _resolve(simulation)  # unknown names raise a KeyError listing close matches
    config = dict(RECOMMENDED[name])
    builder = {"shallow": shallow_cnn, "deep": deep_cnn}[config.pop("builder")]
    config.update(overrides)
    return builder(seq_length, num_tasks=num_tasks, **config)
