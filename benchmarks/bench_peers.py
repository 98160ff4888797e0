"""Our attribution speed against tangermeme (PyTorch) on identical weights and sequences.

    python benchmarks/bench_peers.py --peers-python /tmp/peers/bin/python

The workshop's deep CNN (``models.deep_cnn(500)``: 3 x 15 filters of width 15,
ReLU, global max, dense) is built in Keras; its weights and 1,000 random 500-bp
sequences are written to a temporary ``.npz``; a torch twin with the same weights
is built in a *separate* Python (``--peers-python``: a throwaway virtual
environment with torch and tangermeme, never part of this project's
requirements), which checks that the twin's logits equal ours and times
tangermeme's ``saturation_mutagenesis`` (ISM, 100 sequences) and
``deep_lift_shap`` (1,000 sequences x 20 dinucleotide shuffles). Both sides run
on the same CPU threads, one after the other. Set up the peers environment with::

    python3 -m venv /tmp/peers
    /tmp/peers/bin/pip install torch==2.13.0 tangermeme    # the CPU wheel

The peer side is this same file run as ``python bench_peers.py --peer SPEC.npz OUT.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def best_of(fn, repeats: int) -> list:
    """[wall seconds, CPU seconds of this process] of the fastest of ``repeats`` runs after a
    warm-up (CPU time is the fairer comparison on a shared machine)."""
    fn()  # warm-up (tracing, compilation)
    times = []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append([time.perf_counter() - t0, time.process_time() - c0])
    return min(times)


# ------------------------------------------------------------------ our side (Keras)
def export(model, X, path: Path) -> None:
    """The deep CNN's weights in layer order, and the sequences."""
    arrays = {"X": X}
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv1D"]
    for i, conv in enumerate(convs):
        kernel, bias = conv.get_weights()
        arrays[f"conv{i}_w"], arrays[f"conv{i}_b"] = kernel, bias  # (width, in, out)
    dense = model.get_layer("logits")
    arrays["dense_w"], arrays["dense_b"] = dense.get_weights()
    np.savez(path, **arrays)


def ours(args) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from dragonn_tutorial import interpret, models, sequences

    threads = os.environ.get("OMP_NUM_THREADS", "all")
    model = models.deep_cnn(500)
    X = sequences.random_sequences(args.n, 500, 0.4, random_state=0)
    results = {
        "ism": best_of(lambda: interpret.ism(model, X[:args.n // 10]), args.repeats),
        "deeplift": best_of(lambda: interpret.deeplift(model, X, "shuffle", 20), args.repeats),
    }
    with tempfile.TemporaryDirectory() as tmp:
        spec, out = Path(tmp) / "spec.npz", Path(tmp) / "peer.json"
        export(model, X, spec)
        np.save(Path(tmp) / "logits.npy", interpret.logits(model, X[:50]))
        ism_ours = interpret.ism(model, X[:5]).delta
        np.save(Path(tmp) / "ism.npy", ism_ours)
        subprocess.run([args.peers_python, __file__, "--peer", str(spec), str(out),
                        "--repeats", str(args.repeats)], check=True)
        peer = json.loads(out.read_text())
    print(f"\nAttribution speed vs tangermeme {peer['version']} (torch {peer['torch']}), deep CNN, 500 bp, "
          f"same weights and sequences, this machine (threads: {threads})")
    print(f"twin check: max |logit difference| {peer['logit_gap']:.2e}, max |ISM difference| {peer['ism_gap']:.2e}")
    print("| what | ours wall (s) | tangermeme wall (s) | speed-up | ours CPU (s) | tangermeme CPU (s) | CPU ratio |")
    print("|---|---|---|---|---|---|---|")
    for key, what in (("ism", f"ISM, {args.n // 10} x 500 bp ({args.n // 10 * 1500:,} mutants)"),
                      ("deeplift", f"DeepLIFT, {args.n:,} x 20 dinucleotide shuffles")):
        (w, c), (pw, pc) = results[key], peer[key]
        print(f"| {what} | {w:.2f} | {pw:.2f} | {pw / w:.1f}x | {c:.2f} | {pc:.2f} | {pc / c:.1f}x |")


# ------------------------------------------------------------------ peer side (torch)
def peer(spec_path: str, out_path: str, repeats: int) -> None:
    import tangermeme
    import torch
    from tangermeme.deep_lift_shap import deep_lift_shap
    from tangermeme.saturation_mutagenesis import saturation_mutagenesis

    spec = np.load(spec_path)
    X = torch.tensor(np.transpose(spec["X"], (0, 2, 1)).copy())  # (n, 4, length)
    convs = sorted(k[:-2] for k in spec.files if k.startswith("conv") and k.endswith("_w"))
    modules, length = [], X.shape[-1]
    for name in convs:
        w, b = spec[f"{name}_w"], spec[f"{name}_b"]
        conv = torch.nn.Conv1d(w.shape[1], w.shape[2], w.shape[0])
        conv.weight.data = torch.tensor(np.transpose(w, (2, 1, 0)).copy())
        conv.bias.data = torch.tensor(b)
        modules += [conv, torch.nn.ReLU()]
        length -= w.shape[0] - 1
    dense = torch.nn.Linear(*spec["dense_w"].shape)
    dense.weight.data = torch.tensor(spec["dense_w"].T.copy())
    dense.bias.data = torch.tensor(spec["dense_b"])
    modules += [torch.nn.MaxPool1d(length), torch.nn.Flatten(), dense]  # global max, logits
    model = torch.nn.Sequential(*modules).eval()
    folder = Path(spec_path).parent
    with torch.no_grad():
        logit_gap = float(np.abs(model(X[:50]).numpy() - np.load(folder / "logits.npy")).max())
    raw = saturation_mutagenesis(model, X[:5], device="cpu", raw_outputs=True)
    y0 = raw.y0.numpy().reshape(5, -1)[:, 0]
    y_hat = raw.y_hat.numpy().reshape(5, 4, X.shape[-1], -1)[..., 0]  # (n, 4, length): every substitution
    theirs = np.transpose(y_hat - y0[:, None, None], (0, 2, 1))
    observed = np.transpose(X[:5].numpy(), (0, 2, 1)) == 1
    ism_gap = float(np.abs(np.where(observed, 0, theirs) - np.load(folder / "ism.npy")).max())
    result = {
        "version": tangermeme.__version__, "torch": torch.__version__, "logit_gap": logit_gap, "ism_gap": ism_gap,
        "ism": best_of(lambda: saturation_mutagenesis(model, X[:len(X) // 10], device="cpu"), repeats),
        "deeplift": best_of(lambda: deep_lift_shap(model, X, n_shuffles=20, device="cpu", random_state=0),
                            repeats),
    }
    Path(out_path).write_text(json.dumps(result))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--peers-python", default="/tmp/peers/bin/python",
                        help="a Python with torch and tangermeme installed")
    parser.add_argument("--peer", nargs=2, metavar=("SPEC", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--n", type=int, default=1000, help="sequences for DeepLIFT (ISM: n / 10)")
    args = parser.parse_args(argv)
    if args.peer:
        peer(*args.peer, args.repeats)
    else:
        ours(args)


if __name__ == "__main__":
    main()
