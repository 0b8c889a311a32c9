"""Held-out evaluation of the predictor against two roofline baselines (issue 6's report).

Splits are by graph or by device, never by row:
  (a) seen devices, 20% of graphs held out;
  (b) leave one model family out, scored on our onnxruntime rows;
  (c) unseen devices: devices split into folds, each fold predicted from spec rows alone;
  (d) the same unseen devices after calibrating on 10 of their measurements (the correction
      `advisor calibrate` fits: a factor and a ridge-shrunk slope over log latency, with
      graph-local offsets).
Baselines on the same rows: the datasheet roofline (efficiency 1), and the roofline with one
efficiency per device (the training median for seen devices, the global median for unseen ones,
the 10 calibration rows' median in (d)).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from advisor.calibration import fit_checked_correction
from advisor.predictor import EfficiencyRegressor
from advisor.kernel_sum import group_shares
from advisor.kernel_time_fit import kernel_time_seconds
from advisor.training import TrainingSet, fit_regressor


#: Split (a) holds out one of this many hashed folds of the graphs (about 20%).
SPLIT_A_FOLDS = 5


@dataclass
class Scores:
    n: int
    mape: float
    median_ape: float
    within_10: float
    within_20: float
    spearman: float
    coverage: float | None = None

    def row(self) -> list:
        cov = "-" if self.coverage is None else f"{100 * self.coverage:.1f}%"
        return [self.n, f"{100 * self.mape:.1f}%", f"{100 * self.median_ape:.1f}%",
                f"{100 * self.within_10:.1f}%", f"{100 * self.within_20:.1f}%",
                f"{self.spearman:.3f}", cov]


def score(measured: np.ndarray, predicted: np.ndarray, low: np.ndarray | None = None,
          high: np.ndarray | None = None) -> Scores:
    ape = np.abs(predicted - measured) / measured
    cov = None if low is None else float(np.mean((measured >= low) & (measured <= high)))
    rho = float(spearmanr(measured, predicted).statistic) if len(measured) > 2 else float("nan")
    return Scores(len(measured), float(ape.mean()), float(np.median(ape)), float((ape <= 0.1).mean()),
                  float((ape <= 0.2).mean()), rho, cov)


def _fit(train: TrainingSet, params: dict, unseen_intervals: bool = False) -> EfficiencyRegressor:
    """The production fit; device-held-out intervals only where the split scores unseen devices."""
    return fit_regressor(train, unseen_intervals=unseen_intervals, **params)


def _interval(model: EfficiencyRegressor, test: TrainingSet, unseen: bool):
    X = test.features_for(getattr(model, "kernel_sum_", None),
                          getattr(model, "kernel_time_", None))
    return model.predict_interval(X, unseen=np.full(len(test), unseen), setting_keys=test.setting_keys,
                                  offset_shares=group_shares(test.basis))


def _model_scores(model: EfficiencyRegressor, test: TrainingSet, correction: np.ndarray | None = None,
                  unseen: bool = False) -> Scores:
    low, mid, high = _interval(model, test, unseen=unseen)
    shift = correction if correction is not None else 0.0
    to_s = lambda log_eff: test.roofline_s / np.exp(log_eff + shift)  # noqa: E731
    return score(test.measured_s, to_s(mid), to_s(high), to_s(low))


def _baselines(train: TrainingSet, test: TrainingSet) -> tuple[Scores, Scores]:
    roofline = score(test.measured_s, test.roofline_s)
    per_device = pd.Series(train.y).groupby(train.meta["hw_id"].to_numpy()).median()
    global_median = float(np.median(train.y))
    eff = test.meta["hw_id"].map(per_device).fillna(global_median).to_numpy()
    return roofline, score(test.measured_s, test.roofline_s / np.exp(eff))


def split_a_sets(data: TrainingSet, seed: int = 0) -> tuple[TrainingSet, TrainingSet]:
    """(train, test) of split (a): the graphs of fold 0 of ``hashed_folds`` (5 folds, partition
    ``seed``), about 20%, held out. A graph's side depends on its id alone, so adding graphs
    leaves every other graph where it was and (a) stays comparable across data changes. (Until
    session 23 it was GroupShuffleSplit over all graphs, which redrew the whole split whenever
    a graph was added: session 22's retrain moved (a) from 7.5% to 19.1%, 62% of it from the
    draw now holding out ResNet-50.)"""
    graphs = data.meta["graph"].astype(str).to_numpy()
    fold_of = hashed_folds(graphs, SPLIT_A_FOLDS, seed)
    held_out = np.array([fold_of[g] == 0 for g in graphs], bool)
    return data.subset(~held_out), data.subset(held_out)


def measured_in(train: TrainingSet, test: TrainingSet) -> np.ndarray:
    """Per row of ``test``: True where ``train`` has rows of its (device, runtime), the pairs
    `advisor predict` labels measured-device. A device whose every graph a split held out is not a
    seen device, whatever the split is called."""
    seen = set(zip(train.meta["hw_id"].astype(str), train.meta["runtime"].astype(str)))
    return np.array([pair in seen for pair in zip(test.meta["hw_id"].astype(str),
                                                   test.meta["runtime"].astype(str))], bool)


def split_a(data: TrainingSet, params: dict, seed: int = 0) -> dict:
    """Seen devices, 20% of graphs held out (``split_a_sets``), scored on the held-out rows whose
    (device, runtime) the training side measured (``measured_in``). The other held-out rows
    (MLPerf accelerators measured on ResNet-50 and BERT-large alone, when the hash holds out
    both) are scored apart, as `advisor predict` would predict them: spec-only."""
    train, test = split_a_sets(data, seed)
    model = _fit(train, params)
    measured = measured_in(train, test)
    unmeasured = test.subset(~measured)
    test = test.subset(measured)
    roofline, per_device = _baselines(train, test)
    by_source = {}
    for source in sorted(test.meta["source"].unique()):
        m = (test.meta["source"] == source).to_numpy()
        by_source[source] = _model_scores(model, test.subset(m))
    return {"model": _model_scores(model, test), "roofline": roofline, "per_device": per_device,
            "by_source": by_source,
            # (no coverage: this split's model has no spec-only bands to size their intervals)
            "unmeasured": (replace(_model_scores(model, unmeasured, unseen=True), coverage=None)
                           if len(unmeasured) else None),
            "unmeasured_runtimes": sorted(unmeasured.meta["runtime"].astype(str).unique())}


def split_b(data: TrainingSet, params: dict, folds: int | None = None) -> dict:
    """Families held out, scored on our onnxruntime rows of the held-out families.

    By default each family is held out alone (the issue's leave-one-family-out): every row of
    it, from any source, leaves the training set, so it is predicted by a model that never saw
    it. ``folds`` deals the families into that many groups instead (sorted, dealt in turn), held
    out together: harder (MobileNet and FBNet out at once) and fewer fits.
    """
    ours = (data.meta["source"] == "ours").to_numpy()
    families = np.array(sorted(data.meta.loc[ours, "family"].unique()))
    if len(families) < 2:
        return {}
    folds = len(families) if folds is None else folds
    results = {}
    measured, predicted, low, high, roof, dev, kernel = [], [], [], [], [], [], []
    held_rows = []
    for k in range(min(folds, len(families))):
        held_families = set(families[k::min(folds, len(families))])
        held = data.meta["family"].isin(held_families).to_numpy()
        train, test = data.subset(~held), data.subset(held & ours)
        if len(test) == 0 or len(train) == 0:
            continue
        model = _fit(train, params)
        lo, md, hi = _interval(model, test, unseen=False)
        per_device = pd.Series(train.y).groupby(train.meta["hw_id"].to_numpy()).median()
        fold = {"measured": test.measured_s, "predicted": test.roofline_s / np.exp(md),
                "low": test.roofline_s / np.exp(hi), "high": test.roofline_s / np.exp(lo),
                "roofline": test.roofline_s,
                "per_device": test.roofline_s / np.exp(test.meta["hw_id"].map(per_device)
                                                       .fillna(np.median(train.y)).to_numpy()),
                # the split's per-kernel model summed over our kernel list, without the regressor
                "kernel_model": kernel_time_seconds(getattr(model, "kernel_time_", None), test)}
        held_rows.append(test.meta.reindex(columns=["family", "graph", "precision", "threads", "batch"]))
        for acc, key in ((measured, "measured"), (predicted, "predicted"), (low, "low"),
                         (high, "high"), (roof, "roofline"), (dev, "per_device"), (kernel, "kernel_model")):
            acc.append(fold[key])
        for family in sorted(held_families):
            rows = (test.meta["family"] == family).to_numpy()
            if rows.any():
                results[family] = score(fold["measured"][rows], fold["predicted"][rows],
                                        fold["low"][rows], fold["high"][rows])
    if not measured:
        return {}
    m = np.concatenate(measured)
    kernel_model = np.concatenate(kernel)
    covered = np.isfinite(kernel_model)
    return {"model": score(m, np.concatenate(predicted), np.concatenate(low), np.concatenate(high)),
            "roofline": score(m, np.concatenate(roof)), "per_device": score(m, np.concatenate(dev)),
            "kernel_model": score(m[covered], kernel_model[covered]) if covered.sum() > 2 else None,
            "by_family": results,
            # every scored row with its predictions, for breakdowns (benchmarks/family_bias_report.py)
            "rows": pd.concat(held_rows, ignore_index=True).assign(
                measured_s=m, predicted_s=np.concatenate(predicted), kernel_model_s=kernel_model)}


def hashed_folds(ids: np.ndarray, folds: int = 5, partition: int = 0) -> dict[str, int]:
    """The fold of each distinct id, from a hash of the id (and the ``partition`` number) alone:
    adding or dropping ids never moves another id to another fold."""
    def fold(key: str) -> int:
        key = key if partition == 0 else f"{partition}:{key}"
        return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % folds
    return {str(i): fold(str(i)) for i in np.unique(np.asarray(ids).astype(str))}


def device_folds(devices: np.ndarray, folds: int = 5, partition: int = 0) -> dict[str, int]:
    """The fold each device is held out in (``hashed_folds``): adding or dropping a device's rows
    never moves another device to another fold, so reports stay comparable across data changes.
    (Until session 17 it was scikit-learn's GroupKFold, which balances rows between folds but
    reshuffled 108 of 163 devices when one device's rows were dropped.)"""
    return hashed_folds(devices, folds, partition)


def split_cd(data: TrainingSet, params: dict, folds: int = 5, calibration_rows: int = 10,
             seed: int = 0, fold_of: dict[str, int] | None = None, partitions: int = 1) -> dict:
    """Unseen devices (public data), then the same devices calibrated on 10 measurements each.

    Devices are dealt into ``folds`` by ``device_folds``, ``partitions`` times over (each row
    is predicted once per partition, and all are scored together): which devices are held out
    together moves (c) by several points, more than most model changes. ``fold_of`` fixes one
    partition instead (``device_folds`` of another row set), so that variants which drop rows
    are scored with the same devices held out together."""
    public = (data.meta["source"] != "ours").to_numpy()
    devices = data.meta["hw_id"].to_numpy()
    layouts = ([fold_of] if fold_of is not None else
               [device_folds(devices, folds, partition) for partition in range(partitions)])
    rng = np.random.default_rng(seed)
    out = unseen_accumulators()
    per_device: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for layout in layouts:
        fold = np.array([layout[str(hw)] for hw in devices])
        for k in range(max(fold) + 1):
            test_mask = (fold == k) & public
            if not test_mask.any():
                continue
            train, test = data.subset(fold != k), data.subset(test_mask)
            model = _fit(train, params, unseen_intervals=True)
            _score_unseen(model, train, test, calibration_rows, rng, out, per_device)
    return summarise_unseen_by_device(out, per_device)


def summarise_unseen_by_device(out: dict, per_device: dict) -> dict:
    """``summarise_unseen`` and, from ``per_device``'s pooled (measured, predicted) times of
    (c), each device's scores (``per_device_c``) and ``device_breakdown`` (``c_breakdown``)."""
    result = summarise_unseen(out)
    pooled = {hw: (np.concatenate([m for m, _ in pairs]), np.concatenate([p for _, p in pairs]))
              for hw, pairs in per_device.items()}
    result["per_device_c"] = {hw: score(m, p) for hw, (m, p) in pooled.items()}
    result["c_breakdown"] = device_breakdown(pooled, np.concatenate(out["c"]["measured"]).size
                                             if out["c"]["measured"] else 0)
    return result


@dataclass
class DeviceError:
    """One unseen device's part of (c): its summed absolute percentage error as points of the
    split's MAPE (``points``), and how much of it is one device-wide factor: the median of
    predicted / measured, the spread of log(predicted / measured) around it, and the MAPE left
    once that median is divided out (what a perfect one-factor calibration would leave)."""
    n: int
    mape: float
    points: float
    median_ratio: float
    log_sd: float
    mape_without_bias: float


def device_breakdown(pooled: dict[str, tuple[np.ndarray, np.ndarray]],
                     total_rows: int) -> dict[str, DeviceError]:
    """Per device, from its pooled (measured, predicted) times over every partition, the
    :class:`DeviceError` of split (c) with ``total_rows`` rows in all: which devices carry the
    split's error, and whether a device-wide factor (what a spec row cannot show: a runtime
    build, a clock governor, the threads a benchmark used) or the spread within it does."""
    out = {}
    for hw, (measured, predicted) in pooled.items():
        log_ratio = np.log(predicted / measured)
        ape = np.abs(predicted / measured - 1)
        centre = float(np.median(log_ratio))
        out[hw] = DeviceError(len(measured), float(ape.mean()), float(ape.sum() / max(total_rows, 1)),
                              float(np.exp(centre)), float(log_ratio.std()),
                              float(np.abs(np.exp(log_ratio - centre) - 1).mean()))
    return out


def unseen_accumulators() -> dict:
    """Empty per-row accumulators of (c) and (d), filled by ``_score_unseen``."""
    out: dict = {k: {"measured": [], "model": [], "low": [], "high": [], "roofline": [],
                     "per_device": [], "source": []} for k in ("c", "d", "d_always")}
    out["dropped"] = []   # per calibrated device and draw: whether (d)'s correction was dropped
    return out


def summarise_unseen(out: dict) -> dict:
    """Scores of filled ``unseen_accumulators``: per split, the advisor, both baselines and the
    advisor by source; and ``d_dropped_share``, the share of (d)'s device draws whose correction
    failed its leave-one-out check."""
    result = {}
    if out.get("dropped"):
        result["d_dropped_share"] = float(np.mean(out["dropped"]))
    for key, acc in out.items():
        if key == "dropped" or not acc["measured"]:
            continue
        m = np.concatenate(acc["measured"])
        model, low, high = (np.concatenate(acc[k]) for k in ("model", "low", "high"))
        sources = np.concatenate(acc["source"])
        result[key] = {"model": score(m, model, low, high),
                       "roofline": score(m, np.concatenate(acc["roofline"])),
                       "per_device": score(m, np.concatenate(acc["per_device"])),
                       "by_source": {s: score(m[sources == s], model[sources == s], low[sources == s],
                                              high[sources == s]) for s in sorted(set(sources))}}
    return result


def _score_unseen(model: EfficiencyRegressor, train: TrainingSet, test: TrainingSet,
                  calibration_rows: int, rng: np.random.Generator, out: dict,
                  per_device: dict) -> None:
    """One fold of (c) and (d): ``test``'s devices predicted from their spec rows by ``model``
    (fitted without them), then calibrated on ``calibration_rows`` of their rows each."""
    lo, md, hi = _interval(model, test, unseen=True)
    global_eff = float(np.median(train.y))
    # the band `advisor predict` gives a device calibrated on as many rows (one per model)
    band = model.calibrated_band(calibration_rows)
    for hw in np.unique(test.meta["hw_id"]):
        idx = np.flatnonzero((test.meta["hw_id"] == hw).to_numpy())
        meas, roof = test.measured_s[idx], test.roofline_s[idx]
        source = test.meta["source"].to_numpy()[idx]
        _append(out["c"], meas, roof / np.exp(md[idx]), roof / np.exp(hi[idx]), roof / np.exp(lo[idx]),
                roof, roof / np.exp(global_eff), source)
        per_device.setdefault(str(hw), []).append((meas, roof / np.exp(md[idx])))
        if len(idx) <= calibration_rows:
            continue
        calib = rng.choice(len(idx), calibration_rows, replace=False)
        rest = np.setdiff1d(np.arange(len(idx)), calib)
        features = test.X[idx]
        checked = fit_checked_correction(roof[calib] / np.exp(md[idx][calib]), meas[calib],
                                         features[calib], model.feature_scale_)
        device_eff = float(np.median(test.y[idx][calib]))
        # (d) with the correction `advisor calibrate` keeps, and beside it, on the same draw,
        # the fitted correction always applied (what (d) scored until session 33)
        for key, correction in (("d", checked.correction), ("d_always", checked.fitted)):
            def correct(predicted, correction=correction):
                return correction.apply(predicted, features[rest])

            corrected = correct(roof[rest] / np.exp(md[idx][rest]))
            if band is None:   # no post-calibration band: the spec-only interval, corrected
                fast = correct(roof[rest] / np.exp(hi[idx][rest]))
                slow = correct(roof[rest] / np.exp(lo[idx][rest]))
            else:
                fast, slow = corrected / np.exp(band[1]), corrected / np.exp(band[0])
            _append(out[key], meas[rest], corrected, fast, slow,
                    roof[rest], roof[rest] / np.exp(device_eff), source[rest])
        out["dropped"].append(checked.dropped)


def _append(acc: dict, measured, model, low, high, roofline, per_device, source) -> None:
    for key, value in zip(("measured", "model", "low", "high", "roofline", "per_device"),
                          (measured, model, low, high, roofline, per_device)):
        acc[key].append(np.asarray(value, float))
    acc["source"].append(np.asarray(source, str))
