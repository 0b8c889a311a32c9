"""Per-kernel time models of measured hosts: onnxruntime's profiled kernels -> a graph's time.

nn-Meter's idea, fitted on kernels we timed: a runtime's latency is close to the sum of the
kernels it runs, and a kernel's time depends on what it is (category, FLOPs, bytes, threads,
precision), not on which network it came from. So a model of *kernel* time learned from the
profiles of many networks (``advisor measure --profile-runs``) predicts a family it never saw by
summing its kernels: the kernels ``advisor.kernels.fuse`` predicts from the graph, described by
``advisor.kernel_times`` exactly as profiled kernels are. What our kernel list leaves out is a
fitted cost per listed kernel, per (threads, precision) setting: time between kernels (what
dominates tiny MLPs) and kernels onnxruntime adds that we do not list (layout reorders, and the
Quantize/DequantizeLinear kernels of int8 graphs).

Its prediction enters the efficiency regressor as one feature (``KERNEL_TIME_FEATURE``), only
for hosts with profiles, so every prediction stays roofline-bounded and the trees learn from
cross-fitted values how far to trust it. Boosters are stored in XGBoost's JSON format, one per
host, with their digests in the model metadata; nothing is unpickled.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from advisor.atomic import atomic_path
from advisor.errors import AdvisorError
from advisor.kernel_times import FEATURES, MEASURED_PRECISION, feature_frame, profiled_kernel

MIN_PROFILES = 30       # profiled rows of a host needed before its kernel model is trusted
MIN_US = 0.05           # floor of a kernel time before taking logs (profiler resolution)
CROSS_FOLDS = 3
BOOSTER_PARAMS = {"n_estimators": 200, "max_depth": 7, "learning_rate": 0.08, "subsample": 0.8,
                  "colsample_bytree": 0.8, "tree_method": "hist", "n_jobs": 2, "random_state": 0}
_SAFE_HOST = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")


def profile_key(graph_hash: str, settings_key: str, host_hash: str, tag: str) -> str:
    """The key joining a measured row and its kernel profile (``advisor.measure.store.KEY``)."""
    return "|".join(str(v) for v in (graph_hash, settings_key, host_hash, tag))


@dataclass
class ProfiledRow:
    """The profiled kernels of one measured row: features, log times and their measured sum."""

    features: np.ndarray     # (kernels, len(FEATURES)), float32
    log_us: np.ndarray       # (kernels,)
    kernel_sum_us: float


def profiled_row(nodes: list[list], threads: int, precision: str) -> ProfiledRow:
    """Featurise one profile's nodes (``NODE_FIELDS`` records) for a row at these settings."""
    described = pd.DataFrame([profiled_kernel(n[1], n[4], n[5], *n[6:9]) for n in nodes])
    us = np.array([float(n[3]) for n in nodes], float)
    if described.empty:
        return ProfiledRow(np.zeros((0, len(FEATURES)), np.float32), us, 0.0)
    described = described.assign(threads=float(threads),
                                 precision=MEASURED_PRECISION.get(precision, precision))
    return ProfiledRow(feature_frame(described).to_numpy(np.float32),
                       np.log(np.maximum(us, MIN_US)), float(us.sum()))


def _booster(params: dict | None = None):
    from xgboost import XGBRegressor
    return XGBRegressor(**{**BOOSTER_PARAMS, **(params or {})})


