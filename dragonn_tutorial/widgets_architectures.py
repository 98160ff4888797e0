"""Convolution arithmetic, receptive fields and the architecture explorer (notebook 06).

The arithmetic here is plain Python/NumPy, so the explorer answers instantly:
a conv/pool stack is a list of :class:`StackLayer`; :func:`stack_table` gives
each layer's output length, channels, receptive field, parameters and
multiply-accumulates (MACs) without building a model. :func:`keras_stack`
builds the same stack in Keras so the numbers can be checked against it, and
:func:`measure_receptive_field` finds, by perturbing one base at a time, which
input positions really change one output unit. :func:`gradient_norms` and
:func:`input_influence` are the two gradient measurements the notebook uses
(vanishing gradients in deep stacks; what a recurrent network forgets).
"""
from __future__ import annotations

import html
from typing import NamedTuple, Sequence

import numpy as np

from ._validation import check_int, check_one_hot

_KINDS = ("conv", "pool")


class StackLayer(NamedTuple):
    """One layer of a 1-D stack (valid padding).

    kind : {"conv", "pool"}; kernel : int (width); stride : int; dilation : int
    (conv only); filters : int (conv output channels; pooling keeps the channels).
    """

    kind: str
    kernel: int
    stride: int = 1
    dilation: int = 1
    filters: int = 0


