"""How far outside its fitted kernel mix does the kernel-sum model stay accurate? (MIX_MARGIN)

For every row, the kernel sum is predicted out of fold by graph (5 folds, as ``cross_fitted``)
with the coverage rule switched off, and the row's *excess* is the most any kernel group's share of
its roofline time exceeds the largest share that group had among its setting's fitted rows. Prints
the median and mean |log(kernel sum / measured)| by excess bin, the share of rows beyond a few
margins, and the matrix-product share of the Xeon host's two families (what split (b)'s held-out
decoders met). About 3 minutes on 2 cores::

    python benchmarks/kernel_mix_margin.py /tmp/public.csv.gz > reports/ablations/kernel_mix_margin.txt
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.kernel_sum import BASIS_GROUPS, MIX_MARGIN, KernelSumModel, group_shares  # noqa: E402
from advisor.paths import measurement_csvs  # noqa: E402
from advisor.training import assemble  # noqa: E402

FOLDS = 5
XEON = "host:3bb5137b8fef"


def out_of_fold_excess(data) -> tuple[np.ndarray, np.ndarray]:
    """(kernel sum without the coverage rule, excess over the fitted mix), both out of fold."""
    graphs = data.meta["graph"].astype(str).to_numpy()
    keys = data.setting_keys
    shares = group_shares(data.basis)
    unique = np.unique(graphs)
    fold_of = dict(zip(unique, np.random.default_rng(0).permutation(len(unique)) % FOLDS))
    fold = np.array([fold_of[g] for g in graphs])
    predicted, excess = np.full(len(data), np.nan), np.full(len(data), np.nan)
    for k in range(FOLDS):
        test = fold == k
        model = KernelSumModel().fit(data.basis[~test], data.measured_s[~test], keys[~test], graphs[~test])
        for key in np.unique(keys[test]):
            coef, seen = model.coefficients_.get(key), model.max_shares_.get(key)
            if coef is None:
                continue
            rows = test & (keys == key)
            with np.errstate(invalid="ignore"):
                predicted[rows] = data.basis[rows] @ coef
            excess[rows] = (shares[rows] - seen).max(axis=1)
    predicted[~(predicted > 0)] = np.nan
    return predicted, excess


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("public", help="`advisor data import` table")
    args = ap.parse_args(argv)
    start = time.time()
    data = assemble(args.public, measurement_csvs())
    predicted, excess = out_of_fold_excess(data)
    error = np.abs(np.log(predicted / data.measured_s))
    rows = pd.DataFrame({"source": data.meta["source"].to_numpy(), "error": error, "excess": excess})
    rows = rows[np.isfinite(rows["error"])]
    print(f"{len(data)} rows, {len(rows)} with an out-of-fold kernel sum; MIX_MARGIN = {MIX_MARGIN}\n")
    bins = pd.cut(rows["excess"], [-1, 0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0])
    print("|log(kernel sum / measured)| by excess over the fitted mix")
    print(rows.groupby(bins, observed=True)["error"].agg(["size", "median", "mean"]).round(3).to_string())
    print()
    for margin in (0.05, 0.1, 0.2, 0.3):
        beyond = rows["excess"] > margin
        print(f"margin {margin}: {beyond.mean():.2%} of rows beyond; median error within "
              f"{rows['error'][~beyond].median():.3f}, beyond {rows['error'][beyond].median():.3f}; "
              f"beyond by source {rows[beyond].groupby('source').size().to_dict()}")
    matmul = list(BASIS_GROUPS).index("matmul")
    xeon = (data.meta["hw_id"] == XEON).to_numpy()
    if xeon.any():
        share = pd.Series(group_shares(data.basis[xeon])[:, matmul], name="matmul share")
        print("\nmatrix-product share of roofline time, Xeon host rows by family")
        print(share.groupby(data.meta["family"].to_numpy()[xeon]).describe().round(3).to_string())
    print(f"\ndone {time.time() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
