"""The structural model (``advisor.structural``: time = roofline / e + kernels x o, e and o from
trees that see no device speed) beside plain efficiency trees and their blend (geometric mean of
the two predicted times, as ``EfficiencyRegressor`` ships it for spec-only rows), on the same
simplified splits (graph holdout; public devices held out five folds by device). Not the
evaluation's machinery (no offsets, centres, kernel-sum features): a relative comparison only.
Why: such a model is monotone in the spec by construction (only the roofline moves with peaks and
bandwidth) and extrapolates like the roofline (``reports/ablations/monotone_trees.md``)::

    ROUNDS=500 python benchmarks/structural_probe.py --public /tmp/public.csv.gz

Two to four minutes on 2 cores (ROUNDS: trees per model, default 200; LAUNCH_GAMMA: see below).
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

from ablation_common import assembled_rows, error_summary  # noqa: E402
from advisor.features import KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE, feature_names  # noqa: E402
from advisor.roofline import MAX_LOG_EFFICIENCY  # noqa: E402
from advisor.structural import StructuralBooster  # noqa: E402
from advisor.training import source_weights  # noqa: E402

PARAMS = dict(max_depth=7, learning_rate=0.05, subsample=0.8, colsample_bytree=0.8,
              min_child_weight=3.0, tree_method="hist", nthread=2, seed=0)
ROUNDS = int(os.environ.get("ROUNDS", "200"))
#: when set, a third model: the structure with launch cost o x (mean kernel roofline time / 10 us)
#: ** LAUNCH_GAMMA (``StructuralBooster.launch_gamma``), so launches shrink on a faster device too
#: (still monotone in the spec); the "structural" model stays at gamma 0
LAUNCH_GAMMA = os.environ.get("LAUNCH_GAMMA")


class Rows:
    """The assembled rows as the two models use them (device-fitted features left NaN)."""

    def __init__(self, data):
        names = feature_names()
        self.X = np.array(data.X, float)
        self.X[:, names.index(KERNEL_SUM_FEATURE)] = np.nan
        self.X[:, names.index(KERNEL_TIME_FEATURE)] = np.nan
        self.y, self.roofline, self.measured = data.y, data.roofline_s, data.measured_s
        self.weight = source_weights(data.meta, True)


def plain(rows: Rows, train, test) -> np.ndarray:
    """Efficiency trees on every feature: predicted seconds of the test rows."""
    dtrain = xgb.DMatrix(rows.X[train], label=rows.y[train], weight=rows.weight[train])
    model = xgb.train(PARAMS, dtrain, ROUNDS)
    y = np.minimum(model.predict(xgb.DMatrix(rows.X[test])), MAX_LOG_EFFICIENCY)
    return rows.roofline[test] / np.exp(y)


def _structure(rows: Rows, train, test, launch_gamma: float) -> np.ndarray:
    """``advisor.structural`` at ``launch_gamma``: predicted seconds of the test rows."""
    model = StructuralBooster(n_estimators=ROUNDS, launch_gamma=launch_gamma).fit(
        rows.X[train], rows.y[train], sample_weight=rows.weight[train])
    return rows.roofline[test] / np.exp(model.predict(rows.X[test]))


def structural(rows: Rows, train, test) -> np.ndarray:
    """Two outputs, log 1/e and log o, from speed-free features; time = roofline / e + kernels x o
    (a launch costs the same on every device)."""
    return _structure(rows, train, test, 0.0)


def scaled_launch(rows: Rows, train, test) -> np.ndarray:
    """The structure at ``launch_gamma`` LAUNCH_GAMMA."""
    return _structure(rows, train, test, float(LAUNCH_GAMMA))


def blend(predicted: dict[str, np.ndarray]) -> np.ndarray:
    """Geometric mean of the two models' seconds: half the weight on the monotone structure."""
    return np.sqrt(predicted["plain"] * predicted["structural"])


def score(name: str, predicted: np.ndarray, measured: np.ndarray) -> None:
    print(f"  {name:10s} {error_summary(predicted, measured)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    rows = Rows(data)
    models = (plain, structural) + ((scaled_launch,) if LAUNCH_GAMMA else ())
    train, test = next(GroupShuffleSplit(1, test_size=0.2, random_state=0)
                       .split(rows.X, rows.measured, data.meta["graph"]))
    print("graph holdout (seen devices):")
    held = {m.__name__: m(rows, train, test) for m in models}
    for name, values in {**held, "blend": blend(held)}.items():
        score(name, values, rows.measured[test])
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
    for name, values in {**predicted, "blend": blend(predicted)}.items():
        score(name, values[public], rows.measured[public])
    return 0


if __name__ == "__main__":
    sys.exit(main())
