"""Learners compared on the same rows and splits: the shipped XGBoost trees beside other depths,
a bag of XGBoost seeds, scikit-learn's histogram gradient boosting and random forest, and a ridge
regression, each predicting log efficiency (roofline time / measured time) from the same features.

The issue asks for the regressor to be "compared honestly" with other scikit-learn-compatible
learners. These are the plain learners on simplified splits (as ``structural_probe.py``): no
offsets, centres, structural blend, conformal folds or per-split kernel features (those columns
are removed), so the numbers are comparisons between learners, not the evaluation's. The splits are
validation splits, chosen apart from the evaluation's test splits so that a choice made here is
not made on them (the rows are the same, so the evaluation is not independent of it either);
all by graph, family or device, never by row:

- graph holdout: 20% of graphs held out (seen devices; GroupShuffleSplit seed 1, the
  evaluation's (a) uses seed 0), scored on every held-out row;
- families held out: our rows' families dealt into 6 groups held out together (every row of a
  held-out family leaves training, from any source; (b) holds each family out alone), scored
  on our rows;
- devices held out: public devices in 5 folds by ``advisor.evaluation.device_folds`` partition 3
  ((c) pools partitions 0-2), scored on public rows.

Rule fixed before the run: a candidate replaces the shipped trees only if its MAPE is lower on
the graph and family holdouts and at most 0.5 point higher on the devices held out.

Every learner gets the training weights of ``advisor train`` (``source_weights``) and its
prediction is capped at the roofline's physical bound, as the shipped one is::

    python benchmarks/compare_learners.py --public /tmp/public.csv.gz

About 30 minutes on 2 cores; LEARNERS=name,name runs a subset.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation_common import assembled_rows, error_summary  # noqa: E402
from advisor.evaluation import device_folds  # noqa: E402
from advisor.features import KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE, feature_names  # noqa: E402
from advisor.roofline import MAX_LOG_EFFICIENCY  # noqa: E402
from advisor.training import source_weights  # noqa: E402

#: the shipped trees' parameters (``advisor.predictor.EfficiencyRegressor``'s defaults)
SHIPPED = dict(n_estimators=500, max_depth=7, learning_rate=0.05, subsample=0.8,
               colsample_bytree=0.8, min_child_weight=3.0)
FAMILY_GROUPS = 6
DEVICE_FOLDS = 5
#: apart from the evaluation's test splits (its (a) seed 0, its (c) partitions 0-2)
GRAPH_SEED = 1
DEVICE_PARTITION = 3


def xgboost(**changes) -> Callable:
    """XGBoost regressor at the shipped parameters, updated by ``changes``."""
    def make():
        from xgboost import XGBRegressor
        return XGBRegressor(**{"tree_method": "hist", "n_jobs": 2, "random_state": 0, **SHIPPED,
                               **changes})
    return make


class SeedBag:
    """The mean log efficiency of XGBoost models at several seeds (variance reduction)."""

    def __init__(self, seeds=(0, 1, 2)):
        self.seeds = seeds

    def fit(self, X, y, sample_weight=None):
        self.models_ = [xgboost(random_state=s)().fit(X, y, sample_weight=sample_weight)
                        for s in self.seeds]
        return self

    def predict(self, X):
        return np.mean([m.predict(X) for m in self.models_], axis=0)


def hist_gradient_boosting() -> object:
    from sklearn.ensemble import HistGradientBoostingRegressor
    return HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05, max_depth=7,
                                         max_leaf_nodes=127, min_samples_leaf=20,
                                         l2_regularization=1.0, early_stopping=False, random_state=0)


def random_forest() -> object:
    from sklearn.ensemble import RandomForestRegressor
    return RandomForestRegressor(n_estimators=60, max_features=0.33, min_samples_leaf=3,
                                 max_samples=0.5, n_jobs=2, random_state=0)


class LinearRidge:
    """Ridge regression over standardised features, missing values imputed by the median with
    an indicator column each (the linear baseline: what trees buy)."""

    def fit(self, X, y, sample_weight=None):
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import Ridge
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        self.model_ = make_pipeline(SimpleImputer(strategy="median", add_indicator=True,
                                                  keep_empty_features=True),
                                    StandardScaler(), Ridge(alpha=1.0))
        self.model_.fit(X, y, ridge__sample_weight=sample_weight)
        return self

    def predict(self, X):
        return self.model_.predict(X)


LEARNERS: dict[str, Callable] = {
    "xgboost (shipped: depth 7, 500 trees)": xgboost(),
    "xgboost depth 5": xgboost(max_depth=5),
    "xgboost depth 9": xgboost(max_depth=9),
    "xgboost depth 10": xgboost(max_depth=10),
    "xgboost depth 12": xgboost(max_depth=12),
    "xgboost depth 10, min child weight 10": xgboost(max_depth=10, min_child_weight=10.0),
    "xgboost 1000 trees": xgboost(n_estimators=1000),
    "xgboost 3 seeds averaged": SeedBag,
    "sklearn hist gradient boosting": hist_gradient_boosting,
    "sklearn random forest": random_forest,
    "ridge (linear)": LinearRidge,
}


class Rows:
    """The assembled rows without the per-split kernel features (fitted inside each split by the
    evaluation, absent here; scikit-learn's histogram boosting fails on all-missing columns)."""

    def __init__(self, data):
        names = feature_names()
        kept = [i for i, name in enumerate(names) if name not in (KERNEL_SUM_FEATURE,
                                                                  KERNEL_TIME_FEATURE)]
        self.X = np.array(data.X, float)[:, kept]
        self.y, self.roofline, self.measured = data.y, data.roofline_s, data.measured_s
        self.weight = source_weights(data.meta, True)
        self.meta = data.meta


def predict_seconds(make: Callable, rows: Rows, train: np.ndarray, test: np.ndarray) -> np.ndarray:
    """Fit a fresh learner on the ``train`` rows; the ``test`` rows' predicted seconds."""
    model = make()
    model.fit(rows.X[train], rows.y[train], sample_weight=rows.weight[train])
    log_efficiency = np.minimum(model.predict(rows.X[test]), MAX_LOG_EFFICIENCY)
    return rows.roofline[test] / np.exp(log_efficiency)


def splits(rows: Rows) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    """(train, test) index pairs of the three splits."""
    from sklearn.model_selection import GroupShuffleSplit
    index = np.arange(len(rows.y))
    graphs = rows.meta["graph"].to_numpy()
    graph_holdout = [next(GroupShuffleSplit(1, test_size=0.2, random_state=GRAPH_SEED)
                          .split(rows.X, rows.y, graphs))]
    ours = (rows.meta["source"] == "ours").to_numpy()
    families = np.array(sorted(rows.meta.loc[ours, "family"].unique()))
    family_folds = []
    for k in range(min(FAMILY_GROUPS, len(families))):
        held = rows.meta["family"].isin(families[k::FAMILY_GROUPS]).to_numpy()
        family_folds.append((index[~held], index[held & ours]))
    public = ~ours
    devices = rows.meta["hw_id"].astype(str).to_numpy()
    layout = device_folds(devices, DEVICE_FOLDS, DEVICE_PARTITION)
    fold = np.array([layout[hw] for hw in devices])
    device_holdout = [(index[fold != k], index[(fold == k) & public])
                      for k in range(DEVICE_FOLDS) if ((fold == k) & public).any()]
    return {"graph holdout": graph_holdout, "families held out": family_folds,
            "devices held out": device_holdout}


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    rows = Rows(data)
    chosen = os.environ.get("LEARNERS")
    learners = {name: make for name, make in LEARNERS.items()
                if not chosen or any(c.strip() and c.strip() in name for c in chosen.split(","))}
    for split, pairs in splits(rows).items():
        print(f"{split} ({sum(len(t) for _, t in pairs)} scored rows, {len(pairs)} fits each):",
              flush=True)
        for name, make in learners.items():
            began = time.time()
            predicted = [predict_seconds(make, rows, train, test) for train, test in pairs]
            tested = np.concatenate([test for _, test in pairs])
            print(f"  {name:42s} {error_summary(np.concatenate(predicted), rows.measured[tested])}  "
                  f"({time.time() - began:.0f} s)", flush=True)
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
