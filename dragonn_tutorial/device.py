"""Which hardware Keras will use, and how to use it well.

A GPU is picked up automatically: memory growth is enabled (so TensorFlow
does not grab all GPU memory), mixed precision is turned on only where it
pays (NVIDIA compute capability >= 7.0: Volta, Turing, Ampere and later),
and :func:`strategy` spreads training over all visible GPUs. The models
always keep their output layer in float32.
"""
from __future__ import annotations

import os
from functools import lru_cache

MIXED_PRECISION_MIN_CAPABILITY = (7, 0)


def _tf():
    import tensorflow as tf

    return tf


def list_gpus() -> list:
    """The GPUs TensorFlow sees (``tf.config.list_physical_devices('GPU')``)."""
    return list(_tf().config.list_physical_devices("GPU"))


def gpu_details(gpu) -> dict:
    """Name and compute capability of one physical GPU (empty dict if unknown)."""
    try:
        return dict(_tf().config.experimental.get_device_details(gpu) or {})
    except Exception:  # pragma: no cover - driver-dependent
        return {}


def mixed_precision_pays(gpus=None) -> bool:
    """True when every visible GPU has compute capability >= 7.0 (tensor cores)."""
    gpus = list_gpus() if gpus is None else gpus
    if not gpus:
        return False
    for gpu in gpus:
        cc = gpu_details(gpu).get("compute_capability")
        if cc is None or tuple(cc) < MIXED_PRECISION_MIN_CAPABILITY:
            return False
    return True


@lru_cache(maxsize=1)
def configure(mixed_precision: bool | None = None) -> dict:
    """Set TensorFlow up for the hardware present; safe to call many times.

    Parameters
    ----------
    mixed_precision : bool or None, default None
        None decides automatically (:func:`mixed_precision_pays`); True or
        False forces it. The environment variable
        ``DRAGONN_MIXED_PRECISION=0`` also turns it off.

    Returns
    -------
    dict with keys ``gpus`` (names), ``mixed_precision`` (bool).
    """
    tf = _tf()
    gpus = list_gpus()
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except (RuntimeError, ValueError):  # already initialised: leave it as it is
            pass
    if mixed_precision is None:
        mixed_precision = mixed_precision_pays(gpus) and os.environ.get("DRAGONN_MIXED_PRECISION", "1") != "0"
    if mixed_precision:
        import keras

        keras.mixed_precision.set_global_policy("mixed_float16")
    names = [gpu_details(g).get("device_name", getattr(g, "name", "GPU")) for g in gpus]
    return {"gpus": names, "mixed_precision": bool(mixed_precision)}


def strategy():
    """A ``tf.distribute`` strategy: MirroredStrategy over several GPUs, else the default."""
    tf = _tf()
    gpus = list_gpus()
    if len(gpus) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def describe_device() -> str:
    """One line saying what will run the models.

    Examples: ``"GPU: NVIDIA T4 (mixed precision on)"``,
    ``"2 GPUs: NVIDIA A100-SXM4-40GB, NVIDIA A100-SXM4-40GB (mixed precision on)"``,
    ``"CPU: 2 cores, no GPU found"``.
    """
    info = configure()
    gpus = info["gpus"]
    if not gpus:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return f"CPU: {cores} cores, no GPU found"
    mp = "on" if info["mixed_precision"] else "off"
    label = "GPU" if len(gpus) == 1 else f"{len(gpus)} GPUs"
    return f"{label}: {', '.join(gpus)} (mixed precision {mp})"


def where_am_i() -> str:
    """'Google Colab', 'Binder' or 'a local Jupyter' (from the environment; no imports of TF)."""
    import sys

    if "google.colab" in sys.modules:
        return "Google Colab"
    if any(k.startswith("BINDER_") for k in os.environ) or os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "").startswith("/user/"):
        return "Binder (or another JupyterHub)"
    return "a local Jupyter"


def package_versions() -> dict:
    """Versions of Python and of the packages the workbook uses."""
    import platform
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in ("dragonn_tutorial", "tensorflow", "keras", "numpy", "scikit-learn", "pandas",
                 "matplotlib", "logomaker", "ipywidgets", "jupyterlab"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
