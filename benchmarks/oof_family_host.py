"""Which host carries a held-out family's error? Out-of-fold ratios per (family, host).

Fits the regressor once as `advisor train` does (``fit_regressor``, with ``FOLDS`` conformal
folds held out by ``fold_units``: model families for our rows, graphs for public ones) and reads
the inputs and output of its kernel-sum blend (``advisor.kernel_sum_blend.kernel_sum_weights``):
each of our rows' out-of-fold tree residual, the kernel sum's out-of-fold log efficiency and the
blend's residual at the fitted weights. Prints, per
(family, host), the rows, the trees' MAPE and the blend's (at the fitted weights), and the median
predicted / measured of the trees and of the kernel sum alone (NaN where it covers no row). A
cheap view of split (b): one fit, whole families held out several at a time, so numbers differ
from ``advisor evaluate``'s one-family folds. About 4 minutes on 2 cores::

    python benchmarks/oof_family_host.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import advisor.predictor as predictor_module  # noqa: E402
from ablation_common import assembled_rows  # noqa: E402
from advisor.training import fit_regressor  # noqa: E402

FOLDS = 2


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    captured: dict = {}
    fitted_weights = predictor_module.kernel_sum_weights

    def capturing(y, tree, kernel_sum, keys, units, usable=None):
        weights, blended = fitted_weights(y, tree, kernel_sum, keys, units, usable)
        captured.update(y=np.asarray(y, float), tree=np.array(tree, float),
                        kernel_sum=np.asarray(kernel_sum, float), blend=blended,
                        usable=np.ones(len(y), bool) if usable is None else np.asarray(usable, bool))
        return weights, blended

    predictor_module.kernel_sum_weights = capturing
    try:
        model = fit_regressor(data, unseen_intervals=False, n_folds=FOLDS)
    finally:
        predictor_module.kernel_sum_weights = fitted_weights
    weights = model.kernel_sum_weights_
    c = captured
    kernel_residual = c["y"] - c["kernel_sum"]
    blend = c["blend"]
    ours = (data.meta["source"] == "ours").to_numpy() & np.isfinite(c["tree"]) & c["usable"]
    rows = data.meta[ours].assign(
        tree_ape=np.abs(np.exp(c["tree"][ours]) - 1), blend_ape=np.abs(np.exp(blend[ours]) - 1),
        tree_ratio=np.exp(c["tree"][ours]), kernel_sum_ratio=np.exp(kernel_residual[ours]))
    table = rows.groupby(["family", "hw_id"]).agg(
        rows=("tree_ape", "size"), tree_mape=("tree_ape", "mean"), blend_mape=("blend_ape", "mean"),
        tree_ratio=("tree_ratio", "median"), kernel_sum_ratio=("kernel_sum_ratio", "median"))
    for col in ("tree_mape", "blend_mape"):
        table[col] = (100 * table[col]).round(1)
    pd.set_option("display.width", 200)
    print(f"fit_regressor with n_folds={FOLDS}: our rows with an out-of-fold tree residual whose trees "
          "saw the kernel-sum feature; ratios are predicted / measured (above 1: too slow)")
    print("kernel-sum weights:", {k: round(v, 2) for k, v in sorted(weights.items())})
    print(table.round(2).to_string())
    print(f"all: trees MAPE {100 * rows['tree_ape'].mean():.1f}%, blend {100 * rows['blend_ape'].mean():.1f}% "
          f"over {len(rows)} rows; done in {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
