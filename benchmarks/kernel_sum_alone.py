"""How good is the kernel-sum model alone, without the trees? Split (b)'s folds and split (a)'s.

For each model family of our rows, the kernel-sum model (``advisor.kernel_sum``: non-negative
per-setting coefficients) is fitted on every row outside the family, as split (b) holds it out,
and scored on the family's rows it covers; for split (a), fitted on the training side and scored
per source on the held-out rows of measured (device, runtime) pairs. Compare with the
predictor's rows in ``reports/evaluation.md``: where the kernel sum alone is closer than the
trees, the trees do not trust their kernel-sum feature enough (``advisor.kernel_sum_blend``).
No trees are fitted: a few minutes on 2 cores, most of it assembling the rows::

    python benchmarks/kernel_sum_alone.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation_common import assembled_rows  # noqa: E402
from advisor.evaluation import measured_in, split_a_sets  # noqa: E402
from advisor.kernel_sum import KernelSumModel  # noqa: E402


def _line(label: str, rows: int, predicted: np.ndarray, measured: np.ndarray) -> str:
    covered = np.isfinite(predicted)
    if not covered.any():
        return f"{label:28s} rows {rows:5d}  covered     0"
    ape = np.abs(predicted[covered] / measured[covered] - 1)
    return (f"{label:28s} rows {rows:5d}  covered {covered.sum():5d}  kernel sum alone: "
            f"MAPE {100 * ape.mean():6.1f}%  median {100 * np.median(ape):5.1f}%  "
            f"within 10% {100 * (ape <= 0.1).mean():5.1f}%")


def _fit(data, mask) -> KernelSumModel:
    return KernelSumModel().fit(data.basis[mask], data.measured_s[mask], data.setting_keys[mask],
                                data.meta["graph"].astype(str).to_numpy()[mask])


def main(argv=None) -> int:
    data, start = assembled_rows(__doc__, argv)
    family = data.meta["family"].astype(str).to_numpy()
    ours = (data.meta["source"] == "ours").to_numpy()
    print("\nsplit (b): each family of our rows held out")
    for name in sorted(np.unique(family[ours])):
        held = family == name
        test = held & ours
        predicted = _fit(data, ~held).predict(data.basis[test], data.setting_keys[test])
        print(_line(name, int(test.sum()), predicted, data.measured_s[test]))
    print("\nsplit (a): held-out graphs of measured (device, runtime) pairs, by source")
    train, test = split_a_sets(data)
    test = test.subset(measured_in(train, test))
    model = _fit(train, np.ones(len(train), bool))
    predicted = model.predict(test.basis, test.setting_keys)
    source = test.meta["source"].to_numpy()
    for name in sorted(np.unique(source)):
        rows = source == name
        print(_line(name, int(rows.sum()), predicted[rows], test.measured_s[rows]))
    print(f"\ndone in {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
