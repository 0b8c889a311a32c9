"""The Python API that scripts import: predict latency for one configuration or many.

    import advisor
    p = advisor.predict("model.onnx", hw="a100", batch=8, precision="fp16")
    p.latency_ms, p.interval_ms, p.throughput, p.bound_shares, p.basis

    df = advisor.predict_many("model.onnx", hw=["a100", "l4", "t4"], batch=[1, 8, 32],
                              precision=["fp32", "fp16", "int8"])

A graph is analysed once per (batch-free) shape; every configuration after that is a handful of
vectorised array operations plus one regressor call for the whole table.
"""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import onnx
import pandas as pd

from advisor.batch_floor import floor_at_batch_one
from advisor.errors import InputError
from advisor.features import Settings, feature_row, kernel_time_column
from advisor.kernel_model import launch_setting
from advisor.kernel_sum import basis_row, group_shares, log_ratio_feature, setting_key, with_kernel_sum
from advisor.kernel_time_fit import our_kernel_features
from advisor.graph import analyze
from advisor.paths import models_dir
from advisor.precision import Precision, get_precision
from advisor.profile import CATEGORIES, GraphProfile, profile_graph
from advisor.roofline import kernel_bounds
from advisor.runtimes import convention_note, ort_cpu_static_int8, ran_precision

SCHEMA = "advisor.predict/1"


@dataclass
class Prediction:
    """One predicted configuration, with the terms that explain it."""

    model: str
    hw_id: str
    hw_name: str
    precision: str
    batch: int
    seq_len: int | None
    threads: int | None
    runtime: str
    latency_ms: float
    interval_ms: tuple[float, float]
    coverage: float
    roofline_ms: float
    efficiency: float
    compute_share: float
    memory_share: float
    overhead_share: float
    top_op_types: list[tuple[str, float]] = field(default_factory=list)
    basis: str = "spec-only"
    notes: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        """Samples per second at this batch size."""
        return self.batch * 1000.0 / self.latency_ms if self.latency_ms > 0 else float("nan")

    def to_dict(self) -> dict:
        data = asdict(self)
        data["interval_ms"] = list(self.interval_ms)
        data["throughput_per_s"] = self.throughput
        data["schema"] = SCHEMA
        return data


@functools.lru_cache(maxsize=4)
def _load_regressor(directory: str):
    from advisor.predictor import EfficiencyRegressor
    return EfficiencyRegressor.load(directory)


def load_regressor(directory: str | os.PathLike | None = None):
    """The trained efficiency model (cached per directory), or None when none is installed."""
    path = Path(directory) if directory else models_dir()
    if not (path / "efficiency.meta.json").exists():
        return None
    return _load_regressor(str(path))


def _get_hardware(hw):
    if not isinstance(hw, str):
        return hw
    from advisor.hardware import get_hardware
    return get_hardware(hw)


def model_profile(model: str | os.PathLike | onnx.ModelProto, batch: int = 1,
                  seq_len: int | None = None, dims: dict[str, int] | None = None) -> GraphProfile:
    """Analyse ``model`` at ``batch`` (and ``seq_len``) into a reusable kernel profile.

    Symbolic batch dims take ``batch``. A graph exported with fixed dims is taken as it is for
    ``batch``: other batch sizes are that many copies of the exported graph's work (a fixed
    first dim cannot be told apart from a matrix dimension).
    """
    return profile_graph(analyze(model, batch=batch, seq_len=seq_len, dims=dims), batch=batch)


def predict(model, hw, batch: int = 1, seq_len: int | None = None, precision: str = "fp32",
            threads: int | None = None, runtime: str = "onnxruntime",
            dims: dict[str, int] | None = None, models: str | None = None,
            ignore_calibration: bool = False) -> Prediction:
    """Predict one configuration's latency (see :func:`predict_many` for tables)."""
    frame = predict_many(model, [hw], [batch], [seq_len], [precision], threads=threads,
                         runtime=runtime, dims=dims, models=models, as_objects=True,
                         ignore_calibration=ignore_calibration)
    return frame[0]


