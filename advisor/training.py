"""Training data assembly: measured rows -> (features, log efficiency) for the regressor.

Rows come from two places with one schema (see ``TRAINING_COLUMNS``): the imported public table
(`advisor data import`) and our own onnxruntime measurements (`data/measurements/*.csv`). Each
distinct graph is analysed once into a :class:`GraphProfile`, cached on disk as JSON keyed by the
graph identity and the code's feature schema, so retraining does not re-analyse 25,000 graphs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from advisor.atomic import write_text_atomically
from advisor.errors import AdvisorError, InputError
from advisor.family_outliers import REASON as FAMILY_OUTLIER
from advisor.family_outliers import family_outlier_rows
from advisor.features import (FEATURE_SCHEMA_VERSION, Settings, feature_names, feature_row,
                               kernel_sum_column, kernel_time_column)
from advisor.kernel_model import KernelTimeModel, profile_key
from advisor.kernel_sum import (BASIS_NAMES, KernelSumModel, basis_row, cross_fitted, group_shares,
                                log_ratio_feature, setting_key, with_kernel_sum)
from advisor.kernel_time_fit import (KernelData, cross_fitted_kernel_time, fit_kernel_time,
                                     kernel_time_seconds, load_profiled_rows, our_kernel_features)
from advisor.measure.timing import MAX_PROCESS_DISAGREEMENT, disagreement
from advisor.precision import get_precision
from advisor.profile import GraphProfile
from advisor.roofline import kernel_bounds
from advisor.runtimes import effective_precision
from advisor.zoo.registry import with_options

TRAINING_COLUMNS = ["source", "graph", "family", "hw_id", "kind", "precision", "batch", "threads",
                    "runtime", "latency_ms"]
PROFILE_VERSION = "1.4"   # the cached profile format (independent of the feature schema)
_MEASURED_PRECISION = {"fp32": "fp32", "fp16": "fp16", "int8-dynamic": "int8-dynamic",
                       "int8-static": "int8", "int8": "int8"}
CONTAMINATED = f"ours: process medians differ over {MAX_PROCESS_DISAGREEMENT:g}x (contended run)"


def cache_dir() -> Path:
    root = os.environ.get("ADVISOR_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "advisor")
    path = Path(root) / "profiles"
    path.mkdir(parents=True, exist_ok=True)
    return path


def training_hardware(hw_id: str):
    """Hardware of a training row: ``host:<hash>`` -> ``data/hosts/<hash>.yaml``, else the table."""
    from advisor.hardware import get_hardware
    from advisor.hardware.measured_hosts import measured_host, spec_path
    if hw_id.startswith("host:"):
        hw = measured_host(hw_id[5:])
        if hw is None:
            raise InputError(f"no spec file for measurement host {hw_id[5:]}: add {spec_path(hw_id[5:])}")
        return hw
    return get_hardware(hw_id)


def load_measurements(paths: Iterable[str | os.PathLike]) -> pd.DataFrame:
    """Our onnxruntime measurement CSVs in the training schema (status ok rows only).

    The hardware of each row is its measurement host (``host:<host_hash>``). Rows whose processes
    disagree beyond ``MAX_PROCESS_DISAGREEMENT`` are dropped; their count is in
    ``attrs["rejected"]`` of the result.
    """
    frames, contaminated = [], 0
    for path in paths:
        df = pd.read_csv(path)
        df = df[df["status"] == "ok"]
        disagreeing = process_disagreement(df) > MAX_PROCESS_DISAGREEMENT
        contaminated += int(disagreeing.sum())
        df = df[~disagreeing]
        graphs = [with_options(src, {"seq_len": seq}) for src, seq in zip(df["source"], df["seq_len"])]
        frames.append(pd.DataFrame({
            "source": "ours", "graph": graphs, "family": df["family"],
            "hw_id": "host:" + df["host_hash"].astype(str),
            "kind": "cpu", "precision": df["precision"].map(_MEASURED_PRECISION),
            "batch": df["batch"].astype(int), "threads": df["threads"].astype(int),
            "runtime": "onnxruntime", "latency_ms": df["median_ms"].astype(float),
            "seq_len": df["seq_len"], "idle": df["idle"],
            "profile_key": [profile_key(*key) for key in zip(
                df["graph_hash"], df["settings_key"], df["host_hash"], df["tag"].astype(object).fillna(""))]}))
    out = (pd.concat(frames, ignore_index=True).dropna(subset=["precision", "latency_ms"])
           if frames else pd.DataFrame(columns=TRAINING_COLUMNS))
    out.attrs["rejected"] = {CONTAMINATED: contaminated} if contaminated else {}
    return out


def process_disagreement(df: pd.DataFrame) -> np.ndarray:
    """Largest over smallest of each row's per-process medians (1 where not recorded)."""
    if "process_medians_ms" not in df.columns:
        return np.ones(len(df))

    def ratio(text) -> float:
        try:
            return disagreement([float(v) for v in json.loads(text)])
        except (TypeError, ValueError):
            return 1.0
    return np.array([ratio(t) for t in df["process_medians_ms"]], float)


