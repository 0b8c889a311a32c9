"""The structural time model: time = roofline / e + kernels x o, monotone in the spec by construction.

The plain efficiency trees learn log(roofline / time) from every feature, including ratios of the
device's spec (mean kernel roofline time, the ridge point); their steps in those ratios are steeper
than physics allows, so a device with twice the bandwidth can come out slower
(``reports/monotonicity.md``). Here two tree outputs, log(1/e) (how far below its roofline the work
runs) and log(o) (seconds of fixed cost per kernel launched, optionally scaled by the device's
speed to the power ``launch_gamma``, so a faster host dispatches faster), come from features that
carry no device speed: only the roofline moves with the peaks and bandwidth, so a faster spec is
never predicted slower, and the prediction extrapolates like the roofline. ``BlendedBooster`` averages
the two models' log times. The regressor blends them for devices it predicts from their spec
alone, where the blend is about as accurate as the plain trees and far more often physically
consistent; measured devices keep the plain trees, which are more accurate there
(``reports/ablations/structural_blend.md``).
"""

from __future__ import annotations

import numpy as np

from advisor.features import KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE, feature_names
from advisor.roofline import MAX_LOG_EFFICIENCY

#: features that carry the device's speed (its peaks and bandwidth), kept from the structural trees
SPEED_FEATURES = frozenset({
    "log_roofline_s", "log_compute_s", "log_memory_s", "compute_bound_time_share",
    "log_kernel_mean_s", "small_kernel_share", "log_ridge", "intensity_over_ridge",
    "time_share_matrix", "time_share_pointwise", "time_share_norm", "time_share_pool",
    "time_share_data", "time_share_other", KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE})
#: Where the boosting starts: a third of the roofline rate, and 10 us per kernel.
START = (float(np.log(3.0)), float(np.log(10e-6)))
#: the mean kernel roofline time at which the launch cost per kernel is o itself (``launch_gamma``)
LAUNCH_REFERENCE_S = 10e-6


def speed_free_columns() -> list[int]:
    """Indices of the features the structural trees see."""
    return [i for i, name in enumerate(feature_names()) if name not in SPEED_FEATURES]


def _roofline(X: np.ndarray) -> np.ndarray:
    return np.exp(X[:, feature_names().index("log_roofline_s")])


def _seconds(margins: np.ndarray, roofline: np.ndarray, kernels: np.ndarray):
    """(work seconds, launch seconds) from the two outputs."""
    work = roofline * np.exp(np.maximum(margins[:, 0], -MAX_LOG_EFFICIENCY))
    return work, kernels * np.exp(margins[:, 1])