class KernelTimeModel:
    """One per-kernel booster per host, plus a cost per listed kernel per (host, setting);
    :meth:`predict_seconds` sums a host's kernel predictions per row. A setting is
    :func:`launch_setting` (threads and precision)."""

    def __init__(self, params: dict | None = None):
        self.params = dict(params or {})
        self.boosters_: dict[str, object] = {}
        self.launch_us_: dict[str, dict[str, float]] = {}   # host -> setting -> us per kernel
        self.profiles_: dict[str, int] = {}

    @property
    def hosts(self) -> list[str]:
        return sorted(self.boosters_)

    def fit(self, hosts: Iterable[str], rows: list[ProfiledRow], measured_us: Iterable[float],
            our_kernels: list[np.ndarray], settings: Iterable[str]) -> "KernelTimeModel":
        """Fit every host with at least ``MIN_PROFILES`` profiled rows.

        ``rows`` are the profiled rows (one per measured row), ``measured_us`` their timed
        latencies, ``our_kernels`` the features of the kernels ``advisor.kernels.fuse`` lists for
        them, ``settings`` their :func:`launch_setting`. The launch cost closes the gap between
        the timed latency and our kernels' predicted sum, per kernel of *our* list (the list
        summed later), as the median over each setting's rows.
        """
        hosts = np.asarray(list(hosts)).astype(str)
        measured_us = np.asarray(list(measured_us), float)
        settings = np.asarray(list(settings)).astype(str)
        self.boosters_, self.launch_us_, self.profiles_ = {}, {}, {}
        for host in np.unique(hosts):
            idx = np.flatnonzero(hosts == host)
            idx = idx[[len(rows[i].log_us) > 0 and len(our_kernels[i]) > 0 for i in idx]]
            if len(idx) < MIN_PROFILES:
                continue
            X = np.vstack([rows[i].features for i in idx])
            y = np.concatenate([rows[i].log_us for i in idx])
            X, y, weight = _deduplicated(X, y)
            booster = _booster(self.params)
            booster.fit(X, y, sample_weight=weight)
            self.boosters_[str(host)] = booster
            self.profiles_[str(host)] = int(len(idx))
            ours = np.vstack([our_kernels[i] for i in idx])
            owner = np.repeat(np.arange(len(idx)), [len(our_kernels[i]) for i in idx])
            our_sum = np.bincount(owner, weights=np.exp(booster.predict(ours)), minlength=len(idx))
            counts = np.bincount(owner, minlength=len(idx))
            gaps = pd.DataFrame({"setting": settings[idx], "gap": (measured_us[idx] - our_sum) / counts})
            self.launch_us_[str(host)] = {str(k): max(float(g.median()), 0.0)
                                          for k, g in gaps.groupby("setting")["gap"]}
        return self

    def launch_us(self, host: str, setting: str) -> float:
        """The fitted cost per listed kernel (us) at a :func:`launch_setting`: that setting's,
        else the same precision's at the nearest thread count, else the host's median."""
        table = self.launch_us_.get(host, {})
        if not table:
            return 0.0
        if setting in table:
            return table[setting]
        threads, _, precision = setting.partition("|")
        same = {k.partition("|")[0]: v for k, v in table.items() if k.partition("|")[2] == precision}
        numeric = {int(t): v for t, v in same.items() if t.isdigit()}
        if numeric and threads.isdigit():
            return numeric[min(numeric, key=lambda t: abs(t - int(threads)))]
        return float(np.median(list(same.values()) or list(table.values())))

    def predict_seconds(self, host: str, features: np.ndarray, kernel_row: np.ndarray,
                        n_rows: int, settings: Iterable[str]) -> np.ndarray:
        """Per-row seconds: the sum of predicted kernel times of each row (``kernel_row`` says
        which row each kernel belongs to) plus its launch costs; NaN for an unknown host or a
        row without kernels."""
        out = np.full(n_rows, np.nan)
        booster = self.boosters_.get(host)
        if booster is None or len(features) == 0:
            return out
        kernel_us = np.exp(booster.predict(np.asarray(features, np.float32)))
        kernel_row = np.asarray(kernel_row, int)
        sums = np.bincount(kernel_row, weights=kernel_us, minlength=n_rows)
        counts = np.bincount(kernel_row, minlength=n_rows)
        launch = np.array([self.launch_us(host, k) for k in settings], float)
        with np.errstate(invalid="ignore"):
            out = np.where(counts > 0, (sums + launch * counts) * 1e-6, np.nan)
        return out

    # --- persistence ------------------------------------------------------------------------------
    def save(self, directory: str | Path) -> dict:
        """Write one ``kernel_time.<i>.xgb.json`` per host; returns the metadata section."""
        directory = Path(directory)
        hosts = {}
        for i, host in enumerate(self.hosts):
            path = directory / booster_file(i)
            with atomic_path(path) as tmp:
                tmp.write_bytes(bytes(self.boosters_[host].get_booster().save_raw(raw_format="json")))
            hosts[host] = {"booster_sha256": _sha256(path), "launch_us": self.launch_us_[host],
                           "profiles": self.profiles_.get(host, 0)}
        return {"features": FEATURES, "hosts": hosts, "params": self.params}

    @classmethod
    def load(cls, directory: str | Path, meta) -> "KernelTimeModel":
        """The model described by metadata section ``meta`` (raises AdvisorError when malformed or
        when a booster file does not match its digest)."""
        if not isinstance(meta, dict) or meta.get("features") != FEATURES or \
                not isinstance(meta.get("hosts"), dict):
            raise AdvisorError("kernel-time model: features do not match this code (retrain)")
        from xgboost import XGBRegressor
        model = cls(meta.get("params") if isinstance(meta.get("params"), dict) else None)
        for i, (host, entry) in enumerate(sorted(meta["hosts"].items())):
            launch = entry.get("launch_us") if isinstance(entry, dict) else None
            if not (_SAFE_HOST.match(str(host)) and isinstance(launch, dict) and all(
                    isinstance(v, (int, float)) and math.isfinite(v) and v >= 0 for v in launch.values())):
                raise AdvisorError(f"kernel-time model: invalid entry for host {host!r}")
            path = Path(directory) / booster_file(i)
            if not path.exists() or entry.get("booster_sha256") != _sha256(path):
                raise AdvisorError(f"kernel-time model file {path} is missing or does not match its digest")
            booster = XGBRegressor()
            try:   # XGBoost's own JSON format: parsed, never unpickled
                booster.load_model(str(path))
            except Exception as exc:  # noqa: BLE001 - xgboost raises XGBoostError / ValueError
                raise AdvisorError(f"kernel-time model file {path} cannot be loaded: "
                                   f"{' '.join(str(exc).split())[:200]}") from None
            model.boosters_[host] = booster
            model.launch_us_[host] = {str(k): float(v) for k, v in launch.items()}
            model.profiles_[host] = int(entry.get("profiles", 0) or 0)
        return model


def booster_file(index: int) -> str:
    """File name of a host's booster (by position in the sorted hosts, never from metadata text)."""
    return f"kernel_time.{int(index)}.xgb.json"


def launch_setting(threads, precision: str) -> str:
    """``"<threads>|<precision>"`` (``-`` for no thread count): what a launch cost belongs to."""
    missing = threads is None or (isinstance(threads, float) and math.isnan(threads))
    return f"{'-' if missing else int(threads)}|{precision}"


def _deduplicated(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Identical kernel descriptions merged into one row (median log time, weight = count):
    the same layer profiled in many rows costs one training row, not hundreds."""
    unique, inverse = np.unique(np.asarray(X, np.float32), axis=0, return_inverse=True)
    grouped = pd.Series(y).groupby(inverse.ravel())
    return unique, grouped.median().to_numpy(float), grouped.size().to_numpy(float)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()

