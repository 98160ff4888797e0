"""The attribution graph shared by every attribution method (private; TensorFlow).

Any Keras model (Sequential or functional: branches, ``Add``/``Concatenate``,
recurrent layers, several inputs) is re-built once per model from public Keras
API (``keras.models.clone_model`` with a ``call_function``) as a *twin*: the
same graph with fresh float32 layers (float64 when the model is float64, so
mixed-precision models are explained in full precision) whose weights are
copied from the model before every call, so a model trained further after an
explanation is explained with its new weights. The twin stops before the
output's sigmoid/softmax: attributions explain the logit.

The twins are cached per model in a ``WeakKeyDictionary`` whose values never
refer to the model (only to their own layers), so ``del model`` frees it.

While the twin is built, the position-local part of the network reading the
explained input (stride-1 convolutions, elementwise activations,
BatchNormalization, dropout, and merges such as residual ``Add``) is recognised
when one of its tensors is all the rest reads: in-silico mutagenesis recomputes
only a window of that part per mutant (see :mod:`dragonn_tutorial.ism`).
"""
from __future__ import annotations

import weakref
from typing import NamedTuple

import numpy as np

from ._validation import ParameterTypeError, check_array, check_int, check_one_hot, missing_name_error

OUTPUT_ACTIVATIONS = ("sigmoid", "softmax")
ELEMENTWISE = ("relu", "sigmoid", "tanh", "elu", "selu", "softplus", "softsign", "gelu", "silu",
               "swish", "leaky_relu", "relu6", "exponential", "hard_sigmoid", "hard_silu",
               "hard_swish", "mish", "celu", "linear")
_MERGES = ("Add", "Subtract", "Average", "Maximum", "Minimum", "Multiply")
_LOCAL_LAYERS = ("ReLU", "LeakyReLU", "ELU", "PReLU", "BatchNormalization", "Dropout", "SpatialDropout1D",
                 "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Identity")


def activation_name(fn) -> str:
    return getattr(fn, "__name__", type(fn).__name__).lower()


def first_call_quiet(compiled):
    """Call a compiled graph, silencing TensorFlow's "retracing" warning on the first
    call only (each graph here has a fixed signature and is traced once, by design)."""
    traced = []

    def call(*args):
        if traced:
            return compiled(*args)
        import tensorflow as tf

        logger = tf.get_logger()
        level = logger.level
        logger.setLevel("ERROR")
        try:
            return compiled(*args)
        finally:
            logger.setLevel(level)
            traced.append(True)
    return call


class Inputs(NamedTuple):
    """Validated model inputs: the explained one-hot input and the others (held fixed)."""
    seq: np.ndarray      # (n, length, 4)
    others: tuple        # arrays in model input order, the explained one left out


class _Local(NamedTuple):
    """A tensor that is a position-local function of an explained input: a substitution at
    input position p changes at most its positions p + a ... p + b; it is ``shrink``
    positions shorter than the input ('valid' convolutions)."""
    index: int
    a: int
    b: int
    shrink: int
    tensor: object

    @property
    def width(self) -> int:
        """Positions of the (fixed-width) window one substitution can change."""
        return self.b - self.a + 1


class _Step(NamedTuple):
    kind: str            # "conv" (stride 1; run 'valid' on a window), "local" (elementwise), "merge"
    layer: object        # the twin layer applied to windows
    full: object         # the twin layer applied to whole sequences (a 'same' convolution stays 'same')
    ins: tuple           # ids of the input tensors
    out: int             # id of the output tensor
    conv: tuple | None   # (left padding of the original layer, span, padded) for "conv"


class Stem(NamedTuple):
    """The position-local part of the network an explained input feeds."""
    steps: tuple         # _Step, in order
    input: int           # id of the explained input tensor
    exit: int            # id of the one tensor the rest of the network reads
    windows: dict        # tensor id -> its _Local (the window a substitution changes)
    bytes_per_position: int  # of the wild-type activations the window path keeps (an upper bound)
    head: object         # keras.Model([exit tensor] + other inputs) -> logits
    pool: str | None     # "max" / "average": the exit tensor's only reader is a global pool
    post: object         # keras.Model([pooled vector] + other inputs) -> logits, when pool is set

    @property
    def field(self) -> int:
        """Positions of the exit tensor one substitution can change."""
        return self.windows[self.exit].width


def _is_layer(op) -> bool:
    import keras

    return isinstance(op, keras.layers.Layer)


