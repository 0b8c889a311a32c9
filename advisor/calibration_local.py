"""Graph-local calibration offsets: what a device's measurements say about graphs like them.

A device's correction (``advisor.calibration``) is one factor and a slope over latency. Real
devices disagree with it by kind of workload: on a Titan RTX held out of training, after that
correction, once-for-all networks at batch 1 still ran 2x faster than predicted while FBNets
matched. A calibration row says most about graphs and settings like its own, so each prediction
also gets the similarity-weighted mean of the calibration rows' remaining residuals:

    offset(x) = sum_i w_i(x) e_i / (sum_i w_i(x) + shrink),   w_i(x) = exp(-d(x, x_i) / bandwidth)

``d`` is the mean squared difference of the two rows' features, each standardised by its spread
over the training data (``FeatureScale``). Far from every calibration row the offset fades to 0
and the device-wide correction alone applies. Bandwidth and shrink are chosen by leave-one-out
error over the calibration rows; when no choice beats "no offsets", there are none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from advisor.features import KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE, feature_names

#: Features the similarity ignores: both are predicted by fitted models, not read from the row.
EXCLUDED_FEATURES = (KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE)
#: The grids leave-one-out chooses from. Until 2026-11-30 they stopped at 0.05 and 0.1, and on
#: held-out public devices calibrated on 10 rows those edge values were chosen most (shrink 0.1 in
#: 71 of 100 fits that used offsets, bandwidth 0.05 in 40): the grid, not the data, set the reach.
#: Smaller still changed nothing (ad hoc, the evaluation's folds of 2026-11-30).
BANDWIDTHS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
SHRINKS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
#: Fewer calibration rows than this get no local offsets (leave-one-out needs a few).
MIN_ROWS_FOR_LOCAL = 5


@dataclass(frozen=True)
class FeatureScale:
    """Per-feature centre and spread of the training rows: the units of the similarity."""

    columns: tuple[str, ...]
    mean: tuple[float, ...]
    sd: tuple[float, ...]

    @classmethod
    def fit(cls, X: np.ndarray) -> "FeatureScale":
        """From a training feature matrix in the order of ``feature_names()``."""
        names = feature_names()
        keep = [i for i, n in enumerate(names) if n not in EXCLUDED_FEATURES]
        cols = np.asarray(X, float)[:, keep]
        finite = np.isfinite(cols)
        count = finite.sum(axis=0)
        mean = np.where(count > 0, np.where(finite, cols, 0).sum(axis=0) / np.maximum(count, 1), 0.0)
        var = np.where(finite, (cols - mean) ** 2, 0).sum(axis=0) / np.maximum(count, 1)
        sd = np.sqrt(var)
        sd = np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)
        return cls(tuple(names[i] for i in keep), tuple(map(float, mean)), tuple(map(float, sd)))

    def standardize(self, X: np.ndarray) -> np.ndarray:
        """Standardised columns of full feature rows (``feature_names()`` order); a missing
        value sits at the centre. Raises ValueError for a column this code does not know."""
        names = feature_names()
        unknown = [c for c in self.columns if c not in names]
        if unknown:
            raise ValueError(f"features unknown to this version: {', '.join(unknown[:3])}")
        cols = np.atleast_2d(np.asarray(X, float))[:, [names.index(c) for c in self.columns]]
        z = (cols - np.asarray(self.mean)) / np.asarray(self.sd)
        return np.where(np.isfinite(z), z, 0.0)

    def to_json(self) -> dict:
        return {"columns": list(self.columns), "mean": list(self.mean), "sd": list(self.sd)}

    @classmethod
    def from_json(cls, data) -> "FeatureScale":
        """Validated scale; ValueError when the data is not one."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        columns, mean, sd = data.get("columns"), data.get("mean"), data.get("sd")
        if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)
                and _numbers(mean, len(columns)) and _numbers(sd, len(columns))
                and all(v > 0 for v in sd)):
            raise ValueError("columns, mean and sd must be lists of equal length (sd positive)")
        return cls(tuple(columns), tuple(map(float, mean)), tuple(map(float, sd)))


@dataclass(frozen=True, eq=False)
class LocalOffsets:
    """Calibration rows (standardised features and residuals) and how far their word carries."""

    scale: FeatureScale
    anchors: np.ndarray       # (rows, columns of ``scale``), standardised
    residuals: np.ndarray     # log(measured / device-corrected prediction) per row
    bandwidth: float
    shrink: float

    def offsets(self, X: np.ndarray) -> np.ndarray:
        """log-latency offset for each full feature row of ``X``."""
        weights = np.exp(-_mean_sq_distance(self.scale.standardize(X), self.anchors) / self.bandwidth)
        return (weights @ self.residuals) / (weights.sum(axis=1) + self.shrink)

    def to_json(self) -> dict:
        return {"scale": self.scale.to_json(), "anchors": self.anchors.tolist(),
                "residuals": self.residuals.tolist(), "bandwidth": self.bandwidth,
                "shrink": self.shrink}

    @classmethod
    def from_json(cls, data) -> "LocalOffsets":
        """Validated offsets; ValueError when the data is not one."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        scale = FeatureScale.from_json(data.get("scale"))
        residuals, anchors = data.get("residuals"), data.get("anchors")
        bandwidth, shrink = data.get("bandwidth"), data.get("shrink")
        if not (_numbers(residuals) and isinstance(anchors, list) and len(anchors) == len(residuals)
                and all(_numbers(a, len(scale.columns)) for a in anchors)
                and _numbers([bandwidth, shrink]) and bandwidth > 0 and shrink > 0):
            raise ValueError("anchors, residuals, bandwidth or shrink are malformed")
        return cls(scale, np.asarray(anchors, float).reshape(len(residuals), len(scale.columns)),
                   np.asarray(residuals, float), float(bandwidth), float(shrink))


def fit_local_offsets(X: np.ndarray, residuals: np.ndarray, scale: FeatureScale) -> LocalOffsets | None:
    """Offsets from calibration rows' full features ``X`` and their residuals after the device
    correction, with the (bandwidth, shrink) of least leave-one-out squared error; None when
    there are too few rows or no choice beats no offsets."""
    residuals = np.asarray(residuals, float)
    if len(residuals) < MIN_ROWS_FOR_LOCAL:
        return None
    anchors = scale.standardize(X)
    distance = _mean_sq_distance(anchors, anchors)
    best, best_err = None, float(residuals @ residuals)       # no offsets
    for bandwidth in BANDWIDTHS:
        weights = np.exp(-distance / bandwidth)
        np.fill_diagonal(weights, 0.0)                        # leave each row out of its own offset
        for shrink in SHRINKS:
            left_out = residuals - (weights @ residuals) / (weights.sum(axis=1) + shrink)
            err = float(left_out @ left_out)
            if err < best_err - 1e-12:
                best, best_err = (bandwidth, shrink), err
    if best is None:
        return None
    return LocalOffsets(scale, anchors, residuals, *best)


def _mean_sq_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean squared difference over columns between every row of ``a`` and every row of ``b``."""
    sq = (a ** 2).sum(axis=1)[:, None] + (b ** 2).sum(axis=1)[None, :] - 2.0 * a @ b.T
    return np.maximum(sq, 0.0) / max(a.shape[1], 1)


def _numbers(values, length: int | None = None) -> bool:
    """A list of finite numbers (of ``length`` when given)."""
    return (isinstance(values, list) and (length is None or len(values) == length)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    for v in values))
