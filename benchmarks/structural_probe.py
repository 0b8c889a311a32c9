"""Prototype: time = roofline / e + kernels x o, e and o from trees that see no device speed.

Compared side by side with plain efficiency trees on the same simplified splits (graph holdout;
public devices held out five folds by device). Not the evaluation's machinery (no offsets,
centres, kernel-sum features): a relative comparison only. Why: such a model is monotone in the
spec by construction (only the roofline moves with peaks and bandwidth) and extrapolates like the
roofline (``reports/ablations/monotone_trees.md``)::

    ROUNDS=500 python benchmarks/structural_probe.py --public /tmp/public.csv.gz

Two to four minutes on 2 cores (ROUNDS: trees per model, default 200).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import xgboost as xgb
from sklearn.model_selection import GroupKFold, GroupShuffleSplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation_common import assembled_rows  # noqa: E402
from advisor.features import KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE, feature_names  # noqa: E402
from advisor.training import source_weights  # noqa: E402

#: features that carry the device's speed (its peaks and bandwidth), kept from the structural trees
SPEED = {"log_roofline_s", "log_compute_s", "log_memory_s", "compute_bound_time_share",
         "log_kernel_mean_s", "small_kernel_share", "log_ridge", "intensity_over_ridge",
         "time_share_matrix", "time_share_pointwise", "time_share_norm", "time_share_pool",
         "time_share_data", "time_share_other", KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE}
PARAMS = dict(max_depth=7, learning_rate=0.05, subsample=0.8, colsample_bytree=0.8,
              min_child_weight=3.0, tree_method="hist", nthread=2, seed=0)
ROUNDS = int(os.environ.get("ROUNDS", "200"))
MAX_LOG_EFFICIENCY = np.log(4.0)


class Rows:
    """The assembled rows as the two models use them (device-fitted features left NaN)."""

    def __init__(self, data):
        names = feature_names()
        self.X = np.array(data.X, float)
        self.X[:, names.index(KERNEL_SUM_FEATURE)] = np.nan
        self.X[:, names.index(KERNEL_TIME_FEATURE)] = np.nan
        self.free = [i for i, n in enumerate(names) if n not in SPEED]
        self.y, self.roofline, self.measured = data.y, data.roofline_s, data.measured_s
        self.kernels = np.exp(self.X[:, names.index("log_kernels")])
        self.weight = source_weights(data.meta, True)


def plain(rows: Rows, train, test) -> np.ndarray:
    """Efficiency trees on every feature: predicted seconds of the test rows."""
    dtrain = xgb.DMatrix(rows.X[train], label=rows.y[train], weight=rows.weight[train])
    model = xgb.train(PARAMS, dtrain, ROUNDS)
    y = np.minimum(model.predict(xgb.DMatrix(rows.X[test])), MAX_LOG_EFFICIENCY)
    return rows.roofline[test] / np.exp(y)


def structural(rows: Rows, train, test) -> np.ndarray:
    """Two outputs, log 1/e and log o, from speed-free features; time = roofline / e + kernels x o."""
    def start(idx):     # efficiency 1/3 and 10 us per kernel
        return np.column_stack([np.full(len(idx), np.log(3.0)), np.full(len(idx), np.log(10e-6))])

    X = rows.X[:, rows.free]
    dtrain = xgb.DMatrix(X[train], label=np.zeros((len(train), 2)), weight=rows.weight[train],
                         base_margin=start(train))
    roofline, kernels = rows.roofline[train], rows.kernels[train]
    log_measured, weight = np.log(rows.measured[train]), rows.weight[train]

    def objective(predicted, _):
        """Squared log error of the summed time; Gauss-Newton hessians."""
        a = roofline * np.exp(np.maximum(predicted[:, 0], -MAX_LOG_EFFICIENCY))
        b = kernels * np.exp(predicted[:, 1])
        total = a + b
        residual = np.log(total) - log_measured
        grad = np.column_stack([residual * a / total, residual * b / total]) * weight[:, None]
        hess = np.column_stack([(a / total) ** 2, (b / total) ** 2]) * weight[:, None] + 1e-6
        return grad, hess

    params = {**PARAMS, "multi_strategy": "one_output_per_tree", "num_target": 2}
    model = xgb.train(params, dtrain, ROUNDS, obj=objective)
    out = model.predict(xgb.DMatrix(X[test], base_margin=start(test)), output_margin=True)
    return (rows.roofline[test] * np.exp(np.maximum(out[:, 0], -MAX_LOG_EFFICIENCY))
            + rows.kernels[test] * np.exp(out[:, 1]))


def score(name: str, predicted: np.ndarray, measured: np.ndarray) -> None:
    ape = np.abs(predicted / measured - 1)
    print(f"  {name:10s} MAPE {100 * ape.mean():6.1f}%  median {100 * np.median(ape):5.1f}%  "
          f"within 10% {100 * (ape <= 0.1).mean():5.1f}%", flush=True)


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    rows = Rows(data)
    models = (plain, structural)
    train, test = next(GroupShuffleSplit(1, test_size=0.2, random_state=0)
                       .split(rows.X, rows.measured, data.meta["graph"]))
    print("graph holdout (seen devices):")
    for model in models:
        score(model.__name__, model(rows, train, test), rows.measured[test])
    index = np.arange(len(rows.measured))
    public = (data.meta["source"] != "ours").to_numpy()
    devices = data.meta["hw_id"].to_numpy()
    print("public devices held out (5 folds by device):")
    predicted = {m.__name__: np.full(len(index), np.nan) for m in models}
    for k, (_, held) in enumerate(GroupKFold(5).split(index[public], groups=devices[public])):
        test = index[public][held]
        train = index[~np.isin(devices, list(set(devices[public][held])))]
        for model in models:
            predicted[model.__name__][test] = model(rows, train, test)
        print(f"  fold {k} done {time.time() - start:.0f} s", flush=True)
    for name, values in predicted.items():
        score(name, values[public], rows.measured[public])
    return 0


if __name__ == "__main__":
    sys.exit(main())
