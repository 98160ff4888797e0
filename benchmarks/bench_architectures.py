"""The architecture zoo on the heterodimer grammar: what each model costs and what it learns.

    python benchmarks/bench_architectures.py                    # workshop sizes (10,000 + 10,000)
    python benchmarks/bench_architectures.py --num 2500         # 2,500 + 2,500 per data set (quicker)
    python benchmarks/bench_architectures.py --models deep,danq --data long

Two data sets (500 bp, SPI1_known4 + IRF_known20, GC 0.4; 20% test, 16% validation as in the
workshop): the workshop's grammar (gap 2-5 bp: the pair fits inside one deep-CNN unit's 43-bp
receptive field) and a long-range variant (gap 80-120 bp via simulate_heterodimer_grammar's own
min_spacing/max_spacing: the pair spans ~110-150 bp, wider than most convolutional receptive
fields). Negatives hold both motifs placed independently, so only the spacing tells them apart.

Prints, per model: parameters, multiply-accumulates per sequence, receptive field (models.
receptive_field), seconds per epoch (and as a multiple of the deep CNN's), epochs run and the best
epoch (early stopping, patience 4), test auROC on each data set. Recurrent models step through
positions one after another, so they are the slow ones; ``--rnn-epochs`` caps their epochs.
"""
from __future__ import annotations

import argparse
import resource
import time

import dragonn_tutorial as dt
from dragonn_tutorial import models, simulations, training

BASE = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 500, "GC_fraction": 0.4}
DATA = {"short": dict(min_spacing=2, max_spacing=5), "long": dict(min_spacing=80, max_spacing=120)}
LR = 3e-3
BUILDERS = {
    "shallow": lambda: models.shallow_cnn(500, learning_rate=LR),
    "shallow (2016 flatten head)": lambda: models.shallow_cnn(500, global_pool=False, pool_width=35,
                                                             pool_padding="valid", learning_rate=LR),
    "deep": lambda: models.deep_cnn(500, learning_rate=LR),
    "deepbind": lambda: models.deepbind(500, learning_rate=LR),
    "dilated (4 layers)": lambda: models.dilated_cnn(500, learning_rate=LR),
    "dilated (6 layers)": lambda: models.dilated_cnn(500, num_dilated=6, learning_rate=LR),
    "residual (pre-activation)": lambda: models.residual_cnn(500, learning_rate=LR),
    "danq": lambda: models.danq(500, learning_rate=LR),
    "rnn (BiLSTM 16)": lambda: models.rnn(500, learning_rate=LR),
}
RECURRENT = {"danq", "rnn (BiLSTM 16)"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--num", type=int, default=10000, help="positives (= negatives) per data set")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--patience", type=int, default=4)
    parser.add_argument("--rnn-epochs", type=int, default=4, help="epoch cap for the pure RNN")
    parser.add_argument("--models", default=",".join(BUILDERS))
    parser.add_argument("--data", default="short,long")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    names = [n.strip() for n in args.models.split(",")]
    for n in names:
        if n not in BUILDERS:
            raise SystemExit(f"unknown model {n!r}; choose from {list(BUILDERS)}")
    kinds = [k.strip() for k in args.data.split(",")]
    sets = {}
    for kind in kinds:
        t = time.perf_counter()
        params = dict(BASE, num_pos=args.num, num_neg=args.num, **DATA[kind])
        total = 2 * args.num  # the workshop's proportions: 20% test, 16% validation (4,000 / 3,200)
        sets[kind] = simulations.get_simulation_data("simulate_heterodimer_grammar", params,
                                                     test_set_size=total // 5,
                                                     validation_set_size=total * 4 // 25,
                                                     random_state=args.seed)
        d = sets[kind]
        print(f"{kind}: gap {DATA[kind]['min_spacing']}-{DATA[kind]['max_spacing']} bp; train "
              f"{len(d.y_train)}, valid {len(d.y_valid)}, test {len(d.y_test)} "
              f"(simulated in {time.perf_counter() - t:.1f} s)", flush=True)

    rows = []
    for name in names:
        model = BUILDERS[name]()
        table = models.parameter_table(model)
        row = {"model": name, "parameters": int(table.loc["total", "parameters"]),
               "MACs": int(table.loc["total", "MACs"]), "field": models.receptive_field(model)}
        for kind in kinds:
            dt.set_seed(args.seed)
            model = BUILDERS[name]()
            cap = args.rnn_epochs if name.startswith("rnn") else args.epochs
            h = training.train(model, sets[kind], epochs=cap, patience=args.patience, verbose=0,
                               random_state=args.seed)
            r = training.evaluate(model, sets[kind].X_test, sets[kind].y_test)
            # s/epoch without the first epoch (graph tracing) when there are several
            per_epoch = (sum(h.seconds[1:]) / (len(h.seconds) - 1)) if len(h.seconds) > 1 else h.seconds[0]
            row[kind] = {"s/epoch": per_epoch, "epochs": len(h.epoch), "best": h.best_epoch,
                         "auROC": r["auROC"], "capped": len(h.epoch) == cap and not h.stopped_early}
            print(f"  {name} on {kind}: {len(h.epoch)} epochs (best {h.best_epoch}), {per_epoch:.2f} s/epoch, "
                  f"test auROC {r['auROC']:.3f}", flush=True)
        rows.append(row)

    deep = next((r for r in rows if r["model"] == "deep"), None)
    ref = deep[kinds[0]]["s/epoch"] if deep else None
    head = "| model | parameters | MACs/sequence | receptive field (bp) | s/epoch | x deep |"
    sep = "|---|---|---|---|---|---|"
    for kind in kinds:
        gap = f"{DATA[kind]['min_spacing']}-{DATA[kind]['max_spacing']}"
        head += f" epochs (best), gap {gap} | test auROC, gap {gap} |"
        sep += "---|---|"
    print(f"\n{head} note |\n{sep}---|")
    for r in rows:
        t = r[kinds[0]]["s/epoch"]
        ratio = f"{t / ref:.1f}" if ref else "-"
        field = r["field"] if isinstance(r["field"], str) else f"{r['field']}"
        line = f"| {r['model']} | {r['parameters']:,} | {r['MACs'] / 1e6:.1f} M | {field} | {t:.2f} | {ratio} |"
        for kind in kinds:
            k = r[kind]
            capped = " (capped)" if k["capped"] else ""
            line += f" {k['epochs']} ({k['best']}){capped} | {k['auROC']:.3f} |"
        note = ""
        if r["model"] in RECURRENT:
            note = ("recurrent: positions are processed one after another"
                    + (" (over 38 pooled steps)" if r["model"] == "danq" else " (500 steps)"))
        elif ref and t > 3 * ref and deep:
            note = (f"{r['MACs'] / deep['MACs']:.1f}x the deep CNN's multiply-accumulates "
                    "(32 channels at every layer, all 476-500 positions kept)")
        print(line + f" {note} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:.0f} MB; seed {args.seed}; learning rate {LR}; "
          f"patience {args.patience}; s/epoch excludes the first epoch (graph tracing)")


if __name__ == "__main__":
    main()
