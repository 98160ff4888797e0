"""Keras 3 model builders for one-hot DNA, and what a model costs and sees.

Builders (functional ``keras.Model``, compiled unless ``compile=False``):

==================  =========================================================================
``build_cnn``       conv -> ReLU stacks with a global max / mean or the 2016 flatten head
``shallow_cnn``     the 2016 workshop's one-layer CNN (15 x 25 bp filters)
``deep_cnn``        the 2016 workshop's three-layer CNN (3 x 15 filters of width 15)
``deepbind``        one conv layer, global max (+ mean) pooling, a hidden layer (Alipanahi 2015)
``dilated_cnn``     dilated residual convolutions, dilation doubling (Basenji / BPNet style)
``residual_cnn``    residual blocks in one of three orders (pre-activation by default)
``rnn``             SimpleRNN / LSTM / GRU, optionally bidirectional, last state or max over time
``danq``            conv -> max pool -> bidirectional LSTM -> max over time -> dense (Quang & Xie 2016)
``multimodal_cnn``  two inputs: sequence ``(L, 4)`` and a track such as accessibility ``(L, k)``
==================  =========================================================================

Every builder takes ``seq_length``, ``num_tasks``, ``output``, ``learning_rate``,
``compile`` and ``name``. ``output`` chooses the last activation and the compiled
loss: ``"sigmoid"`` (binary / multi-task classification, binary cross-entropy),
``"linear"`` (regression, mean squared error), ``"softplus"`` or ``"exponential"``
(non-negative counts, Poisson loss). All losses skip NaN labels (see
``dragonn_tutorial._losses``). The output layer is float32 even under mixed precision.

Layer names are readable and stable, so attribution code can find them: the input is
``sequence`` (plus e.g. ``accessibility``); convolutions ``conv_1, conv_2, ...`` each
followed by a separate ``relu_i`` layer (never fused, so pre-activation scores are
visible and DeepLIFT can treat the ReLU as a nonlinearity); pooling ``pool``;
``global_pool`` (or ``flatten``) where positions are summarised; the pre-activation
output ``logits``; and ``output``. Each builder's docstring lists its own names.

Analysis: :func:`receptive_field` (exact for stride, dilation and pooling),
:func:`parameter_table` (parameters and multiply-accumulate operations per layer,
with a total), :func:`replace_head`, :func:`freeze` / :func:`unfreeze` for
transfer learning. Builders never call ``device.configure()``.
"""
from __future__ import annotations

from typing import Sequence, Union

from ._validation import check_bool, check_choice, check_float, check_int, check_str

IntOrSeq = Union[int, Sequence[int]]
OUTPUTS = ("sigmoid", "linear", "softplus", "exponential")
WHOLE_SEQUENCE = "whole sequence"

__all__ = ["build_cnn", "shallow_cnn", "deep_cnn", "deepbind", "dilated_cnn", "residual_cnn", "rnn",
           "danq", "multimodal_cnn", "receptive_field", "parameter_table", "replace_head", "freeze",
           "unfreeze", "recommended_cnn", "RECOMMENDED", "OUTPUTS", "WHOLE_SEQUENCE"]


# --------------------------------------------------------------------------- shared pieces
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


def _common(seq_length, num_tasks, output, learning_rate):
    return (check_int(seq_length, "seq_length", 1), check_int(num_tasks, "num_tasks", 1),
            check_choice(output, "output", OUTPUTS), check_float(learning_rate, "learning_rate", 1e-12))


def _head(x, num_tasks: int, output: str):
    """Dense ``logits`` (one unit per task) and a float32 ``output`` activation."""
    from keras import layers

    x = layers.Dense(num_tasks, name="logits")(x)
    return layers.Activation(output, dtype="float32", name="output")(x)


