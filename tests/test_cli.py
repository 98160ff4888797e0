"""The dragonn-tutorial command line, end to end on the shipped NFE2 data at small size."""
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dragonn_tutorial import cli, datasets
from dragonn_tutorial.sequences import one_hot_decode


def _run(*argv):
    return cli.main([str(a) for a in argv])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """60 NFE2 peaks and 60 negatives (shipped data) as FASTA, and a model trained on them."""
    d = tmp_path_factory.mktemp("cli")
    nfe = datasets.load_nfe2()
    seqs = one_hot_decode(nfe.X)
    pos, neg = np.flatnonzero(nfe.y[:, 0] == 1)[:60], np.flatnonzero(nfe.y[:, 0] == 0)[:60]
    for name, idx in (("pos.fa", pos), ("neg.fa", neg)):
        with open(d / name, "w") as h:
            for i in idx:
                h.write(f">{nfe.names[i]}\n{seqs[i].strip('N')}\n")  # back to the original lengths
    assert _run("train", "--positives", d / "pos.fa", "--negatives", d / "neg.fa", "--out", d / "m.keras",
                "--epochs", 2, "--quiet", "--length", 200) == 0
    return d


def test_train_writes_a_model_and_a_metrics_table(workdir, capsys):
    assert (workdir / "m.keras").is_file()
    assert not [f for f in os.listdir(workdir) if f.startswith(".")]  # no temporary files left
    from dragonn_tutorial.training import load_model

    model = load_model(workdir / "m.keras", compile=False)
    assert model.inputs[0].shape[1] == 200


def test_predict_writes_one_row_per_sequence(workdir):
    assert _run("predict", "--model", workdir / "m.keras", "--fasta", workdir / "pos.fa",
                "--out", workdir / "pred.tsv") == 0
    table = pd.read_csv(workdir / "pred.tsv", sep="\t")
    names = [line[1:].strip() for line in open(workdir / "pos.fa") if line.startswith(">")]
    assert table.columns.tolist() == ["name", "score"] and table.name.tolist() == names
    assert table.score.between(0, 1).all()
    # the same numbers as the library's strand-averaged prediction
    from dragonn_tutorial.training import load_model

    model = load_model(workdir / "m.keras", compile=False)
    X, _ = datasets.encode([s for _, s in datasets.read_records(workdir / "pos.fa")], 200)
    np.testing.assert_allclose(table.score, datasets.predict_rc(model, X)[:, 0], rtol=1e-4, atol=1e-6)


def test_interpret_writes_contributions(workdir):
    assert _run("interpret", "--model", workdir / "m.keras", "--fasta", workdir / "pos.fa",
                "--out", workdir / "c.npz", "--references", 3) == 0
    z = np.load(workdir / "c.npz")
    assert z["contributions"].shape == z["one_hot"].shape == z["hypothetical"].shape == (60, 200, 4)
    np.testing.assert_allclose(z["contributions"], z["hypothetical"] * z["one_hot"], atol=1e-6)
    assert len(z["names"]) == 60


def test_a_failed_run_leaves_no_output(workdir, capsys):
    # MoDISco's report folder cannot be made: the .npz must not appear either
    out = workdir / "never.npz"
    assert _run("interpret", "--model", workdir / "m.keras", "--fasta", workdir / "pos.fa", "--out", out,
                "--references", 2, "--modisco", workdir / "no" / "such" / "dir") == 2
    assert not out.exists()
    assert "does not exist" in capsys.readouterr().err
    assert not [f for f in os.listdir(workdir) if f.startswith(".")]


def test_bad_inputs_give_one_line_errors(workdir, tmp_path, capsys):
    assert _run("predict", "--model", workdir / "m.keras", "--fasta", tmp_path / "none.fa",
                "--out", tmp_path / "p.tsv") == 2
    assert "--fasta: no such file" in capsys.readouterr().err
    assert _run("predict", "--model", workdir / "pos.fa", "--fasta", workdir / "pos.fa",
                "--out", tmp_path / "p.tsv") == 2
    assert "is not a Keras model file" in capsys.readouterr().err
    bad = tmp_path / "bad.fa"
    bad.write_text(">a\nACGT-X\n")
    assert _run("train", "--positives", bad, "--negatives", workdir / "neg.fa", "--out", tmp_path / "m.keras") == 2
    assert "invalid character '-'" in capsys.readouterr().err
    assert _run("train", "--positives", workdir / "pos.fa", "--out", tmp_path / "m.keras") == 2
    assert "--negatives" in capsys.readouterr().err
    assert _run("train", "--bed", bad, "--out", tmp_path / "m.keras") == 2
    assert "--genome" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.keras")) and not list(tmp_path.glob("*.tsv"))


def test_simulate_writes_fasta_labels_and_sites(tmp_path):
    prefix = tmp_path / "sim"
    assert _run("simulate", "single_motif_detection", "--out", prefix, "--param", "num_pos=20",
                "--param", "num_neg=20", "--param", "seq_length=80") == 0
    records = datasets.read_records(f"{prefix}.fa")
    labels = pd.read_csv(f"{prefix}.labels.tsv", sep="\t")
    sites = pd.read_csv(f"{prefix}.sites.bed", sep="\t", header=None)
    assert len(records) == 40 and labels.shape == (40, 2) and labels.iloc[:, 1].sum() == 20
    assert all(len(s) == 80 for _, s in records)
    # every site lies inside a positive sequence, and the FASTA round-trips into training data
    positives = set(labels.name[labels.iloc[:, 1] == 1])
    assert set(sites[0]) <= positives and ((sites[2] - sites[1]) > 0).all()
    data = datasets.from_fasta(fasta=f"{prefix}.fa", labels=f"{prefix}.labels.tsv")
    assert data.seq_length == 80
    assert _run("simulate", "no_such_simulation", "--out", tmp_path / "x") == 2
    assert not list(tmp_path.glob("x*"))


def test_console_script_is_installed():
    exe = os.path.join(os.path.dirname(sys.executable), "dragonn-tutorial")
    if not os.path.exists(exe):
        pytest.skip("package not installed with its console script (pip install -e .)")
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0
    for command in ("train", "predict", "interpret", "simulate"):
        assert command in out.stdout