def _profile_path(graph: str) -> Path:
    key = hashlib.sha256(f"{PROFILE_VERSION}|{graph}".encode()).hexdigest()[:32]
    return cache_dir() / f"{key}.json"


def profile_for(graph: str) -> GraphProfile:
    """The kernel profile of a graph identity string (zoo recipe or ``ncnn:<model>``), cached."""
    path = _profile_path(graph)
    if path.exists():
        try:
            return GraphProfile.from_json(json.loads(path.read_text()))
        except (json.JSONDecodeError, KeyError, ValueError):
            path.unlink(missing_ok=True)  # a torn cache file: rebuild it
    from advisor.api import model_profile
    from advisor.dataset.graphs import graph_for
    model = graph_for(graph)
    profile = model_profile(model, batch=_recipe_batch(model))
    write_text_atomically(path, json.dumps(profile.to_json()))
    return profile


def _recipe_batch(model) -> int:
    for value_info in model.graph.input:
        dims = value_info.type.tensor_type.shape.dim
        if dims and dims[0].HasField("dim_value"):
            return int(dims[0].dim_value)
    return 1


def profiles_for(graphs: Iterable[str], n_jobs: int = 2,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, GraphProfile]:
    """Profiles of many graphs, analysed in parallel where not cached; failures are skipped."""
    unique = sorted(set(graphs))
    missing = [g for g in unique if not _profile_path(g).exists()]
    if missing:
        from joblib import Parallel, delayed
        Parallel(n_jobs=n_jobs, batch_size=16)(delayed(_safe_profile)(g) for g in missing)
    out = {}
    for i, g in enumerate(unique):
        try:
            out[g] = profile_for(g)
        except Exception:  # noqa: BLE001 - a graph that cannot be built is reported as rejected
            continue
        if progress:
            progress(i + 1, len(unique))
    return out


def _safe_profile(graph: str) -> None:
    try:
        profile_for(graph)
    except Exception:  # noqa: BLE001 - recorded as missing by the caller
        pass


def design_matrix(rows: pd.DataFrame, profiles: dict[str, GraphProfile],
                  hardware: Callable[[str], object]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series, np.ndarray, list[str],
                             np.ndarray, np.ndarray]:
    """(features, roofline seconds, kept-row mask, rejection reasons, kernel-sum basis,
    setting keys, kernel spans, our kernels' features) for training rows.

    Rows measured on our own hosts (``host:...`` with onnxruntime) also get the features of the
    kernels we predict for them: rows ``spans[i, 0]:spans[i, 1]`` of the last array.
    """
    features = np.full((len(rows), len(feature_names())), np.nan)
    roofline = np.full(len(rows), np.nan)
    basis = np.full((len(rows), len(BASIS_NAMES)), np.nan)
    keys = [""] * len(rows)
    spans = np.zeros((len(rows), 2), int)
    kernel_blocks, filled = [], 0
    reasons = pd.Series("", index=rows.index, dtype=object)
    hw_cache: dict[str, object] = {}
    for i, row in enumerate(rows.itertuples(index=False)):
        profile = profiles.get(row.graph)
        if profile is None:
            reasons.iloc[i] = "graph could not be built"
            continue
        try:
            hw = hw_cache.get(row.hw_id) or hw_cache.setdefault(row.hw_id, hardware(row.hw_id))
            threads = None if pd.isna(row.threads) else int(row.threads)
            settings = Settings(get_precision(row.precision), int(row.batch), threads, row.runtime)
            scaled = profile.scaled(settings.batch)
            bounds = kernel_bounds(scaled, hw, settings.precision, threads, row.runtime)
            features[i] = feature_row(profile, hw, settings, bounds)
            roofline[i] = bounds.total_s
            basis[i] = basis_row(scaled, bounds, settings.precision)
            keys[i] = setting_key(hw.id, row.runtime, settings.precision.name, threads)
            if str(row.hw_id).startswith("host:") and row.runtime == "onnxruntime":
                block = our_kernel_features(scaled, settings.precision, threads)
                kernel_blocks.append(block)
                spans[i] = (filled, filled + len(block))
                filled += len(block)
        except InputError as exc:
            reasons.iloc[i] = str(exc).split(":")[0][:80]
    kept = np.isfinite(roofline) & (roofline > 0)
    ours = (np.vstack(kernel_blocks) if kernel_blocks else KernelData().ours)
    return features, roofline, kept, reasons, basis, keys, spans, ours


