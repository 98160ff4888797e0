"""Shared by the attribution tests (test_interpret.py, test_attribution_architectures.py)."""
from __future__ import annotations

import numpy as np


def randomize(model, seed: int = 0, scale: float = 0.5):
    """Non-trivial weights (and BatchNorm statistics) so every rule is exercised."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if layer.weights:
            new = [rng.normal(0, scale, w.shape) for w in layer.get_weights()]
            if type(layer).__name__ == "BatchNormalization":  # gamma, beta, mean, variance
                new[3] = rng.uniform(0.2, 2.0, new[3].shape)
            layer.set_weights([n.astype(w.dtype) for n, w in zip(new, layer.get_weights())])
    return model
