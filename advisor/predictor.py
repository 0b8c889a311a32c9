"""The efficiency regressor: learns log(roofline time / measured time) from real measurements.

A scikit-learn style estimator around XGBoost. Predicting efficiency rather than milliseconds
keeps every prediction physically bounded by the roofline. Prediction intervals are conformal:
the spread of out-of-fold residuals (folds grouped by graph, so a graph's rows never sit on both
sides) gives the half-width of a central interval with the requested coverage.

Persistence never unpickles: the booster is saved in XGBoost's JSON format and everything else in
a metadata JSON carrying the feature schema version and a digest of the booster file; a mismatch
between artifact and code is refused with a clear message.
"""

from __future__ import annotations

import hashlib
import json
import platform
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_array, check_is_fitted

from advisor.atomic import atomic_path, write_text_atomically
from advisor.calibration import BAND_ROWS, calibrated_residuals
from advisor.calibration_local import FeatureScale
from advisor.errors import AdvisorError, InputError
from advisor.features import FEATURE_SCHEMA_VERSION, KINDS, feature_names
from advisor.kernel_model import KernelTimeModel
from advisor.kernel_sum_blend import blend_kernel_sum, kernel_sum_weights
from advisor.kernel_sum import (KernelSumModel, is_kernel_mix, runtime_precision_groups,
                                within_mix)
from advisor.roofline import MAX_LOG_EFFICIENCY
from advisor.setting_offsets import RESIDUAL_CLIP, fit_setting_offsets, offsets_for
from advisor.structural import BlendedBooster, StructuralBooster

#: the structural booster's file beside ``efficiency.xgb.json`` (``advisor.structural``)
STRUCTURE_FILE = "efficiency.structure.xgb.json"
#: the deeper plain trees that predict measured devices' rows (``seen_max_depth``)
SEEN_FILE = "efficiency.seen.xgb.json"
#: The metadata JSON is about 150 kB (kernel-sum coefficients); a larger file is refused before parsing.
MAX_META_BYTES = 16 << 20

# The fastest time per kernel observed on a kind of device (the minimum of measured
# seconds / kernels over the training rows of that kind) bounds every prediction from below: the
# roofline of a chain of tiny kernels is far below any real launch cost.
KERNEL_FLOOR_QUANTILE = 0.0    # the minimum: a 1% quantile clamped real decode steps (eval (b) 36% -> 58%)
MIN_ROWS_FOR_FLOOR = 100
#: A group (runtime, precision) gets a residual band of its own only when its residuals come from
#: at least this many held-out units (graphs, or devices for spec-only bands). The quantiles of one
#: unit's residuals describe that unit's error, not the spread between units: the unseen
#: onnxruntime|fp32 band, calibrated on one held-out device (our host), was one-sided.
MIN_UNITS_FOR_BAND = 3
#: A spec-only band (devices held out) of a group of its own needs this many held-out devices, and
#: must contain 0. Its centre is not shifted (``unseen_centres``), so a band lying wholly on one
#: side says the group's spec-only predictions were biased on the few devices that sized it, a
#: bias the centres did not carry to the next device; as an interval it put the prediction at
#: its edge. With three onnxruntime hosts, the fp32 group's band was (+0.72, +2.53): a T4 fp32
#: batch-1 ResNet-50 read 3.88 ms (0.31-3.88) (``reports/ablations/retrain_with_xeon_rows_bands.md``).
#: Such groups use the overall band.
MIN_DEVICES_FOR_UNSEEN_BAND = 5