class TrainingSet:
    """Rows that could be featurised: metadata, features, log efficiency and roofline times."""

    def __init__(self, meta: pd.DataFrame, X: np.ndarray, roofline_s: np.ndarray,
                 rejected: dict[str, int], basis: np.ndarray | None = None,
                 setting_keys: Iterable[str] | None = None, kernel_spans: np.ndarray | None = None,
                 kernel_data: KernelData | None = None):
        self.meta = meta.reset_index(drop=True)
        self.X = X
        self.roofline_s = roofline_s
        self.measured_s = self.meta["latency_ms"].to_numpy(float) / 1e3
        self.y = np.log(self.roofline_s / self.measured_s)  # log efficiency
        self.rejected = rejected
        # kernel-sum basis and setting keys (NaN / derived from meta when not given)
        self.basis = np.full((len(self.meta), len(BASIS_NAMES)), np.nan) if basis is None else basis
        self.setting_keys = (np.asarray(list(setting_keys)).astype(str) if setting_keys is not None else
                             np.array([setting_key(r.hw_id, r.runtime, r.precision, r.threads)
                                       for r in self.meta.itertuples(index=False)], dtype=str))
        # per-kernel inputs (advisor.kernel_time_fit): spans into the shared kernel data
        self.kernel_spans = np.zeros((len(self.meta), 2), int) if kernel_spans is None else kernel_spans
        self.kernel_data = kernel_data if kernel_data is not None else KernelData()
        self.profile_keys = (self.meta["profile_key"].fillna("").astype(str).to_numpy()
                             if "profile_key" in self.meta.columns else np.full(len(self.meta), ""))

    def __len__(self) -> int:
        return len(self.meta)

    def subset(self, mask: np.ndarray) -> "TrainingSet":
        return TrainingSet(self.meta[mask], self.X[mask], self.roofline_s[mask], self.rejected,
                           self.basis[mask], self.setting_keys[mask], self.kernel_spans[mask],
                           self.kernel_data)

    def features_for(self, kernel_sum: KernelSumModel | None,
                     kernel_time: KernelTimeModel | None = None) -> np.ndarray:
        """The feature matrix with the kernel-sum and kernel-time features predicted by the
        given models (NaN where a model is missing or does not cover a row)."""
        X = with_kernel_sum(self.X, kernel_sum, self.basis, self.setting_keys, self.roofline_s)
        X[:, kernel_time_column()] = log_ratio_feature(kernel_time_seconds(kernel_time, self),
                                                       self.roofline_s)
        return X

    def digest(self) -> str:
        key = pd.util.hash_pandas_object(self.meta[TRAINING_COLUMNS], index=False).to_numpy()
        return hashlib.sha256(key.tobytes()).hexdigest()[:16]


