"""Prototype: time = roofline / e + kernels x o, e and o from trees that see no device speed.

Compared side by side with plain efficiency trees on the same simplified splits (graph holdout;
public devices held out five folds by device). Not the evaluation's machinery (no offsets,
centres, kernel-sum features): a relative comparison only. Why: such a model is monotone in the
spec by construction (only the roofline moves with peaks and bandwidth) and extrapolates like the
roofline (``reports/ablations/monotone_trees.md``)::

    ROUNDS=500 python benchmarks/structural_probe.py --public /tmp/public.csv.gz

Two to four minutes on 2 cores (ROUNDS: trees per model, default 200).
"""
import sys, time
import numpy as np
import xgboost as xgb
from sklearn.model_selection import GroupShuffleSplit, GroupKFold
sys.path.insert(0, '/work/main'); sys.path.insert(0, '/work/main/benchmarks')
from ablation_common import assembled_rows
from advisor.features import feature_names, KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE
from advisor.training import source_weights

SPEED = {"log_roofline_s", "log_compute_s", "log_memory_s", "compute_bound_time_share",
         "log_kernel_mean_s", "small_kernel_share", "log_ridge", "intensity_over_ridge",
         "time_share_matrix", "time_share_pointwise", "time_share_norm", "time_share_pool",
         "time_share_data", "time_share_other", KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE}
PARAMS = dict(max_depth=7, learning_rate=0.05, subsample=0.8, colsample_bytree=0.8,
              min_child_weight=3.0, tree_method="hist", nthread=2, seed=0)
ROUNDS = int(__import__("os").environ.get("ROUNDS", "200"))

data, start = assembled_rows(__doc__, sys.argv[1:])
names = feature_names()
X = np.array(data.X, float); X[:, names.index(KERNEL_SUM_FEATURE)] = np.nan
X[:, names.index(KERNEL_TIME_FEATURE)] = np.nan
free = [i for i, n in enumerate(names) if n not in SPEED]
R, t = data.roofline_s, data.measured_s
n = np.exp(X[:, names.index("log_kernels")])
w = source_weights(data.meta, True)


def plain(train, test):
    m = xgb.train(PARAMS, xgb.DMatrix(X[train], label=data.y[train], weight=w[train]), ROUNDS)
    y = np.minimum(m.predict(xgb.DMatrix(X[test])), np.log(4))
    return R[test] / np.exp(y)


def structural(train, test):
    base = lambda idx: np.column_stack([np.full(len(idx), np.log(3.0)), np.full(len(idx), np.log(10e-6))])
    dtrain = xgb.DMatrix(X[train][:, free], label=np.zeros((len(train), 2)), weight=w[train],
                         base_margin=base(train))
    Rt, nt, lt, wt = R[train], n[train], np.log(t[train]), w[train]

    def obj(predt, dmat):
        pe, po = np.maximum(predt[:, 0], -np.log(4)), predt[:, 1]
        a, b = Rt * np.exp(pe), nt * np.exp(po)
        T = a + b
        r = np.log(T) - lt
        g = np.column_stack([r * a / T, r * b / T]) * wt[:, None]
        h = np.column_stack([(a / T) ** 2, (b / T) ** 2]) * wt[:, None] + 1e-6
        return g, h

    params = {**PARAMS, "multi_strategy": "one_output_per_tree", "num_target": 2}
    m = xgb.train(params, dtrain, ROUNDS, obj=obj)
    p = m.predict(xgb.DMatrix(X[test][:, free], base_margin=base(test)), output_margin=True)
    return R[test] * np.exp(np.maximum(p[:, 0], -np.log(4))) + n[test] * np.exp(p[:, 1])


def score(name, pred, truth):
    ape = np.abs(pred / truth - 1)
    print(f"  {name:10s} MAPE {100 * ape.mean():6.1f}%  median {100 * np.median(ape):5.1f}%  "
          f"within 10% {100 * (ape <= 0.1).mean():5.1f}%", flush=True)


idx = np.arange(len(t))
tr, te = next(GroupShuffleSplit(1, test_size=0.2, random_state=0).split(X, t, data.meta["graph"]))
print("graph holdout (seen devices):")
for fn in (plain, structural):
    score(fn.__name__, fn(tr, te), t[te])
public = (data.meta["source"] != "ours").to_numpy()
devices = data.meta["hw_id"].to_numpy()
print("public devices held out (5 folds by device):")
preds = {f.__name__: np.full(len(t), np.nan) for f in (plain, structural)}
for k, (a, b) in enumerate(GroupKFold(5).split(idx[public], groups=devices[public])):
    held = set(devices[public][b])
    test = idx[public][b]
    train = idx[~np.isin(devices, list(held))]
    for f in (plain, structural):
        preds[f.__name__][test] = f(train, test)
    print(f"  fold {k} done {time.time() - start:.0f} s", flush=True)
for name, p in preds.items():
    score(name, p[public], t[public])