def fit_kernel_floors(X: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """log(seconds per kernel) floors per device kind, from training features and log efficiency."""
    names = feature_names()
    per_kernel = X[:, names.index("log_roofline_s")] - y - X[:, names.index("log_kernels")]
    floors = {}
    for kind in KINDS:
        rows = (X[:, names.index(f"kind_{kind}")] == 1) & np.isfinite(per_kernel)
        if rows.sum() >= MIN_ROWS_FOR_FLOOR:
            floors[kind] = float(np.quantile(per_kernel[rows], KERNEL_FLOOR_QUANTILE))
    return floors


def kernel_floor_cap(X: np.ndarray, floors: dict[str, float]) -> np.ndarray:
    """Largest log efficiency each row may have so that no kernel beats its kind's floor."""
    names = feature_names()
    cap = np.full(len(X), np.inf)
    budget = X[:, names.index("log_roofline_s")] - X[:, names.index("log_kernels")]
    for kind, floor in floors.items():
        rows = X[:, names.index(f"kind_{kind}")] == 1
        cap[rows] = budget[rows] - floor
    return cap


class EfficiencyRegressor(RegressorMixin, BaseEstimator):
    """Gradient-boosted trees on log efficiency, with conformal prediction intervals.

    ``unseen_centres``: whether spec-only predictions are shifted by their (runtime, precision)
    group's mean residual over the device-held-out folds, as seen-device predictions are by the
    graph-held-out ones. Off: with a device as the unit, a group's centre is the mean of a few
    held-out devices' biases, fitted by inner models that saw a third fewer devices, and it did
    not carry to the next unseen device: on the same trees it cost split (c) 0.4-3.6 points of
    MAPE in each of the evaluation's three device partitions, and moved (d) by 0.1
    (``reports/ablations/unseen_centres.txt``). The bands still size the intervals.

    ``seen_max_depth``: the depth of the plain trees that predict rows of measured devices (None,
    or ``max_depth``: the same trees as spec-only rows). On validation splits set apart from the
    evaluation's (``benchmarks/compare_learners.py``, ``reports/ablations/learners.txt``), depth
    10 against 7 took new graphs on seen devices from 8.4% to 7.4% MAPE and held-out families from
    36.0% to 35.6%, but held-out devices from 28.8% to 31.2%: deeper trees fit the devices they
    know more closely and extrapolate worse, so spec-only rows keep ``max_depth``.
    """

    def __init__(self, n_estimators: int = 500, max_depth: int = 7, learning_rate: float = 0.05,
                 subsample: float = 0.8, colsample_bytree: float = 0.8, min_child_weight: float = 3.0,
                 coverage: float = 0.9, n_folds: int = 3, n_jobs: int = 2, random_state: int = 0,
                 structural_weight: float = 0.5, structural_launch_gamma: float = 0.5,
                 unseen_centres: bool = False, seen_max_depth: int | None = 10):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.min_child_weight = min_child_weight
        self.coverage = coverage
        self.n_folds = n_folds
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.structural_weight = structural_weight
        self.structural_launch_gamma = structural_launch_gamma
        self.unseen_centres = unseen_centres
        self.seen_max_depth = seen_max_depth

    def _has_seen_trees(self) -> bool:
        return self.seen_max_depth is not None and self.seen_max_depth != self.max_depth

    def _booster(self, seen: bool = True, unseen: bool = True) -> BlendedBooster:
        """The models that predict rows of measured devices (``seen``: the plain trees, at
        ``seen_max_depth`` when that differs from ``max_depth``) and of devices known by their
        spec alone (``unseen``: the plain trees at ``max_depth``, with the structural model,
        ``advisor.structural``, when ``structural_weight`` > 0)."""
        from xgboost import XGBRegressor
        trees = dict(n_estimators=self.n_estimators, max_depth=self.max_depth,
                     learning_rate=self.learning_rate, subsample=self.subsample,
                     colsample_bytree=self.colsample_bytree, min_child_weight=self.min_child_weight,
                     n_jobs=self.n_jobs, random_state=self.random_state)
        deeper = (XGBRegressor(tree_method="hist", **{**trees, "max_depth": self.seen_max_depth})
                  if seen and self._has_seen_trees() else None)
        if not unseen:     # the seen rows' trees alone
            return BlendedBooster(deeper or XGBRegressor(tree_method="hist", **trees), None)
        return BlendedBooster(XGBRegressor(tree_method="hist", **trees),
                              StructuralBooster(launch_gamma=self.structural_launch_gamma, **trees)
                              if self.structural_weight > 0 else None, deeper)

    def _raw(self, X: np.ndarray, unseen) -> np.ndarray:
        """Unbounded log efficiency: the seen-device trees on measured devices' rows; on
        ``unseen`` rows the plain trees blended with the structure at ``structural_weight``
        (spec-only: the trees' steps in the spec's ratios can make a faster device slower, the
        structure cannot)."""
        unseen = np.broadcast_to(np.asarray(unseen, bool), (len(X),))
        return self.model_.predict(X, self.structural_weight * unseen, unseen)

    def fit(self, X, y, groups=None, sample_weight=None, interval_groups=None,
            devices=None, setting_keys=None, offset_rows=None, fold_groups=None,
            offset_shares=None, kernel_sum_efficiency=None) -> "EfficiencyRegressor":
        """Fit on features ``X`` and log efficiencies ``y``.

        ``groups`` (graph ids) are the unit of evidence of offsets and band centres, and by
        default shape the folds whose out-of-fold residuals calibrate intervals for devices the
        model has seen; ``fold_groups``, when given, shape those folds instead (coarser units such
        as model families, so a held-out row's relatives are held out with it); ``devices``
        (hardware ids), when given, add folds that hold whole devices out, calibrating the wider
        intervals of spec-only predictions.
        ``interval_groups`` (by default the (runtime, precision) of ``setting_keys``) get intervals
        of their own where they have enough rows (Mondrian conformal): residuals differ a lot
        between runtimes. ``setting_keys`` (one per row, see ``kernel_sum.setting_key``) also turn
        on per-setting offsets fitted from the out-of-fold residuals (``setting_offsets``) for the
        rows marked in ``offset_rows`` (default all); the seen-device intervals are then
        calibrated on those rows' residuals after their leave-one-out offsets. ``offset_shares``
        (per row, each kernel group's share of roofline time: ``kernel_sum.group_shares``) record
        the kernel mix each offset was measured on (``offset_applies``). ``kernel_sum_efficiency``
        (per row, the kernel sum's log efficiency cross-fitted over the same fold units; NaN where
        it has none) sets each interval group's weight of the kernel sum in seen-device
        predictions (``kernel_sum_weights``, fitted on the ``offset_rows``: rows whose trees saw
        the features they will see later); offsets and seen-device bands then come from the
        blend's out-of-fold residuals.
        """
        X = check_array(X, dtype=float, ensure_all_finite="allow-nan")
        y = np.asarray(y, dtype=float)
        if y.shape[0] != X.shape[0]:
            raise InputError(f"X has {X.shape[0]} rows but y has {y.shape[0]}")
        if not np.all(np.isfinite(y)):
            raise InputError("log efficiencies must be finite")
        weight = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        groups = np.arange(len(y)) if groups is None else np.asarray(groups)
        keys = _group_keys(interval_groups, setting_keys)
        self.kernel_floors_ = fit_kernel_floors(X, y)
        self.feature_scale_ = FeatureScale.fit(X)     # the units of calibration's similarity
        folds = groups if fold_groups is None else np.asarray(fold_groups)
        self.oof_residuals_ = self._out_of_fold(X, y, folds, weight, unseen=False)
        usable = np.ones(len(y), bool) if offset_rows is None else np.asarray(offset_rows, bool)
        self.kernel_sum_weights_ = {}
        if kernel_sum_efficiency is not None and keys is not None:
            self.kernel_sum_weights_, self.oof_residuals_ = kernel_sum_weights(
                y, self.oof_residuals_, np.asarray(kernel_sum_efficiency, float), keys, folds, usable)
        seen_residuals = self.oof_residuals_
        self.setting_offsets_, self.setting_offset_batches_, self.setting_offset_mix_ = {}, {}, {}
        if setting_keys is not None:
            self.setting_offsets_, adjusted = fit_setting_offsets(self.oof_residuals_, setting_keys,
                                                                  usable, graphs=groups)
            self.setting_offset_batches_ = batch_ranges(X, setting_keys, usable & np.isfinite(y))
            if offset_shares is not None:
                self.setting_offset_mix_ = largest_shares(offset_shares, setting_keys,
                                                          usable & np.isfinite(y))
            seen_residuals = np.where(usable, adjusted, np.nan)
        self.intervals_ = {"seen": self._quantiles(seen_residuals, keys, groups)}
        self.calibrated_bands_ = {}
        if devices is not None and len(np.unique(devices)) >= 3:
            devices = np.asarray(devices)
            unseen = self._out_of_fold(X, y, devices, weight, unseen=True)
            # here the held-out unit, and so the unit of evidence for a centre, is the device
            self.intervals_["unseen"] = self._quantiles(
                unseen, keys, devices, centred=self.unseen_centres,
                min_units=MIN_DEVICES_FOR_UNSEEN_BAND, two_sided=True)
            self.calibrated_bands_ = self._calibrated_bands(X, y, unseen, devices)
        self.interval_ = _outer(self.intervals_["seen"]["*"])
        self.model_ = self._booster()
        self.model_.fit(X, y, sample_weight=weight)
        self.n_features_in_ = X.shape[1]
        return self

    def _out_of_fold(self, X, y, groups, weight, unseen: bool) -> np.ndarray:
        """Residuals of each fold's rows predicted by a model fitted without them, as rows the
        model has seen (``unseen`` False: plain trees) or not (blended) would be predicted."""
        residuals = np.full(len(y), np.nan)
        folds = min(self.n_folds, len(np.unique(groups)))
        if folds < 2:
            return residuals
        blend = self.structural_weight if unseen else 0.0
        for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
            model = self._booster(seen=not unseen, unseen=unseen)
            model.fit(X[train], y[train], sample_weight=None if weight is None else weight[train])
            residuals[test] = y[test] - self._bounded(model.predict(X[test], blend, unseen),
                                                      self._floor_cap(X[test]))
        return residuals

    def _calibrated_bands(self, X, y, unseen_residuals, devices) -> dict[int, tuple[float, float]]:
        """Per calibration size n: the central residual band left after calibrating held-out
        devices on n of their rows (``calibration.calibrated_residuals``), over enough devices."""
        log_roofline = X[:, feature_names().index("log_roofline_s")]
        alpha = (1 - self.coverage) / 2
        bands = {}
        for rows in BAND_ROWS:
            residuals = calibrated_residuals(log_roofline, y, unseen_residuals, devices, rows,
                                             seed=self.random_state, features=X,
                                             scale=self.feature_scale_)
            finite = np.isfinite(residuals)
            if finite.sum() >= 30 and len(np.unique(devices[finite])) >= MIN_UNITS_FOR_BAND:
                low, high = np.quantile(residuals[finite], [alpha, 1 - alpha])
                bands[rows] = (float(low), float(high))
        return bands

    def calibrated_band(self, rows: int) -> tuple[float, float] | None:
        """(low, high) log-efficiency residual band of a prediction calibrated on ``rows``
        measurements: the band of the largest stored size not above ``rows`` (None: none),
        widened where needed to contain 0 so the interval always holds the median."""
        bands = getattr(self, "calibrated_bands_", {})
        sizes = [n for n in bands if n <= rows]
        if not sizes:
            return None
        low, high = bands[max(sizes)]
        return min(low, 0.0), max(high, 0.0)

    def _quantiles(self, residuals: np.ndarray, keys: np.ndarray | None, units: np.ndarray,
                   min_rows: int = 30, centred: bool = True, min_units: int | None = None,
                   two_sided: bool = False) -> dict[str, tuple[float, float, float]]:
        """(low, centre, high) residual bands: overall ("*") and per key with enough rows over
        at least ``min_units`` units (default ``MIN_UNITS_FOR_BAND``, read at call time); other
        keys fall back to the overall band, and so do keys whose band lies wholly on one side of
        0 when ``two_sided`` (see ``MIN_DEVICES_FOR_UNSEEN_BAND``).

        The outer two are central quantiles at ``coverage``. A key's centre (the shift its
        predictions get) is its residuals' mean over ``units`` (the held-out unit of the folds:
        graphs, or devices), shrunk like a setting offset (``fit_setting_offsets``): a runtime
        measured on two graphs moves its predictions little, however many rows those two graphs
        have. The overall centre is the median. ``centred`` False: every centre is 0, the bands
        only size intervals (the spec-only bands: see ``unseen_centres`` in the class docstring).
        """
        alpha = (1 - self.coverage) / 2
        finite = np.isfinite(residuals)

        def band(mask, centre=None) -> tuple[float, float, float]:
            values = residuals[mask & finite]
            if values.size == 0:
                return (0.0, 0.0, 0.0)
            low, mid, high = np.quantile(values, [alpha, 0.5, 1 - alpha])
            mid = (mid if centre is None else centre) if centred else 0.0
            return (float(low), float(mid), float(high))

        out = {"*": band(np.ones(len(residuals), bool))}
        if keys is not None:
            centres = fit_setting_offsets(residuals, keys, graphs=units)[0] if centred else {}
            units = np.asarray(units).astype(str)
            for key in np.unique(keys):
                mask = keys == key
                enough_units = len(np.unique(units[mask & finite])) >= (
                    MIN_UNITS_FOR_BAND if min_units is None else min_units)
                if (mask & finite).sum() < min_rows or not enough_units:
                    continue
                own = band(mask, centres.get(str(key), 0.0))
                if two_sided and not own[0] <= 0.0 <= own[2]:
                    continue
                out[str(key)] = own
        return out

    def predict(self, X, unseen=False) -> np.ndarray:
        """Predicted log efficiency: at most log 4 (MAX_LOG_EFFICIENCY), and never so high that a
        kernel would run faster than the fastest kernel measured on that kind of device.
        ``unseen`` (one bool, or one per row): rows of devices predicted from their spec alone."""
        check_is_fitted(self, "model_")
        X = check_array(X, dtype=float, ensure_all_finite="allow-nan")
        unseen = np.broadcast_to(np.asarray(unseen, bool), (len(X),))
        return self._bounded(self._raw(X, unseen), self._floor_cap(X))

    def offset_applies(self, X, setting_keys, shares=None) -> np.ndarray:
        """Per row: False where its setting has an offset but the row lies outside what that
        offset was measured on: a batch outside the setting's measured batches, or (given
        ``shares``, each kernel group's share of the row's roofline time) a kernel mix with some
        group more than ``kernel_sum.MIX_MARGIN`` above its largest share among the setting's
        rows. A bias measured at batch 1-8 (MLPerf's TensorRT rows) says nothing about batch 32,
        where time is no longer launch-bound: applied there, it put a T4's int8 ResNet-50 at a
        quarter of what MLPerf Offline measures. A bias measured on convnets says nothing about
        a decoder's matrix products: the Xeon's dynamic-int8 offsets, from ConvInteger, put
        held-out decoders 2.5-2.8x too slow (``docs/accuracy.md``, session 26)."""
        X = np.asarray(X, dtype=float)
        keys = np.asarray(list(setting_keys)).astype(str)
        ranges = getattr(self, "setting_offset_batches_", {})
        mixes = getattr(self, "setting_offset_mix_", {}) if shares is not None else {}
        offsets = getattr(self, "setting_offsets_", {})
        inside = np.ones(len(keys), bool)
        if not ranges and not mixes:
            return inside
        batch = np.exp(X[:, feature_names().index("log_batch")])
        for key in np.unique(keys):
            if key not in offsets:
                continue
            rows = keys == key
            if key in ranges:
                lo, hi = ranges[key]
                inside[rows] &= (batch[rows] >= lo * (1 - 1e-6)) & (batch[rows] <= hi * (1 + 1e-6))
            if key in mixes:
                inside[rows] &= within_mix(np.asarray(shares, float)[rows], mixes[key])
        return inside

    def _floor_cap(self, X: np.ndarray) -> np.ndarray | None:
        """Per-row log-efficiency cap from the kernel floors (None for a model without floors)."""
        floors = getattr(self, "kernel_floors_", None)
        return kernel_floor_cap(X, floors) if floors else None

    @staticmethod
    def _bounded(log_efficiency: np.ndarray, floor_cap: np.ndarray | None) -> np.ndarray:
        capped = np.minimum(log_efficiency, MAX_LOG_EFFICIENCY)
        return capped if floor_cap is None else np.minimum(capped, floor_cap)

    def predict_interval(self, X, interval_groups=None, unseen=None, setting_keys=None,
                         offset_inside=None, offset_shares=None
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(low, median, high) log efficiency; the interval covers ``coverage`` of held-out rows.

        ``interval_groups`` picks each row's group interval (falling back to the overall one;
        by default the (runtime, precision) of ``setting_keys``);
        ``unseen`` (bools) selects the intervals calibrated on held-out devices; ``setting_keys``
        apply the per-setting offsets of settings the training data measured (``offset_inside``:
        ``offset_applies`` of these rows, when the caller has it already; else computed with the
        rows' kernel-group shares ``offset_shares``). The median is the
        trees' prediction shifted by its group's centre (the shrunk mean out-of-fold residual over
        graphs, or devices for ``unseen`` rows; see ``_quantiles``), so a group the trees get wrong
        on average is corrected, and the interval is stretched where needed to contain it.
        """
        check_is_fitted(self, "model_")
        X = check_array(X, dtype=float, ensure_all_finite="allow-nan")
        cap = self._floor_cap(X)
        n = len(X)
        flags = np.zeros(n, bool) if unseen is None else np.asarray(unseen, bool).copy()
        offsets = getattr(self, "setting_offsets_", {})
        shift = np.zeros(n)
        if offsets and setting_keys is not None:
            inside = (self.offset_applies(X, setting_keys, offset_shares) if offset_inside is None
                      else np.asarray(offset_inside, bool))
            shift = np.where(inside, offsets_for(offsets, setting_keys), 0.0)
            # without its offset a measured setting is predicted as an unseen device would be
            flags |= ~inside
        keys = _group_keys(interval_groups, setting_keys)
        raw = self._raw(X, flags)
        weights = getattr(self, "kernel_sum_weights_", {})
        if weights and keys is not None:
            raw = blend_kernel_sum(raw, X, keys, weights, ~flags)
        median = self._bounded(raw + shift, cap)
        intervals = getattr(self, "intervals_", {"seen": {"*": self.interval_}})
        keys = np.full(n, "*") if keys is None else keys
        low, mid, high = np.empty(n), np.empty(n), np.empty(n)
        for flag in (False, True):      # one lookup per (seen/unseen, group), not per row
            table = intervals["unseen"] if flag and "unseen" in intervals else intervals["seen"]
            for key in np.unique(keys[flags == flag]):
                rows = (flags == flag) & (keys == key)
                low[rows], mid[rows], high[rows] = _three(table.get(key, table["*"]))
        centre, upper = median + mid, median + high
        if cap is not None:   # the median and the fast end obey the same per-kernel floor
            centre, upper = np.minimum(centre, cap), np.minimum(upper, cap)
        return np.minimum(median + low, centre), centre, np.maximum(upper, centre)

    # --- persistence ------------------------------------------------------------------------------
    def save(self, directory: str | Path, extra: dict | None = None) -> Path:
        """Write ``efficiency.xgb.json`` and ``efficiency.meta.json`` into ``directory``."""
        check_is_fitted(self, "model_")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        booster_path = directory / "efficiency.xgb.json"
        with atomic_path(booster_path) as tmp:    # XGBoost's JSON format, never a pickle
            tmp.write_bytes(bytes(self.model_.plain.get_booster().save_raw(raw_format="json")))
        structure = self.model_.structural
        structure_path = directory / STRUCTURE_FILE
        if structure is not None:
            with atomic_path(structure_path) as tmp:
                tmp.write_bytes(structure.save_raw())
        elif structure_path.exists():     # a plain model must not pick up an older structure
            structure_path.unlink()
        seen_path = directory / SEEN_FILE
        if self.model_.seen is not None:
            with atomic_path(seen_path) as tmp:
                tmp.write_bytes(bytes(self.model_.seen.get_booster().save_raw(raw_format="json")))
        elif seen_path.exists():          # nor pick up older seen-device trees
            seen_path.unlink()
        import sklearn
        import xgboost
        meta = {
            "feature_schema_version": FEATURE_SCHEMA_VERSION,
            "feature_names": feature_names(),
            "booster_sha256": _sha256(booster_path),
            "structure_sha256": None if structure is None else _sha256(structure_path),
            "seen_sha256": None if self.model_.seen is None else _sha256(seen_path),
            "interval": list(self.interval_),
            "intervals": {kind: {k: list(v) for k, v in table.items()}
                          for kind, table in getattr(self, "intervals_", {}).items()},
            "coverage": self.coverage,
            "calibrated_bands": {str(n): list(b) for n, b in getattr(self, "calibrated_bands_", {}).items()},
            "kernel_floors_log_s": getattr(self, "kernel_floors_", {}),
            "feature_scale": (self.feature_scale_.to_json() if getattr(self, "feature_scale_", None)
                              is not None else None),
            "setting_offsets": getattr(self, "setting_offsets_", {}),
            "setting_offset_batches": {k: list(v) for k, v in
                                       getattr(self, "setting_offset_batches_", {}).items()},
            "setting_offset_mix": {k: list(v) for k, v in getattr(self, "setting_offset_mix_", {}).items()},
            "kernel_sum_weights": getattr(self, "kernel_sum_weights_", {}),
            "kernel_sum": (self.kernel_sum_.to_json() if getattr(self, "kernel_sum_", None)
                           is not None else None),
            "kernel_time": (self.kernel_time_.save(directory) if getattr(self, "kernel_time_", None)
                            is not None else None),
            "params": self.get_params(),
            "versions": {"xgboost": xgboost.__version__, "sklearn": sklearn.__version__,
                         "python": platform.python_version()},
            **(extra or {}),
        }
        meta_path = directory / "efficiency.meta.json"
        return write_text_atomically(meta_path, json.dumps(meta, indent=2))

    @classmethod
    def load(cls, directory: str | Path) -> "EfficiencyRegressor":
        """Load a saved model; refuses a digest or schema mismatch. Never unpickles."""
        directory = Path(directory)
        meta_path, booster_path = directory / "efficiency.meta.json", directory / "efficiency.xgb.json"
        if not meta_path.exists() or not booster_path.exists():
            raise AdvisorError(f"no trained model in {directory} (run `advisor train`)")
        if meta_path.stat().st_size > MAX_META_BYTES:
            raise AdvisorError(f"model metadata {meta_path} is over {MAX_META_BYTES} bytes: not ours")
        try:
            meta = json.loads(meta_path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise AdvisorError(f"model metadata {meta_path} is not valid JSON: {exc}") from None
        if not isinstance(meta, dict):
            raise AdvisorError(f"model metadata {meta_path} is not a JSON object")
        if meta.get("feature_schema_version") != FEATURE_SCHEMA_VERSION or \
                meta.get("feature_names") != feature_names():
            raise AdvisorError(f"model in {directory} was trained with feature schema "
                               f"{meta.get('feature_schema_version')}, this code uses "
                               f"{FEATURE_SCHEMA_VERSION}: retrain with `advisor train`")
        if meta.get("booster_sha256") != _sha256(booster_path):
            raise AdvisorError(f"model file {booster_path} does not match the digest in its metadata")
        interval = meta.get("interval")
        if not (isinstance(interval, list) and len(interval) == 2
                and all(isinstance(v, (int, float)) and np.isfinite(v) for v in interval)):
            raise AdvisorError(f"model metadata {meta_path} has no valid 'interval' (two numbers)")
        params = meta.get("params") if isinstance(meta.get("params"), dict) else {}
        params = {k: v for k, v in params.items() if k in cls().get_params()}
        # a structure saved before its launch cost scaled with the device was fitted at gamma 0
        params.setdefault("structural_launch_gamma", 0.0)
        # and one saved before spec-only centres were switched off has them in its bands
        params.setdefault("unseen_centres", True)
        # and one saved before the seen-device trees had a depth of their own has none
        params.setdefault("seen_max_depth", None)
        estimator = cls(**params)
        trees = _load_trees(booster_path)
        for name in ("structural_weight", "structural_launch_gamma"):
            value = getattr(estimator, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise AdvisorError(f"model metadata {meta_path} has an invalid '{name}' "
                                   f"(a number from 0 to 1)")
        structure = _structure_from(directory, meta.get("structure_sha256"),
                                    estimator.structural_launch_gamma)
        # a model saved before the structure existed (or without it) is the plain trees alone
        estimator.structural_weight = estimator.structural_weight if structure is not None else 0.0
        seen = _seen_trees_from(directory, meta.get("seen_sha256"))
        if seen is None:
            estimator.seen_max_depth = None
        estimator.model_ = BlendedBooster(trees, structure, seen)
        estimator.interval_ = (float(interval[0]), float(interval[1]))
        estimator.intervals_ = _intervals_from_meta(meta.get("intervals"), estimator.interval_, meta_path)
        estimator.calibrated_bands_ = _bands_from_meta(meta.get("calibrated_bands"), meta_path)
        estimator.kernel_floors_ = _floors_from_meta(meta.get("kernel_floors_log_s"), meta_path)
        estimator.feature_scale_ = _scale_from_meta(meta.get("feature_scale"), meta_path)
        estimator.setting_offsets_ = _offsets_from_meta(meta.get("setting_offsets"), meta_path)
        estimator.setting_offset_batches_ = _batch_ranges_from_meta(meta.get("setting_offset_batches"),
                                                                    meta_path)
        estimator.setting_offset_mix_ = _mixes_from_meta(meta.get("setting_offset_mix"), meta_path)
        estimator.kernel_sum_weights_ = _weights_from_meta(meta.get("kernel_sum_weights"), meta_path)
        estimator.kernel_sum_ = (None if meta.get("kernel_sum") is None
                                 else KernelSumModel.from_json(meta["kernel_sum"]))
        estimator.kernel_time_ = (None if meta.get("kernel_time") is None
                                  else KernelTimeModel.load(directory, meta["kernel_time"]))
        estimator.n_features_in_ = len(meta["feature_names"])
        estimator.metadata_ = meta
        return estimator


def _structure_from(directory: Path, digest, launch_gamma: float) -> StructuralBooster | None:
    """The structural booster the metadata names by digest (None: the model has none), with the
    launch scaling it was fitted with."""
    if digest is None:
        return None
    path = _checked(directory / STRUCTURE_FILE, digest)
    try:  # XGBoost's own JSON format: parsed, never unpickled
        return StructuralBooster.from_file(str(path), launch_gamma)
    except Exception as exc:  # noqa: BLE001 - xgboost raises XGBoostError / ValueError
        raise _unloadable(path, exc) from None


def _seen_trees_from(directory: Path, digest):
    """The seen-device trees the metadata names by digest (None: the model has none)."""
    return None if digest is None else _load_trees(_checked(directory / SEEN_FILE, digest))


def _checked(path: Path, digest) -> Path:
    """``path``, once its SHA-256 is the ``digest`` the metadata names for it."""
    if not isinstance(digest, str) or not path.exists() or _sha256(path) != digest:
        raise AdvisorError(f"model file {path} is missing or does not match the digest in its metadata")
    return path


def _load_trees(path: Path):
    """Plain XGBoost trees from their JSON file: parsed, never unpickled."""
    from xgboost import XGBRegressor
    trees = XGBRegressor()
    try:
        trees.load_model(str(path))
    except Exception as exc:  # noqa: BLE001 - xgboost raises XGBoostError / ValueError
        raise _unloadable(path, exc) from None
    return trees


def _unloadable(path: Path, exc: Exception) -> AdvisorError:
    """The one-line error for a model file XGBoost refuses (its message, whitespace collapsed)."""
    return AdvisorError(f"model file {path} cannot be loaded: {' '.join(str(exc).split())[:200]}")


def _numbers_from_meta(data, where: Path, name: str, low: float = -np.inf, high: float = np.inf,
                      keys=None) -> dict[str, float]:
    """Validated ``name``: an object of finite numbers in [low, high] (booleans refused), keyed
    by ``keys`` where given; None (older models have none) is empty."""
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
            (keys is None or k in keys) and isinstance(v, (int, float)) and not isinstance(v, bool)
            and np.isfinite(v) and low <= v <= high for k, v in data.items()):
        raise AdvisorError(f"model metadata {where} has invalid '{name}'")
    return {str(k): float(v) for k, v in data.items()}


def _floors_from_meta(data, where: Path) -> dict[str, float]:
    """Validated per-kind kernel floors (older models have none)."""
    return _numbers_from_meta(data, where, "kernel_floors_log_s", keys=KINDS)


def _scale_from_meta(data, where: Path) -> FeatureScale | None:
    """Validated feature scale (older models have none: calibration fits no local offsets)."""
    if data is None:
        return None
    try:
        scale = FeatureScale.from_json(data)
    except ValueError as exc:
        raise AdvisorError(f"model metadata {where} has an invalid 'feature_scale' ({exc})") from None
    if not set(scale.columns) <= set(feature_names()):
        raise AdvisorError(f"model metadata {where} has a 'feature_scale' over unknown features")
    return scale


def _bands_from_meta(data, where: Path) -> dict[int, tuple[float, float]]:
    """Validated post-calibration bands (older models have none: calibrated rows keep the
    spec-only band, shifted)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AdvisorError(f"model metadata {where} has invalid 'calibrated_bands'")
    out = {}
    for rows, band in data.items():
        if not (str(rows).isdigit() and isinstance(band, list) and len(band) == 2
                and all(isinstance(v, (int, float)) and np.isfinite(v) for v in band)
                and band[0] <= band[1]):
            raise AdvisorError(f"model metadata {where} has invalid 'calibrated_bands'")
        out[int(rows)] = (float(band[0]), float(band[1]))
    return out


def _offsets_from_meta(data, where: Path) -> dict[str, float]:
    """Validated per-setting offsets (older models have none)."""
    return _numbers_from_meta(data, where, "setting_offsets", -RESIDUAL_CLIP, RESIDUAL_CLIP)


def _weights_from_meta(data, where: Path) -> dict[str, float]:
    """Validated kernel-sum weights per interval group (older models have none: trees alone)."""
    return _numbers_from_meta(data, where, "kernel_sum_weights", 0.0, 1.0)


def batch_ranges(X: np.ndarray, setting_keys, rows: np.ndarray) -> dict[str, tuple[float, float]]:
    """(smallest, largest) batch of each setting's ``rows``: where its offset was measured."""
    batch = np.exp(np.asarray(X, float)[:, feature_names().index("log_batch")])
    keys = np.asarray(list(setting_keys)).astype(str)
    rows = np.asarray(rows, bool) & np.isfinite(batch)
    frame = pd.DataFrame({"key": keys[rows], "batch": batch[rows]})
    stats = frame.groupby("key")["batch"].agg(["min", "max"])
    return {str(k): (round(float(r["min"]), 6), round(float(r["max"]), 6)) for k, r in stats.iterrows()}


def largest_shares(shares, setting_keys, rows: np.ndarray) -> dict[str, list[float]]:
    """Each setting's largest share of roofline time per kernel group over its ``rows``: the
    kernel mix its offset was measured on."""
    shares = np.atleast_2d(np.asarray(shares, float))
    keys = np.asarray(list(setting_keys)).astype(str)
    rows = np.asarray(rows, bool) & np.isfinite(shares).all(axis=1)
    frame = pd.DataFrame(shares[rows]).assign(key=keys[rows])
    return {str(k): [round(float(v), 6) for v in r] for k, r in frame.groupby("key").max().iterrows()}


def _mixes_from_meta(data, where: Path) -> dict[str, list[float]]:
    """Validated per-setting kernel mixes (older models have none: offsets apply to any mix)."""
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(is_kernel_mix(v) for v in data.values()):
        raise AdvisorError(f"model metadata {where} has invalid 'setting_offset_mix'")
    return {str(k): [float(x) for x in v] for k, v in data.items()}


def _batch_ranges_from_meta(data, where: Path) -> dict[str, tuple[float, float]]:
    """Validated per-setting batch ranges (older models have none: offsets apply at any batch)."""
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
            isinstance(v, list) and len(v) == 2
            and all(isinstance(b, (int, float)) and np.isfinite(b) and b > 0 for b in v)
            and v[0] <= v[1] for v in data.values()):
        raise AdvisorError(f"model metadata {where} has invalid 'setting_offset_batches'")
    return {str(k): (float(v[0]), float(v[1])) for k, v in data.items()}


def _group_keys(interval_groups, setting_keys) -> np.ndarray | None:
    """Interval group per row: as given, else (runtime, precision) of the setting keys."""
    if interval_groups is not None:
        return np.asarray(interval_groups).astype(str)
    return None if setting_keys is None else runtime_precision_groups(setting_keys)


def _three(band) -> tuple[float, float, float]:
    """(low, median, high) of a residual band; two-value bands (older models) have median 0."""
    return (band[0], 0.0, band[1]) if len(band) == 2 else tuple(band)


def _outer(band) -> tuple[float, float]:
    return (band[0], band[-1])


def _intervals_from_meta(data, overall: tuple[float, float], where: Path) -> dict:
    """Validated per-group intervals from metadata (older models have only the overall one)."""
    if data is None:
        return {"seen": {"*": overall}}
    if not isinstance(data, dict):
        raise AdvisorError(f"model metadata {where} has invalid 'intervals'")
    out = {}
    for kind, table in data.items():
        if kind not in ("seen", "unseen") or not isinstance(table, dict) or "*" not in table:
            raise AdvisorError(f"model metadata {where} has invalid 'intervals'")
        out[kind] = {}
        for key, band in table.items():
            if not (isinstance(band, list) and len(band) in (2, 3)
                    and all(isinstance(v, (int, float)) and np.isfinite(v) for v in band)
                    and band[0] <= band[-1]):        # a shrunk centre may lie outside
                raise AdvisorError(f"model metadata {where} has an invalid interval for {key!r}")
            out[kind][str(key)] = tuple(float(v) for v in band)
    if "seen" not in out:
        out["seen"] = {"*": overall}
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