def conv_output_length(length: int, kernel_size: int, padding=0, stride: int = 1, dilation: int = 1) -> int:
    """Output length of a 1-D convolution (or pooling) layer.

    ``L_out = floor((L + 2p - d (K - 1) - 1) / s) + 1`` for an explicit zero
    padding of ``p`` bases on each side; ``padding="valid"`` is ``p = 0`` and
    ``padding="same"`` gives Keras's ``ceil(L / s)``.

    Parameters
    ----------
    length : int >= 1 (L)
    kernel_size : int >= 1 (K)
    padding : int >= 0, "valid" or "same", default 0 (p)
    stride : int >= 1, default 1 (s)
    dilation : int >= 1, default 1 (d)

    Returns
    -------
    int
        The output length; raises ``ValueError`` when the kernel does not fit.
    """
    length = check_int(length, "length", 1)
    kernel_size = check_int(kernel_size, "kernel_size", 1)
    stride = check_int(stride, "stride", 1)
    dilation = check_int(dilation, "dilation", 1)
    if padding == "same":
        return -(-length // stride)
    if padding == "valid":
        padding = 0
    if isinstance(padding, str):
        raise ValueError(f"padding must be an int >= 0, 'valid' or 'same'; received {padding!r}")
    padding = check_int(padding, "padding", 0)
    span = dilation * (kernel_size - 1) + 1
    if length + 2 * padding < span:
        raise ValueError(f"kernel_size {kernel_size} with dilation {dilation} spans {span} bases, more than "
                         f"length {length} + 2 x padding {padding}")
    return (length + 2 * padding - span) // stride + 1


def conv_stack(n_layers: int = 3, kernel_width: int = 9, dilation: int = 1, pool: int = 1,
               filters: int = 32) -> list:
    """The explorer's stack: ``n_layers`` conv layers of ``filters`` x ``kernel_width``;
    layer ``i`` (from 0) has dilation ``dilation ** i`` (1: a plain stack; 2: doubling,
    as in Basenji-style dilated CNNs); a max pooling of width and stride ``pool``
    follows every conv layer but the last (none when ``pool == 1``).

    Returns
    -------
    list of StackLayer
    """
    n_layers = check_int(n_layers, "n_layers", 1, 64)
    kernel_width = check_int(kernel_width, "kernel_width", 1)
    dilation = check_int(dilation, "dilation", 1)
    pool = check_int(pool, "pool", 1)
    filters = check_int(filters, "filters", 1)
    layers = []
    for i in range(n_layers):
        layers.append(StackLayer("conv", kernel_width, 1, dilation ** i, filters))
        if pool > 1 and i < n_layers - 1:
            layers.append(StackLayer("pool", pool, pool))
    return layers


def _check_layers(layers) -> list:
    layers = [StackLayer(*layer) if not isinstance(layer, StackLayer) else layer for layer in layers]
    if not layers:
        raise ValueError("layers must hold at least one StackLayer")
    for i, layer in enumerate(layers):
        if layer.kind not in _KINDS:
            raise ValueError(f"layers[{i}].kind must be one of {list(_KINDS)}; received {layer.kind!r}")
        for field in ("kernel", "stride", "dilation"):
            check_int(getattr(layer, field), f"layers[{i}].{field}", 1)
        if layer.kind == "conv":
            check_int(layer.filters, f"layers[{i}].filters", 1)
    return layers


def receptive_field_of(layers: Sequence[StackLayer]) -> int:
    """Input bases one output unit of the stack sees: ``1 + sum_l (K_l - 1) d_l J_l``
    where the jump ``J_l`` is the product of the strides before layer ``l``."""
    rf, jump = 1, 1
    for layer in _check_layers(layers):
        rf += (layer.kernel - 1) * layer.dilation * jump
        jump *= layer.stride
    return rf


def stack_table(layers: Sequence[StackLayer], seq_length: int, in_channels: int = 4):
    """Per layer: output length, channels, receptive field, jump, parameters and MACs.

    A conv layer has ``K x C_i x C_o + C_o`` parameters and ``L_out x C_o x K x C_i``
    multiply-accumulates; pooling has neither (it compares).

    Parameters
    ----------
    layers : sequence of StackLayer
    seq_length : int
        Input length in bp.
    in_channels : int, default 4 (one-hot DNA)

    Returns
    -------
    pandas.DataFrame
        One row per layer, index ``conv_1``, ``pool_1``, ...; columns ``kernel``,
        ``stride``, ``dilation``, ``output length``, ``channels``, ``receptive field (bp)``,
        ``jump (bp)``, ``parameters``, ``MACs``.
    """
    import pandas as pd

    layers = _check_layers(layers)
    length = check_int(seq_length, "seq_length", 1)
    channels = check_int(in_channels, "in_channels", 1)
    rf, jump, rows, counts = 1, 1, [], {"conv": 0, "pool": 0}
    for layer in layers:
        counts[layer.kind] += 1
        name = f"{layer.kind}_{counts[layer.kind]}"
        try:
            out = conv_output_length(length, layer.kernel, 0, layer.stride, layer.dilation)
        except ValueError:
            raise ValueError(f"seq_length {seq_length} is too short for this stack: nothing is left "
                             f"after {name} (input length {length})") from None
        rf += (layer.kernel - 1) * layer.dilation * jump
        jump *= layer.stride
        if layer.kind == "conv":
            params = layer.kernel * channels * layer.filters + layer.filters
            macs = out * layer.filters * layer.kernel * channels
            channels = layer.filters
        else:
            params = macs = 0
        rows.append({"layer": name, "kernel": layer.kernel, "stride": layer.stride,
                     "dilation": layer.dilation, "output length": out, "channels": channels,
                     "receptive field (bp)": rf, "jump (bp)": jump, "parameters": params, "MACs": macs})
        length = out
    return pd.DataFrame(rows).set_index("layer")


def input_positions(layers: Sequence[StackLayer], index: int = 0, seq_length: int | None = None) -> list:
    """The input positions feeding output unit ``index`` of each layer (the "cone").

    Returns a list with one sorted int array per level, from the input (level 0,
    its span is the receptive field) up to the last layer (level ``len(layers)``,
    just ``[index]``). Dilated kernels can leave gaps inside the span.
    """
    layers = _check_layers(layers)
    index = check_int(index, "index", 0)
    if seq_length is not None:
        n_out = int(stack_table(layers, seq_length)["output length"].iloc[-1])
        if index >= n_out:
            raise ValueError(f"index must be < the stack's output length {n_out}; received {index}")
    levels = [np.array([index])]
    for layer in reversed(layers):
        taps = np.arange(layer.kernel) * layer.dilation
        levels.append(np.unique((levels[-1][:, None] * layer.stride + taps[None, :]).ravel()))
    return levels[::-1]


def keras_stack(layers: Sequence[StackLayer], seq_length: int, in_channels: int = 4,
                activation: str | None = "relu", random_state: int | None = 0):
    """The stack in plain Keras (valid padding; ``MaxPooling1D`` for pooling), no output head.

    Returns
    -------
    keras.Model
        Input ``(seq_length, in_channels)``, output ``(L_out, channels)`` of the last layer.
    """
    import keras
    from keras import layers as kl

    layers = _check_layers(layers)
    stack_table(layers, seq_length, in_channels)  # fails early, naming seq_length, when too short
    if random_state is not None:
        keras.utils.set_random_seed(check_int(random_state, "random_state", 0))
    inputs = keras.Input((seq_length, in_channels), name="sequence")
    x, n = inputs, {"conv": 0, "pool": 0}
    for layer in layers:
        n[layer.kind] += 1
        if layer.kind == "conv":
            x = kl.Conv1D(layer.filters, layer.kernel, strides=layer.stride, dilation_rate=layer.dilation,
                          activation=activation, name=f"conv_{n['conv']}")(x)
        else:
            x = kl.MaxPooling1D(layer.kernel, strides=layer.stride, name=f"pool_{n['pool']}")(x)
    return keras.Model(inputs, x, name="stack")


def measure_receptive_field(model, index: int = 0, n_backgrounds: int = 8, layer: str | None = None,
                            random_state=0) -> np.ndarray:
    """Input positions whose mutation changes output unit ``index`` (all channels).

    Every position of ``n_backgrounds`` random sequences is mutated to each of the
    three other bases; a position counts when any mutation changes any channel of
    output position ``index`` (of ``layer``'s output, default the model's output,
    which must be ``(n, length, channels)``). Several backgrounds matter for max
    pooling and ReLU, which hide a change that does not win the maximum.

    Returns
    -------
    ndarray of int
        Sorted positions; ``positions.max() - positions.min() + 1`` is the measured
        receptive field.
    """
    import keras

    from .sequences import random_sequences

    index = check_int(index, "index", 0)
    n_backgrounds = check_int(n_backgrounds, "n_backgrounds", 1)
    if layer is not None:
        model = keras.Model(model.inputs, model.get_layer(layer).output)
    length = model.inputs[0].shape[1]
    if len(model.outputs[0].shape) != 3:
        raise ValueError(f"the output must have shape (n, length, channels); received {model.outputs[0].shape}")
    n_out = model.outputs[0].shape[1]
    if index >= n_out:
        raise ValueError(f"index must be < the output length {n_out}; received {index}")
    X = random_sequences(n_backgrounds, length, random_state=random_state)
    changed = np.zeros(length, bool)
    pos = np.arange(length)
    for x in X:
        base = x.argmax(-1)
        mutants = np.repeat(x[None], 3 * length, axis=0)
        for shift in range(1, 4):
            rows = (shift - 1) * length + pos
            mutants[rows, pos] = 0.0
            mutants[rows, pos, (base + shift) % 4] = 1.0
        ref = np.asarray(model.predict_on_batch(x[None]))[0, index]
        out = np.asarray(model.predict_on_batch(mutants))[:, index]
        diff = np.abs(out - ref).max(-1).reshape(3, length).max(0)
        changed |= diff > 1e-6 * (1 + np.abs(ref).max())
    return np.nonzero(changed)[0]


def gradient_norms(model, X, y, batch_size: int = 256):
    """The L2 norm of the loss gradient for each layer's kernel (in layer order).

    Parameters
    ----------
    model : keras.Model, compiled with a loss
    X : ndarray, shape=(n, length, 4); y : ndarray, shape=(n,) or (n, tasks)

    Returns
    -------
    pandas.Series
        Index: layer names that have a ``kernel``; values: ``||dLoss/dW||``.
    """
    import pandas as pd
    import tensorflow as tf

    X = check_one_hot(X).astype(np.float32)[:check_int(batch_size, "batch_size", 1)]
    y = np.asarray(y, np.float32).reshape(len(y), -1)[: len(X)]
    kernels = [(layer.name, layer.kernel) for layer in model.layers if hasattr(layer, "kernel")]
    if not kernels:
        raise ValueError(f"model {model.name!r} has no layer with a kernel")
    loss_fn = tf.keras.losses.BinaryCrossentropy()
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(X, training=False))
    grads = tape.gradient(loss, [k for _, k in kernels])
    return pd.Series([float(tf.norm(g)) for g in grads], index=[n for n, _ in kernels], name="gradient norm")