def _tensors(args, kwargs) -> list:
    import keras

    return [t for t in keras.tree.flatten((args, kwargs)) if isinstance(t, keras.KerasTensor)]


class Graph:
    """A model's float32 twin and the compiled functions on it. Holds no reference
    to the model; :func:`graph_of` re-syncs the weights before each use."""

    def __init__(self, model):
        import keras

        if len(model.outputs) != 1:
            raise ValueError(f"model {model.name!r} has {len(model.outputs)} outputs; attribution explains "
                             "one: pass keras.Model(model.inputs, model.outputs[i])")
        out_shape = tuple(model.outputs[0].shape)
        if len(out_shape) != 2:
            raise ValueError(f"model {model.name!r} has output shape {out_shape}; attribution needs one "
                             "value per task, shape (n, tasks)")
        del keras  # imported above only to fail early when Keras is missing
        self.name = model.name
        self.num_outputs = int(out_shape[-1])
        self.dtype = "float64" if any("float64" in str(w.dtype) for w in model.weights) else "float32"
        self.input_names = [t.name for t in model.inputs]
        self.input_shapes = [tuple(t.shape[1:]) for t in model.inputs]
        self.input_dtypes = [self.dtype if "float" in str(t.dtype) else str(t.dtype) for t in model.inputs]
        self.candidates = [i for i, s in enumerate(self.input_shapes) if len(s) == 2 and s[-1] == 4]
        if not self.candidates:
            raise ValueError(f"model {model.name!r} has no input of shape (length, 4) (inputs: "
                             f"{dict(zip(self.input_names, self.input_shapes))}); attribution explains "
                             "a one-hot DNA input")
        self.signature = _signature(model)
        self._pairs = []        # (weakref to original layer, twin layer): weights copied before use
        self._twins = {}        # (id(original), variant) -> twin, while building
        self.output_fn = None   # the dropped sigmoid/softmax
        self.output_layer = _output_layer_name(model)
        self.compiled = {}      # compiled functions, by key (built by the method modules)
        self.cache = {}         # other per-model graphs (e.g. DeepLIFT's), by key
        self.stems = {}         # explained input index -> Stem or None
        self._track = None
        self.plain = self.rebuild(model, self._plain_call, track=True)

    # ------------------------------------------------------------------ building
    def twin(self, layer, variant: str = "", **overrides):
        """A fresh copy of ``layer`` in the graph's dtype (``overrides`` change its config,
        e.g. ``activation="linear"``); its weights follow the original's."""
        key = (id(layer), variant)
        if key in self._twins:
            return self._twins[key]
        import keras

        if isinstance(layer, keras.Model):
            twin = self.rebuild(layer, self._plain_call, top=False)
        else:
            config = dict(layer.get_config(), dtype=self.dtype, **overrides)
            try:
                twin = type(layer).from_config(config)
            except Exception as err:  # noqa: BLE001 - a custom layer without a usable config
                raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) cannot be re-created from "
                                 f"its config for attribution ({err}); give it a get_config() that "
                                 "from_config() accepts") from err
            self._pairs.append((weakref.ref(layer), twin))
        self._twins[key] = twin
        return twin

    def rebuild(self, model, call, top: bool = True, track: bool = False):
        """A functional copy of ``model`` in which every layer is called as
        ``call(graph, layer, args, kwargs, is_output)`` (the layer is the original;
        ``call`` decides what runs in its place)."""
        import keras

        out_name = _output_layer_name(model) if top else None
        if track:
            self._track = {"local": {}, "consumers": {}, "local_consumers": {}, "steps": [], "pool": {}}
        inputs = [keras.Input(batch_shape=t.shape, dtype=d, name=t.name)
                  for t, d in zip(model.inputs, self.input_dtypes if top else [t.dtype for t in model.inputs])]
        if track:
            for i in self.candidates:
                self._track["local"][id(inputs[i])] = _Local(i, 0, 0, 0, inputs[i])

        def call_function(layer, *args, **kwargs):
            outputs = call(layer, args, kwargs, top and getattr(layer, "name", None) == out_name)
            if track:
                self._note(layer, args, kwargs, outputs)
            return outputs

        if isinstance(model, keras.Sequential):
            x = inputs[0]
            for layer in model.layers:
                x = call_function(layer, x)
            outputs = [x]
        else:
            clone = keras.models.clone_model(model, input_tensors=keras.tree.pack_sequence_as(model.input, inputs),
                                             clone_function=lambda layer: layer, call_function=call_function)
            outputs = list(clone.outputs)
        built = keras.Model(inputs if len(inputs) > 1 else inputs[0],
                            outputs[0] if len(outputs) == 1 else outputs, name=f"{model.name}_attribution")
        if track:
            self._find_stems(inputs, outputs[0])
        if top and model is not None:
            self.sync(model)  # twins created by this build start with the model's weights
        return built

    def _plain_call(self, layer, args, kwargs, is_output):
        """The ordinary forward pass, in float32, without the final sigmoid/softmax."""
        if not _is_layer(layer):  # a keras.ops operation in a functional model: stateless
            return layer(*args, **kwargs)
        kind = type(layer).__name__
        act = getattr(layer, "activation", None)
        if is_output and kind in ("Activation", "Softmax"):
            name = "softmax" if kind == "Softmax" else activation_name(act)
            if name in OUTPUT_ACTIVATIONS:
                self.output_fn = self.twin(layer)
                return args[0]
        if is_output and act is not None and activation_name(act) in OUTPUT_ACTIVATIONS:
            import keras

            self.output_fn = keras.activations.get(activation_name(act))
            return self.twin(layer, "linear", activation="linear")(*args, **kwargs)
        return self.twin(layer)(*args, **kwargs)

    def _note(self, layer, args, kwargs, outputs):
        """Bookkeeping for windowed ISM: which tensors are position-local functions of an
        explained input (stride-1 convolutions, elementwise layers, elementwise merges such
        as residual ``Add``), and by how much each widens the window a substitution changes."""
        import keras

        track = self._track
        ins = _tensors(args, kwargs)
        for t in ins:
            track["consumers"][id(t)] = track["consumers"].get(id(t), 0) + 1
        outs = [t for t in keras.tree.flatten(outputs) if isinstance(t, keras.KerasTensor)]
        locs = [track["local"].get(id(t)) for t in ins]
        if len(outs) != 1 or not ins or None in locs or not _is_layer(layer) \
                or len({loc.index for loc in locs}) != 1:
            return
        kind = type(layer).__name__
        pool = {"GlobalMaxPooling1D": "max", "GlobalAveragePooling1D": "average"}.get(kind)
        if pool and not layer.get_config().get("keepdims") and layer.data_format == "channels_last" \
                and len(args) == 1 and all(v is None for v in kwargs.values()):
            track["pool"][id(ins[0])] = (pool, outs[0])
            return
        twin = self._twins.get((id(layer), ""))
        if twin is None:
            return
        (first, *_), index = locs, locs[0].index
        if len(ins) == 1 and kind == "Conv1D" and tuple(layer.strides) == (1,) \
                and layer.data_format == "channels_last" and layer.padding in ("valid", "same", "causal"):
            span = (layer.kernel_size[0] - 1) * int(layer.dilation_rate[0])
            left = {"valid": 0, "same": span // 2, "causal": span}[layer.padding]
            windowed = twin
            if layer.padding != "valid":
                windowed = self.twin(layer, "valid", padding="valid")
                if not windowed.built:
                    windowed.build(tuple(ins[0].shape))
            # output i reads inputs i - left ... i - left + span
            out = _Local(index, first.a - (span - left), first.b + left,
                         first.shrink + (span if layer.padding == "valid" else 0), outs[0])
            step = _Step("conv", windowed, twin, (id(ins[0]),), id(outs[0]), (left, span, layer.padding != "valid"))
        elif len(ins) == 1 and ((kind == "Activation" and activation_name(layer.activation) in ELEMENTWISE)
                                or (kind in _LOCAL_LAYERS and _same_at_every_position(layer))):
            out = _Local(index, first.a, first.b, first.shrink, outs[0])
            step = _Step("local", twin, twin, (id(ins[0]),), id(outs[0]), None)
        elif len(ins) > 1 and len({loc.shrink for loc in locs}) == 1 and (
                kind in _MERGES or (kind == "Concatenate" and layer.axis in (-1, 2))):
            out = _Local(index, min(loc.a for loc in locs), max(loc.b for loc in locs), first.shrink, outs[0])
            step = _Step("merge", twin, twin, tuple(id(t) for t in ins), id(outs[0]), None)
        else:
            return
        track["local"][id(outs[0])] = out
        track["steps"].append(step)
        for t in ins:
            track["local_consumers"][id(t)] = track["local_consumers"].get(id(t), 0) + 1

    def _find_stems(self, inputs, logits):
        """Per explained input: the position-local part of the network it feeds (a DAG of
        steps) when exactly one of its tensors is read by the rest of the network."""
        import keras

        track = self._track
        for i in self.candidates:
            local = {key: loc for key, loc in track["local"].items() if loc.index == i}
            exits = [key for key in local
                     if track["consumers"].get(key, 0) > track["local_consumers"].get(key, 0)]
            self.stems[i] = None
            if len(exits) != 1 or exits[0] == id(inputs[i]) or id(logits) in local:
                continue
            needed, steps = {exits[0]}, []
            for step in reversed(track["steps"]):
                if step.out in needed:
                    steps.append(step)
                    needed.update(step.ins)
            steps.reverse()
            if id(inputs[i]) not in needed or not any(step.kind == "conv" for step in steps):
                continue
            t = local[exits[0]].tensor
            others = [x for j, x in enumerate(inputs) if j != i]
            head = keras.Model([t] + others, logits, name=f"{self.name}_head_{i}")
            pool, post = None, None
            if track["consumers"].get(id(t), 0) == 1 and id(t) in track["pool"]:
                pool, pooled = track["pool"][id(t)]
                post = keras.Model([pooled] + others, logits, name=f"{self.name}_post_{i}")
            windows = {key: local[key] for key in needed}
            size = 8 * (sum(int(loc.tensor.shape[-1]) for loc in windows.values()) + 2 * int(t.shape[-1]))
            self.stems[i] = Stem(tuple(steps), id(inputs[i]), exits[0], windows, size, head, pool, post)
        self._track = None

    def sync(self, model):
        """Copy the model's current weights into the twins."""
        for ref, twin in self._pairs:
            layer = ref()
            if layer is None:  # pragma: no cover - the model owns its layers
                continue
            for tv, ov in zip(twin.weights, layer.weights):
                tv.assign(np.asarray(ov.numpy(), dtype=tv.dtype) if tv.dtype != ov.dtype else ov.value)

    # ------------------------------------------------------------------ inputs and outputs
    def explained_index(self, explain) -> int:
        if explain is None:
            if len(self.candidates) > 1:
                names = [self.input_names[i] for i in self.candidates]
                raise ValueError(f"model {self.name!r} has several (length, 4) inputs {names}; name the one "
                                 "to explain with explain=<name or index>")
            return self.candidates[0]
        if isinstance(explain, (int, np.integer)) and not isinstance(explain, bool):
            index = check_int(explain, "explain", 0, len(self.input_names) - 1)
        elif isinstance(explain, str):
            if explain not in self.input_names:
                raise missing_name_error("input (explain)", explain, self.input_names)
            index = self.input_names.index(explain)
        else:
            raise ParameterTypeError(f"explain must be an input name or index; received {explain!r}")
        if index not in self.candidates:
            raise ValueError(f"explain={explain!r} names input {self.input_names[index]!r} of shape "
                             f"{self.input_shapes[index]}; only one-hot (length, 4) inputs can be explained")
        return index

    def prepare(self, X, explain=None, name: str = "X", one_hot: bool = True) -> tuple:
        """(index of the explained input, Inputs) from an array (one-input model), a
        list in model input order or a dict by input name. ``one_hot=False`` accepts
        any finite (n, length, 4) array (references such as the GC-matched one)."""
        index = self.explained_index(explain)
        k = len(self.input_names)
        if isinstance(X, dict):
            missing = [n for n in self.input_names if n not in X]
            if missing:
                raise KeyError(f"{name} is missing model input(s) {missing}; the model takes {self.input_names}")
            arrays = [X[n] for n in self.input_names]
        elif isinstance(X, (list, tuple)):
            if len(X) != k:
                raise ValueError(f"{name} has {len(X)} arrays but model {self.name!r} takes {k} inputs "
                                 f"{self.input_names}")
            arrays = list(X)
        else:
            if k != 1:
                raise ValueError(f"model {self.name!r} takes {k} inputs {self.input_names}; pass {name} as a "
                                 "list in that order or a dict by input name (the explained one is one-hot, "
                                 "the others are held at their values)")
            arrays = [X]
        label = f"{name}[{self.input_names[index]!r}]" if k > 1 else name
        if one_hot:
            seq = check_one_hot(arrays[index], label)
        else:
            seq = check_array(arrays[index], label, ndim=(2, 3))
            seq = seq[None] if seq.ndim == 2 else seq
            if seq.shape[-1] != 4:
                raise ValueError(f"{label} must have shape (n, length, 4); received {seq.shape}")
        if seq.shape[1] != self.input_shapes[index][0]:
            raise ValueError(f"{name} has sequences of length {seq.shape[1]}, but model {self.name!r} takes "
                             f"length {self.input_shapes[index][0]}")
        others = []
        for j, a in enumerate(arrays):
            if j == index:
                continue
            a = np.asarray(a, dtype=self.input_dtypes[j])
            if a.shape[1:] != tuple(s if s is not None else a.shape[1 + q] for q, s in
                                    enumerate(self.input_shapes[j])) or len(a) != len(seq):
                raise ValueError(f"{name}[{self.input_names[j]!r}] has shape {a.shape}; the model expects "
                                 f"({len(seq)}, {', '.join(str(s) for s in self.input_shapes[j])})")
            others.append(a)
        return index, Inputs(np.ascontiguousarray(seq, dtype=self.dtype), tuple(others))

    def check_task(self, task) -> int:
        return check_int(task, "task", 0, self.num_outputs - 1)

    def assemble(self, index, seq, others):
        """The model's input list with ``seq`` at position ``index``."""
        parts = list(others)
        parts.insert(index, seq)
        return parts if len(parts) > 1 else parts[0]

    def forward(self, index: int, probability: bool = False):
        """Compiled: (seq, *others) -> outputs (logits, or probabilities), shape (n, tasks)."""
        import tensorflow as tf

        key = ("forward", index, probability)
        if key not in self.compiled:
            def run(seq, *others):
                y = self.plain(self.assemble(index, seq, others), training=False)
                if probability and self.output_fn is not None:
                    y = self.output_fn(y)
                return tf.cast(y, self.dtype)
            self.compiled[key] = first_call_quiet(tf.function(run, input_signature=self.specs(index)))
        return self.compiled[key]

    def specs(self, index: int) -> list:
        import tensorflow as tf

        specs = [tf.TensorSpec([None, *self.input_shapes[index]], self.dtype)]
        return specs + [tf.TensorSpec([None, *self.input_shapes[j]], self.input_dtypes[j])
                        for j in range(len(self.input_names)) if j != index]

    def outputs(self, index: int, inputs: Inputs, probability: bool = False, batch_size: int = 1024):
        fn = self.forward(index, probability)
        out = [np.asarray(fn(inputs.seq[i:i + batch_size], *(a[i:i + batch_size] for a in inputs.others)))
               for i in range(0, len(inputs.seq), batch_size)]
        return np.concatenate(out) if out else np.zeros((0, self.num_outputs), self.dtype)


def _same_at_every_position(layer) -> bool:
    """Whether an elementwise layer computes the same function at every position (a
    PReLU with a slope per position, or a BatchNormalization over positions, does not)."""
    kind = type(layer).__name__
    if kind == "BatchNormalization":
        return layer.axis in (-1, 2)
    if kind == "PReLU":
        return 1 in (layer.shared_axes or ())
    return True


def _output_layer_name(model):
    import keras

    if isinstance(model, keras.Sequential):
        return model.layers[-1].name if model.layers else None
    try:
        spec = model.get_config()["output_layers"]  # ["name", 0, 0] or [["name", 0, 0], ...]
    except Exception:  # noqa: BLE001 - a subclassed functional model without a config
        return None
    while isinstance(spec, (list, tuple)) and spec and not isinstance(spec[0], str):
        spec = spec[0]
    return spec[0] if isinstance(spec, (list, tuple)) and spec else None


def _signature(model) -> tuple:
    return tuple((layer.name, type(layer).__name__, tuple(tuple(w.shape) for w in layer.weights))
                 for layer in model.layers)


_GRAPHS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def graph_of(model) -> Graph:
    """The model's attribution graph (built on first use, cached weakly), with the
    model's current weights."""
    import keras

    if not isinstance(model, keras.Model):
        raise ParameterTypeError(f"model must be a keras.Model; received {type(model).__name__}")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError(f"model {model.name!r} is not built; create it with keras.Input(...) or call it once")
    graph = _GRAPHS.get(model)
    if graph is None or graph.signature != _signature(model):
        graph = Graph(model)
        _GRAPHS[model] = graph
    graph.sync(model)
    return graph
