"""dragonn_tutorial: the helper package behind the DragoNN-style workbook.

Modules (one concept each): ``sequences``, ``motifs``, ``simulations``,
``metrics``, ``baselines``, ``plotting``, ``widgets`` (numpy/scikit-learn/matplotlib), and
``device``, ``models``, ``training``, ``interpret`` (TensorFlow, imported
only when they are used). ``import dragonn_tutorial`` never imports
TensorFlow, so it is instant.
"""
from __future__ import annotations

import importlib
import random

__version__ = "0.1.0"

_SUBMODULES = {
    "sequences", "motifs", "simulations", "metrics", "baselines", "plotting", "widgets",
    "device", "models", "training", "interpret", "workshop",
    "filters", "ism", "gradients", "deeplift", "references", "attribution_scores",
    "widgets_architectures",
    "practice", "negatives", "widgets_training",
    "datasets", "discovery", "cli", "widgets_real_data",
    "simulations_extra", "widgets_multimodal",
}

__all__ = sorted(_SUBMODULES) + ["set_seed", "__version__"]


def __getattr__(name):
    # Submodules load on first use: dragonn_tutorial.models imports TensorFlow only then.
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'dragonn_tutorial' has no attribute {name!r}")


def set_seed(seed: int = 0) -> None:
    """Make a notebook's re-runs give the same numbers on the same machine.

    Seeds Python's ``random``, NumPy's legacy global generator, and, when
    TensorFlow is installed, Keras and TensorFlow, and turns on TensorFlow's
    op determinism. Library functions still take their own ``random_state``;
    this is for the notebook's own cells and for Keras weight initialisation.

    ``PYTHONHASHSEED`` is deliberately **not** set: Python reads it only at
    start-up, so setting it in a running kernel would change nothing here
    (only child processes). Nothing in this package depends on string-hash
    order; if your own code does, start Python (or Jupyter) with
    ``PYTHONHASHSEED=0`` in its environment.

    Parameters
    ----------
    seed : int in [0, 2**32 - 1], default 0
    """
    from ._validation import check_int

    seed = check_int(seed, "seed", 0, 2 ** 32 - 1)
    random.seed(seed)
    import numpy as np

    np.random.seed(seed)
    try:
        import tensorflow as tf
        import keras
    except ImportError:  # pragma: no cover - TF is a dependency, but stay usable without it
        return
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