def input_influence(model, X, batch_size: int = 256) -> np.ndarray:
    """How much each input position moves the output: mean over sequences of
    ``||d output / d x_t||`` (L2 over the 4 channels and the output units).

    Returns
    -------
    ndarray, shape=(length,)
    """
    import tensorflow as tf

    X = check_one_hot(X).astype(np.float32)
    batch_size = check_int(batch_size, "batch_size", 1)
    total = np.zeros(X.shape[1])
    for i in range(0, len(X), batch_size):
        x = tf.constant(X[i:i + batch_size])
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = tf.reduce_sum(model(x, training=False))
        total += np.linalg.norm(tape.gradient(out, x).numpy(), axis=-1).sum(0)
    return total / len(X)


# ----------------------------------------------------------------- the explorer

GRAMMARS = {"SPI1-IRF at 2-5 bp": (30, 33), "SPI1-IRF at 80-120 bp": (108, 148)}


def draw_stack(layers: Sequence[StackLayer], seq_length: int, ax=None, grammars: dict | None = None):
    """Draw the cone of input positions feeding the central output unit, level by level,
    with the receptive field shaded on the sequence and, for scale, the widths of
    the notebook's two grammars (``GRAMMARS``)."""
    import matplotlib.pyplot as plt

    layers = _check_layers(layers)
    table = stack_table(layers, seq_length)
    ax = ax or plt.gca()
    centre = int(table["output length"].iloc[-1]) // 2
    levels = input_positions(layers, centre)
    offsets, jumps, rf, jump = [0.0], [1], 1, 1
    for layer in layers:  # input coordinate of unit 0 of each level, and its spacing
        rf += (layer.kernel - 1) * layer.dilation * jump
        jump *= layer.stride
        offsets.append((rf - 1) / 2)
        jumps.append(jump)
    for level, (positions, off, j) in enumerate(zip(levels, offsets, jumps)):
        ax.scatter(positions * j + off, np.full(len(positions), level), s=6 if len(positions) > 200 else 14,
                   color="#1f77b4" if level else "#d62728", zorder=3)
    lo, hi = levels[0].min(), levels[0].max()
    ax.axvspan(lo - 0.5, hi + 0.5, ymin=0, ymax=0.08, color="#d62728", alpha=0.25)
    names = ["input"] + list(table.index)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_xlim(-0.5, seq_length - 0.5)
    ax.set_ylim(-1.0 - len(grammars or GRAMMARS) * 0.7, len(names) - 0.5)
    for k, (label, (_, width)) in enumerate((grammars or GRAMMARS).items()):
        y = -1.0 - 0.7 * k
        ax.plot([lo, min(lo + width, seq_length) - 1], [y, y], color="0.4", lw=3)
        ax.text(lo, y + 0.12, f"{label} (up to {width} bp)", va="bottom", ha="left", fontsize=7, color="0.3")
    ax.set_xlabel("input position (bp)")
    ax.set_title(f"receptive field {hi - lo + 1} bp: the input span one output unit sees", fontsize=10)
    return ax