def predict_many(model, hw: Sequence, batch: Iterable[int] = (1,),
                 seq_len: Iterable[int | None] = (None,), precision: Iterable[str] = ("fp32",),
                 threads: int | None = None, runtime: str = "onnxruntime",
                 dims: dict[str, int] | None = None, models: str | None = None,
                 as_objects: bool = False, ignore_calibration: bool = False,
                 with_features: bool = False):
    """Score every (hardware, batch, seq_len, precision) combination of one graph.

    Returns a DataFrame (one row per configuration), or a list of :class:`Prediction` with
    ``as_objects=True``; ``with_features`` makes it a pair (that, the rows' feature matrix).
    Graph analysis happens once per sequence length; batches are scaled.
    """
    hardware = [_get_hardware(h) for h in (hw if isinstance(hw, (list, tuple)) else [hw])]
    precisions = [get_precision(p) if isinstance(p, str) else p for p in precision]
    batches = [int(b) for b in batch]
    if any(b < 1 for b in batches):
        raise InputError("batch sizes must be at least 1")
    regressor = load_regressor(models)
    profiles = {s: model_profile(model, batch=1, seq_len=s, dims=dims) for s in seq_len}
    rows, features = score_profiles(_graph_name(model), profiles, hardware, batches, precisions,
                                    threads, runtime, regressor, ignore_calibration,
                                    with_features=True)
    result = rows if as_objects else pd.DataFrame([r.to_dict() for r in rows])
    return (result, features) if with_features else result


def _graph_name(model) -> str:
    """A path's name as given, or an in-memory graph's own name."""
    return str(model if isinstance(model, (str, os.PathLike)) else (model.graph.name or "model"))


def score_profiles(name: str, profiles: dict, hardware: Sequence, batches: Sequence[int],
                   precisions: Sequence[Precision], threads: int | None = None,
                   runtime: str = "onnxruntime", regressor=None,
                   ignore_calibration: bool = False, with_features: bool = False,
                   batch_floor: bool = True):
    """Predictions for every combination, from already analysed profiles (seq_len -> profile);
    with ``with_features``, a pair (predictions, their feature matrix).

    This is the hot path of capacity-planning scripts: no graph work, a few array operations per
    configuration and one regressor call for all of them. With ``batch_floor`` (the default) no
    batch is predicted faster than batch 1 (``advisor.batch_floor``), which is scored for that
    when not asked for.
    """
    batches = [int(b) for b in batches]
    reference_only = batch_floor and 1 not in batches and any(b > 1 for b in batches)
    scored = [1, *batches] if reference_only else batches
    rows, features, keys, shares = featurize_profiles(name, profiles, hardware, scored, precisions,
                                                      threads, runtime, regressor)
    if rows:
        _apply_efficiency(rows, features, regressor, keys, ignore_calibration, shares)
        if batch_floor:
            floor_at_batch_one(rows)
        if reference_only:
            asked = [i for i, row in enumerate(rows) if row.batch != 1]
            rows, features = [rows[i] for i in asked], features[asked]
    return (rows, features) if with_features else rows


