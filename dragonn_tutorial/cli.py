"""``dragonn-tutorial``: train, predict, interpret and simulate from the command line.

    dragonn-tutorial train --positives POS.fa --negatives NEG.fa --out MODEL.keras
    dragonn-tutorial train --bed PEAKS.bed --negatives-bed BG.bed --genome hg38.fa --length 200 --out M.keras
    dragonn-tutorial train --fasta ALL.fa --labels LABELS.tsv --out MODEL.keras
    dragonn-tutorial predict --model MODEL.keras --fasta SEQS.fa --out PREDICTIONS.tsv
    dragonn-tutorial interpret --model MODEL.keras --fasta SEQS.fa --out CONTRIBUTIONS.npz [--modisco DIR]
    dragonn-tutorial simulate single_motif_detection --out PREFIX [--param num_pos=200 ...]

Every output is written to a temporary file (or folder) beside its target and
renamed into place only when complete, so a failed or interrupted run never
leaves a half-written file. Problems with the input (a missing file, a file
that is not FASTA/BED, an unknown chromosome, a bad parameter) end the run with
exit status 2 and one line saying what is wrong; nothing is written then.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import os
import shutil
import sys
import tempfile
import time

import numpy as np

ARCHITECTURES = ("default", "shallow", "deep")


class CLIError(Exception):
    """A problem with the user's input: reported as one line, exit status 2."""


# ----------------------------------------------------------------------------- atomic outputs
@contextlib.contextmanager
def atomic_path(path: str, suffix: str = ""):
    """Yield a temporary path beside ``path``; rename it to ``path`` only if the block succeeds."""
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise CLIError(f"output folder {folder!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=suffix or ".tmp", dir=folder)
    os.close(fd)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file ordinary permissions
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@contextlib.contextmanager
def atomic_dir(path: str):
    """Yield a temporary folder beside ``path``; it replaces ``path`` only if the block succeeds."""
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        raise CLIError(f"output folder {parent!r} does not exist")
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", dir=parent)
    try:
        yield tmp
        if os.path.isdir(path):
            shutil.rmtree(path)
        os.replace(tmp, path)
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp)