def trained_runtimes(meta: pd.DataFrame) -> dict[str, list[str]]:
    """The runtimes each device was measured with (table ids), for the prediction basis."""
    out: dict[str, set[str]] = {}
    for (hw_id, runtime), _ in meta.groupby(["hw_id", "runtime"]):
        out.setdefault(training_hardware(hw_id).id, set()).add(str(runtime))
    return {hw: sorted(runtimes) for hw, runtimes in sorted(out.items())}


def measured_threads(meta: pd.DataFrame) -> dict[str, int]:
    """The most threads each (device, runtime) was measured with, as ``"hw|runtime" -> n``.

    A prediction that names no thread count runs the device as its measurements did: ncnn times
    a phone on its 4 big cores, not all 8, and only that setting carries the device's offset.
    """
    threads = pd.to_numeric(meta["threads"], errors="coerce")
    rows = meta.assign(threads=threads)[np.isfinite(threads)]
    out: dict[str, int] = {}
    for (hw_id, runtime), group in rows.groupby(["hw_id", "runtime"]):
        key = f"{training_hardware(hw_id).id}|{runtime}"
        out[key] = max(out.get(key, 0), int(group["threads"].max()))
    return dict(sorted(out.items()))


def source_weights(meta: pd.DataFrame, balance_devices: bool = True) -> np.ndarray:
    """Row weights that keep one large source, or one large device, from drowning the others.

    Each row weighs 1/sqrt(rows of its source), normalised to mean 1: HELP's 155,000 NAS rows
    still count most in total, but a row of ncnn, MLPerf or our own runs counts more than one
    of HELP's near-duplicate cells. With ``balance_devices``, a source's weight is then shared
    among its devices in proportion to sqrt(rows of the device), not to their rows: within HELP,
    three GPUs hold 22,500 rows each and the phones and CPUs 5,000, so the GPUs' overhead pattern
    set the trees' splits for every device. Side by side at two seeds: calibrated unseen devices
    (d) 19.2% -> 17.6% and 18.4% -> 17.2% MAPE, spec-only (c) 26.4% -> 26.4% and 27.0% -> 26.6%
    (MLPerf 101% -> 83%, ncnn 68% -> 71%), (a) 9.5% -> 9.3% and 9.4% -> 9.4%
    (``reports/ablations/device_balance.txt``).
    """
    counts = meta["source"].map(meta["source"].value_counts()).to_numpy(float)
    weights = 1.0 / np.sqrt(counts)
    if balance_devices:
        device_rows = meta.groupby(["source", "hw_id"])["source"].transform("size").to_numpy(float)
        share = 1.0 / np.sqrt(device_rows)
        sources = meta["source"].to_numpy()
        for source in np.unique(sources):
            rows = sources == source
            share[rows] *= rows.sum() / share[rows].sum()   # the source's total weight is kept
        weights = weights * share
    return weights / weights.mean()


#: share of training rows whose kernel-sum feature is hidden
DEVICE_FEATURE_DROPOUT = 0.5
#: share of those rows whose per-kernel-time feature is hidden as well (a fifth of all rows)
KERNEL_TIME_DROPOUT_SHARE = 0.4