def featurize_profiles(name: str, profiles: dict, hardware: Sequence, batches: Sequence[int],
                       precisions: Sequence[Precision], threads: int | None = None,
                       runtime: str = "onnxruntime", regressor=None
                       ) -> tuple[list[Prediction], np.ndarray, list[str], np.ndarray | None]:
    """(roofline-only rows, their feature matrix, their setting keys, their kernel groups'
    shares of roofline time) for every combination: what :func:`score_profiles` turns into
    predictions."""
    rows: list[Prediction] = []
    feature_rows, basis_rows, keys = [], [], []
    kernel_sum = getattr(regressor, "kernel_sum_", None)
    kernel_time = getattr(regressor, "kernel_time_", None)
    timed_hosts = set(kernel_time.hosts) if kernel_time is not None and runtime == "onnxruntime" else set()
    kernel_blocks: list[tuple[int, np.ndarray]] = []   # (row, our kernels' features) on profiled hosts
    threads_of = {h.id: threads if threads is not None else default_threads(regressor, h.id, runtime)
                  for h in hardware}
    for (s, profile), hw_row, b, asked in itertools.product(profiles.items(), hardware, batches, precisions):
        row_threads = threads_of[hw_row.id]
        prec = _runtime_precision(runtime, hw_row, asked)
        settings = Settings(prec, b, row_threads, runtime)
        scaled = profile.scaled(b)
        bounds = kernel_bounds(scaled, hw_row, prec, row_threads, runtime)
        feature_rows.append(feature_row(profile, hw_row, settings, bounds))
        keys.append(setting_key(hw_row.id, runtime, prec.name, row_threads))
        basis_rows.append(basis_row(scaled, bounds, prec))
        if hw_row.id in timed_hosts:
            kernel_blocks.append((len(rows), our_kernel_features(scaled, prec, row_threads)))
        rows.append(_partial(name, hw_row, prec, b, s, row_threads, runtime, scaled, bounds))
        if prec is not asked:
            rows[-1].precision = asked.name
            rows[-1].notes.append(convention_note(runtime, hw_row.id, asked.name, prec.name))
    if not rows:
        return rows, np.empty((0, 0)), keys, None
    features = np.vstack(feature_rows)
    basis = np.vstack(basis_rows)
    if kernel_sum is not None:
        roofline_s = np.array([r.roofline_ms / 1e3 for r in rows])
        features = with_kernel_sum(features, kernel_sum, basis, keys, roofline_s)
    if kernel_blocks:
        features[:, kernel_time_column()] = log_ratio_feature(
            _kernel_time_seconds(kernel_time, kernel_blocks, rows), [r.roofline_ms / 1e3 for r in rows])
    return rows, features, keys, group_shares(basis)


def predict_with_features(model, hw, batch: int = 1, seq_len: int | None = None,
                          precision: str = "fp32", threads: int | None = None,
                          runtime: str = "onnxruntime") -> tuple[Prediction, np.ndarray]:
    """One uncalibrated prediction with its feature row: what calibration fits against."""
    rows, features = predict_many(model, [hw], [batch], [seq_len], [precision], threads=threads,
                                  runtime=runtime, as_objects=True, ignore_calibration=True,
                                  with_features=True)
    return rows[0], features[0]


def _runtime_precision(runtime: str, hw, asked: Precision) -> Precision:
    """The precision ``runtime`` really runs on ``hw`` for ``asked`` (``advisor.runtimes``)."""
    ran = ran_precision(runtime, hw, asked.name)
    return asked if ran.name == asked.name else ran


def _kernel_time_seconds(model, blocks: list[tuple[int, np.ndarray]], rows: list) -> np.ndarray:
    """Per-row seconds of the per-kernel model for the rows in ``blocks`` (NaN elsewhere)."""
    out = np.full(len(rows), np.nan)
    for host in {rows[i].hw_id for i, _ in blocks}:
        mine = [(i, f) for i, f in blocks if rows[i].hw_id == host]
        owner = np.repeat(np.arange(len(mine)), [len(f) for _, f in mine])
        seconds = model.predict_seconds(host, np.vstack([f for _, f in mine]), owner, len(mine),
                                        [launch_setting(rows[i].threads, rows[i].precision) for i, _ in mine])
        out[[i for i, _ in mine]] = seconds
    return out


#: Static int8 on onnxruntime gets a note when at least this share of kernels stays fp32.
ISLAND_NOTE_SHARE = 0.1