def _say(*args):
    print(*args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- train
def _load_training_data(args):
    from . import datasets

    common = dict(length=args.length, valid_fraction=args.valid_fraction, test_fraction=args.test_fraction,
                  random_state=args.seed)
    if args.bed:
        if not args.genome:
            raise CLIError("--bed needs --genome (the genome FASTA the intervals refer to)")
        if not (args.negatives_bed or args.labels):
            raise CLIError("--bed needs --negatives-bed or --labels")
        return datasets.from_bed(args.bed, args.genome, negatives=args.negatives_bed, labels=args.labels,
                                 **common)
    if args.fasta:
        if not args.labels:
            raise CLIError("--fasta needs --labels (a table: name, label per task); or use --positives "
                           "and --negatives")
        return datasets.from_fasta(fasta=args.fasta, labels=args.labels, **common)
    if not (args.positives and args.negatives):
        raise CLIError("give --positives and --negatives FASTA files, --fasta with --labels, or --bed "
                       "with --genome")
    return datasets.from_fasta(args.positives, args.negatives, **common)


def build_model(architecture: str, seq_length: int, num_tasks: int, learning_rate: float):
    """The CLI's models: ``default`` (one conv layer of 32 width-15 filters, global max
    pooling, dropout 0.2: the network that scores CV auROC ~0.98 on the NFE2 set),
    or the workshop's ``shallow``/``deep`` CNNs."""
    from . import models

    if architecture == "default":
        return models.build_cnn(seq_length, num_filters=(32,), conv_width=(15,), pool_width=None, dropout=0.2,
                                num_tasks=num_tasks, learning_rate=learning_rate)
    if architecture == "shallow":
        return models.shallow_cnn(seq_length, num_tasks=num_tasks)
    return models.deep_cnn(seq_length, num_tasks=num_tasks)


def cmd_train(args) -> int:
    from . import datasets, training

    if not args.out.endswith(".keras"):
        raise CLIError(f"--out must end with .keras; received {args.out!r}")
    data = _load_training_data(args)
    _say(f"data: {data}")
    if args.rc_augment:
        train_data = datasets.augmented(data)
        _say("reverse-complement augmentation: training on both strands")
    else:
        train_data = data
    model = build_model(args.architecture, data.seq_length, data.y_train.shape[1], args.learning_rate)
    training.train(model, train_data, epochs=args.epochs, patience=args.patience, batch_size=args.batch_size,
                   verbose=0 if args.quiet else 1, random_state=args.seed)
    rows = [("valid", data.X_valid, data.y_valid)]
    if data.X_test is not None:
        rows.append(("test", data.X_test, data.y_test))
    print(f"{'split':<6} {'task':<16} {'n':>6} {'auROC':>7} {'auPRC':>7} {'accuracy':>9}")
    from sklearn.metrics import average_precision_score, roc_auc_score

    for split, X, y in rows:
        p = datasets.predict_rc(model, X) if args.rc_augment else training.predict(model, X)
        for t, name in enumerate(data.task_names):
            yt, pt = y[:, t], p[:, t]
            ok = ~np.isnan(yt)
            both = len(np.unique(yt[ok])) == 2
            auroc = roc_auc_score(yt[ok], pt[ok]) if both else float("nan")
            auprc = average_precision_score(yt[ok], pt[ok]) if both else float("nan")
            acc = float(np.mean((pt[ok] > 0.5) == (yt[ok] > 0.5)))
            print(f"{split:<6} {name:<16} {int(ok.sum()):>6} {auroc:>7.3f} {auprc:>7.3f} {acc:>9.3f}")
    with atomic_path(args.out, ".keras") as tmp:
        model.save(tmp)
    _say(f"saved the model to {args.out}")
    return 0


# ----------------------------------------------------------------------------- predict / interpret
def _require_file(path, option):
    if not os.path.isfile(path):
        raise CLIError(f"{option}: no such file {path!r}")


def _load_model(path):
    from . import training

    _require_file(path, "--model")
    try:
        return training.load_model(path, compile=False)
    except Exception as err:  # keras raises many types for a file that is not a model
        raise CLIError(f"--model: {path!r} is not a Keras model file ({type(err).__name__}: {err})") from None


def _encode_for(model, fasta):
    from . import datasets

    records = datasets.read_records(fasta, "--fasta")
    length = model.inputs[0].shape[1]
    X, _ = datasets.encode([s for _, s in records], length, [n for n, _ in records])
    return [n for n, _ in records], X


def cmd_predict(args) -> int:
    from . import datasets, training

    _require_file(args.fasta, "--fasta")
    model = _load_model(args.model)
    names, X = _encode_for(model, args.fasta)
    p = datasets.predict_rc(model, X) if args.rc else training.predict(model, X)
    with atomic_path(args.out) as tmp, open(tmp, "w") as handle:
        cols = ["score"] if p.shape[1] == 1 else [f"score_{t}" for t in range(p.shape[1])]
        handle.write("name\t" + "\t".join(cols) + "\n")
        for name, row in zip(names, p):
            handle.write(name + "\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
    _say(f"wrote {len(names)} predictions to {args.out}")
    return 0


def cmd_interpret(args) -> int:
    from . import discovery

    if not args.out.endswith(".npz"):
        raise CLIError(f"--out must end with .npz; received {args.out!r}")
    _require_file(args.fasta, "--fasta")
    model = _load_model(args.model)
    names, X = _encode_for(model, args.fasta)
    t = time.perf_counter()
    hyp = discovery.hypothetical_contributions(model, X, n_references=args.references, task=args.task,
                                               random_state=args.seed)
    _say(f"DeepLIFT on {len(X)} sequences x {args.references} shuffled references: "
         f"{time.perf_counter() - t:.1f} s")
    contributions = hyp * X
    with atomic_path(args.out, ".npz") as tmp:
        with open(tmp, "wb") as handle:
            np.savez_compressed(handle, names=np.array(names), one_hot=X, contributions=contributions,
                                hypothetical=hyp)
        if args.modisco:
            _run_modisco(args, X, hyp, names)
    _say(f"wrote contributions of {len(names)} sequences to {args.out}")
    return 0


def _run_modisco(args, X, hyp, names):
    from . import discovery

    t = time.perf_counter()
    patterns, (pos, neg) = discovery.run_modisco(X, hyp, max_seqlets=args.max_seqlets, return_raw=True)
    _say(f"TF-MoDISco: {len(patterns)} patterns in {time.perf_counter() - t:.1f} s")
    with atomic_dir(args.modisco) as folder:
        with open(os.path.join(folder, "patterns.tsv"), "w") as handle:
            handle.write("pattern\tn_seqlets\tconsensus\n")
            for p in patterns:
                handle.write(f"{p.name}\t{p.n_seqlets}\t{p.trimmed().consensus()}\n")
        with open(os.path.join(folder, "seqlets.tsv"), "w") as handle:
            handle.write("pattern\tsequence\tstart\tend\tstrand\n")
            for p in patterns:
                for i, s, e, rc in p.trimmed().seqlets:
                    handle.write(f"{p.name}\t{names[i]}\t{s}\t{e}\t{'-' if rc else '+'}\n")
        matches = discovery.tomtom_matches(patterns, n_matches=3)
        matches.to_csv(os.path.join(folder, "jaspar_matches.tsv"), sep="\t", index=False)
        if pos or neg:
            from modiscolite.io import save_hdf5

            save_hdf5(os.path.join(folder, "modisco_results.h5"), pos, neg, 15)
    _say(f"wrote the MoDISco report to {args.modisco}")


# ----------------------------------------------------------------------------- simulate
def _parse_params(items):
    params = {}
    for item in items or []:
        if "=" not in item:
            raise CLIError(f"--param takes KEY=VALUE; received {item!r}")
        key, value = item.split("=", 1)
        try:
            params[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[key] = value
    return params


def cmd_simulate(args) -> int:
    from . import simulations
    from .sequences import one_hot_decode

    params = _parse_params(args.param)
    params.setdefault("random_state", args.seed)
    data = simulations.simulate(args.name, **params)
    seqs = one_hot_decode(data.X)
    names = [f"seq{i}" for i in range(len(seqs))]
    prefix = os.path.abspath(args.out)
    targets = [prefix + ".fa", prefix + ".labels.tsv", prefix + ".sites.bed"]
    with contextlib.ExitStack() as stack:
        fa, lab, bed = (stack.enter_context(atomic_path(t)) for t in targets)
        with open(fa, "w") as handle:
            for n, s in zip(names, seqs):
                handle.write(f">{n}\n{s}\n")
        y = np.asarray(data.y)
        with open(lab, "w") as handle:
            handle.write("name\t" + "\t".join(data.task_names) + "\n")
            for n, row in zip(names, y):
                handle.write(n + "\t" + "\t".join(f"{v:g}" for v in row) + "\n")
        s = data.sites
        with open(bed, "w") as handle:
            for i, m, a, b, st in zip(s.sequence, s.motif, s.start, s.end, s.strand):
                handle.write(f"{names[int(i)]}\t{int(a)}\t{int(b)}\t{m}\t0\t{'+' if st > 0 else '-'}\n")
    _say(f"wrote {len(seqs)} sequences ({data.task_names}) to {targets[0]}, labels to {targets[1]}, "
         f"{len(data.sites)} embedded sites to {targets[2]}")
    return 0


# ----------------------------------------------------------------------------- parser
def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dragonn-tutorial", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a CNN on your sequences (progress line, metrics table)")
    t.add_argument("--positives", help="FASTA of positive sequences (label 1)")
    t.add_argument("--negatives", help="FASTA of negative sequences (label 0)")
    t.add_argument("--fasta", help="one FASTA of all sequences (with --labels)")
    t.add_argument("--labels", help="table with a header: name, then one 0/1 column per task")
    t.add_argument("--bed", help="BED of positive intervals (with --genome)")
    t.add_argument("--negatives-bed", help="BED of negative intervals")
    t.add_argument("--genome", help="genome FASTA for --bed (indexed with pyfaidx)")
    t.add_argument("--length", type=int, default=None,
                   help="sequence length: centre crop / N pad (default: the longest sequence); with --bed "
                        "the window around each interval's centre")
    t.add_argument("--out", required=True, help="where to save the model (.keras)")
    t.add_argument("--architecture", choices=ARCHITECTURES, default="default")
    t.add_argument("--epochs", type=int, default=30)
    t.add_argument("--patience", type=int, default=5)
    t.add_argument("--batch-size", type=int, default=128)
    t.add_argument("--learning-rate", type=float, default=3e-3)
    t.add_argument("--valid-fraction", type=float, default=0.1)
    t.add_argument("--test-fraction", type=float, default=0.1)
    t.add_argument("--no-rc-augment", dest="rc_augment", action="store_false",
                   help="do not train on reverse complements / average both strands")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--quiet", action="store_true", help="no progress line")
    t.set_defaults(func=cmd_train)

    p = sub.add_parser("predict", help="score sequences with a trained model (TSV: name, score)")
    p.add_argument("--model", required=True)
    p.add_argument("--fasta", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--no-rc", dest="rc", action="store_false", help="forward strand only")
    p.set_defaults(func=cmd_predict)

    i = sub.add_parser("interpret", help="DeepLIFT contributions (.npz), optionally TF-MoDISco + JASPAR")
    i.add_argument("--model", required=True)
    i.add_argument("--fasta", required=True)
    i.add_argument("--out", required=True, help=".npz with names, one_hot, contributions, hypothetical")
    i.add_argument("--modisco", metavar="REPORT_DIR", help="also run TF-MoDISco and name patterns (JASPAR)")
    i.add_argument("--references", type=int, default=10, help="shuffled references per sequence")
    i.add_argument("--max-seqlets", type=int, default=2000)
    i.add_argument("--task", type=int, default=0)
    i.add_argument("--seed", type=int, default=0)
    i.set_defaults(func=cmd_interpret)

    s = sub.add_parser("simulate", help="write a simulation as FASTA + labels + sites (BED)")
    s.add_argument("name", help="e.g. single_motif_detection, heterodimer_grammar")
    s.add_argument("--out", required=True, help="prefix: PREFIX.fa, PREFIX.labels.tsv, PREFIX.sites.bed")
    s.add_argument("--param", action="append", metavar="KEY=VALUE", help="simulation parameter (repeatable)")
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(func=cmd_simulate)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``dragonn-tutorial`` console script; returns the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        return args.func(args)
    except (CLIError, FileNotFoundError, ValueError, KeyError, TypeError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"dragonn-tutorial {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
