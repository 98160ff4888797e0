"""The GPU paths are tested with TensorFlow's device list mocked: this machine has no GPU."""
from types import SimpleNamespace

import pytest

from dragonn_tutorial import device


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    import keras

    monkeypatch.delenv("DRAGONN_MIXED_PRECISION", raising=False)
    keras.mixed_precision.set_global_policy("float32")
    yield
    keras.mixed_precision.set_global_policy("float32")


def fake_gpus(monkeypatch, specs):
    import tensorflow as tf

    gpus = [SimpleNamespace(name=f"/physical_device:GPU:{i}", device_type="GPU") for i in range(len(specs))]
    details = {g.name: d for g, d in zip(gpus, specs)}
    grown = []
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: gpus if kind == "GPU" else [])
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda g: details[g.name])
    monkeypatch.setattr(tf.config.experimental, "set_memory_growth", lambda g, on: grown.append((g.name, on)))
    return grown


def test_cpu_only_line():
    line = device.describe_device()
    assert line.startswith("CPU: ") and line.endswith("cores, no GPU found")


def policy():
    import keras

    return keras.mixed_precision.global_policy().name


def test_describe_device_changes_nothing(monkeypatch):
    grown = fake_gpus(monkeypatch, [{"device_name": "NVIDIA T4", "compute_capability": (7, 5)}])
    line = device.describe_device()
    assert line == "GPU: NVIDIA T4 (mixed precision off; configure(mixed_precision=True) would pay)"
    assert grown == [] and policy() == "float32"


def test_builders_never_configure(monkeypatch):
    from dragonn_tutorial import models

    grown = fake_gpus(monkeypatch, [{"device_name": "NVIDIA T4", "compute_capability": (7, 5)}])
    called = []
    monkeypatch.setattr(device, "configure", lambda *a, **k: called.append(1))
    models.build_cnn(50, num_filters=2, conv_width=5)
    assert called == [] and grown == [] and policy() == "float32"


def test_configure_is_opt_in_and_reversible(monkeypatch):
    grown = fake_gpus(monkeypatch, [{"device_name": "NVIDIA T4", "compute_capability": (7, 5)}])
    info = device.configure()
    assert info == {"gpus": ["NVIDIA T4"], "mixed_precision": False, "mixed_precision_pays": True}
    assert grown == [("/physical_device:GPU:0", True)] and policy() == "float32"
    assert device.configure(mixed_precision=True)["mixed_precision"] and policy() == "mixed_float16"
    assert device.describe_device() == "GPU: NVIDIA T4 (mixed precision on)"
    device.configure(mixed_precision=False)
    assert policy() == "float32"


@pytest.mark.parametrize("bad", ["no", "yes", 1, 0, "False"])
def test_configure_accepts_booleans_only(bad):
    with pytest.raises(TypeError, match="mixed_precision must be True or False"):
        device.configure(mixed_precision=bad)
    with pytest.raises(TypeError, match="memory_growth"):
        device.configure(memory_growth=bad)
    assert policy() == "float32"


def test_env_var_opts_in(monkeypatch):
    fake_gpus(monkeypatch, [{"device_name": "NVIDIA A100", "compute_capability": (8, 0)}])
    monkeypatch.setenv("DRAGONN_MIXED_PRECISION", "1")
    assert device.configure()["mixed_precision"] and policy() == "mixed_float16"
    monkeypatch.setenv("DRAGONN_MIXED_PRECISION", "0")
    assert not device.configure()["mixed_precision"] and policy() == "float32"


def test_old_gpu_does_not_pay(monkeypatch):
    fake_gpus(monkeypatch, [{"device_name": "Tesla K80", "compute_capability": (3, 7)}])
    assert device.describe_device() == "GPU: Tesla K80 (mixed precision off)"
    assert not device.configure()["mixed_precision_pays"]


def test_mixed_gpus_need_all_modern(monkeypatch):
    fake_gpus(monkeypatch, [{"device_name": "A", "compute_capability": (8, 0)},
                            {"device_name": "B", "compute_capability": (6, 1)}])
    assert not device.mixed_precision_pays()
    assert device.describe_device() == "2 GPUs: A, B (mixed precision off)"


def test_strategy_mirrors_several_gpus(monkeypatch):
    import tensorflow as tf

    fake_gpus(monkeypatch, [{"device_name": "A", "compute_capability": (8, 0)}] * 2)
    made = []
    monkeypatch.setattr(tf.distribute, "MirroredStrategy", lambda: made.append(1) or "mirrored")
    assert device.strategy() == "mirrored" and made == [1]


def test_strategy_default_on_cpu():
    import tensorflow as tf

    assert device.strategy() is tf.distribute.get_strategy()


def test_where_and_versions(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    for k in list(__import__("os").environ):
        if k.startswith("BINDER_"):
            monkeypatch.delenv(k)
    assert device.where_am_i() == "a local Jupyter"
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "x")
    assert device.where_am_i().startswith("Binder")
    v = device.package_versions()
    assert v["tensorflow"].split(".")[0] == "2" and "python" in v