def _partial(name, hw, prec: Precision, batch, seq_len, threads, runtime, profile: GraphProfile,
             bounds) -> Prediction:
    bound = bounds.bound_s
    total = float(bound.sum())
    compute = float(bound[bounds.compute_bound].sum())
    per_category = np.bincount(profile.category, weights=bound, minlength=len(CATEGORIES))
    top = sorted(((CATEGORIES[i], float(t) / total) for i, t in enumerate(per_category)
                  if t > 0 and total > 0), key=lambda kv: -kv[1])[:5]
    notes = []
    fallback = {f for f in bounds.formats} - {prec.matrix_format, prec.other_format}
    if fallback:
        notes.append(f"{hw.id} lacks {prec.matrix_format}; kernels run in {', '.join(sorted(fallback))}")
    islands = profile.shape_stats.get("int8_island_kernel_share", 0.0)
    if prec.name == "int8" and runtime == "onnxruntime" and islands >= ISLAND_NOTE_SHARE:
        notes.append(f"static int8: {100 * islands:.0f}% of the kernels hold ops onnxruntime's "
                     "quantizer leaves in fp32 (HardSwish, Div, Erf...), each behind a dequantize and a "
                     "quantize (on our host, MobileNetV3 and OFA, whose HardSwish stays fp32, "
                     "ran 3-4x slower in static int8 than in fp32: reports/int8_static.md)")
    unfused = profile.shape_stats.get("int8_unfused_flops_share", 0.0)
    if ort_cpu_static_int8(runtime, hw, prec.name) and unfused >= ISLAND_NOTE_SHARE:
        notes.append(f"static int8: onnxruntime's CPU kernels leave {100 * unfused:.0f}% of the matrix "
                     "FLOPs in fp32 (a Conv/Gemm/MatMul whose input or output has a second reader is "
                     "not fused into its int8 kernel, and its weights are dequantized on every run: "
                     "reports/int8_fusion.md)")
    return Prediction(model=name, hw_id=hw.id, hw_name=getattr(hw, "name", hw.id), precision=prec.name,
                      batch=batch, seq_len=seq_len, threads=threads, runtime=runtime,
                      latency_ms=float("nan"), interval_ms=(float("nan"), float("nan")), coverage=0.0,
                      roofline_ms=total * 1e3, efficiency=float("nan"),
                      compute_share=compute / total if total else 0.0,
                      memory_share=(total - compute) / total if total else 0.0, overhead_share=0.0,
                      top_op_types=top, notes=notes)


