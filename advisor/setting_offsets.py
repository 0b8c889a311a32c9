"""Per-setting offsets: what the trees leave unexplained about a device the training data measured.

A setting is one (device, runtime, precision, threads) combination (``kernel_sum.setting_key``).
The regressor predicts from features, so two devices with similar spec rows get similar
efficiencies even when their measurements disagree (a phone's thermal limits, an old runtime
build). For a setting with measured rows, the mean out-of-fold residual of those rows (folds by
graph, so each residual is a prediction for a graph the fold did not see) is a direct estimate of
that bias. The mean is shrunk towards zero by ``n / (n + k)``, with ``k`` the ratio of the
within-setting to the between-setting residual variance (empirical Bayes, estimated from the
same residuals): a setting with two rows moves little, one with two hundred moves fully.

This is what makes a prediction's basis "measured-device" rather than "spec-only". Devices
without rows get no offset; a user's own calibration profile applies on top.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Residuals (log efficiency) beyond this magnitude are clipped before averaging, so one broken
#: measurement cannot drag a setting's offset (log 3: a factor of 3 either way).
RESIDUAL_CLIP = float(np.log(3.0))
#: Bounds on the shrinkage constant (rows of prior weight).
MIN_PRIOR_ROWS, MAX_PRIOR_ROWS = 1.0, 200.0


def prior_rows(residuals: np.ndarray, keys: np.ndarray) -> float:
    """Shrinkage constant k = within-setting variance / between-setting variance of the means."""
    frame = pd.DataFrame({"r": residuals, "k": keys})
    stats = frame.groupby("k")["r"].agg(["mean", "var", "count"])
    multi = stats[stats["count"] >= 2]
    if len(multi) < 2:
        return MAX_PRIOR_ROWS
    within = float(np.average(multi["var"], weights=multi["count"] - 1))
    # the spread of setting means, less what sampling noise alone would give
    between = float(np.var(multi["mean"]) - np.mean(within / multi["count"]))
    if between <= 0:
        return MAX_PRIOR_ROWS
    return float(np.clip(within / between, MIN_PRIOR_ROWS, MAX_PRIOR_ROWS))


def fit_setting_offsets(residuals: np.ndarray, keys: np.ndarray, usable: np.ndarray | None = None
                        ) -> tuple[dict[str, float], np.ndarray]:
    """Shrunk mean residual per setting, and each usable row's residual less its leave-one-out offset.

    ``usable`` marks the rows whose residual reflects how the setting is predicted later (rows
    whose features were altered for training, such as a hidden feature, are left out). The
    leave-one-out residuals (each row's offset fitted without that row) calibrate honest intervals
    for offset-corrected predictions; rows that are not usable keep their raw residual.
    """
    residuals = np.asarray(residuals, float)
    keys = np.asarray(keys).astype(str)
    ok = np.isfinite(residuals) & (np.ones(len(residuals), bool) if usable is None
                                   else np.asarray(usable, bool))
    adjusted = residuals.copy()
    if ok.sum() < 2:
        return {}, adjusted
    r = np.clip(residuals[ok], -RESIDUAL_CLIP, RESIDUAL_CLIP)
    k = prior_rows(r, keys[ok])
    codes, uniques = pd.factorize(keys[ok])
    sums = np.bincount(codes, weights=r)
    counts = np.bincount(codes).astype(float)
    offsets = {str(key): float(s / (n + k)) for key, s, n in zip(uniques, sums, counts)}
    loo = (sums[codes] - r) / (counts[codes] - 1 + k)
    adjusted[np.flatnonzero(ok)] = residuals[ok] - loo
    return offsets, adjusted


def offsets_for(offsets: dict[str, float], keys) -> np.ndarray:
    """Each row's offset (0 for settings without one)."""
    return np.array([offsets.get(str(key), 0.0) for key in keys], float)