def check_model(model, name: str = "model"):
    """``model`` if it is a Keras model; a TypeError naming ``name`` otherwise."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a keras.Model (e.g. from models.build_cnn); received "
                        f"{type(model).__name__} {model!r:.60}")
    return model


def _finish(inputs, outputs, name, output, learning_rate, compile):
    import keras

    check_str(name, "name")
    check_bool(compile, "compile")

    from ._losses import loss_for_output

    model = keras.Model(inputs, outputs, name=name)
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss_for_output(output))
    return model


def _scope():
    from . import device

    return device.strategy().scope()


def _global_pool(x, kind: str, name: str = "global_pool"):
    from keras import layers

    if kind == "max":
        return layers.GlobalMaxPooling1D(name=name)(x)
    return layers.GlobalAveragePooling1D(name=name)(x)


# --------------------------------------------------------------------------- the workshop CNNs
def build_cnn(seq_length: int, num_filters: IntOrSeq = (15,), conv_width: IntOrSeq = (25,),
              pool_width: int | None = None, pool_stride: int | None = None,
              global_pool: Union[bool, str] = True, pool_padding: str = "same", dropout: float = 0.0,
              l1: float = 0.0, l2: float = 0.0, num_tasks: int = 1, output: str = "sigmoid",
              learning_rate: float = 1e-3, name: str = "cnn", compile: bool = True):
    """A convolutional network for one-hot DNA: (conv -> ReLU [-> dropout]) x n, then a head.

    Layers: ``sequence, conv_1, relu_1, [dropout_1,] ..., [pool,] global_pool | flatten,
    logits, output``.

    Parameters
    ----------
    seq_length : int
        Input length in bp; the input ``sequence`` has shape (seq_length, 4).
    num_filters : int or sequence of int, default (15,)
        Filters per conv layer; its length sets the number of conv layers.
    conv_width : int or sequence of int, default (25,)
        Filter width per conv layer (one value is reused for every layer). Convolutions
        are "valid" (no padding), as in the 2016 workshop.
    pool_width : int or None, default None
        Max-pooling window (layer ``pool``) after the last conv layer. What it means
        depends on the head:

        * ``global_pool=False`` (flatten): the pooled windows are the positions the dense
          layer weighs; None means 35, the workshop's value.
        * ``global_pool="mean"``: the mean over window maxima, i.e. roughly the fraction
          of windows that hold a match (counting); None means 35.
        * ``global_pool=True`` / ``"max"``: a max of window maxima is the global max, so a
          pool before it changes nothing; None (no ``pool`` layer) is required and any
          other value is refused with a message.
    pool_stride : int or None, default None (= pool_width, non-overlapping)
    global_pool : bool or {"max", "mean"}, default True (= "max")
        ``"max"``: each filter's best match anywhere ("is it there"). ``"mean"``: how
        many pooled windows hold a match ("how many"). ``False``: flatten the pooled
        windows into a position-specific dense layer ("where"; the 2016 head).
    pool_padding : {"same", "valid"}, default "same"
        ``"valid"`` drops the last, incomplete window (Keras 1 / the 2016 workshop: 13
        windows of 35 for 500 bp and width 25); ``"same"`` pools it too (14 windows).
    dropout : float in [0, 1), default 0.0
        Dropout after every ReLU.
    l1, l2 : float >= 0, default 0.0
        Weight penalties on the conv kernels.
    num_tasks : int, default 1
        Output units (one per task).
    output : {"sigmoid", "linear", "softplus", "exponential"}, default "sigmoid"
        Output activation; it sets the compiled loss (module docstring).
    learning_rate : float, default 1e-3 (Adam)
    name : str, default "cnn"
    compile : bool, default True

    Returns
    -------
    keras.Model
        Input (batch, seq_length, 4); output (batch, num_tasks), float32.

    Examples
    --------
    >>> model = build_cnn(500, num_filters=15, conv_width=25)              # doctest: +SKIP
    >>> [layer.name for layer in model.layers]                              # doctest: +SKIP
    ['sequence', 'conv_1', 'relu_1', 'global_pool', 'logits', 'output']
    >>> flat = build_cnn(500, pool_width=35, global_pool=False, pool_padding="valid")  # doctest: +SKIP
    >>> flat.get_layer("pool").output.shape                                 # doctest: +SKIP
    (None, 13, 15)
    """
    seq_length, num_tasks, output, learning_rate = _common(seq_length, num_tasks, output, learning_rate)
    filters = _as_tuple(num_filters, "num_filters")
    widths = _as_tuple(conv_width, "conv_width", len(filters))
    if global_pool not in (True, False, "max", "mean"):
        raise ValueError(f"global_pool must be True/'max', 'mean' or False (flatten); received {global_pool!r}")
    head = "max" if global_pool is True else ("flatten" if global_pool is False else global_pool)
    pool_padding = check_choice(pool_padding, "pool_padding", ("same", "valid"))
    if head == "max":
        if pool_width is not None and check_int(pool_width, "pool_width", 1) > 1:
            raise ValueError(
                f"pool_width={pool_width} before global_pool='max' changes nothing (the max of window "
                "maxima is the global max); use pool_width=None with the max head, or "
                "global_pool='mean' (counts windows with a match) or global_pool=False (the 2016 "
                "flatten head) to make the pooling width matter")
        pool_width = None
    elif pool_width is None:
        pool_width = 35
    if pool_width is not None:
        pool_width = check_int(pool_width, "pool_width", 1)
        pool_stride = pool_width if pool_stride is None else check_int(pool_stride, "pool_stride", 1)
    elif pool_stride is not None:
        raise ValueError("pool_stride needs a pool_width (there is no pool layer before a global max)")
    dropout = check_float(dropout, "dropout", 0.0, 0.99)
    l1 = check_float(l1, "l1", 0.0)
    l2 = check_float(l2, "l2", 0.0)
    length = seq_length
    for i, w in enumerate(widths, 1):
        length -= w - 1
        if length < 1:
            raise ValueError(f"conv_width {widths} is too wide for seq_length {seq_length}: "
                             f"nothing is left after conv_{i}")
    if pool_width is not None and pool_width > length:
        raise ValueError(f"pool_width ({pool_width}) must be <= the length after the conv layers "
                         f"({length} = seq_length {seq_length} - sum(conv_width - 1))")

    import keras
    from keras import layers

    with _scope():
        reg = keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
        inputs = keras.Input(shape=(seq_length, 4), name="sequence")
        x = inputs
        for i, (f, w) in enumerate(zip(filters, widths), 1):
            x = layers.Conv1D(f, w, padding="valid", kernel_regularizer=reg, name=f"conv_{i}")(x)
            x = layers.Activation("relu", name=f"relu_{i}")(x)
            if dropout:
                x = layers.Dropout(dropout, name=f"dropout_{i}")(x)
        if pool_width is not None:
            x = layers.MaxPooling1D(pool_size=pool_width, strides=pool_stride, padding=pool_padding,
                                    name="pool")(x)
        x = layers.Flatten(name="flatten")(x) if head == "flatten" else _global_pool(x, head)
        return _finish(inputs, _head(x, num_tasks, output), name, output, learning_rate, compile)


def shallow_cnn(seq_length: int = 500, num_tasks: int = 1, **kwargs):
    """The workshop's one-layer CNN: 15 filters of width 25 and a global max.
    ``kwargs`` go to :func:`build_cnn`; ``global_pool=False, pool_width=35,
    pool_padding="valid"`` is the exact 2016 architecture."""
    params = {"num_filters": (15,), "conv_width": (25,), "name": "shallow_cnn"}
    params.update(kwargs)
    return build_cnn(seq_length, num_tasks=num_tasks, **params)


def deep_cnn(seq_length: int = 500, num_tasks: int = 1, **kwargs):
    """The workshop's three-layer CNN: 3 x 15 filters of width 15 and a global max.
    ``kwargs`` go to :func:`build_cnn`."""
    params = {"num_filters": (15, 15, 15), "conv_width": (15, 15, 15), "name": "deep_cnn"}
    params.update(kwargs)
    return build_cnn(seq_length, num_tasks=num_tasks, **params)


# --------------------------------------------------------------------------- the zoo
def deepbind(seq_length: int = 500, num_tasks: int = 1, num_filters: int = 16, conv_width: int = 24,
             pooling: str = "max", hidden_units: int = 32, dropout: float = 0.5, output: str = "sigmoid",
             learning_rate: float = 1e-3, name: str = "deepbind", compile: bool = True):
    """DeepBind: one conv layer, ReLU, global max (optionally also mean) pooling, a dense
    hidden layer with dropout, the output (Alipanahi et al. 2015, Nat. Biotechnol. 33:831).

    The original pads the sequence by ``conv_width - 1`` and scores both strands; here the
    convolution is "valid" and one strand is read (train on reverse complements to add them).

    Layers: ``sequence, conv_1, relu_1, global_max [, global_mean, global_pool (concat)],
    hidden, relu_hidden, dropout, logits, output``.

    Parameters
    ----------
    seq_length, num_tasks : int
    num_filters : int, default 16
    conv_width : int, default 24
    pooling : {"max", "max+mean"}, default "max"
    hidden_units : int, default 32
    dropout : float in [0, 1), default 0.5
    output, learning_rate, name, compile : see :func:`build_cnn`
    """
    seq_length, num_tasks, output, learning_rate = _common(seq_length, num_tasks, output, learning_rate)
    num_filters = check_int(num_filters, "num_filters", 1)
    conv_width = check_int(conv_width, "conv_width", 1, seq_length)
    pooling = check_choice(pooling, "pooling", ("max", "max+mean"))
    hidden_units = check_int(hidden_units, "hidden_units", 1)
    dropout = check_float(dropout, "dropout", 0.0, 0.99)
    import keras
    from keras import layers

    with _scope():
        inputs = keras.Input(shape=(seq_length, 4), name="sequence")
        x = layers.Conv1D(num_filters, conv_width, name="conv_1")(inputs)
        x = layers.Activation("relu", name="relu_1")(x)
        pooled = layers.GlobalMaxPooling1D(name="global_max")(x)
        if pooling == "max+mean":
            mean = layers.GlobalAveragePooling1D(name="global_mean")(x)
            pooled = layers.Concatenate(name="global_pool")([pooled, mean])
        x = layers.Dense(hidden_units, name="hidden")(pooled)
        x = layers.Activation("relu", name="relu_hidden")(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        return _finish(inputs, _head(x, num_tasks, output), name, output, learning_rate, compile)


def dilated_cnn(seq_length: int = 500, num_tasks: int = 1, num_filters: int = 32, conv_width: int = 25,
                num_dilated: int = 4, dilated_width: int = 3, residual: bool = True,
                global_pool: str = "max", output: str = "sigmoid", learning_rate: float = 1e-3,
                name: str = "dilated_cnn", compile: bool = True):
    """A first convolution, then dilated convolutions whose dilation doubles (2, 4, 8, ...),
    each added to its input (residual), then a global pooling (BPNet: Avsec et al. 2021,
    Nat. Genet. 53:354; Basenji: Kelley et al. 2018, Genome Res. 28:739).

    Dilated layers use "same" padding so the residual sums line up. The receptive field is
    ``conv_width + (dilated_width - 1) x (2 + 4 + ... + 2^num_dilated)`` (85 bp by default;
    :func:`receptive_field` computes it).

    Layers: ``sequence, conv_1, relu_1, then per i = 1..num_dilated: dilated_conv_i,
    dilated_relu_i [, add_i], then global_pool, logits, output``.

    Parameters
    ----------
    num_filters : int, default 32
        Channels of every conv layer.
    conv_width : int, default 25
        Width of the first (undilated, "valid") convolution.
    num_dilated : int, default 4
        Dilated layers; layer i has dilation 2**i.
    dilated_width : int, default 3
    residual : bool, default True
    global_pool : {"max", "mean"}, default "max"
    output, learning_rate, name, compile : see :func:`build_cnn`
    """
    seq_length, num_tasks, output, learning_rate = _common(seq_length, num_tasks, output, learning_rate)
    num_filters = check_int(num_filters, "num_filters", 1)
    conv_width = check_int(conv_width, "conv_width", 1, seq_length)
    num_dilated = check_int(num_dilated, "num_dilated", 0, 12)
    dilated_width = check_int(dilated_width, "dilated_width", 2)
    global_pool = check_choice(global_pool, "global_pool", ("max", "mean"))
    import keras
    from keras import layers

    with _scope():
        inputs = keras.Input(shape=(seq_length, 4), name="sequence")
        x = layers.Conv1D(num_filters, conv_width, name="conv_1")(inputs)
        x = layers.Activation("relu", name="relu_1")(x)
        for i in range(1, num_dilated + 1):
            h = layers.Conv1D(num_filters, dilated_width, dilation_rate=2 ** i, padding="same",
                              name=f"dilated_conv_{i}")(x)
            h = layers.Activation("relu", name=f"dilated_relu_{i}")(h)
            x = layers.Add(name=f"add_{i}")([x, h]) if residual else h
        x = _global_pool(x, global_pool)
        return _finish(inputs, _head(x, num_tasks, output), name, output, learning_rate, compile)


RESIDUAL_ORDERS = {
    "pre": "h + conv(ReLU(h))  (pre-activation; He et al. 2016, ECCV)",
    "relu-after": "h + ReLU(conv(h))",
    "original": "ReLU(h + conv(h))  (He et al. 2016, CVPR)",
}


def residual_cnn(seq_length: int = 500, num_tasks: int = 1, num_filters: int = 32, conv_width: int = 15,
                 num_blocks: int = 3, block_width: int = 5, order: str = "pre", global_pool: str = "max",
                 output: str = "sigmoid", learning_rate: float = 1e-3, name: str = "residual_cnn",
                 compile: bool = True):
    """A first convolution, then residual blocks of one "same"-padded convolution each.

    ``order`` picks where the ReLU sits (``RESIDUAL_ORDERS``; the conv/residual/recurrent
    deck compares them): ``"pre"`` ``h + conv(ReLU(h))`` keeps an identity path from
    input to output; ``"relu-after"`` ``h + ReLU(conv(h))`` can only add; ``"original"``
    ``ReLU(h + conv(h))`` rectifies the sum.

    Layers: ``sequence, conv_1, relu_1``, then per block b: ``block_b_relu, block_b_conv,
    block_b_add`` in the chosen order, then (``"pre"`` only) ``relu_final``,
    ``global_pool, logits, output``.

    Parameters
    ----------
    num_filters : int, default 32
    conv_width : int, default 15
        Width of the first ("valid") convolution.
    num_blocks : int, default 3
    block_width : int, default 5
    order : {"pre", "relu-after", "original"}, default "pre"
    global_pool : {"max", "mean"}, default "max"
    output, learning_rate, name, compile : see :func:`build_cnn`
    """
    seq_length, num_tasks, output, learning_rate = _common(seq_length, num_tasks, output, learning_rate)
    num_filters = check_int(num_filters, "num_filters", 1)
    conv_width = check_int(conv_width, "conv_width", 1, seq_length)
    num_blocks = check_int(num_blocks, "num_blocks", 0)
    block_width = check_int(block_width, "block_width", 1)
    order = check_choice(order, "order", tuple(RESIDUAL_ORDERS))
    global_pool = check_choice(global_pool, "global_pool", ("max", "mean"))
    import keras
    from keras import layers

    with _scope():
        inputs = keras.Input(shape=(seq_length, 4), name="sequence")
        x = layers.Conv1D(num_filters, conv_width, name="conv_1")(inputs)
        x = layers.Activation("relu", name="relu_1")(x)
        for b in range(1, num_blocks + 1):
            conv = layers.Conv1D(num_filters, block_width, padding="same", name=f"block_{b}_conv")
            relu = layers.Activation("relu", name=f"block_{b}_relu")
            add = layers.Add(name=f"block_{b}_add")
            if order == "pre":
                x = add([x, conv(relu(x))])
            elif order == "relu-after":
                x = add([x, relu(conv(x))])
            else:
                x = relu(add([x, conv(x)]))
        if order == "pre":
            x = layers.Activation("relu", name="relu_final")(x)
        x = _global_pool(x, global_pool)
        return _finish(inputs, _head(x, num_tasks, output), name, output, learning_rate, compile)


_CELLS = {"simple": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def _recurrent(cell, units, return_sequences, name, bidirectional):
    from keras import layers

    layer = getattr(layers, _CELLS[cell])(units, return_sequences=return_sequences,
                                          name=f"{name}_cell" if bidirectional else name)
    return layers.Bidirectional(layer, name=name) if bidirectional else layer


def rnn(seq_length: int = 500, num_tasks: int = 1, cell: str = "lstm", units: int = 16,
        bidirectional: bool = True, readout: str = "max", output: str = "sigmoid",
        learning_rate: float = 1e-3, name: str = "rnn", compile: bool = True):
    """A recurrent network reading the one-hot sequence base by base.

    Recurrent steps run one after another (no parallelism over positions), so on a CPU
    this is the slowest model per epoch; :func:`danq` shortens the sequence first.

    Layers: ``sequence, recurrent`` (a ``Bidirectional`` wrapper around ``recurrent_cell``
    when bidirectional), then ``global_pool`` (max over time, ``readout="max"``) or
    nothing (``readout="last"``: the final state; both directions' when bidirectional),
    ``logits, output``.

    Parameters
    ----------
    cell : {"simple", "lstm", "gru"}, default "lstm"
    units : int, default 16
    bidirectional : bool, default True
    readout : {"max", "last"}, default "max"
    output, learning_rate, name, compile : see :func:`build_cnn`
    """
    seq_length, num_tasks, output, learning_rate = _common(seq_length, num_tasks, output, learning_rate)
    cell = check_choice(cell, "cell", tuple(_CELLS))
    units = check_int(units, "units", 1)
    readout = check_choice(readout, "readout", ("max", "last"))
    if not isinstance(bidirectional, bool):
        raise ValueError(f"bidirectional must be True or False; received {bidirectional!r}")
    import keras

    with _scope():
        inputs = keras.Input(shape=(seq_length, 4), name="sequence")
        x = _recurrent(cell, units, readout == "max", "recurrent", bidirectional)(inputs)
        if readout == "max":
            x = _global_pool(x, "max")
        return _finish(inputs, _head(x, num_tasks, output), name, output, learning_rate, compile)


def danq(seq_length: int = 500, num_tasks: int = 1, num_filters: int = 32, conv_width: int = 26,
         pool_width: int = 13, lstm_units: int = 16, hidden_units: int = 32, dropout: float = 0.2,
         output: str = "sigmoid", learning_rate: float = 1e-3, name: str = "danq", compile: bool = True):
    """DanQ: conv -> ReLU -> max pool -> dropout -> bidirectional LSTM -> max over time ->
    dropout -> dense -> output (Quang & Xie 2016, Nucleic Acids Res. 44:e107; the original
    has 320 filters of width 26, pool 13, 320 LSTM units and 925 hidden units for 1,000 bp
    and 919 tasks; the defaults here are small enough for a CPU).

    Layers: ``sequence, conv_1, relu_1, pool, dropout_1, recurrent (Bidirectional around
    recurrent_cell), global_pool, dropout_2, hidden, relu_hidden, logits, output``.

    Parameters
    ----------
    num_filters, conv_width : int, default 32, 26
    pool_width : int, default 13 (non-overlapping; "same" padding, so the last bases are read too)
    lstm_units : int, default 16 (per direction)
    hidden_units : int, default 32
    dropout : float, default 0.2 (after the pool; 0.5 after the LSTM, as in DanQ, when >0)
    output, learning_rate, name, compile : see :func:`build_cnn`
    """
    seq_length, num_tasks, output, learning_rate = _common(seq_length, num_tasks, output, learning_rate)
    num_filters = check_int(num_filters, "num_filters", 1)
    conv_width = check_int(conv_width, "conv_width", 1, seq_length)
    pool_width = check_int(pool_width, "pool_width", 1, seq_length - conv_width + 1)
    lstm_units = check_int(lstm_units, "lstm_units", 1)
    hidden_units = check_int(hidden_units, "hidden_units", 1)
    dropout = check_float(dropout, "dropout", 0.0, 0.99)
    import keras
    from keras import layers

    with _scope():
        inputs = keras.Input(shape=(seq_length, 4), name="sequence")
        x = layers.Conv1D(num_filters, conv_width, name="conv_1")(inputs)
        x = layers.Activation("relu", name="relu_1")(x)
        x = layers.MaxPooling1D(pool_width, padding="same", name="pool")(x)
        x = layers.Dropout(dropout, name="dropout_1")(x)
        x = _recurrent("lstm", lstm_units, True, "recurrent", True)(x)
        x = layers.GlobalMaxPooling1D(name="global_pool")(x)
        x = layers.Dropout(0.5 if dropout else 0.0, name="dropout_2")(x)
        x = layers.Dense(hidden_units, name="hidden")(x)
        x = layers.Activation("relu", name="relu_hidden")(x)
        return _finish(inputs, _head(x, num_tasks, output), name, output, learning_rate, compile)


def multimodal_cnn(seq_length: int = 500, num_tasks: int = 1, num_tracks: int = 1,
                   track_name: str = "accessibility", num_filters: int = 16, conv_width: int = 15,
                   track_filters: int = 4, track_width: int = 15, joint_filters: int = 16,
                   output: str = "sigmoid", learning_rate: float = 1e-3, name: str = "multimodal_cnn",
                   compile: bool = True):
    """Two inputs, each with its own conv branch, joined position by position.

    The sequence ``(L, 4)`` and a per-base track ``(L, num_tracks)`` (e.g. accessibility)
    are convolved separately ("same" padding so positions line up), concatenated along
    channels, mixed by a width-1 convolution (so "a motif *where* the DNA is open" is
    learnable), globally max-pooled, then the output.

    Inputs are named ``sequence`` and ``track_name``: pass ``{"sequence": X, track_name: A}``
    (or a tuple in that order) to ``training.train`` / ``predict``.

    Layers: ``sequence, <track_name>, seq_conv, seq_relu, track_conv, track_relu, concat,
    joint_conv, joint_relu, global_pool, logits, output``.

    Parameters
    ----------
    num_tracks : int, default 1
    track_name : str, default "accessibility"
    num_filters, conv_width : int, default 16, 15 (sequence branch)
    track_filters, track_width : int, default 4, 15 (track branch)
    joint_filters : int, default 16
    output, learning_rate, name, compile : see :func:`build_cnn`
    """
    seq_length, num_tasks, output, learning_rate = _common(seq_length, num_tasks, output, learning_rate)
    num_tracks = check_int(num_tracks, "num_tracks", 1)
    if not isinstance(track_name, str) or not track_name.isidentifier() or track_name == "sequence":
        raise ValueError(f"track_name must be an identifier other than 'sequence'; received {track_name!r}")
    num_filters = check_int(num_filters, "num_filters", 1)
    conv_width = check_int(conv_width, "conv_width", 1, seq_length)
    track_filters = check_int(track_filters, "track_filters", 1)
    track_width = check_int(track_width, "track_width", 1, seq_length)
    joint_filters = check_int(joint_filters, "joint_filters", 1)
    import keras
    from keras import layers

    with _scope():
        seq = keras.Input(shape=(seq_length, 4), name="sequence")
        track = keras.Input(shape=(seq_length, num_tracks), name=track_name)
        a = layers.Conv1D(num_filters, conv_width, padding="same", name="seq_conv")(seq)
        a = layers.Activation("relu", name="seq_relu")(a)
        b = layers.Conv1D(track_filters, track_width, padding="same", name="track_conv")(track)
        b = layers.Activation("relu", name="track_relu")(b)
        x = layers.Concatenate(name="concat")([a, b])
        x = layers.Conv1D(joint_filters, 1, name="joint_conv")(x)
        x = layers.Activation("relu", name="joint_relu")(x)
        x = _global_pool(x, "max")
        return _finish([seq, track], _head(x, num_tasks, output), name, output, learning_rate, compile)


# --------------------------------------------------------------------------- analysis
_WHOLE = ("GlobalMaxPooling1D", "GlobalAveragePooling1D", "Flatten", "SimpleRNN", "LSTM", "GRU",
          "Bidirectional", "RNN", "MultiHeadAttention", "Attention")
_RECURRENT = ("SimpleRNN", "LSTM", "GRU", "Bidirectional", "RNN")


def _parents(layer) -> list:
    nodes = getattr(layer, "_inbound_nodes", [])
    if not nodes:
        return []
    return [p.operation for p in nodes[0].parent_nodes]


def _field_table(model) -> dict:
    """name -> (receptive field in bp or None for whole sequence, jump in bp)."""
    out = {}
    for layer in model.layers:
        kind = type(layer).__name__
        parents = [out[p.name] for p in _parents(layer) if p.name in out]
        if kind == "InputLayer" or not parents:
            out[layer.name] = (1, 1)
            continue
        if any(r is None for r, _ in parents) or kind in _WHOLE:
            out[layer.name] = (None, None)
            continue
        r = max(r for r, _ in parents)  # merges ("same"-padded, aligned): the union of the fields
        j = max(j for _, j in parents)
        if kind in ("Conv1D", "SeparableConv1D", "DepthwiseConv1D"):
            k, d, s = layer.kernel_size[0], layer.dilation_rate[0], layer.strides[0]
            r, j = r + (k - 1) * d * j, j * s
        elif kind in ("MaxPooling1D", "AveragePooling1D"):
            r, j = r + (layer.pool_size[0] - 1) * j, j * layer.strides[0]
        elif len(layer.output.shape) < 3:
            r, j = None, None
        out[layer.name] = (r, j)
    return out


def receptive_field(model, layer: str | None = None):
    """How many consecutive input bases one unit of a layer can see.

    Exact for stride, dilation and pooling: walking from the input, a layer of width
    ``k``, dilation ``d`` and stride ``s`` adds ``(k - 1) x d x jump`` bases and multiplies
    the jump (the input distance between neighbouring units) by ``s``; pooling adds
    ``(pool - 1) x jump``. Merges ("same"-padded sums and concatenations) take the
    widest branch. The value is for a unit away from the sequence ends (with "same"
    padding, units near the ends see fewer real bases).

    Parameters
    ----------
    model : keras.Model
    layer : str or None, default None
        A layer name. None means the feature map the head reads: the last layer that
        still has a position axis, before any global pooling or flatten. For a model
        with a recurrent layer None means that layer.

    Returns
    -------
    int or str
        Bases, or ``WHOLE_SEQUENCE`` (the string ``"whole sequence"``) for recurrent,
        global-pooling, flatten and attention layers and everything after them: each of
        their units depends on every base (a unidirectional RNN's last state on every
        base; its earlier states on all bases before them).

    Examples
    --------
    >>> receptive_field(deep_cnn(500))               # doctest: +SKIP
    43
    >>> receptive_field(dilated_cnn(500))            # 25 + 2 x (2 + 4 + 8 + 16)  # doctest: +SKIP
    85
    """
    check_model(model)
    if layer is not None:
        check_str(layer, "layer")
    table = _field_table(model)
    if layer is None:
        kinds = [type(lay).__name__ for lay in model.layers]
        if any(k in _RECURRENT for k in kinds):
            return WHOLE_SEQUENCE
        candidates = [lay.name for lay in model.layers
                      if table[lay.name][0] is not None and type(lay).__name__ != "InputLayer"
                      and len(lay.output.shape) == 3]
        if not candidates:
            raise ValueError(f"model {model.name!r} has no layer with a position axis")
        layer = candidates[-1]
    if layer not in table:
        from ._validation import missing_name_error

        raise missing_name_error("layer", layer, list(table))
    r = table[layer][0]
    return WHOLE_SEQUENCE if r is None else int(r)


def _macs(layer) -> int:
    """Multiply-accumulate operations of one layer for one sequence."""
    import math

    kind = type(layer).__name__
    try:
        in_shape = tuple(layer.input.shape[1:])
        out_shape = tuple(layer.output.shape[1:])
    except (AttributeError, ValueError):  # several inputs
        return 0
    if kind == "Conv1D":
        k, c_in, c_out = layer.kernel.shape
        return int(out_shape[0] * c_out * k * c_in // getattr(layer, "groups", 1))
    if kind == "Dense":
        n_in, n_out = layer.kernel.shape
        return int(math.prod(out_shape[:-1]) * n_in * n_out)
    if kind == "Bidirectional":
        return 2 * _rnn_macs(layer.forward_layer, in_shape)
    if kind in ("SimpleRNN", "LSTM", "GRU"):
        return _rnn_macs(layer, in_shape)
    return 0


def _rnn_macs(layer, in_shape) -> int:
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[type(layer).__name__]
    units = layer.units
    return int(in_shape[0] * gates * units * (in_shape[-1] + units))


def parameter_table(model):
    """One row per layer: type, output shape, parameters, multiply-accumulates, and how the
    parameters are counted; a last row ``total``.

    Multiply-accumulates (MACs) per sequence: a Conv1D over ``L_out`` positions costs
    ``L_out x C_out x K x C_in``; a Dense ``inputs x units`` (per position if it has
    one); a recurrent layer ``L x gates x units x (inputs + units)`` (gates: SimpleRNN 1,
    GRU 3, LSTM 4; twice when bidirectional); pooling, activations and sums count 0.

    Returns
    -------
    pandas.DataFrame
        Index ``layer`` (names, then ``"total"``); columns ``type``, ``output shape``,
        ``parameters``, ``MACs``, ``how``. ``table.loc["total", "parameters"]`` equals
        ``model.count_params()``.
    """
    import pandas as pd

    check_model(model)
    rows = []
    for layer in model.layers:
        kind = type(layer).__name__
        formula = ""
        if kind == "Conv1D":
            w, c_in, f = layer.kernel.shape
            formula = f"{w} x {c_in} x {f} + {f} (width x channels x filters + biases)"
        elif kind == "Dense":
            i, o = layer.kernel.shape
            formula = f"{i} x {o} + {o} (inputs x units + biases)"
        elif kind == "BatchNormalization":
            formula = "4 x channels (2 trained, 2 running statistics)"
        elif kind in ("LSTM", "GRU", "SimpleRNN", "Bidirectional"):
            formula = "gates x units x (inputs + units + 1) [x 2 directions]"
        try:
            shape = tuple(layer.output.shape[1:])
        except (AttributeError, ValueError):
            shape = ""
        rows.append({"layer": layer.name, "type": kind, "output shape": shape,
                     "parameters": int(layer.count_params()), "MACs": _macs(layer), "how": formula})
    frame = pd.DataFrame(rows)
    total = {"layer": "total", "type": "", "output shape": "", "parameters": int(frame["parameters"].sum()),
             "MACs": int(frame["MACs"].sum()), "how": "sum of the rows above"}
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True).set_index("layer")


# --------------------------------------------------------------------------- transfer learning
def replace_head(model, num_tasks: int, output: str = "sigmoid", learning_rate: float = 1e-3,
                 freeze_body: bool = False, compile: bool = True, name: str | None = None):
    """A copy of ``model`` with a new ``logits``/``output`` head for ``num_tasks`` tasks.

    Everything up to the layer feeding ``logits`` is copied with its trained weights (the
    given model is not changed); the new head starts untrained.

    Parameters
    ----------
    model : keras.Model
        A model with a ``logits`` layer (every builder here has one).
    num_tasks : int
    output : {"sigmoid", "linear", "softplus", "exponential"}, default "sigmoid"
    learning_rate : float, default 1e-3
    freeze_body : bool, default False
        Freeze every copied layer (train only the new head); see :func:`freeze`.
    compile : bool, default True
    name : str or None, default ``model.name + "_new_head"``

    Returns
    -------
    keras.Model
    """
    import keras

    check_model(model)
    num_tasks = check_int(num_tasks, "num_tasks", 1)
    output = check_choice(output, "output", OUTPUTS)
    learning_rate = check_float(learning_rate, "learning_rate", 1e-12)
    freeze_body = check_bool(freeze_body, "freeze_body")
    compile = check_bool(compile, "compile")
    if name is not None:
        check_str(name, "name")
    names = [layer.name for layer in model.layers]
    if "logits" not in names:
        raise ValueError(f"model {model.name!r} has no layer named 'logits' to replace; its layers: {names}")
    with _scope():
        copy = keras.models.clone_model(model)
        copy.set_weights(model.get_weights())
        features = copy.get_layer("logits").input
        body_layers = [layer for layer in copy.layers if layer.name not in ("logits", "output")]
        new = _finish(copy.inputs, _head(features, num_tasks, output), name or f"{model.name}_new_head",
                      output, learning_rate, False)
    if freeze_body:
        freeze(new, [layer.name for layer in body_layers])
    if compile:
        from ._losses import loss_for_output

        new.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss_for_output(output))
    return new


def _set_trainable(model, names, value: bool):
    check_model(model)
    all_names = [layer.name for layer in model.layers]
    if names is None:
        names = all_names
    elif isinstance(names, str):
        names = [names]
    elif not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise TypeError(f"layers must be None (all), a layer name or a list of layer names; received "
                        f"{type(names).__name__} {names!r:.60}")
    elif not names:
        raise ValueError("layers must name at least one layer (None means all); received []")
    for n in names:
        if n not in all_names:
            from ._validation import missing_name_error

            raise missing_name_error("layer", n, all_names)
    for n in names:
        model.get_layer(n).trainable = value
    return model


def freeze(model, layers=None):
    """Make the named layers (all if None) untrainable, in place; returns ``model``.
    Compile (or call ``training.train``, which recompiles when needed) afterwards."""
    return _set_trainable(model, layers, False)


def unfreeze(model, layers=None):
    """Make the named layers (all if None) trainable again, in place; returns ``model``."""
    return _set_trainable(model, layers, True)


# --------------------------------------------------------------------------- recommendations
# Recommended models for the six simulations (measured in benchmarks/bench_simulations.py; the
# README and notebook 04 show the table). The output head follows the question: "is it there"
# is a global max; "how many" a global mean over the pooled windows (it grows with the number of
# windows holding a hit); "where" keeps the pooled windows (global_pool=False, the 2016 head).
RECOMMENDED = {
    "simulate_single_motif_detection": dict(builder="shallow", global_pool="max", learning_rate=3e-3),
    "simulate_motif_counting": dict(builder="shallow", global_pool="mean", pool_width=35,
                                    learning_rate=1e-2),
    "simulate_motif_density_localization": dict(builder="shallow", global_pool=False, pool_width=35,
                                                learning_rate=3e-3),
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