def default_threads(regressor, hw_id: str, runtime: str) -> int | None:
    """Threads a prediction naming none assumes: the most the training data measured the device
    with on ``runtime`` (so its measured setting, and offset, apply), else None (all cores)."""
    table = getattr(regressor, "metadata_", {}).get("default_threads_by_hw_runtime") or {}
    value = table.get(f"{hw_id}|{runtime}") if isinstance(table, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def runtimes_measured(regressor, hw_id: str) -> list[str]:
    """The runtimes the training data measured ``hw_id`` with ([] when none, or unknown)."""
    meta = getattr(regressor, "metadata_", {})
    by_hw = meta.get("trained_runtimes_by_hw")
    if by_hw is None:     # a model saved before the field existed: the device, any runtime
        return ["(any)"] if hw_id in set(meta.get("trained_hw_ids", [])) else []
    return list(by_hw.get(hw_id, []))


def runtimes_measured_anywhere(regressor) -> set[str] | None:
    """The runtimes any training row used, on any device (None when the model does not say)."""
    by_hw = getattr(regressor, "metadata_", {}).get("trained_runtimes_by_hw")
    return None if by_hw is None else {runtime for runtimes in by_hw.values() for runtime in runtimes}


def _batches(lo: float, hi: float) -> str:
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def _apply_efficiency(rows: list[Prediction], features: np.ndarray, regressor,
                      setting_keys: list[str], ignore_calibration: bool = False,
                      shares: np.ndarray | None = None) -> None:
    """Turn roofline times into predictions with the learned efficiency (or flag its absence)."""
    from advisor.calibration import load_profile

    if regressor is None:
        low = mid = high = np.zeros(len(rows))
        coverage = 0.0
        measured_with: list[list[str]] = [[] for _ in rows]
        measured = [False] * len(rows)
    else:
        measured_with = [runtimes_measured(regressor, row.hw_id) for row in rows]
        measured = [row.runtime in runtimes or runtimes == ["(any)"]
                    for row, runtimes in zip(rows, measured_with)]
        # spec-only rows get the intervals calibrated on held-out devices (wider)
        unseen = [not m for m in measured]
        applies = regressor.offset_applies(features, setting_keys, shares)
        low, mid, high = regressor.predict_interval(features, unseen=unseen, setting_keys=setting_keys,
                                                    offset_inside=applies)
        coverage = regressor.coverage
        # which rule refused an offset, for the note (the batch rule alone; only when one was)
        batch_ok = applies if applies.all() else regressor.offset_applies(features, setting_keys)
        ranges = getattr(regressor, "setting_offset_batches_", {})
        for row, key, inside, in_batch in zip(rows, setting_keys, applies, batch_ok):
            if inside:
                continue
            if not in_batch:
                lo, hi = ranges[str(key)]
                why = f"at batch {_batches(lo, hi)} only: batch {row.batch}"
            else:
                why = "on graphs that spend their time in other kernels than this one: it"
            row.notes.append(f"{row.hw_id} was measured with {row.runtime} {row.precision} {why} gets "
                             f"no device correction and the wider interval of unmeasured devices")
    hw_ids = np.array([row.hw_id for row in rows])
    profiles = {hw: None if ignore_calibration else load_profile(hw) for hw in dict.fromkeys(hw_ids)}
    # graph-local offsets of calibrated devices, one vectorised call per device (hot path)
    local_shift = np.zeros(len(rows))
    for hw, profile in profiles.items():
        if profile is not None and profile["correction"].local is not None:
            mine = hw_ids == hw
            local_shift[mine] = profile["correction"].local.offsets(features[mine])
    known_runtimes = runtimes_measured_anywhere(regressor)     # once per call, not per row
    for row, lo, md, hi, was_measured, runtimes, local in zip(
            rows, low, mid, high, measured, measured_with, local_shift):
        profile = profiles[row.hw_id]
        if profile is not None:
            # the device's own measurements correct its latency (and the interval's ends alike),
            # and so do its measurements of graphs like this one (graph-local offsets)
            ends = np.array([lo, md, hi])
            lo, md, hi = ends - profile["correction"].log_shift(row.roofline_ms / np.exp(ends)) - local
            if profile.get("local_dropped"):
                row.notes.append(f"{row.hw_id}'s calibration profile: {profile['local_dropped']}")
            rows_used = profile["rows"]
            band = (regressor.calibrated_band(rows_used)
                    if rows_used is not None and regressor is not None else None)
            if band is not None:
                # the spread left after calibrating held-out devices on as many rows
                lo, hi = md + band[0], md + band[1]
            basis = "calibrated" if rows_used is None else f"calibrated ({rows_used} measurements)"
            if profile.get("dropped"):
                row.notes.append(f"{row.hw_id}'s calibration rows showed no offset a correction could "
                                 "carry to new graphs (leave-one-out): the centre is the spec-only "
                                 "prediction, the interval that of a calibrated device")
            if regressor is None:
                basis += " on the roofline (no trained model installed)"
        elif regressor is None:
            basis = "roofline-only (no trained model installed)"
        else:
            basis = "measured-device" if was_measured else "spec-only"
            if not was_measured and known_runtimes is not None and row.runtime not in known_runtimes:
                # split (a) found TensorRT/QAIC int8 predicted 14x too slow without rows of them
                # (reports/ablations/split_a_mlperf_parts.txt); the interval assumes a known runtime
                row.notes.append(f"no training row used {row.runtime} on any device: predicted from "
                                 "other runtimes' rows, and the interval does not cover that")
            if not was_measured and runtimes:
                row.notes.append(f"{row.hw_id} was measured with {', '.join(runtimes)} only; "
                                 f"{row.runtime} on it is predicted from its spec row")
        efficiency = float(np.exp(md))
        latency = row.roofline_ms / efficiency
        row.latency_ms = latency
        row.efficiency = efficiency
        row.interval_ms = (row.roofline_ms / float(np.exp(hi)), row.roofline_ms / float(np.exp(lo)))
        row.coverage = coverage
        row.basis = basis
        share = min(efficiency, 1.0)  # time above the roofline is overhead and inefficiency
        row.compute_share, row.memory_share = row.compute_share * share, row.memory_share * share
        row.overhead_share = 1.0 - row.compute_share - row.memory_share
        if regressor is None and profile is None:
            row.notes.append("no trained model: latency is the roofline lower bound")
