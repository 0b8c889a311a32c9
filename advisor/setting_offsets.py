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
without rows get no offset; a user's own calibration profile applies on top. An offset is a bias
measured on some graphs at some batches, so it applies only to a row like those: inside the
setting's measured batch range and its kernel mix (``EfficiencyRegressor.offset_applies``).
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


def fit_setting_offsets(residuals: np.ndarray, keys: np.ndarray, usable: np.ndarray | None = None,
                        graphs: np.ndarray | None = None) -> tuple[dict[str, float], np.ndarray]:
    """Shrunk mean residual per setting, and each usable row's residual less its held-out offset.

    ``graphs`` (one id per row) make the graph the unit of evidence: a setting's rows are first
    averaged per graph, and the setting's offset is the shrunk mean of those graph means. Rows
    of one graph share its error (MLPerf measures two graphs on TensorRT in 315 rows), so
    counting rows would trust two graphs as much as three hundred. Without ``graphs`` every row
    counts as its own graph.

    ``usable`` marks the rows whose residual reflects how the setting is predicted later (rows
    whose features were altered for training, such as a hidden feature, are left out). The
    held-out residuals (each row's offset fitted without that row's graph) calibrate honest
    intervals for offset-corrected predictions of new graphs; rows that are not usable keep their
    raw residual.
    """
    residuals = np.asarray(residuals, float)
    keys = np.asarray(keys).astype(str)
    ok = np.isfinite(residuals) & (np.ones(len(residuals), bool) if usable is None
                                   else np.asarray(usable, bool))
    adjusted = residuals.copy()
    if ok.sum() < 2:
        return {}, adjusted
    rows = np.flatnonzero(ok)
    unit = rows if graphs is None else np.asarray(graphs).astype(str)[rows]
    frame = pd.DataFrame({"key": keys[rows], "unit": unit,
                          "r": np.clip(residuals[rows], -RESIDUAL_CLIP, RESIDUAL_CLIP)})
    per_unit = frame.groupby(["key", "unit"], sort=False)["r"].mean()
    unit_keys = per_unit.index.get_level_values("key").to_numpy().astype(str)
    k = prior_rows(per_unit.to_numpy(), unit_keys)
    by_key = per_unit.groupby(level="key", sort=False).agg(["sum", "count"])
    offsets = {str(key): float(row["sum"] / (row["count"] + k)) for key, row in by_key.iterrows()}
    # each row's offset without its own graph
    stats = by_key.loc[frame["key"]].to_numpy(float)
    own = per_unit.loc[list(zip(frame["key"], frame["unit"]))].to_numpy(float)
    held_out = (stats[:, 0] - own) / (stats[:, 1] - 1 + k)
    adjusted[rows] = residuals[rows] - held_out
    return offsets, adjusted


def offsets_for(offsets: dict[str, float], keys) -> np.ndarray:
    """Each row's offset (0 for settings without one)."""
    return np.array([offsets.get(str(key), 0.0) for key in keys], float)