def describe_stack(layers: Sequence[StackLayer], seq_length: int) -> dict:
    """Receptive field, parameters, MACs per sequence and output length of a stack."""
    table = stack_table(layers, seq_length)
    return {"receptive field": int(table["receptive field (bp)"].iloc[-1]),
            "parameters": int(table["parameters"].sum()), "MACs": int(table["MACs"].sum()),
            "output length": int(table["output length"].iloc[-1])}


def architecture_explorer(seq_length: int = 1000, n_layers: int = 3, kernel_width: int = 9, dilation: int = 1,
                          pool: int = 1, filters: int = 32):
    """Build a conv stack from sliders and see, instantly, its receptive field drawn over
    the sequence, its parameters and its MACs per sequence (nothing is trained).

    Returns an ipywidgets ``VBox`` (class ``dragonn-architecture-explorer``) with
    ``.controls`` (dict of the sliders) and ``.message`` (the HTML numbers line).
    """
    import ipywidgets as w

    from .widgets import _figure

    seq_length = check_int(seq_length, "seq_length", 10)
    style = {"description_width": "120px"}
    controls = {
        "n_layers": w.IntSlider(value=n_layers, min=1, max=8, description="conv layers", style=style),
        "kernel_width": w.IntSlider(value=kernel_width, min=1, max=25, description="kernel width", style=style),
        "dilation": w.IntSlider(value=dilation, min=1, max=4, description="dilation d (d^i)",
                                style=style),
        "pool": w.Dropdown(options=[1, 2, 4, 8], value=pool, description="max-pool width", style=style),
        "filters": w.IntSlider(value=filters, min=4, max=128, step=4, description="filters", style=style),
    }
    controls["dilation"].add_class("dragonn-architecture-dilation")
    message = w.HTML()
    message.add_class("dragonn-architecture-message")
    output = w.Output()

    def update(change=None):
        layers = conv_stack(**{k: c.value for k, c in controls.items()})
        try:
            d = describe_stack(layers, seq_length)
        except ValueError as exc:
            message.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            output.clear_output()
            return
        message.value = (f"<code>receptive field: {d['receptive field']} bp &nbsp; parameters: "
                         f"{d['parameters']:,} &nbsp; MACs per sequence: {d['MACs']:,} &nbsp; output "
                         f"length: {d['output length']}</code>")

        def draw(figsize):
            import matplotlib.pyplot as plt

            fig, ax = plt.subplots(figsize=figsize)
            draw_stack(layers, seq_length, ax=ax)
            fig.tight_layout()
            return fig

        _figure(output, draw, (10, 3.2))

    for c in controls.values():
        c.observe(update, names="value")
    update()
    box = w.VBox([w.HBox([w.VBox(list(controls.values())[:3]), w.VBox(list(controls.values())[3:])]),
                  message, output])
    box.add_class("dragonn-architecture-explorer")
    box.controls, box.message = controls, message
    return box
