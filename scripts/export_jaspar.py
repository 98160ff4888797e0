"""Export JASPAR 2024 CORE vertebrate motifs to a MEME-format file (development time, run once).

    .venv/bin/pip install pyjaspar        # the ``dev`` extra: pip install -e .[dev]
    .venv/bin/python scripts/export_jaspar.py [--release JASPAR2024] [--out PATH]

pyjaspar ships the JASPAR SQLite databases inside its wheel, so this runs
offline. The output, ``dragonn_tutorial/data/jaspar2024_core_vertebrates.meme.gz``,
is committed with the package and read by ``dragonn_tutorial.discovery.load_jaspar``;
nothing is downloaded at run time. JASPAR is distributed under CC BY 4.0
(Rauluseviciute et al. 2024, Nucleic Acids Res 52:D174-D182): keep the
notice in ``dragonn_tutorial/data/README.md`` with the file.

Each motif is written as a letter-probability matrix (counts / column total,
A C G T) named ``MATRIX_ID NAME`` (e.g. ``MA0093.4 USF1``), with
``nsites`` set to the largest column total.
"""
from __future__ import annotations

import argparse
import gzip
import os
import tempfile

DEFAULT_OUT = os.path.join(os.path.dirname(__file__), "..", "dragonn_tutorial", "data",
                           "jaspar2024_core_vertebrates.meme.gz")


def meme_text(motifs, release: str) -> str:
    """MEME minimal-format text for Bio.motifs.jaspar.Motif objects."""
    lines = ["MEME version 4", "", "ALPHABET= ACGT", "", "strands: + -", "",
             "Background letter frequencies", "A 0.25 C 0.25 G 0.25 T 0.25", ""]
    for m in sorted(motifs, key=lambda m: m.matrix_id):
        counts = [[float(m.counts[b][i]) for b in "ACGT"] for i in range(m.length)]
        totals = [sum(row) for row in counts]
        if not counts or min(totals) <= 0:
            raise ValueError(f"{m.matrix_id} has an empty column")
        name = m.name.replace(" ", "_")
        lines.append(f"MOTIF {m.matrix_id} {name}")
        lines.append(f"letter-probability matrix: alength= 4 w= {m.length} "
                     f"nsites= {int(round(max(totals)))} E= 0")
        for row, total in zip(counts, totals):
            lines.append(" ".join(f"{c / total:.6f}" for c in row))
        lines.append(f"URL https://jaspar.elixir.no/matrix/{m.matrix_id}/")
        lines.append("")
    lines.insert(1, f"# {release} CORE vertebrates, exported by scripts/export_jaspar.py with pyjaspar; "
                    "JASPAR is CC BY 4.0")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", default="JASPAR2024")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    from pyjaspar import jaspardb

    db = jaspardb(release=args.release)
    motifs = db.fetch_motifs(collection="CORE", tax_group=["vertebrates"], all_versions=False)
    text = meme_text(motifs, args.release)
    out = os.path.abspath(args.out)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(out), prefix=".jaspar-")
    os.close(fd)
    try:
        # mtime=0: the same database gives a byte-identical file
        with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(text.encode("ascii"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    print(f"wrote {len(motifs)} motifs to {out}")


if __name__ == "__main__":
    main()