class StructuralBooster:
    """Two-output XGBoost (log 1/e, log o) fitted to squared log time error; predicts log efficiency."""

    def __init__(self, n_estimators: int = 500, max_depth: int = 7, learning_rate: float = 0.05,
                 subsample: float = 0.8, colsample_bytree: float = 0.8,
                 min_child_weight: float = 3.0, n_jobs: int = 2, random_state: int = 0,
                 launch_gamma: float = 0.0):
        self.params = dict(max_depth=max_depth, learning_rate=learning_rate, subsample=subsample,
                           colsample_bytree=colsample_bytree, min_child_weight=min_child_weight,
                           tree_method="hist", nthread=n_jobs, seed=random_state,
                           multi_strategy="one_output_per_tree", num_target=2)
        self.n_estimators = n_estimators
        self.launch_gamma = launch_gamma
        self.booster_ = None

    def _launch_units(self, X: np.ndarray) -> np.ndarray:
        """What the launch cost o multiplies: the kernel count, times (mean kernel roofline time /
        10 us) ** ``launch_gamma``. At gamma 0 a launch costs the same on every device; above 0 it
        shrinks on a faster device too (a faster host dispatches faster), and the time stays
        monotone in the spec, since the roofline is."""
        names = feature_names()
        log_kernels = X[:, names.index("log_kernels")]
        if not self.launch_gamma:
            return np.exp(log_kernels)
        log_per_kernel = X[:, names.index("log_roofline_s")] - log_kernels
        return np.exp(log_kernels + self.launch_gamma * (log_per_kernel - np.log(LAUNCH_REFERENCE_S)))

    def fit(self, X, y, sample_weight=None) -> "StructuralBooster":
        """Fit on the full feature matrix ``X`` and log efficiencies ``y`` (rows with a
        non-finite roofline or kernel count are left out)."""
        import xgboost as xgb
        X = np.asarray(X, float)
        roofline, kernels = _roofline(X), self._launch_units(X)
        keep = np.isfinite(roofline) & np.isfinite(kernels) & (kernels > 0) & np.isfinite(y)
        weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        roofline, kernels, weight = roofline[keep], kernels[keep], weight[keep]
        log_measured = np.log(roofline) - np.asarray(y, float)[keep]
        data = xgb.DMatrix(X[keep][:, speed_free_columns()], label=np.zeros((keep.sum(), 2)),
                           weight=weight, base_margin=_start(keep.sum()))

        def objective(margins, _):
            """Squared log error of the summed time; Gauss-Newton hessians."""
            work, launch = _seconds(margins, roofline, kernels)
            total = work + launch
            residual = np.log(total) - log_measured
            shares = np.column_stack([work / total, launch / total])
            return residual[:, None] * shares * weight[:, None], shares ** 2 * weight[:, None] + 1e-6

        self.booster_ = xgb.train(self.params, data, self.n_estimators, obj=objective)
        return self

    def predict(self, X) -> np.ndarray:
        """Predicted log efficiency (NaN where the roofline or kernel count is not finite)."""
        import xgboost as xgb
        X = np.asarray(X, float)
        margins = self.booster_.predict(xgb.DMatrix(X[:, speed_free_columns()],
                                                    base_margin=_start(len(X))), output_margin=True)
        roofline, kernels = _roofline(X), self._launch_units(X)
        work, launch = _seconds(np.asarray(margins).reshape(len(X), 2), roofline, kernels)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.log(roofline) - np.log(work + launch)

    def save_raw(self) -> bytes:
        """The booster in XGBoost's JSON format (never a pickle)."""
        return bytes(self.booster_.save_raw(raw_format="json"))

    @classmethod
    def from_file(cls, path: str, launch_gamma: float = 0.0) -> "StructuralBooster":
        """Load a booster saved by ``save_raw`` (``launch_gamma``: the one it was fitted with);
        ValueError if it is not a two-output model over the speed-free features (a consistent
        digest does not make any booster ours)."""
        import xgboost as xgb
        model = cls(launch_gamma=launch_gamma)
        model.booster_ = xgb.Booster(model_file=path)
        width = len(speed_free_columns())
        if model.booster_.num_features() != width:
            raise ValueError(f"not a booster over the {width} speed-free features")
        probe = model.booster_.predict(xgb.DMatrix(np.zeros((1, width)), base_margin=_start(1)),
                                       output_margin=True)
        if np.asarray(probe).size != 2:
            raise ValueError("not a two-output booster")
        return model


def _start(n: int) -> np.ndarray:
    return np.tile(np.array(START), (n, 1))


class BlendedBooster:
    """Plain efficiency trees and the structure, averaged in log time with a weight per row: at
    0.5 the geometric mean of their predicted seconds, at 0 the plain trees alone.

    ``seen``, when given, is a second set of plain trees (deeper) that predicts the rows of
    measured devices instead: on validation splits deeper trees were more accurate for new graphs
    on seen devices and less so for unseen devices (``reports/ablations/learners.txt``)."""

    def __init__(self, plain, structural: StructuralBooster | None, seen=None):
        self.plain, self.structural, self.seen = plain, structural, seen

    def fit(self, X, y, sample_weight=None) -> "BlendedBooster":
        for model in (self.plain, self.structural, self.seen):
            if model is not None:
                model.fit(X, y, sample_weight=sample_weight)
        return self

    def predict(self, X, weight=0.0, unseen=None) -> np.ndarray:
        """Log efficiency; ``weight``: the structure's share, one number or one per row;
        ``unseen``: the rows of devices predicted from their spec (default: those with a weight
        above 0), which the ``seen`` trees never predict."""
        X = np.asarray(X, float)
        n = X.shape[0]
        weight = np.broadcast_to(np.asarray(weight, float), (n,))
        unseen = weight > 0 if unseen is None else np.broadcast_to(np.asarray(unseen, bool), (n,))
        result = np.full(n, np.nan)
        known = ~unseen if self.seen is not None else np.zeros(n, bool)
        if known.any():
            result[known] = np.minimum(self.seen.predict(X[known]), MAX_LOG_EFFICIENCY)
        rest = ~known
        if not rest.any():
            return result
        X_rest, weight = X[rest], weight[rest]
        plain = np.minimum(self.plain.predict(X_rest), MAX_LOG_EFFICIENCY)
        rows = weight > 0
        if self.structural is None or self.structural.booster_ is None or not rows.any():
            result[rest] = plain
            return result
        structure = np.full(len(plain), np.nan)
        structure[rows] = self.structural.predict(X_rest[rows])
        blended = (1 - weight) * plain + weight * structure
        result[rest] = np.where(rows & np.isfinite(structure), blended, plain)
        return result
