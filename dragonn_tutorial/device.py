"""Which hardware Keras will use, and how to use it well, changed only when asked.

Nothing here changes TensorFlow or Keras unless you call :func:`configure`:
``describe_device`` only looks, and the model builders never configure anything.
``configure(mixed_precision=True)`` turns on the ``mixed_float16`` policy (it pays on
NVIDIA GPUs of compute capability >= 7.0: Volta, Turing, Ampere and later) and
``configure(mixed_precision=False)`` turns it off again; the environment variable
``DRAGONN_MIXED_PRECISION=1`` is the same opt-in for ``configure()`` called without
an argument. Memory growth (TensorFlow does not grab all GPU memory) is enabled by
``configure``. :func:`strategy` spreads training over all visible GPUs. The models
always keep their output layer in float32.
"""
from __future__ import annotations

import os

MIXED_PRECISION_MIN_CAPABILITY = (7, 0)
ENV_MIXED_PRECISION = "DRAGONN_MIXED_PRECISION"


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


def _check_bool(value, name):
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; received {value!r} ({type(value).__name__})")
    return value


def mixed_precision_on() -> bool:
    """Whether Keras's global dtype policy is currently ``mixed_float16``."""
    import keras

    return keras.mixed_precision.global_policy().name == "mixed_float16"


def configure(mixed_precision: bool | None = None, memory_growth: bool = True) -> dict:
    """Set TensorFlow up for the hardware present. Call it yourself; calling it again
    with other values switches back (nothing is cached).

    Parameters
    ----------
    mixed_precision : bool or None, default None
        True sets Keras's global policy to ``mixed_float16``, False to ``float32``.
        None reads the opt-in environment variable ``DRAGONN_MIXED_PRECISION``
        ("1" or "true": on; anything else or unset: off). Other values raise a TypeError.
    memory_growth : bool, default True
        Let TensorFlow allocate GPU memory as needed (only possible before the GPU is
        first used; later calls leave it as it is).

    Returns
    -------
    dict with keys ``gpus`` (names), ``mixed_precision`` (bool, the policy now),
    ``mixed_precision_pays`` (bool).
    """
    if mixed_precision is None:
        mixed_precision = os.environ.get(ENV_MIXED_PRECISION, "0").strip().lower() in ("1", "true", "yes", "on")
    _check_bool(mixed_precision, "mixed_precision")
    _check_bool(memory_growth, "memory_growth")
    tf = _tf()
    gpus = list_gpus()
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, memory_growth)
        except (RuntimeError, ValueError):  # already initialised: leave it as it is
            pass
    import keras

    keras.mixed_precision.set_global_policy("mixed_float16" if mixed_precision else "float32")
    names = [gpu_details(g).get("device_name", getattr(g, "name", "GPU")) for g in gpus]
    return {"gpus": names, "mixed_precision": bool(mixed_precision),
            "mixed_precision_pays": mixed_precision_pays(gpus)}


def strategy():
    """A ``tf.distribute`` strategy: MirroredStrategy over several GPUs, else the default."""
    tf = _tf()
    gpus = list_gpus()
    if len(gpus) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def describe_device() -> str:
    """One line saying what will run the models; changes nothing.

    Examples: ``"GPU: NVIDIA T4 (mixed precision off; configure(mixed_precision=True) would pay)"``,
    ``"2 GPUs: NVIDIA A100-SXM4-40GB, NVIDIA A100-SXM4-40GB (mixed precision on)"``,
    ``"CPU: 2 cores, no GPU found"``.
    """
    gpus = list_gpus()
    if not gpus:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return f"CPU: {cores} cores, no GPU found"
    names = [gpu_details(g).get("device_name", getattr(g, "name", "GPU")) for g in gpus]
    if mixed_precision_on():
        mp = "mixed precision on"
    elif mixed_precision_pays(gpus):
        mp = "mixed precision off; configure(mixed_precision=True) would pay"
    else:
        mp = "mixed precision off"
    label = "GPU" if len(gpus) == 1 else f"{len(gpus)} GPUs"
    return f"{label}: {', '.join(names)} ({mp})"


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
