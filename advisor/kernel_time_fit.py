"""Training-side plumbing of the per-kernel time model (``advisor.kernel_model``).

A training set carries, for each row measured on one of our hosts, the kernels
``advisor.kernels.fuse`` predicts for it (as features, in one shared array) and, where the row was
profiled, the kernels onnxruntime ran. From those this module fits the model on a subset of rows,
predicts rows' times, and cross-fits (each graph predicted by a model that never saw its kernels),
so the regressor learns how far to trust the feature on graphs it has not seen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from advisor.kernel_model import (CROSS_FOLDS, KernelTimeModel, ProfiledRow, launch_setting, profile_key,
                                  profiled_row)
from advisor.kernel_times import FEATURES, feature_frame, profile_kernels
from advisor.precision import Precision
from advisor.profile import GraphProfile

KERNELS_SUFFIX = "-kernels.jsonl.gz"   # beside <name>.csv: <name>-kernels.jsonl.gz


@dataclass
class KernelData:
    """Per-kernel inputs of a training set, shared by all of its subsets."""

    ours: np.ndarray = field(default_factory=lambda: np.zeros((0, len(FEATURES)), np.float32))
    profiled: dict[str, ProfiledRow] = field(default_factory=dict)


def our_kernel_features(scaled: GraphProfile, precision: Precision, threads: int | None) -> np.ndarray:
    """Features of the kernels we predict for a graph (at its batch) on a host."""
    return feature_frame(profile_kernels(scaled, precision, threads)).to_numpy(np.float32)


def kernel_profile_files(measurement_csvs: Iterable[str | os.PathLike]) -> list[Path]:
    """The kernel-profile exports that sit beside measurement CSVs (those that exist)."""
    out = []
    for path in measurement_csvs:
        path = Path(path)
        candidate = path.with_name(path.name[:-len(path.suffix)] + KERNELS_SUFFIX)
        if path.suffix == ".csv" and candidate.exists():
            out.append(candidate)
    return out


def load_profiled_rows(measurement_csvs: Iterable[str | os.PathLike], rows) -> dict[str, ProfiledRow]:
    """Profiled kernels of the measured ``rows`` (with ``profile_key``, ``threads``,
    ``precision``), read from the exports beside their CSVs (malformed files: InputError)."""
    from advisor.measure.store import KEY, read_node_export
    wanted = {}
    if "profile_key" in rows.columns:
        for r in rows.itertuples(index=False):
            if isinstance(r.profile_key, str) and r.profile_key:
                wanted[r.profile_key] = (r.threads, r.precision)
    out: dict[str, ProfiledRow] = {}
    for path in kernel_profile_files(measurement_csvs):
        for record in read_node_export(path):
            key = profile_key(*(record[c] for c in KEY))
            if key in wanted and key not in out:
                threads, precision = wanted[key]
                out[key] = profiled_row(record["nodes"], int(threads), str(precision))
    return out


def _hosts(setting_keys: np.ndarray) -> np.ndarray:
    return np.array([str(k).split("|")[0] for k in setting_keys])


def _settings(data, idx: np.ndarray) -> np.ndarray:
    """Launch settings of rows ``idx`` only (a training set holds far more rows than kernels)."""
    threads, precision = data.meta["threads"].to_numpy(), data.meta["precision"].to_numpy()
    return np.array([launch_setting(threads[i], precision[i]) for i in idx], dtype=object)


def fit_kernel_time(data, rows: np.ndarray | None = None) -> KernelTimeModel:
    """The kernel model fitted on the profiled rows of ``data`` (all, or the ``rows`` mask)."""
    rows = np.ones(len(data), bool) if rows is None else np.asarray(rows, bool)
    keys = data.profile_keys
    chosen = np.flatnonzero(rows & np.array([k in data.kernel_data.profiled for k in keys]))
    ours = [data.kernel_data.ours[a:b] for a, b in data.kernel_spans[chosen]]
    return KernelTimeModel().fit(
        _hosts(data.setting_keys[chosen]), [data.kernel_data.profiled[keys[i]] for i in chosen],
        data.measured_s[chosen] * 1e6, ours, _settings(data, chosen))


def kernel_time_seconds(model: KernelTimeModel | None, data, rows: np.ndarray | None = None) -> np.ndarray:
    """Predicted seconds of ``data``'s rows (NaN without kernels or for a host the model lacks)."""
    out = np.full(len(data), np.nan)
    if model is None or not model.hosts:
        return out
    rows = np.ones(len(data), bool) if rows is None else np.asarray(rows, bool)
    spans = data.kernel_spans
    candidates = np.flatnonzero(rows & (spans[:, 1] > spans[:, 0]))
    hosts = _hosts(data.setting_keys[candidates])
    for host in model.hosts:
        idx = candidates[hosts == host]
        if not len(idx):
            continue
        settings = _settings(data, idx)
        lengths = spans[idx, 1] - spans[idx, 0]
        gather = np.concatenate([np.arange(a, b) for a, b in spans[idx]])
        owner = np.repeat(np.arange(len(idx)), lengths)
        out[idx] = model.predict_seconds(host, data.kernel_data.ours[gather], owner, len(idx), settings)
    return out


def cross_fitted_kernel_time(data, folds: int = CROSS_FOLDS, seed: int = 0) -> np.ndarray:
    """Out-of-fold predictions: each row's graph predicted by a model fitted without it."""
    graphs = data.meta["graph"].astype(str).to_numpy()
    out = np.full(len(data), np.nan)
    has_kernels = data.kernel_spans[:, 1] > data.kernel_spans[:, 0]
    if not has_kernels.any() or not data.kernel_data.profiled:
        return out
    unique = np.unique(graphs[has_kernels])
    fold_of = dict(zip(unique, np.random.default_rng(seed).permutation(len(unique)) % folds))
    fold = np.array([fold_of.get(g, -1) for g in graphs])
    for k in range(folds):
        test = fold == k
        if test.any():
            out[test] = kernel_time_seconds(fit_kernel_time(data, ~test), data, test)[test]
    return out
