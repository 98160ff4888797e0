"""Small, fast training experiments for notebook 07 (training in practice).

Plain Keras underneath: :func:`tiny_cnn` builds a compiled ``keras.Model`` with
every knob the notebook turns (optimiser, learning rate, activation, depth,
dropout, L1/L2); :func:`fit` is ``model.fit`` on a cached ``tf.data``
pipeline (much less per-epoch overhead than NumPy arrays for many short runs)
that returns the per-epoch training and validation losses; :func:`gradient_norms`
measures per-layer gradient sizes (vanishing gradients); :func:`reverse_complement_augment`
doubles a training set with its reverse complements.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice, check_float, check_int, check_one_hot

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
ACTIVATIONS = ("relu", "sigmoid", "tanh", "elu", "softplus", "leaky_relu", "linear")


def _labels(y, n: int, name: str = "y") -> np.ndarray:
    y = np.asarray(y, dtype=np.float32)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or len(y) != n:
        raise ValueError(f"{name} must have shape ({n},) or ({n}, tasks); received {y.shape}")
    return y


def make_optimizer(name: str = "adam", learning_rate: float = 1e-3):
    """A Keras optimiser by short name.

    Parameters
    ----------
    name : {"sgd", "momentum", "rmsprop", "adam"}, default "adam"
        ``"momentum"`` is SGD with momentum 0.9.
    learning_rate : float > 0, default 1e-3
    """
    import keras

    name = check_choice(name, "optimizer", OPTIMIZERS)
    learning_rate = check_float(learning_rate, "learning_rate", 1e-12)
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate)
    if name == "momentum":
        return keras.optimizers.SGD(learning_rate, momentum=0.9)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    return keras.optimizers.Adam(learning_rate)


def tiny_cnn(seq_length: int, filters: int = 16, width: int = 11, depth: int = 1, hidden: int = 16,
             activation: str = "relu", dropout: float = 0.0, l1: float = 0.0, l2: float = 0.0,
             optimizer: str = "adam", learning_rate: float = 1e-2, random_state: int = 0):
    """A small compiled CNN: ``depth`` × (Conv1D → activation), global max pooling,
    optional dense hidden layer, sigmoid output.

    Parameters
    ----------
    seq_length : int
        Input shape is (seq_length, 4).
    filters : int, default 16
        Filters per conv layer.
    width : int, default 11
        Filter width; layers after the first use ``padding="same"``.
    depth : int, default 1
        Conv layers (layers named ``conv_1`` … ``conv_depth``).
    hidden : int, default 16
        Units of the dense layer after pooling (0: none).
    activation : str, default "relu"
        One of ``ACTIVATIONS``, used in every hidden layer.
    dropout : float in [0, 1), default 0.0
        Dropout after pooling and after the hidden layer.
    l1, l2 : float >= 0, default 0.0
        Penalties on every kernel (``keras.regularizers.L1L2``).
    optimizer : str, default "adam"
        See :func:`make_optimizer`.
    learning_rate : float, default 1e-2
    random_state : int, default 0
        Seeds the weight initialisers only (nothing global changes).

    Returns
    -------
    keras.Model
        Compiled with binary cross-entropy; input (n, seq_length, 4), output (n, 1).
    """
    import keras
    from keras import layers

    seq_length = check_int(seq_length, "seq_length", 1)
    filters = check_int(filters, "filters", 1)
    width = check_int(width, "width", 1, seq_length)
    depth = check_int(depth, "depth", 1)
    hidden = check_int(hidden, "hidden", 0)
    activation = check_choice(activation, "activation", ACTIVATIONS)
    dropout = check_float(dropout, "dropout", 0.0, 0.95)
    l1, l2 = check_float(l1, "l1", 0.0), check_float(l2, "l2", 0.0)
    random_state = check_int(random_state, "random_state", 0)
    reg = keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    seeds = iter(range(random_state * 1000, random_state * 1000 + 1000))
    init = lambda: keras.initializers.GlorotUniform(seed=next(seeds))  # noqa: E731

    inputs = keras.Input(shape=(seq_length, 4), name="sequence")
    x = inputs
    for i in range(1, depth + 1):
        x = layers.Conv1D(filters, width, padding="valid" if i == 1 else "same", activation=activation,
                          kernel_initializer=init(), kernel_regularizer=reg, name=f"conv_{i}")(x)
    x = layers.GlobalMaxPooling1D(name="pool")(x)
    if dropout:
        x = layers.Dropout(dropout, seed=next(seeds), name="dropout_1")(x)
    if hidden:
        x = layers.Dense(hidden, activation=activation, kernel_initializer=init(), kernel_regularizer=reg,
                         name="hidden")(x)
        if dropout:
            x = layers.Dropout(dropout, seed=next(seeds), name="dropout_2")(x)
    outputs = layers.Dense(1, activation="sigmoid", kernel_initializer=init(), name="output")(x)
    model = keras.Model(inputs, outputs, name="tiny_cnn")
    model.compile(optimizer=make_optimizer(optimizer, learning_rate), loss="binary_crossentropy")
    return model


def batches(X, y, batch_size: int = 32, shuffle: bool = True, random_state: int = 0, sample_weight=None):
    """A cached ``tf.data.Dataset`` of (X, y[, sample_weight]) batches, reshuffled every epoch.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    y : ndarray, shape=(n,) or (n, tasks)
    batch_size : int, default 32
    shuffle : bool, default True
    random_state : int, default 0
        Seed of the shuffle order.
    sample_weight : ndarray, shape=(n,), optional
    """
    import tensorflow as tf

    X = check_one_hot(X, "X", allow_2d=False).astype(np.float32, copy=False)
    y = _labels(y, len(X))
    batch_size = check_int(batch_size, "batch_size", 1)
    parts = (X, y) if sample_weight is None else (X, y, np.asarray(sample_weight, np.float32).reshape(len(X)))
    ds = tf.data.Dataset.from_tensor_slices(parts).cache()
    if shuffle:
        ds = ds.shuffle(len(X), seed=check_int(random_state, "random_state", 0), reshuffle_each_iteration=True)
    return ds.batch(batch_size)


def fit(model, train, valid=None, epochs: int = 20, batch_size: int = 32, callbacks=None,
        class_weight=None, random_state: int = 0) -> dict:
    """``model.fit`` on ``train = (X, y)`` (validating on ``valid = (X, y)``); per-epoch losses.

    Parameters
    ----------
    model : keras.Model
        Compiled.
    train : tuple (X, y) or (X, y, sample_weight)
        X of shape (n, length, 4), y of shape (n,) or (n, 1).
    valid : tuple (X, y), optional
    epochs : int, default 20
    batch_size : int, default 32
    callbacks : list of keras callbacks, optional
    class_weight : dict {0: w0, 1: w1}, optional
    random_state : int, default 0
        Seed of the batch order.

    Returns
    -------
    dict
        ``{"loss": [...], "val_loss": [...]}`` per epoch (as Keras reports them:
        the training loss is the running mean over each epoch's batches, with dropout on).
    """
    if not isinstance(train, (tuple, list)) or len(train) not in (2, 3):
        raise ValueError(f"train must be (X, y) or (X, y, sample_weight); received {type(train).__name__}")
    epochs = check_int(epochs, "epochs", 1)
    weights = train[2] if len(train) == 3 else None
    data = batches(train[0], train[1], batch_size, True, random_state, weights)
    val = None
    if valid is not None:
        val = batches(valid[0], valid[1], 1024, shuffle=False)
    h = model.fit(data, validation_data=val, epochs=epochs, verbose=0, callbacks=callbacks or [],
                  class_weight=class_weight, shuffle=False)  # batches() already reshuffles every epoch
    return {k: [float(v) for v in vals] for k, vals in h.history.items()}


def bce(model, X, y, batch_size: int = 1024) -> float:
    """Binary cross-entropy of the model's predictions on (X, y), in inference mode
    (no dropout) and without weight penalties, so models with and without L1/L2 compare.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    y : ndarray, shape=(n,) or (n, 1)
    """
    p = np.clip(predict(model, X, batch_size).astype(np.float64), 1e-7, 1 - 1e-7)
    y = _labels(y, len(p))[:, 0]
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def predict(model, X, batch_size: int = 1024) -> np.ndarray:
    """Probabilities, shape (n,), without progress bars."""
    X = check_one_hot(X, "X", allow_2d=False).astype(np.float32, copy=False)
    # eager calls: no tf.function to trace for every new model
    parts = [np.asarray(model(X[i:i + batch_size], training=False)) for i in range(0, len(X), batch_size)]
    return np.concatenate(parts).reshape(len(X), -1)[:, 0] if parts else np.zeros(0, np.float32)


def reverse_complement_augment(X, y):
    """The training set plus the reverse complement of every sequence (same labels).

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    y : ndarray, shape=(n,) or (n, tasks)

    Returns
    -------
    X2 : ndarray, shape=(2n, length, 4)
    y2 : ndarray, shape=(2n, tasks)
    """
    X = check_one_hot(X, "X", allow_2d=False)
    y = _labels(y, len(X))
    return np.concatenate([X, X[:, ::-1, ::-1]]), np.concatenate([y, y])


def gradient_norms(model, X, y) -> dict:
    """The L2 norm of the loss gradient with respect to each layer's kernel, on one batch.

    Parameters
    ----------
    model : keras.Model
    X : ndarray, shape=(n, length, 4)
    y : ndarray, shape=(n,) or (n, 1)

    Returns
    -------
    dict {layer name: float}, input to output order
    """
    import keras
    import tensorflow as tf

    X = check_one_hot(X, "X", allow_2d=False).astype(np.float32, copy=False)
    y = _labels(y, len(X))
    kernels = [(layer.name, layer.kernel) for layer in model.layers if hasattr(layer, "kernel")]
    with tf.GradientTape() as tape:
        p = model(X, training=False)
        value = tf.reduce_mean(keras.losses.binary_crossentropy(y, p))
    grads = tape.gradient(value, [k for _, k in kernels])
    return {name: float(tf.norm(g)) for (name, _), g in zip(kernels, grads)}