def hide_device_fitted_features(X: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Blank device-fitted features in place; returns (rows whose kernel sum is blanked, rows that
    had either feature).

    Both features come from models fitted per device (the kernel sum per setting, the per-kernel
    model per profiled host), so a device no measurement has seen has neither. The kernel sum is
    blanked on ``DEVICE_FEATURE_DROPOUT`` of the rows, and the per-kernel time on
    ``KERNEL_TIME_DROPOUT_SHARE`` of those, so rows of our profiled host also teach the trees the
    regime of a new onnxruntime CPU, where both are missing. Before the per-kernel feature was
    blanked, the trees' branch for its absence had been learned from public devices (other
    runtimes) alone, and a new host (Zen 5) was predicted 2.7x too slow. Blanking it on half of
    the rows instead of a fifth cost more on split (b) (``reports/ablations/kernel_time_dropout.md``).
    """
    has_feature = np.isfinite(X[:, kernel_sum_column()]) | np.isfinite(X[:, kernel_time_column()])
    dropped = np.random.default_rng(seed).random(len(X)) < DEVICE_FEATURE_DROPOUT
    X[dropped, kernel_sum_column()] = np.nan
    both = dropped & (np.random.default_rng(seed + 1).random(len(X)) < KERNEL_TIME_DROPOUT_SHARE)
    X[both, kernel_time_column()] = np.nan
    return dropped, has_feature


def fold_units(meta: pd.DataFrame) -> np.ndarray:
    """The unit the seen-device interval folds hold out: the model family for our own rows, the
    graph for public ones.

    Our zoo holds families of near-relatives (random seeds, NAS samples, widths of one network);
    holding out one graph leaves its siblings in training, so the residuals sized intervals for a
    graph whose family is known, and leave-one-family-out rows (a user's new architecture) fell
    outside them (evaluation (b): 80% coverage). The public NAS tables are single families of
    thousands of graphs, so there the graph stays the unit.
    """
    ours = (meta["source"] == "ours").to_numpy()
    return np.where(ours, "family:" + meta["family"].astype(str).to_numpy(),
                    "graph:" + meta["graph"].astype(str).to_numpy())


def fit_regressor(data: "TrainingSet", unseen_intervals: bool = True, family_folds: bool = True,
                  balance_devices: bool = True, **params):
    """The efficiency regressor fitted on ``data`` the way `advisor train` does it.

    The kernel-sum feature of training rows is cross-fitted (each graph predicted by
    coefficients fitted without it), so the trees learn how far to trust it on new graphs; the
    kernel-sum model fitted on all rows is attached as ``kernel_sum_`` for prediction.
    ``unseen_intervals`` adds the device-held-out folds that calibrate spec-only intervals;
    ``family_folds`` holds out our rows by model family in the folds that calibrate seen-device
    intervals and offsets (``fold_units``; False: by graph, as before 2026-11-29).
    ``balance_devices``: weigh devices within a source by sqrt of their rows (``source_weights``).
    """
    from advisor.predictor import EfficiencyRegressor
    graphs = data.meta["graph"].to_numpy()
    X = np.array(data.X, dtype=float, copy=True)
    oof = cross_fitted(data.basis, data.measured_s, data.setting_keys, graphs)
    X[:, kernel_sum_column()] = log_ratio_feature(oof, data.roofline_s)
    # the per-kernel model's feature, cross-fitted by graph
    X[:, kernel_time_column()] = log_ratio_feature(cross_fitted_kernel_time(data), data.roofline_s)
    dropped, has_feature = hide_device_fitted_features(X)
    devices = data.meta["hw_id"].to_numpy() if unseen_intervals else None
    units = fold_units(data.meta) if family_folds else None
    # the kernel sum's own out-of-fold log efficiency, held out by the folds' units, sets its
    # weight beside the trees (advisor.kernel_sum_blend); held out by graph it is the feature's
    by_unit = oof if units is None else cross_fitted(data.basis, data.measured_s, data.setting_keys, units)
    kernel_sum_alone = -log_ratio_feature(by_unit, data.roofline_s)
    # per-setting offsets come from rows predicted as the setting will be predicted later
    # (with the device-fitted features wherever the setting has them)
    model = EfficiencyRegressor(**params).fit(
        X, data.y, groups=graphs, sample_weight=source_weights(data.meta, balance_devices),
        devices=devices, fold_groups=units,
        setting_keys=data.setting_keys, offset_rows=~(dropped & has_feature),
        offset_shares=group_shares(data.basis), kernel_sum_efficiency=kernel_sum_alone)
    model.kernel_sum_ = KernelSumModel().fit(data.basis, data.measured_s, data.setting_keys, graphs)
    kernel_time = fit_kernel_time(data)
    model.kernel_time_ = kernel_time if kernel_time.hosts else None
    return model


def sample_public(table: pd.DataFrame, graphs_per_family: int, seed: int = 0) -> pd.DataFrame:
    """Keep every device's rows for a random subset of each NAS family's graphs.

    The NAS spaces hold 25,000 graphs; a few thousand per space carry the same information for
    the regressor at a fraction of the analysis cost, and keeping all devices for each chosen
    graph preserves cross-device comparisons (what calibration and the advisor rely on).
    """
    rng = np.random.default_rng(seed)
    keep = []
    for family, rows in table.groupby("family"):
        graphs = rows["graph"].unique()
        if len(graphs) > graphs_per_family:
            graphs = rng.choice(graphs, graphs_per_family, replace=False)
        keep.append(rows[rows["graph"].isin(set(graphs))])
    return pd.concat(keep).sort_index()


LITTLE_CORES = "ncnn powersave 1: little cores only"
PARAVIRTUAL_GPU = "ncnn-vulkan through Hyper-V GPU paravirtualization"
#: How ncnn's benchmark table names a Linux guest whose GPU is reached through Hyper-V's GPU-PV
#: (WSL2's path: Vulkan translated onto the host's Direct3D driver).
PARAVIRTUAL_GPU_MARK = "GPU-PV"
OVERSUBSCRIBED_BIG_CORES = "ncnn powersave 2: more threads than big cores"
#: A row measured more than this many times faster than its datasheet roofline is not a run of
#: the whole graph at its stated precision (twice the 4x that predictions are capped at for
#: Winograd-style savings): e.g. a Mali-G610 "running" VGG-16 in 0.56 ms, 67x its roofline.
MAX_PLAUSIBLE_EFFICIENCY = 8.0
FASTER_THAN_PHYSICS = f"measured over {MAX_PLAUSIBLE_EFFICIENCY:g}x faster than its roofline"


def runtime_conventions(rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Apply what each runtime really ran, and drop rows whose batch is unknown.

    - Each row's precision is what its runtime ran on its device
      (``advisor.runtimes.effective_precision``, which prediction applies too): ncnn's "fp32" on
      Arm CPUs with fp16 arithmetic ran fp16, ncnn-vulkan's "fp16" on GPUs without fast fp16 ran
      fp32.
    - MLPerf Offline rows are per-sample times amortised over an unknown batch: excluded.
    - ncnn CPU rows at powersave 1 ran on the little cores only: a compute resource the device's
      spec row does not describe, and no feature tells them from all-core rows at the same
      thread count (settings timed at several modes differ 1.6x at the median:
      reports/ncnn_powersave.md): excluded.
    - ncnn CPU rows at powersave 2 with more threads than the device has big cores
      (``Hardware.big_cores``, ncnn's own rule) ran several threads per core: a CIX P1's 12
      threads on its 8 big cores took 5.3x as long as one thread at the median. No spec describes
      that contention, and the trees learned it as "12 threads is slow", which put a Jetson
      Orin's 12 equal cores at 3-6x their measured time: excluded.
    - ncnn-vulkan rows from a Hyper-V guest with GPU paravirtualization (GPU-PV) time Vulkan
      translated onto the host's Direct3D driver, not the GPU: an RTX 3070 Laptop GPU ran
      ResNet-18 in 63 ms that way, where a desktop RTX 2080 and 3060 Ti take 2.2 and 1.2 ms
      natively. No spec row describes the translation layer, and those rows taught the trees
      that GeForce GPUs under ncnn-vulkan run at 0.1% of their roofline: excluded. (The same
      guests' CPU rows are kept: a CPU is not translated.)
    """
    rows = rows.copy()
    excluded: dict[str, int] = {}
    if "latency_stat" in rows.columns:
        offline = (rows["latency_stat"] == "offline_amortized").to_numpy()
        if offline.any():
            excluded["MLPerf Offline: per-sample time at an unknown batch"] = int(offline.sum())
            rows = rows[~offline]
    if "powersave" in rows.columns:
        little = ((rows["runtime"] == "ncnn") & (rows["powersave"] == 1)).to_numpy()
        if little.any():
            excluded[LITTLE_CORES] = int(little.sum())
            rows = rows[~little]
        crowded = oversubscribed_big_cores(rows)
        if crowded.any():
            excluded[OVERSUBSCRIBED_BIG_CORES] = int(crowded.sum())
            rows = rows[~crowded]
    translated = paravirtual_gpu_rows(rows)
    if translated.any():
        excluded[PARAVIRTUAL_GPU] = int(translated.sum())
        rows = rows[~translated]
    # each row's precision becomes what its runtime ran on its device (one lookup per setting)
    settings = rows[["runtime", "hw_id", "precision"]].drop_duplicates()
    ran: dict[tuple, str] = {}
    for runtime, hw_id, precision in settings.itertuples(index=False):
        try:
            ran[(runtime, hw_id, precision)] = effective_precision(runtime, training_hardware(hw_id),
                                                                  precision)
        except InputError:
            continue
    keys = list(zip(rows["runtime"], rows["hw_id"], rows["precision"]))
    rows["precision"] = [ran.get(key, key[2]) for key in keys]
    return rows, excluded


def paravirtual_gpu_rows(rows: pd.DataFrame) -> np.ndarray:
    """ncnn-vulkan rows timed in a Hyper-V guest through GPU paravirtualization."""
    if "device_string" not in rows.columns:
        return np.zeros(len(rows), bool)
    return ((rows["runtime"] == "ncnn-vulkan")
            & rows["device_string"].astype(str).str.contains(PARAVIRTUAL_GPU_MARK, regex=False)).to_numpy()


def oversubscribed_big_cores(rows: pd.DataFrame) -> np.ndarray:
    """ncnn powersave-2 rows whose threads outnumber the device's big cores (on a CPU whose cores
    are alike, powersave 2 runs on all of them, as powersave 0 does)."""
    big_only = ((rows["runtime"] == "ncnn") & (rows["powersave"] == 2)).to_numpy()
    if "threads" not in rows.columns:
        return np.zeros(len(rows), bool)
    threads = pd.to_numeric(rows["threads"], errors="coerce").to_numpy(float)
    big: dict[str, float] = {}
    for hw_id in rows.loc[big_only, "hw_id"].unique():
        try:
            hw = training_hardware(hw_id)
        except AdvisorError:
            continue
        if hw.clusters:
            big[hw_id] = float(hw.big_cores())
    limit = rows["hw_id"].map(big).to_numpy(float)
    return big_only & (threads > limit)


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """The imported public table (CSV, CSV.gz or Parquet) with the training columns."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"training table not found: {path} (run `advisor data import --out {path}`)")
    table = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, low_memory=False)
    missing = [c for c in TRAINING_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    return table


def assemble(public_table: str | os.PathLike | None, measurement_csvs: Iterable[str | os.PathLike],
             graphs_per_family: int = 2500, n_jobs: int = 2, seed: int = 0,
             progress: Callable[[int, int], None] | None = None) -> TrainingSet:
    """Build the training set from the public table and our measurement CSVs."""
    measurement_csvs = list(measurement_csvs)
    frames = []
    if public_table is not None:
        frames.append(sample_public(read_table(public_table), graphs_per_family, seed))
    ours = load_measurements(measurement_csvs)
    contaminated = dict(ours.attrs.get("rejected", {}))
    if len(ours):
        frames.append(ours)
    if not frames:
        raise InputError("no training rows: give a public table and/or measurement CSVs")
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[(rows["latency_ms"] > 0) & np.isfinite(rows["latency_ms"])]
    rows, excluded = runtime_conventions(rows)
    profiles = profiles_for(rows["graph"], n_jobs=n_jobs, progress=progress)
    X, roofline, kept, reasons, basis, keys, spans, ours_kernels = design_matrix(
        rows, profiles, training_hardware)
    measured_s = rows["latency_ms"].to_numpy(float) / 1e3
    impossible = kept & (roofline > MAX_PLAUSIBLE_EFFICIENCY * measured_s)
    if impossible.any():
        excluded[FASTER_THAN_PHYSICS] = int(impossible.sum())
        kept &= ~impossible
    mistimed = np.zeros(len(rows), bool)
    mistimed[kept] = family_outlier_rows(rows[kept], np.log(roofline[kept] / measured_s[kept]))
    if mistimed.any():
        excluded[FAMILY_OUTLIER] = int(mistimed.sum())
        kept &= ~mistimed
    left_out = impossible | mistimed
    rejected = {**contaminated, **excluded, **reasons[~kept & ~left_out].value_counts().to_dict()}
    kernel_data = KernelData(ours_kernels, load_profiled_rows(measurement_csvs, rows[kept]))
    return TrainingSet(rows[kept], X[kept], roofline[kept], rejected, basis[kept],
                       np.asarray(keys)[kept], spans[kept], kernel_data)
